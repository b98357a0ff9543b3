"""The documentation site (`make docs`): the README as its index and one page per notebook in nbs/, with the outputs they
were committed with and a side bar between them, written as static HTML into _docs/.

    python tools/docs.py [OUT]      # default OUT: _docs

Where Quarto is on the PATH, nbdev's own `nbdev_docs` builds the site instead. Elsewhere (Quarto cannot be installed
offline) nbconvert's `lab` template renders each page, through tools/site/index.html.j2, which loads nothing from the
network: the formulas are converted to MathML when the site is built (latex2mathml), which the browser renders itself;
the ipywidgets controls, which need a running kernel, are replaced by a line that says so. Cells nbdev hides from its docs (`#| hide`,
`#| default_exp`) are left out and the `#|` lines dropped, as nbdev does. figures/ is copied in, so that the README's
images and the notebooks' links to figures/ resolve.

As nbdev's site shows them: no `In [ ]:` prompts; each `show_doc` as its heading, signature and a table of its parameters
(their docments comments), its own code hidden; long definitions and the cells that test them folded (`<details>`); the
README's mermaid graph of the modules drawn as a picture (an SVG laid out here), while GitHub renders the mermaid itself.
"""
import re, shutil, subprocess, sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).parent))
from notebooks import directives  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'
TITLE = 'facefusion_nb'

def title_of(nb, default:str) -> str:
    for c in nb.cells:
        if c.cell_type == 'markdown' and (m := re.match(r'#\s+(.+)', c.source.strip())): return m.group(1).strip()
    return default

FOLD_LINES = 12  # an exported definition longer than this is folded on the site
TEST = re.compile(r'^\s*(assert\b|test_(eq|ne|close|fail|is|shuffled|stdout|warns)\()', re.M)

def for_site(nb):
    """The notebook as nbdev shows it in its docs: hidden cells out, directive lines dropped, links to pages of the site;
    `show_doc` cells as their output alone, long definitions and test cells folded (`ff_fold`: the code, `ff_fold_all`: the
    code and what it printed; the value is the summary line)."""
    cells = []
    for c in nb.cells:
        if c.cell_type == 'code':
            d = directives(c.source)
            if d & {'hide', 'default_exp'} or 'nbdev_export' + '(' in c.source: continue
            c.source = '\n'.join(l for l in c.source.splitlines() if not re.match(r'\s*#\|', l))
            if re.fullmatch(r'show_doc\([\w.]+\)', c.source.strip()):
                c.metadata['ff_hide_input'] = True
                for o in c.outputs:
                    if 'text/markdown' in o.get('data', {}): o.data['text/markdown'] = doc_table(o.data['text/markdown'])
            elif d & {'export', 'exports'} and len(c.source.splitlines()) > FOLD_LINES:
                names = re.findall(r'^(?:def|class) (\w+)', c.source, re.M)
                c.metadata['ff_fold'] = f"source: {', '.join(names) or 'definitions'} ({len(c.source.splitlines())} lines)"
            elif not d & {'export', 'exports'} and TEST.search(c.source):  # with its printed lines; a figure or table stays shown
                c.metadata['ff_fold_all' if all(o.output_type == 'stream' for o in c.outputs) else 'ff_fold'] = 'tests'
        elif c.cell_type == 'markdown': c.source = mathml(links(c.source))
        cells.append(c)
    nb.cells = cells
    return nb

PARAM = re.compile(r'^(\*{0,2}\w+)(?::\s*(?P<type>[^=]+?))?(?:\s*=\s*(?P<default>.+?))?$', re.S)

def split_params(code:str) -> list:
    "A signature line's parameters, cut at the commas outside brackets and quotes."
    out, depth, quote, cur = [], 0, None, ''
    for ch in code:
        if quote: quote = None if ch == quote else quote
        elif ch in '\'"': quote = ch
        elif ch in '([{': depth += 1
        elif ch in ')]}': depth -= 1
        elif ch == ',' and depth == 0: out.append(cur.strip()); cur = ''; continue
        cur += ch
    return [p for p in out + [cur.strip()] if p]

def doc_table(md:str) -> str:
    """nbdev's `show_doc` markdown for a site without Quarto: the Quarto-only link attributes dropped (the link to the source
    floats right), the signature on one line, and, where its parameters carry docments comments, a table of them."""
    md = re.sub(r'^---\s*', '', md)
    md = re.sub(r'\[source\]\(([^)]*?)(?:#LNone)?\)\{[^}]*\}\s*', lambda m: f'<a class="ff-source" href="{m.group(1)}">source</a>\n\n', md)
    m = re.search(r'```python\n(.*?)\n```', md, re.S)
    if not m: return md
    sig = m.group(1).splitlines()
    if len(sig) < 3 or not sig[0].rstrip().endswith('('): return md
    rows, names = [], []
    for line in sig[1:-1]:
        code, _, doc = line.partition(' # ') if ' # ' in line else (line, '', '')
        for part in split_params(code.strip()):
            p = PARAM.match(part)
            if not p: return md
            names.append(part)
            cell = lambda v: (v or '').strip().replace('|', '\\|')
            rows.append((f"| **{p.group(1)}** | {cell(p['type'])} | {cell(p['default'])} | {cell(doc)} |", bool(doc.strip())))
    one = f"{sig[0].rstrip()}{', '.join(names)}{sig[-1].strip()}"
    if len(one) > 110:  # a long signature: its parameters wrapped, four spaces in, as nbdev lays them out
        lines, cur = [], ''
        for n in names:
            if cur and len(cur) + len(n) + 2 > 106: lines.append(cur + ','); cur = ''
            cur = f'{cur}, {n}' if cur else n
        one = sig[0].rstrip() + '\n' + '\n'.join('    ' + l for l in lines + [cur]) + '\n' + sig[-1].strip()
    md = md[:m.start()] + f'```python\n{one}\n```' + md[m.end():]
    if not any(d for _, d in rows): return md
    return md + '\n\n|  | **Type** | **Default** | **Details** |\n| -- | -- | -- | -- |\n' + '\n'.join(r for r, _ in rows) + '\n'

def mermaid_svg(graph:str) -> str:
    """A `graph BT` of `a --> b` edges (a imports b) as an SVG: each module a box, a layer per longest path down to the
    modules that import nothing, the imported below the importer, and an arrow per edge."""
    edges = re.findall(r'^\s*([\w.]+)\s*-->\s*([\w.]+)\s*$', graph, re.M)
    nodes = sorted({n for e in edges for n in e})
    out = {n: [b for a, b in edges if a == n] for n in nodes}
    depth = {}
    def d(n): depth[n] = depth[n] if n in depth else 1 + max((d(b) for b in out[n]), default=-1); return depth[n]
    for n in nodes: d(n)
    layers = [[n for n in nodes if depth[n] == k] for k in range(max(depth.values()) + 1)]
    bw, bh, gx, gy, pad = 96, 28, 18, 46, 10
    W = max(len(l) for l in layers) * (bw + gx) - gx + 2 * pad
    H = len(layers) * (bh + gy) - gy + 2 * pad
    pos = {}
    for k, layer in enumerate(layers):  # below first; each layer ordered by where its imports stand
        if k: layer.sort(key=lambda n: sum(pos[b][0] for b in out[n]) / max(1, len(out[n])))
        x0 = (W - (len(layer) * (bw + gx) - gx)) / 2
        for i, n in enumerate(layer): pos[n] = (x0 + i * (bw + gx) + bw / 2, H - pad - k * (bh + gy) - bh / 2)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W:.0f}" height="{H:.0f}" viewBox="0 0 {W:.0f} {H:.0f}" '
           'font-family="sans-serif" font-size="13" role="img" aria-label="the modules of facefusion_nb and what each imports">',
           '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto">'
           '<path d="M0,0 L8,4 L0,8 z" fill="#666"/></marker></defs>']
    for a, b in edges:
        (xa, ya), (xb, yb) = pos[a], pos[b]
        svg.append(f'<line x1="{xa:.0f}" y1="{ya + bh / 2:.0f}" x2="{xb:.0f}" y2="{yb - bh / 2:.0f}" stroke="#999" '
                   'stroke-width="1" marker-end="url(#arrow)"/>')
    for n, (x, y) in pos.items():
        svg.append(f'<rect x="{x - bw / 2:.0f}" y="{y - bh / 2:.0f}" width="{bw}" height="{bh}" rx="5" fill="#eef3fb" stroke="#1a5fb4"/>'
                   f'<text x="{x:.0f}" y="{y + 4.5:.0f}" text-anchor="middle">{n}</text>')
    return '\n'.join(svg + ['</svg>'])

def readme_for_site(md:str, out:Path) -> str:
    "The README as the site's index: its mermaid graph drawn as figures/modules.svg."
    def draw(m):
        (out/'figures'/'modules.svg').write_text(mermaid_svg(m.group(1)))
        return '![The modules of facefusion_nb: each arrow points from a module to one it imports](figures/modules.svg)'
    return re.sub(r'```mermaid\n(.*?)```', draw, md, flags=re.S)

def links(md:str) -> str:
    "Relative links as the site lays them out: ../figures/… → figures/…, NAME.ipynb → NAME.html, `nbs/NAME.ipynb` → a link."
    md = re.sub(r'\]\((?:\.\./)?figures/', '](figures/', md)
    md = re.sub(r'\]\((?:nbs/)?([\w.-]+)\.ipynb(#[\w-]*)?\)', lambda m: f']({m.group(1)}.html{m.group(2) or ""})', md)
    names = {p.stem for p in NBS.glob('*.ipynb')}
    return re.sub(r'(?<!\[)`nbs/([\w.-]+)\.ipynb`', lambda m: f'[`nbs/{m.group(1)}.ipynb`]({m.group(1)}.html)' if m.group(1) in names
                  else m.group(0), md)

CODE = re.compile(r'(```.*?```|`[^`\n]*`)', re.S)  # fenced and inline code: no formulas in there

def mathml(md:str) -> str:
    """The formulas of a markdown text ($$…$$ displayed, $…$ inline) as MathML (latex2mathml), which browsers render
    themselves: no MathJax, no fonts or scripts from the network. A formula it cannot convert stays as TeX."""
    from latex2mathml.converter import convert
    def conv(m, display):
        try: return convert(m.group(1).strip(), display=display)
        except Exception as e:
            print(f'formula left as TeX ({type(e).__name__}): {m.group(0)[:80]}', file=sys.stderr); return m.group(0)
    def math(text):
        text = re.sub(r'\$\$(.+?)\$\$', lambda m: conv(m, 'block'), text, flags=re.S)
        return re.sub(r'(?<![\\$\w])\$(?!\s)([^$\n]+?)(?<!\s)\$(?![\w$])', lambda m: conv(m, 'inline'), text)
    return ''.join(part if i % 2 else math(part) for i, part in enumerate(CODE.split(md)))

def build(out:Path):
    from nbconvert import HTMLExporter
    if out.exists(): shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(ROOT/'figures', out/'figures')
    readme = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(mathml(links(readme_for_site((ROOT/'README.md').read_text(), out))))])
    notebooks = [(p, nbformat.read(p, as_version=4)) for p in sorted(NBS.glob('*.ipynb'))]
    pages = [dict(href='index.html', title='README', file='', nb=readme)]
    pages += [dict(href=f'{p.stem}.html', title=title_of(nb, p.stem), file=p.name, nb=for_site(nb)) for p, nb in notebooks]
    ex = HTMLExporter(template_name='site', extra_template_basedirs=[str(ROOT/'tools')], exclude_input_prompt=True,
                      exclude_output_prompt=True)
    nav = [{k: p[k] for k in ('href', 'title', 'file')} for p in pages]
    for i, p in enumerate(pages):
        res = dict(pages=nav, current=p['href'], site_title=TITLE, metadata=dict(name=f"{p['title']} · {TITLE}"),
                   prev=nav[i - 1] if i else None, next=nav[i + 1] if i + 1 < len(nav) else None)
        html, _ = ex.from_notebook_node(p['nb'], resources=res)
        (out/p['href']).write_text(html)
    print(f'{len(pages)} pages in {out}/ (open {out}/index.html)')

if __name__ == '__main__':
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT/'_docs'
    if shutil.which('quarto'):
        print('quarto is on the PATH: the site is built by nbdev_docs')
        sys.exit(subprocess.run([str(Path(sys.executable).parent/'nbdev_docs')], cwd=ROOT).returncode)
    build(out)
