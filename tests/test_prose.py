"""The notebooks read as documentation (issue 28): short Markdown cells, a bounded amount of prose per notebook, a README
that is a front page, every exported function and class shown with `show_doc`, and no toy or placeholder output."""
import importlib, json, re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT/'nbs').glob('*.ipynb'))
MAX_CELL, MAX_NOTEBOOK, MAX_README = 250, 1500, 150

def words(text:str) -> int: return len(re.findall(r'\S+', text))

def cells(p:Path, kind:str) -> list:
    return [''.join(c['source']) for c in json.loads(p.read_text())['cells'] if c['cell_type'] == kind]

def test_words_per_markdown_cell_and_notebook():
    long = [f'{p.name} cell {i}: {words(s)} words' for p in NOTEBOOKS for i, s in enumerate(cells(p, 'markdown')) if words(s) > MAX_CELL]
    assert not long, f'Markdown cells over {MAX_CELL} words:\n' + '\n'.join(long)
    big = {p.name: n for p in NOTEBOOKS if (n := sum(words(s) for s in cells(p, 'markdown'))) > MAX_NOTEBOOK}
    assert not big, f'notebooks over {MAX_NOTEBOOK} words of prose: {big}'

def test_notebooks_open_with_a_few_sentences():
    "The first Markdown cell, the title and the summary line: at most five sentences."
    for p in NOTEBOOKS:
        first = re.sub(r'`[^`]*`', 'code', cells(p, 'markdown')[0])
        n = len(re.findall(r'[.!?](?=\s|$)', first))
        assert n <= 5, f'{p.name} opens with {n} sentences'

def test_readme_is_a_front_page():
    lines = (ROOT/'README.md').read_text().splitlines()
    assert len(lines) <= MAX_README, f'README.md has {len(lines)} lines (at most {MAX_README})'
    assert any('figures/fig4_sweep.png' in l for l in lines), 'README.md does not show Figure 4'
    assert any(l.strip() == 'make demo' or l.startswith('make demo ') for l in lines)
    assert any(l.strip() == 'make test' or l.startswith('make test ') for l in lines)

def test_every_export_is_shown_with_show_doc():
    missing = []
    for p in NOTEBOOKS:
        code = cells(p, 'code')
        exp = next((m.group(1) for s in code if (m := re.search(r'#\|\s*default_exp\s+(\S+)', s))), None)
        if exp is None: continue
        mod = importlib.import_module(f'facefusion_nb.{exp}')
        shown = {m.group(1) for s in code for m in re.finditer(r'^show_doc\((\w+)', s, re.M)}
        missing += [f'{p.name}: {n}' for n in mod.__all__ if callable(obj := getattr(mod, n))
                    and getattr(obj, '__module__', '') == mod.__name__ and n not in shown]
    assert not missing, 'exported without show_doc:\n' + '\n'.join(missing)

def test_no_download_lines_or_placeholders_in_outputs():
    "No 'Downloading: …' line (torch.hub announces a download that then fails offline) and no '…' standing for a number."
    bad = []
    for p in NOTEBOOKS:
        for i, c in enumerate(json.loads(p.read_text())['cells']):
            for o in c.get('outputs', []):
                text = ''.join(o.get('text', '')) + ''.join(''.join(v) for k, v in o.get('data', {}).items() if k.startswith('text/'))
                if 'Downloading:' in text or re.search(r'…\s*(ms|s|min|×|%)\b|>\s*…\s*<', text): bad.append(f'{p.name} cell {i}')
    assert not bad, bad
