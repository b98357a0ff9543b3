"""The documentation site (`make docs`): the README as its index and one page per notebook in nbs/, with the outputs they
were committed with and a side bar between them, written as static HTML into _docs/.

    python tools/docs.py [OUT]      # default OUT: _docs

Where Quarto is on the PATH, nbdev's own `nbdev_docs` builds the site instead. Elsewhere (Quarto cannot be installed
offline) nbconvert's `lab` template renders each page, through tools/site/index.html.j2, which loads nothing from the
network: the formulas are converted to MathML when the site is built (latex2mathml), which the browser renders itself;
the ipywidgets controls, which need a running kernel, are replaced by a line that says so. Cells nbdev hides from its docs (`#| hide`,
`#| default_exp`) are left out and the `#|` lines dropped, as nbdev does. figures/ is copied in, so that the README's
images and the notebooks' links to figures/ resolve.
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

def for_site(nb):
    "The notebook as nbdev shows it in its docs: hidden cells out, directive lines dropped, links to pages of the site."
    cells = []
    for c in nb.cells:
        if c.cell_type == 'code':
            d = directives(c.source)
            if d & {'hide', 'default_exp'} or 'nbdev_export' + '(' in c.source: continue
            c.source = '\n'.join(l for l in c.source.splitlines() if not re.match(r'\s*#\|', l))
        elif c.cell_type == 'markdown': c.source = mathml(links(c.source))
        cells.append(c)
    nb.cells = cells
    return nb

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
    readme = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(mathml(links((ROOT/'README.md').read_text())))])
    notebooks = [(p, nbformat.read(p, as_version=4)) for p in sorted(NBS.glob('*.ipynb'))]
    pages = [dict(href='index.html', title='README', file='', nb=readme)]
    pages += [dict(href=f'{p.stem}.html', title=title_of(nb, p.stem), file=p.name, nb=for_site(nb)) for p, nb in notebooks]
    ex = HTMLExporter(template_name='site', extra_template_basedirs=[str(ROOT/'tools')])
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
