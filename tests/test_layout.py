"""The package's layout: one job per module, none over 400 lines, inference apart from the trainer, methods defined with
`@patch` and not attached by a loop, and the README's picture of the modules drawn from their imports."""
import ast, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT/'facefusion_nb'
MODULES = sorted(p.stem for p in PKG.glob('*.py') if not p.stem.startswith('_'))

def imports(mod:str) -> set:
    "The package modules that `mod` imports anywhere in its code (lazy imports inside functions included)."
    out = set()
    for node in ast.walk(ast.parse((PKG/f'{mod}.py').read_text())):
        if isinstance(node, ast.ImportFrom):
            name = node.module or ''
            if node.level == 1 and name: out.add(name.split('.')[0])
            elif name.startswith('facefusion_nb.'): out.add(name.split('.')[1])
            elif node.level == 1 or name == 'facefusion_nb': out |= {a.name for a in node.names if a.name in MODULES}
    return out & set(MODULES) - {mod}

def layers() -> list:
    "The import graph's edges 'a --> b' (a imports b), without those implied by a longer path: the layers as drawn."
    g = {m: imports(m) for m in MODULES}
    def reach(m, seen=None):
        seen = set() if seen is None else seen
        for n in g[m]:
            if n not in seen: seen.add(n); reach(n, seen)
        return seen
    return sorted(f'{a} --> {b}' for a in MODULES for b in g[a]
                  if not any(b in reach(c) for c in g[a] - {b}))

def mermaid() -> str:
    return '```mermaid\ngraph BT\n' + ''.join(f'  {e}\n' for e in layers()) + '```'

def test_readme_picture_is_the_code():
    "README's diagram of the modules is the import graph of facefusion_nb/ (print it with `python tests/test_layout.py`)."
    block = re.search(r'```mermaid\n.*?```', (ROOT/'README.md').read_text(), re.S)
    assert block, 'README.md has no mermaid diagram of the modules'
    assert block.group(0) == mermaid(), f'README.md: the module diagram is out of date; it should read:\n{mermaid()}'

def test_no_module_over_400_lines():
    long = {m: n for m in MODULES if (n := len((PKG/f'{m}.py').read_text().splitlines())) > 400}
    assert not long, long

def test_no_loop_attaches_methods():
    """Methods are defined with @patch in the cell that explains them: no `setattr(C, f.__name__, f)` (the loop that
    attached them before), and no `C.name = function` at module level."""
    for m in MODULES:
        tree = ast.parse((PKG/f'{m}.py').read_text())
        classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'setattr' and len(node.args) == 3:
                assert not (isinstance(node.args[1], ast.Attribute) and node.args[1].attr == '__name__') or m == 'core', \
                    f'{m}.py line {node.lineno}: a method attached by setattr'
        for node in tree.body:
            targets = [t for a in ([node] if isinstance(node, ast.Assign) else []) for t in a.targets]
            targets = [e for t in targets for e in (t.elts if isinstance(t, ast.Tuple) else [t])]
            assert not any(isinstance(t, ast.Attribute) and getattr(t.value, 'id', None) in classes for t in targets), \
                f'{m}.py line {node.lineno}: a method attached by assignment'

def test_inference_does_not_import_the_trainer():
    "Loading and using a model (fusion, figures, widgets, evaluate) never imports facefusion_nb.training."
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "import facefusion_nb.fusion, facefusion_nb.figures, facefusion_nb.widgets, facefusion_nb.evaluate\n"
            "print(sorted(m for m in sys.modules if m.startswith('facefusion_nb.')))\n"
            "sys.exit('facefusion_nb.training' in sys.modules)")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    for m in ('fusion', 'figures', 'widgets', 'evaluate', 'health', 'checkpoint'): assert 'training' not in imports(m), m

def test_old_imports_still_work():
    "Code written before the split: `from facefusion_nb.training import load_model` is the model loader of fusion."
    from facefusion_nb import training, fusion
    assert training.load_model is fusion.load_model and training.FusionModel is fusion.FusionModel

def test_no_pointer_outside_the_project():
    "README and notebooks never send a user to the steering repository's shared/ folder, which users do not have."
    for p in [ROOT/'README.md', *sorted((ROOT/'nbs').glob('*.ipynb'))]:
        text = p.read_text()
        assert not re.search(r'shared/|DESIGN\.md|GPU_FINDINGS', text), p.name

if __name__ == '__main__': print(mermaid())
