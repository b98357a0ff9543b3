"""The Λ explorer as a user meets it: JupyterLab on 127.0.0.1, headless Chromium (Debian's, driven by Playwright over
CDP; no browser download), `07_widgets` run top to bottom, then the widgets moved as a user would move them."""
import io, os, shutil, signal, socket, subprocess, sys, time, urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here (make test installs Debian's chromium where apt-get can)")
playwright = pytest.importorskip('playwright.sync_api', reason="playwright (the Python package) is not installed")

def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def wait_for(url:str, timeout:float=90):
    t = time.time()
    while time.time() - t < timeout:
        try: urllib.request.urlopen(url, timeout=2); return
        except OSError: time.sleep(0.3)
    raise TimeoutError(f'{url} did not answer in {timeout} s')

def start(args, log):
    return subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

def stop(p):
    if p is None or p.poll() is not None: return
    os.killpg(p.pid, signal.SIGTERM)
    try: p.wait(10)
    except subprocess.TimeoutExpired: os.killpg(p.pid, signal.SIGKILL); p.wait()

@pytest.fixture(scope='module')
def project(tmp_path_factory):
    "A copy of the project's settings and 07_widgets next to a small trained run in its runs/, as `make demo` leaves one."
    d = tmp_path_factory.mktemp('project')
    shutil.copy(ROOT/'settings.ini', d); (d/'nbs').mkdir(); shutil.copy(ROOT/'nbs'/'07_widgets.ipynb', d/'nbs')
    env = {**os.environ, 'PYTHONPATH': str(ROOT), 'PYTHONWARNINGS': 'ignore'}
    subprocess.run([sys.executable, '-m', 'facefusion_nb.cli', 'train', '--preset', 'small', '--steps', '40', '--ae-steps', '38',
                    '--batch-size', '8', '--vgg-weights', 'random', '--set', 'synthetic_n=256', 'synthetic_test_n=24',
                    '--out', d/'runs'/'small', '--quiet'], check=True, env=env, capture_output=True)
    return d

@pytest.fixture(scope='module')
def lab(project, tmp_path_factory):
    "JupyterLab on 127.0.0.1 and headless Chromium, both stopped afterwards; (page, console errors, lab URL)."
    logs = tmp_path_factory.mktemp('logs')
    port, cdp, token = free_port(), free_port(), 'ff-browser-test'
    root_flag = ['--allow-root'] if os.geteuid() == 0 else []
    env = {**os.environ, 'PYTHONPATH': str(ROOT), 'PYTHONWARNINGS': 'ignore', 'JUPYTER_CONFIG_DIR': str(logs/'cfg')}
    jl = subprocess.Popen([sys.executable, '-m', 'jupyter', 'lab', '--no-browser', '--ip=127.0.0.1', f'--port={port}',
                           f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={project}', '--expose-app-in-browser',
                           '--LabApp.news_url=', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate', *root_flag],
                          stdout=open(logs/'lab.log', 'w'), stderr=subprocess.STDOUT, start_new_session=True, env=env)
    ch = None
    try:
        wait_for(f'http://127.0.0.1:{port}/api/status?token={token}')
        ch = start([CHROMIUM, '--headless=new', f'--remote-debugging-port={cdp}', '--remote-debugging-address=127.0.0.1',
                    f'--user-data-dir={logs/"chromium"}', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=1400,1000',
                    'about:blank'], open(logs/'chromium.log', 'w'))
        wait_for(f'http://127.0.0.1:{cdp}/json/version')
        with playwright.sync_playwright() as pw:
            browser = pw.chromium.connect_over_cdp(f'http://127.0.0.1:{cdp}')
            page = browser.contexts[0].new_page()
            errors = []
            page.on('console', lambda m: errors.append(m.text) if m.type == 'error' else None)
            page.on('pageerror', lambda e: errors.append(str(e)))
            yield page, errors, f'http://127.0.0.1:{port}'
            browser.close()
    finally:
        stop(ch); stop(jl)

def png(page, loc) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(loc.screenshot())).convert('RGB'), int)

def settle(page, ms:int=600): page.wait_for_timeout(ms)

def test_explorer_in_jupyterlab(lab, project, tmp_path):
    page, errors, url = lab
    page.goto(f'{url}/lab/tree/nbs/07_widgets.ipynb?token=ff-browser-test')
    page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook .jp-CodeCell')", timeout=90_000)
    page.wait_for_timeout(2000)  # the kernel starts
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    done = """() => { const out = [...document.querySelectorAll('.jp-OutputArea-output')].map(e => e.textContent);
                      if (out.some(t => t.includes('Traceback'))) return 'error';
                      const p = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')].map(e => e.textContent.trim());
                      return p.length > 0 && p.every(t => /^\\[\\d+\\]:$/.test(t)) ? 'done' : false; }"""
    state = page.wait_for_function(done, timeout=300_000).json_value()
    assert state == 'done', [t for t in page.locator('.jp-OutputArea-output').all_inner_texts() if 'Traceback' in t][0][-2000:]
    explorer = page.locator('.jp-OutputArea-output:has(.ff-run)').last  # explorer(): the run that the project's runs/ holds
    explorer.scroll_into_view_if_needed(); settle(page, 1000)  # near the top, where a user lands: the view scrolls back to it
    assert 'small' in explorer.locator('.ff-message').inner_text()
    assert explorer.locator('.ff-index-a input').count() == 1, 'the explorer is not a live widget'
    sel = lambda name: explorer.locator(f'.ff-{name}').first
    box = explorer.locator('.ff-index-a input'); box.fill('99'); box.press('Enter'); settle(page)
    assert box.input_value() == '23', 'the index boxes stop at the end of the test set (24 faces)'
    box.fill('0'); box.press('Enter'); settle(page)
    c0 = png(page, sel('image-c'))
    handle = explorer.locator('.ff-lam-1 .noUi-handle, .ff-lam-1 .ui-slider-handle').first
    handle.focus()
    for _ in range(10): page.keyboard.press('ArrowLeft')
    settle(page)
    c1 = png(page, sel('image-c'))
    moved = np.abs(c1 - c0).mean()
    assert moved > 0.5, f'a slider move changed C by {moved:.3f} levels per pixel'
    a0 = png(page, sel('image-a'))
    box = explorer.locator('.ff-index-a input'); box.fill('5'); box.press('Enter'); settle(page)
    a1 = png(page, sel('image-a'))
    assert np.abs(a1 - a0).mean() > 1, 'an index change did not swap A'
    # a phone-like photo: the astronaut turned 20°; the upload aligns it, and the photo with the face found shows under A
    from skimage import data as skdata
    from facefusion_nb.align import harder_versions, align_face, layout_for
    tilted = harder_versions(skdata.astronaut())['rotated +20°'][0]
    face = tmp_path/'astronaut_tilted.png'; Image.fromarray(tilted).save(face)
    with page.expect_file_chooser() as chooser: explorer.locator('.ff-upload-a').click()  # as a user picks a file
    chooser.value.set_files(str(face)); settle(page, 2500)
    assert 'aligned' in explorer.locator('.ff-source-a').inner_text(), explorer.locator('.ff-source-a').inner_text()
    assert explorer.locator('.ff-found-a').is_visible(), 'the photo with the face found is not shown'
    a2 = png(page, sel('image-a'))
    want = np.asarray(align_face(tilted, layout_for(('synthetic',)), 64).crop.resize((a2.shape[1], a2.shape[0]), Image.NEAREST), int)
    assert np.abs(a2 - want).mean() < 6, f'A is not the aligned crop ({np.abs(a2 - want).mean():.1f} levels off)'
    bbox = explorer.locator('.ff-index-b input'); bbox.fill('7'); bbox.press('Enter'); settle(page)
    assert np.abs(png(page, sel('image-a')) - a2).mean() < 0.5 and 'uploaded' in explorer.locator('.ff-source-a').inner_text()
    box = explorer.locator('.ff-index-a input'); box.fill('5'); box.press('Enter'); settle(page)  # the index shown before the upload
    assert np.abs(png(page, sel('image-a')) - a1).mean() < 0.5 and 'test face 5' in explorer.locator('.ff-source-a').inner_text()
    assert not errors, errors
