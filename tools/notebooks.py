"""Run every notebook in nbs/ top to bottom and commit it with its outputs (`make notebooks`), or check that the committed
outputs are there and came from the code as committed (`make test`).

    python tools/notebooks.py run [NAME ...]   # execute (in a Jupyter kernel, cwd nbs/), scrub, save, record the hashes
    python tools/notebooks.py check            # every notebook: outputs from the current code, no errors, figures present

Cells are run as `nbdev_test` runs them, less its test mode: cells flagged `slow` or `gpu` (settings.ini `tst_flags`) and
the closing `nbdev_export()` cell are skipped, and `IN_TEST` is not set, so the notebooks use the demo's run
(`runs/demo`, from `make demo`) where they look for one.

What changes from run to run is kept out of the saved file, so that a second run with no code change rewrites the same
bytes. Each kernel starts from a seeded RNG. Output on stderr (progress bars, warnings) is dropped, and so are progress
bars drawn as widgets (tqdm). Temporary paths, the project's absolute path, the home folder and memory addresses are
replaced by placeholders. A cell marked `#| volatile` (it measures time) keeps neither the printed lines that hold a time
or a rate nor any table it displays: the text around it quotes measured times with their source (bench/RESULTS.md),
never a placeholder. The
state of the widgets that outputs show is stored (nbclient's `store_widget_state`), their ids numbered in order and
times in it masked, so that a viewer that renders widgets shows the explorer's controls.

The check (`check`) recomputes two SHA-256 hashes recorded in nbs/outputs.json: one of the exported package
(facefusion_nb/*.py) and one of each notebook's code cells. Any edit to the code after the last `make notebooks` makes
them differ, so stale outputs cannot pass.
"""
import argparse, ast, hashlib, json, os, re, sys, tempfile, time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NBS, PKG = ROOT/'nbs', ROOT/'facefusion_nb'
RECORD = NBS/'outputs.json'
SKIP_FLAGS = {'slow', 'gpu'}

def directives(src:str) -> set:
    "The names of a cell's leading `#| name …` lines."
    out = set()
    for line in src.splitlines():
        m = re.match(r'\s*#\|\s*([\w-]+)', line)
        if not m: break
        out.add(m.group(1))
    return out

def skipped(cell) -> bool:
    "Cells `nbdev_test` skips: flagged slow or gpu, and the cell that calls nbdev_export()."
    return cell.cell_type != 'code' or bool(directives(cell.source) & SKIP_FLAGS) or 'nbdev_export' + '(' in cell.source

def package_hash(pkg:Path=PKG) -> str:
    h = hashlib.sha256()
    for p in sorted(pkg.glob('*.py')): h.update(p.name.encode() + b'\0' + p.read_bytes() + b'\0')
    return h.hexdigest()

def code_hash(nb) -> str:
    h = hashlib.sha256()
    for c in nb.cells:
        if c.cell_type == 'code': h.update(c.source.encode() + b'\0')
    return h.hexdigest()

# ---- scrubbing ----
_SUBS = [(re.compile(re.escape(str(ROOT)) + r'/?'), ''),
         (re.compile(re.escape(str(Path.home())) + r'(?=/)'), '~'),
         (re.compile(r'/tmp/[\w.-]+(/[\w.-]+)*'), '/tmp/…'),
         (re.compile(r'\btmp[\w]{8}\b'), 'tmp…'),
         (re.compile(r'\b0x[0-9a-fA-F]{6,}\b'), '0x…')]

def scrub_text(s:str) -> str:
    for rx, rep in _SUBS: s = rx.sub(rep, s)
    return s

TIME = re.compile(r'\d[\d,]*(?:\.\d+)?(\s*)(ms|s|µs|min|[a-z]+/s|×)(?![\w/])')
def scrub_cell(cell):
    """Outputs that do not change from run to run: stderr dropped, paths and addresses replaced; a `#| volatile` cell (one
    that measures time) keeps only its printed lines without a time or rate."""
    if cell.cell_type != 'code': return cell
    volatile, outs = 'volatile' in directives(cell.source), []
    for o in cell.outputs:
        if o.output_type == 'stream':
            if o.name == 'stderr': continue
            o.text = scrub_text(o.text)
            if volatile: o.text = ''.join(l for l in o.text.splitlines(keepends=True) if not TIME.search(l))
            if not o.text: continue
        elif o.output_type in ('display_data', 'execute_result'):
            if volatile: continue
            o.metadata = {}
            if 'image/png' in o.data and 'image/jpeg' in o.data:  # PIL images come as both: the smaller is kept
                o.data.pop(max(('image/png', 'image/jpeg'), key=lambda k: len(o.data[k])))
            for k, v in list(o.data.items()):
                if k.startswith('text/') and isinstance(v, str): o.data[k] = scrub_text(v)
        outs.append(o)
    cell.outputs = outs
    return cell

WIDGET_STATE = 'application/vnd.jupyter.widget-state+json'

def prune_widgets(nb):
    """Keep the state of the widgets that an output shows (and those they refer to), not of every widget the tests made,
    and number them in the order they are met: the kernel's random model ids would change the file at every run."""
    state = nb.metadata.get('widgets', {}).get(WIDGET_STATE, {}).get('state', {})
    shown = [o.data['application/vnd.jupyter.widget-view+json']['model_id'] for c in nb.cells if c.cell_type == 'code'
             for o in c.get('outputs', []) if 'application/vnd.jupyter.widget-view+json' in o.get('data', {})]
    def bar(m):  # tqdm's notebook progress bar: a box holding a FloatProgress
        kids = re.findall(r'IPY_MODEL_([0-9a-f]{32})', json.dumps(state.get(m, {}).get('state', {}).get('children', [])))
        return any(state.get(k, {}).get('model_name') == 'FloatProgressModel' for k in kids)
    for c in nb.cells:
        if c.cell_type == 'code':
            c.outputs = [o for o in c.get('outputs', []) if not bar(o.get('data', {}).get('application/vnd.jupyter.widget-view+json', {}).get('model_id'))]
    shown = [m for m in shown if not bar(m)]
    for m in state.values():
        for k in ('value', 'description'):
            if isinstance(m.get('state', {}).get(k), str): m['state'][k] = scrub_text(TIME.sub(r'…\1\2', m['state'][k]))
    order, todo = [], list(shown)
    while todo:
        m = todo.pop(0)
        if m in order or m not in state: continue
        order.append(m); todo += re.findall(r'IPY_MODEL_([0-9a-f]{32})', json.dumps(state[m], sort_keys=True))
    if not order: nb.metadata.pop('widgets', None); return nb
    nb.metadata['widgets'][WIDGET_STATE]['state'] = {m: state[m] for m in order}
    text = json.dumps(nb)
    for n, m in enumerate(order + [m for m in shown if m not in order]): text = text.replace(m, f'{n + 1:032x}')
    return nbformat.from_dict(json.loads(text))

# ---- running ----
def run(names=None, timeout:int=1800):
    from nbclient import NotebookClient
    class Client(NotebookClient):
        async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
            if skipped(cell): return cell
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
    paths = sorted(NBS.glob('*.ipynb')) if not names else [NBS/(n if n.endswith('.ipynb') else n + '.ipynb') for n in names]
    record = json.loads(RECORD.read_text()) if RECORD.exists() else {}
    env = {'PYTHONWARNINGS': 'ignore', 'PYTHONHASHSEED': '0', 'TQDM_DISABLE': '1', 'COLUMNS': '100',  # argparse's help width
           'MPLBACKEND': 'module://matplotlib_inline.backend_inline'}
    os.environ.update(env); os.environ.pop('IN_TEST', None)
    # figures shown inline at 100 dpi, as the figures on disk: 9-pt text is 12.5 px, legible where it is shown 1:1
    ipy = Path(tempfile.mkdtemp())/'ipython'; (ipy/'profile_default').mkdir(parents=True)
    (ipy/'profile_default'/'ipython_kernel_config.py').write_text(
        "c.InlineBackend.print_figure_kwargs = {'bbox_inches': 'tight', 'dpi': 100}\n"
        # every kernel starts from the same random state: cells that build untrained networks draw the same weights
        "c.InteractiveShellApp.exec_lines = ['import random, numpy, torch', 'random.seed(0); numpy.random.seed(0); torch.manual_seed(0)']\n")
    os.environ['IPYTHONDIR'] = str(ipy)
    for p in paths:
        t = time.time()
        nb = nbformat.read(p, as_version=4)
        for c in nb.cells:
            if c.cell_type == 'code': c.outputs, c.execution_count = [], None
        client = Client(nb, timeout=timeout, kernel_name='python3', resources={'metadata': {'path': str(NBS)}},
                        record_timing=False, store_widget_state=True, allow_errors=False)
        client.execute()
        for c in nb.cells: scrub_cell(c)
        nb = prune_widgets(nb)
        nb.metadata.pop('language_info', None)
        nbformat.write(nb, p)
        print(f'{p.name}: {time.time() - t:.0f} s, {sum(len(c.get("outputs", [])) for c in nb.cells)} outputs', flush=True)
    # nbdev_clean normalises what nbformat wrote (execution counts, metadata); the hashes are of the cleaned sources
    import subprocess
    subprocess.run([str(Path(sys.executable).parent/'nbdev_clean')], cwd=ROOT, check=True)
    for p in paths: record.setdefault('notebooks', {})[p.name] = code_hash(nbformat.read(p, as_version=4))
    record['package'] = package_hash()
    record['notebooks'] = dict(sorted(record['notebooks'].items()))
    RECORD.write_text(json.dumps(record, indent=1) + '\n')

# ---- checking ----
SHOWS = re.compile(r'\b(plt\.(subplots|figure|show|imshow)|fig_\w+\(|plot_\w+\(|IPImage|display\(|print\()')

DRAWS = ('fig_', 'plot_', 'thumbnail', 'sample_grid', 'captioned', 'explorer')

def shows_something(src:str) -> bool:
    """A cell that makes a figure or a table: at its top level (not inside the functions and classes it defines) it
    prints, displays or draws a figure that it does not close, or it ends on an expression whose value IPython shows (not
    a call of a test helper, whose value is None)."""
    code = '\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('#|', '%', '!')))
    try: tree = ast.parse(code)
    except SyntaxError: return False
    top = [n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom))]
    if not top: return False
    last = tree.body[-1]
    if isinstance(last, ast.Expr):
        v = last.value
        if isinstance(v, ast.Call):  # a method's value (`tab.round(3)`) is shown; a function's, if it draws (`fig_sweep`)
            f = v.func
            if isinstance(f, ast.Attribute) and f.attr not in ('close', 'show', 'savefig'): return True
            if isinstance(f, ast.Name) and f.id.startswith(DRAWS): return True
        elif not (isinstance(v, ast.Constant) and v.value is None): return True
    text = '\n'.join(ast.get_source_segment(code, n) or '' for n in top)
    return bool(SHOWS.search(text)) and 'plt.close(' not in text

def check(nbs:Path=NBS, pkg:Path=PKG) -> list:
    "Problems with the committed outputs of the notebooks in `nbs`, one line each (empty: all is well)."
    record_path = nbs/RECORD.name
    if not record_path.exists(): return [f'{record_path.name} is missing from {nbs.name}/: run `make notebooks`']
    record = json.loads(record_path.read_text())
    problems = []
    if record.get('package') != package_hash(pkg):
        problems.append(f'{pkg.name}/ changed since the notebooks were run: their outputs are stale (run `make notebooks`)')
    images = 0
    for p in sorted(nbs.glob('*.ipynb')):
        nb = nbformat.read(p, as_version=4)
        if record.get('notebooks', {}).get(p.name) != code_hash(nb):
            problems.append(f'{p.name}: its code changed since its outputs were made (run `make notebooks`)')
        for i, c in enumerate(nb.cells):
            if c.cell_type != 'code': continue
            where = f'{p.name} cell {i}'
            for o in c.get('outputs', []):
                text = o.get('text', '') + ''.join(v for k, v in o.get('data', {}).items() if k.startswith('text/') and isinstance(v, str))
                if o.output_type == 'error' or 'Traceback (most recent call last)' in text:
                    problems.append(f'{where}: holds an error: {o.get("ename", "")} {o.get("evalue", "")}'.strip())
                images += any(k.startswith('image/') for k in o.get('data', {}))
            if not skipped(c) and 'volatile' not in directives(c.source) and shows_something(c.source) and not c.get('outputs'):
                problems.append(f'{where}: makes a figure or a table, but has no output')
    if images == 0: problems.append('no notebook holds an image')
    return problems

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('what', choices=['run', 'check'])
    ap.add_argument('names', nargs='*', help='notebooks to run (default: all)')
    a = ap.parse_args()
    if a.what == 'run': run(a.names)
    else:
        problems = check()
        for l in problems: print(l)
        if problems: sys.exit(f'{len(problems)} problem(s) with the notebooks\' committed outputs')
        print('every notebook holds its outputs, from the code as committed')
