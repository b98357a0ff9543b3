"""The check of the notebooks' committed outputs (`tools/notebooks.py check`, run by `make test`) on a copy of nbs/ and of the
package: it passes on them as committed, and fails, naming the notebook and the cell, on stale code, a missing figure
and an error. Plus the scrubbing that makes a second `make notebooks` write the same bytes."""
import json, shutil, sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
import notebooks as N  # noqa: E402

def copy(tmp):
    nbs, pkg = tmp/'nbs', tmp/'facefusion_nb'
    shutil.copytree(ROOT/'nbs', nbs); pkg.mkdir()
    for p in (ROOT/'facefusion_nb').glob('*.py'): shutil.copy(p, pkg)
    return nbs, pkg

def edit(path, fn):
    nb = nbformat.read(path, as_version=4); fn(nb); nbformat.write(nb, path)

def fig(nb):
    "The index of the cell of 06_figures that shows Figure 4."
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == 'code' and "thumbnail(paths['fig4'])" in c.source)

def test_committed_outputs_pass(tmp_path):
    assert N.check(*copy(tmp_path)) == []

def test_stale_missing_and_failed_outputs_fail(tmp_path):
    nbs, pkg = copy(tmp_path)
    def drop_figure(nb): nb.cells[fig(nb)].outputs = []
    edit(nbs/'06_figures.ipynb', drop_figure)
    def add_error(nb):
        c = next(c for c in nb.cells if c.cell_type == 'code' and c.outputs)
        c.outputs.append(nbformat.v4.new_output('error', ename='ValueError', evalue='bad', traceback=[]))
    edit(nbs/'05c_health.ipynb', add_error)
    def change_code(nb): next(c for c in nb.cells if c.cell_type == 'code').source += '\n# changed'
    edit(nbs/'01_data.ipynb', change_code)
    (pkg/'core.py').write_text((pkg/'core.py').read_text() + '\n# changed\n')
    problems = N.check(nbs, pkg)
    i = fig(nbformat.read(nbs/'06_figures.ipynb', as_version=4))
    assert f'06_figures.ipynb cell {i}: makes a figure or a table, but has no output' in problems, problems
    assert any(p.startswith('05c_health.ipynb cell') and 'holds an error: ValueError bad' in p for p in problems), problems
    assert '01_data.ipynb: its code changed since its outputs were made (run `make notebooks`)' in problems, problems
    assert any(p.startswith('facefusion_nb/ changed') for p in problems), problems
    assert len(problems) == 4, problems
    (nbs/'outputs.json').unlink()
    assert N.check(nbs, pkg) == ['outputs.json is missing from nbs/: run `make notebooks`']

def test_volatile_cells_may_be_empty(tmp_path):
    "A `#| volatile` cell keeps only its lines without a time, so it may rightly have no output left."
    nbs, pkg = copy(tmp_path)
    def volatile(nb): c = nb.cells[fig(nb)]; c.source = '#| volatile\n' + c.source; c.outputs = []
    edit(nbs/'06_figures.ipynb', volatile)
    assert N.check(nbs, pkg) == ['06_figures.ipynb: its code changed since its outputs were made (run `make notebooks`)']

def test_scrubbing():
    assert N.scrub_text(f'{ROOT}/runs/demo and /tmp/tmpab12cd34/run at 0x7f3a2b1c9d80') == 'runs/demo and /tmp/… at 0x…'
    cell = nbformat.v4.new_code_cell('#| volatile\nprint(t)', outputs=[
        nbformat.v4.new_output('stream', name='stderr', text='progress 10/10\n'),
        nbformat.v4.new_output('stream', name='stdout', text='took 2.31 s\nfound 1 face\n'),
        nbformat.v4.new_output('stream', name='stdout', text='412 ms for a 512×512 photo\n'),
        nbformat.v4.new_output('execute_result', data={'text/plain': 'a table'})])
    assert [o.text for o in N.scrub_cell(cell).outputs] == ['found 1 face\n']  # measured times change at every run: dropped
    both = nbformat.v4.new_code_cell('img', outputs=[nbformat.v4.new_output('display_data', data={'image/png': 'x' * 10, 'image/jpeg': 'y' * 5})])
    assert list(N.scrub_cell(both).outputs[0].data) == ['image/jpeg']
    assert N.shows_something("fig = plot_training(run)") and N.shows_something("tab.round(3)") and N.shows_something("thumbnail(p)")
    assert not N.shows_something("same(a, b, 1e-4)") and not N.shows_something("#| export\ndef f():\n    plt.subplots()")
