"""The documentation site as a reader meets it: `tools/docs.py` builds it from the committed notebooks, a local HTTP server
on 127.0.0.1 serves it, and headless Chromium (Debian's, over CDP, as in test_browser.py) opens the index, follows every
link, and checks every page: all its images load, every link within the site leads to a file that is there (and to an
anchor that is there), and the console shows no error. Links out of the site (https://…) are not followed (no network)."""
import functools, http.server, subprocess, sys, threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from test_browser import CHROMIUM, free_port, start, stop, wait_for

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here (make test installs Debian's chromium where apt-get can)")
playwright = pytest.importorskip('playwright.sync_api', reason="playwright (the Python package) is not installed")

@pytest.fixture(scope='module')
def site(tmp_path_factory):
    "The site built into a temporary folder and served on 127.0.0.1; its base URL."
    out = tmp_path_factory.mktemp('site')/'_docs'
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'docs.py'), str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a): pass
    handler = functools.partial(Quiet, directory=str(out))
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{srv.server_address[1]}/', out
    srv.shutdown()

@pytest.fixture(scope='module')
def browser(tmp_path_factory):
    logs, cdp = tmp_path_factory.mktemp('chromium'), free_port()
    ch = start([CHROMIUM, '--headless=new', f'--remote-debugging-port={cdp}', '--remote-debugging-address=127.0.0.1',
                f'--user-data-dir={logs/"profile"}', '--no-sandbox', '--disable-gpu', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=1400,1000',
                'about:blank'], open(logs/'chromium.log', 'w'))
    try:
        wait_for(f'http://127.0.0.1:{cdp}/json/version')
        with playwright.sync_playwright() as pw:
            b = pw.chromium.connect_over_cdp(f'http://127.0.0.1:{cdp}')
            yield b.contexts[0]
            b.close()
    finally: stop(ch)

LINKS = "[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
# what a reader must not meet: (check, what it found)
NOISE = """() => {
  const main = document.querySelector('main') || document.body, out = [];
  const text = main.innerText;
  if (/graph (BT|TD|LR)|\\w+ --> \\w+/.test(text)) out.push('raw mermaid text');
  if (text.includes('Downloading:')) out.push("a 'Downloading:' line");
  if (/In\\s*\\[\\s*\\d*\\s*\\]:/.test(text) || main.querySelector('.jp-InputPrompt, .jp-OutputPrompt')) out.push('an In [ ] prompt');
  for (const o of main.querySelectorAll('.jp-OutputArea-output')) {
    const t = o.innerText;
    if (/…\\s*(ms|s|min|×|%)(?![\\w])/.test(t) || [...o.querySelectorAll('td')].some(td => td.innerText.trim() === '…'))
      out.push('a placeholder … in an output: ' + t.slice(0, 80));
  }
  for (const i of main.querySelectorAll('img')) {
    if (i.offsetParent === null || !i.naturalWidth) continue;  // folded away, or not an image file
    if (i.clientWidth + 1 < i.naturalWidth) out.push(`${i.getAttribute('src').slice(0, 60)} shown ${i.clientWidth} px wide, its file ${i.naturalWidth} px`);
  }
  return out;
}"""
BROKEN_IMAGES = "[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src').slice(0, 80))"

def test_site_in_chromium(site, browser):
    base, out = site
    page, errors, failed = browser.new_page(), [], []
    page.on('console', lambda m: errors.append(f'{page.url}: {m.text}') if m.type == 'error' else None)
    page.on('pageerror', lambda e: errors.append(f'{page.url}: {e}'))
    page.on('requestfailed', lambda r: failed.append(f'{page.url}: {r.url} {r.failure}') if r.url.startswith('http') else None)
    notebooks = sorted(p.stem for p in (ROOT/'nbs').glob('*.ipynb'))
    todo, seen, files, problems = [base + 'index.html'], set(), set(), []
    while todo:
        url = todo.pop(0)
        if url in seen: continue
        seen.add(url)
        resp = page.goto(url, wait_until='load')
        assert resp is not None and resp.ok, f'{url}: HTTP {resp and resp.status}'
        page.wait_for_function("!window.MathJax || !window.MathJax.Hub || window.MathJax.Hub.queue.pending === 0", timeout=30_000)
        if bad := page.evaluate(BROKEN_IMAGES): problems.append(f'{url}: images that did not load: {bad}')
        problems += [f'{url}: {n}' for n in page.evaluate(NOISE)]
        for href in page.evaluate(LINKS):
            target = urljoin(url, href)
            if not target.startswith(base): continue  # out of the site: not followed offline
            path, frag = urlsplit(target).path, urlsplit(target).fragment
            if path.endswith('.html'): todo.append(target.split('#')[0])
            elif not (out/path.lstrip('/')).is_file(): problems.append(f'{url}: broken link {href}')
            else: files.add(path)
            if frag and path.endswith('.html') and (out/path.lstrip('/')).is_file() and \
                    f'id="{frag}"' not in (out/path.lstrip('/')).read_text():
                problems.append(f'{url}: link {href} to an anchor that is not there')
    pages = {urlsplit(u).path.lstrip('/') for u in seen}
    assert pages >= {'index.html', *(f'{n}.html' for n in notebooks)}, sorted(pages)
    assert all((out/p).is_file() for p in pages), [p for p in pages if not (out/p).is_file()]
    assert not problems, '\n'.join(problems)
    assert not failed, '\n'.join(failed)
    assert not errors, '\n'.join(errors)
    # the pages carry the notebooks' outputs: Figure 4 in 06_figures, and the health curves in 05c_health
    page.goto(base + '06_figures.html')
    assert page.locator('.jp-OutputArea-output img').count() >= 1
    assert page.locator('text=Figure 4').count() >= 1
    page.goto(base + '05c_health.html')
    assert page.locator('.jp-OutputArea-output img').count() >= 1
    # nbdev's show_doc: a signature and a table of its parameters, the Quarto-only link attributes gone
    assert page.locator('.jp-RenderedMarkdown h3:has-text("captioned") ~ table').count() >= 1
    assert '{target=' not in page.inner_text('main')
    # Figure 4's faces at 128 px or more as displayed: the figure file's 128-px faces, shown 1:1
    page.goto(base + 'index.html')
    fig4 = page.locator('img[src="figures/fig4_sweep.png"]')
    assert fig4.count() == 1 and fig4.evaluate('i => i.clientWidth') >= fig4.evaluate('i => i.naturalWidth') >= 6 * 128
    assert page.locator('img[src="figures/modules.svg"]').count() == 1  # the module graph, drawn
