"The `facefusion` command end to end: train, fuse, sweep, prepare, resume, and its one-line errors."
import json, os, signal, subprocess, sys, time
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, 'PYTHONPATH': str(ROOT), 'PYTHONWARNINGS': 'ignore'}

def cli(*args, capsys=None):
    "Run `facefusion ARGS` in this process (the same `main` as the console script): (exit status, stdout, stderr)."
    from facefusion_nb.cli import main
    rc = main([str(a) for a in args])
    out, err = capsys.readouterr() if capsys else ('', '')
    return rc, out, err

def ff(*args, ok=True, timeout=300):
    "Run `python -m facefusion_nb.cli ARGS` in a subprocess, end to end."
    r = subprocess.run([sys.executable, '-m', 'facefusion_nb.cli', *map(str, args)], capture_output=True, text=True,
                       env=ENV, timeout=timeout)
    if ok: assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return r

def one_line_error(r, *needles):
    "A subprocess result, or (rc, out, err) from `cli`, that failed with one line naming `needles` and no traceback."
    rc, err = (r.returncode, r.stderr) if hasattr(r, 'returncode') else (r[0], r[2])
    assert rc != 0 and 'Traceback' not in err, err
    lines = [l for l in err.splitlines() if 'error:' in l]
    assert len(lines) == 1, err
    for n in needles: assert n in lines[0], lines[0]

TINY = ['--preset', 'small', '--batch-size', '4', '--vgg-weights', 'random']

@pytest.fixture(scope='module')
def run(tmp_path_factory):
    "The issue's run: the small preset on synthetic faces for 30 steps."
    out = tmp_path_factory.mktemp('cli')/'run'
    t = time.perf_counter()
    ff('train', '--preset', 'small', '--data', 'synthetic', '--steps', 30, '--out', out, '--ckpt-every', 10, '--device', 'cpu')
    print(f'\nfacefusion train --preset small --steps 30: {time.perf_counter() - t:.1f} s')
    return out

@pytest.fixture(scope='module')
def faces(tmp_path_factory):
    "Two synthetic faces saved as files of other sizes and formats than the model's."
    from facefusion_nb.data import SyntheticFaces
    d = tmp_path_factory.mktemp('faces'); f = SyntheticFaces(4, 96, seed=7)
    f.image(0).save(d/'a.jpg', quality=95); f.image(1).resize((80, 100)).convert('RGBA').save(d/'b.png')
    return d/'a.jpg', d/'b.png'

def test_train_leaves_everything(run):
    names = {p.name for p in run.iterdir()}
    assert {'settings.json', 'log.jsonl', 'samples', 'ckpt_0000030.pt'} <= names
    assert sorted(p.name for p in run.glob('ckpt_*.pt')) == ['ckpt_0000020.pt', 'ckpt_0000030.pt']
    assert len(list((run/'samples').glob('*.png'))) == 3
    log = [json.loads(l) for l in (run/'log.jsonl').read_text().splitlines()]
    assert [r['step'] for r in log] == list(range(1, 31)) and all(np.isfinite(r['ae']) for r in log)
    assert json.loads((run/'settings.json').read_text())['preset'] == 'small'

def test_fuse_at_the_ends_gives_the_reconstructions(run, faces, tmp_path):
    from facefusion_nb.fusion import load_model
    from facefusion_nb.core import tensor2uint8
    m = load_model(run, 'cpu')
    with torch.no_grad():
        rec = {k: tensor2uint8(m.G(m.E(m.image(p)))[0]) for k, p in zip('ab', faces)}
    for lam, k in (('1', 'a'), ('0', 'b')):  # end to end
        ff('fuse', '--ckpt', run, '--lam', lam, *faces, '-o', tmp_path/'c.png', '--device', 'cpu')
        assert np.array_equal(np.asarray(Image.open(tmp_path/'c.png')), rec[k]), lam
    assert cli('fuse', '--ckpt', run, '--lam', '1,1,1,1,1', *faces, '-o', tmp_path/'c.png')[0] == 0
    assert np.array_equal(np.asarray(Image.open(tmp_path/'c.png')), rec['a'])

def test_per_chunk_lambda_moves_only_its_chunk(run, faces):
    from facefusion_nb.fusion import load_model
    from facefusion_nb.models import mix
    m = load_model(run / 'ckpt_0000030.pt', 'cpu')
    za, zb = m.encode(faces[0]), m.encode(faces[1])
    sizes = m.settings.chunks; edges = np.cumsum([0] + sizes)
    for n in range(m.settings.n_chunks):
        lam = torch.ones(m.settings.n_chunks); lam[n] = 0
        zc = mix(za, zb, lam)
        for k in range(m.settings.n_chunks):
            part = slice(edges[k], edges[k + 1])
            assert torch.equal(zc[:, part], (zb if k == n else za)[:, part])
        c, c1 = m.fuse(*faces, lam), m.fuse(*faces, 1.0)
        assert torch.equal(c, m.G(zc)) and not torch.equal(c, c1)

def test_sweep(run, faces, tmp_path):
    ff('sweep', '--ckpt', run, *faces, '-o', tmp_path/'row.png')
    img = Image.open(tmp_path/'row.png')
    assert img.size == (6 * 64 + 5 * 4, 2 * 64 + 4)

@pytest.mark.parametrize('cmd', ['fuse', 'sweep'])
def test_bad_inputs_end_to_end(run, faces, tmp_path, cmd):
    lam = ['--lam', '0.5'] if cmd == 'fuse' else []
    (tmp_path/'notes.png').write_text('not an image')
    one_line_error(ff(cmd, '--ckpt', run, *lam, tmp_path/'none.png', faces[1], '-o', tmp_path/'c.png', ok=False), 'none.png: no such file')
    one_line_error(ff(cmd, '--ckpt', run, *lam, faces[0], tmp_path/'notes.png', '-o', tmp_path/'c.png', ok=False), 'notes.png: not an image')
    assert not (tmp_path/'c.png').exists()

@pytest.mark.parametrize('cmd', ['fuse', 'sweep'])
def test_bad_checkpoints(run, faces, tmp_path, cmd, capsys):
    lam = ['--lam', '0.5'] if cmd == 'fuse' else []
    one_line_error(cli(cmd, '--ckpt', tmp_path, *lam, *faces, '-o', tmp_path/'c.png', capsys=capsys), 'no checkpoint in this folder')
    one_line_error(cli(cmd, '--ckpt', tmp_path/'x.pt', *lam, *faces, '-o', tmp_path/'c.png', capsys=capsys), 'x.pt: no such checkpoint')
    (tmp_path/'junk.pt').write_bytes(b'junk')
    one_line_error(cli(cmd, '--ckpt', tmp_path/'junk.pt', *lam, *faces, '-o', tmp_path/'c.png', capsys=capsys), 'junk.pt: not a readable checkpoint')
    torch.save({'weights': 1}, tmp_path/'other.pt')
    one_line_error(cli(cmd, '--ckpt', tmp_path/'other.pt', *lam, *faces, '-o', tmp_path/'c.png', capsys=capsys), 'other.pt: not a facefusion_nb checkpoint')
    one_line_error(cli(cmd, '--ckpt', run, *lam, *faces, '-o', tmp_path/'c.tiff2', capsys=capsys), 'c.tiff2: unknown image format')
    assert not (tmp_path/'c.png').exists()

def test_lambda_of_wrong_length(run, faces, tmp_path, capsys):
    one_line_error(ff('fuse', '--ckpt', run, '--lam', '1,0', *faces, '-o', tmp_path/'c.png', ok=False),
                   'Λ has 2 values; expected 1 (the same for all chunks) or 5 (one per chunk)')
    one_line_error(cli('fuse', '--ckpt', run, '--lam', '2', *faces, '-o', tmp_path/'c.png', capsys=capsys), 'outside [0, 1]')
    one_line_error(cli('fuse', '--ckpt', run, '--lam', 'nan', *faces, '-o', tmp_path/'c.png', capsys=capsys), 'NaN')
    one_line_error(cli('fuse', '--ckpt', run, '--lam', '1,0,1,0,x', *faces, '-o', tmp_path/'c.png', capsys=capsys), "'x' is not a number")

def test_help(capsys):
    for cmd in ('train', 'prepare', 'fuse', 'sweep'):
        with pytest.raises(SystemExit) as e: cli(cmd, '--help')
        assert e.value.code == 0 and capsys.readouterr().out.startswith(f'usage: facefusion {cmd}')
    console = Path(sys.executable).parent/'facefusion'
    if console.exists():  # installed by pip from settings.ini's console_scripts
        assert subprocess.run([console, '--help'], capture_output=True, text=True).stdout.startswith('usage: facefusion')

def test_resume_is_exact(tmp_path, capsys):
    "A run of 6 steps, and a run of 4 steps resumed to 6, end with the same parameters (a CPU is deterministic)."
    args = [*TINY, '--data', 'synthetic', '--ae-steps', '2', '--ckpt-every', '2', '--quiet']
    assert cli('train', *args, '--steps', 6, '--out', tmp_path/'full')[0] == 0
    assert cli('train', *args, '--steps', 4, '--out', tmp_path/'half')[0] == 0
    one_line_error(cli('train', *args, '--steps', 6, '--out', tmp_path/'half', capsys=capsys), 'already holds a run', '--resume')
    assert cli('train', *args, '--steps', 6, '--out', tmp_path/'half', '--resume')[0] == 0
    a, b = (torch.load(tmp_path/r/'ckpt_0000006.pt', weights_only=False) for r in ('full', 'half'))
    for k in 'EGD':
        for n, p in a[k].items(): assert torch.equal(p, b[k][n]), (k, n)
    assert [json.loads(l)['step'] for l in (tmp_path/'half'/'log.jsonl').read_text().splitlines()] == list(range(1, 7))

def test_prepare(tmp_path, capsys):
    for i in range(3): Image.new('RGB', (30 + i, 40), (i * 50, 0, 0)).save(tmp_path/f'{i}.png')
    rc, out, _ = cli('prepare', tmp_path, '--size', 16, '--workers', 1, capsys=capsys)
    assert rc == 0 and 'cache_16.npy' in out and np.load(tmp_path/'cache_16.npy').shape == (3, 16, 16, 3)
    one_line_error(cli('prepare', tmp_path/'missing', capsys=capsys), 'missing: no such folder')
    one_line_error(cli('train', '--data', 'folder', tmp_path/'missing', '--steps', 1, '--out', tmp_path/'r', capsys=capsys),
                   'missing: no such folder')

def test_interrupted_checkpoint_write_leaves_a_loadable_run(tmp_path, monkeypatch):
    "A write that dies half-way leaves the previous checkpoint as the newest, and it loads."
    from facefusion_nb import training
    from facefusion_nb.core import get_settings
    s = get_settings('small', img_size=16, ch=4, batch_size=4, ae_steps=1, synthetic_n=16, synthetic_test_n=4, vgg_weights='random')
    training.train(s, out=tmp_path/'r', steps=2, ckpt_every=2, quiet=True)
    real_save = torch.save
    def dying_save(obj, f, *a, **k):
        real_save(obj, f, *a, **k); f.truncate(100); raise KeyboardInterrupt  # half a file, then the process is stopped
    monkeypatch.setattr(training.torch, 'save', dying_save)
    with pytest.raises(KeyboardInterrupt):
        training.train(s, out=tmp_path/'r', steps=4, resume=True, ckpt_every=2, quiet=True)
    monkeypatch.undo()
    assert [p.name for p in training.checkpoints(tmp_path/'r')] == ['ckpt_0000002.pt']
    assert training.load_model(tmp_path/'r').step == 2
    # resuming repeats steps 3 and 4, and the log holds each step once
    training.train(s, out=tmp_path/'r', steps=4, resume=True, ckpt_every=2, quiet=True)
    assert [json.loads(l)['step'] for l in (tmp_path/'r'/'log.jsonl').read_text().splitlines()] == [1, 2, 3, 4]

def test_killed_run_leaves_a_loadable_checkpoint(tmp_path):
    "SIGKILL at an arbitrary moment of a run that checkpoints every step: the newest checkpoint always loads."
    p = subprocess.Popen([sys.executable, '-m', 'facefusion_nb.cli', 'train', *TINY, '--ae-steps', '1000',
                          '--steps', '1000', '--ckpt-every', '1', '--out', tmp_path/'r', '--quiet'], env=ENV,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        newest = lambda: max([int(p.stem[5:]) for p in (tmp_path/'r').glob('ckpt_*.pt')], default=0)
        while newest() < 3 and time.time() < deadline: time.sleep(0.05)
        time.sleep(0.37)
    finally: p.send_signal(signal.SIGKILL); p.wait()
    from facefusion_nb.fusion import load_model
    assert load_model(tmp_path/'r').step >= 3

def test_speed_switches_from_the_command_line(tmp_path):
    "The CPU-runnable speed switches train through the command, and reading losses back every 3 steps still logs every step."
    ff('train', *TINY, '--ae-steps', '2', '--steps', 7, '--ckpt-every', 7, '--out', tmp_path/'r', '--quiet',
           '--sync-every', 3, '--fused-adam', '--vgg-one-pass', '--set', 'penalty_every=2')
    log = [json.loads(l) for l in (tmp_path/'r'/'log.jsonl').read_text().splitlines()]
    assert [x['step'] for x in log] == list(range(1, 8)) and all(np.isfinite(x['step_time']) for x in log)
    assert [x['penalty'] > 0 for x in log if x['phase'] == 'gan'] == [True, False, True, False, True]

def test_fuse_by_region_and_of_three_faces(run, faces, tmp_path, capsys):
    from facefusion_nb.fusion import load_model
    from facefusion_nb.core import tensor2uint8, lambda_map, parse_mask
    from facefusion_nb.models import mix
    m = load_model(run, 'cpu')
    za, zb = m.encode(faces[0]), m.encode(faces[1])
    ff('fuse', '--ckpt', run, '--mask', '1111,1111,0000,0000', *faces, '-o', tmp_path/'top.png')  # the command
    with torch.no_grad(): want = tensor2uint8(m.G(mix(za, zb, lambda_map(torch.ones(5), parse_mask('1111,1111,0000,0000'))))[0])
    assert np.array_equal(np.asarray(Image.open(tmp_path/'top.png')), want)
    mask_img = tmp_path/'mask.png'; Image.fromarray(np.kron(np.array([[255] * 4] * 2 + [[0] * 4] * 2, np.uint8), np.ones((8, 8), np.uint8))).save(mask_img)
    assert cli('fuse', '--ckpt', run, '--mask', mask_img, *faces, '-o', tmp_path/'top2.png')[0] == 0
    assert np.array_equal(np.asarray(Image.open(tmp_path/'top2.png')), want)
    third = tmp_path/'c.png'; Image.open(faces[0]).transpose(Image.FLIP_LEFT_RIGHT).save(third)
    assert cli('fuse', '--ckpt', run, '--lam', '0.5,0.25,0.25', *faces, third, '-o', tmp_path/'three.png')[0] == 0
    assert cli('fuse', '--ckpt', run, '--lam', '1,0,0', *faces, third, '-o', tmp_path/'one.png')[0] == 0
    with torch.no_grad(): ga = tensor2uint8(m.G(za)[0])
    assert np.abs(np.asarray(Image.open(tmp_path/'one.png'), int) - ga).max() <= 1  # all weight on A: A'
    ff('sweep', '--ckpt', run, '--mask', '0000,0110,0110,0000', *faces, '-o', tmp_path/'row.png')
    assert Image.open(tmp_path/'row.png').size == (6 * 64 + 5 * 4, 2 * 64 + 4)

def test_bad_masks_and_weights(run, faces, tmp_path, capsys):
    third = tmp_path/'c.png'; Image.open(faces[0]).save(third)
    out = ['-o', tmp_path/'out.png']
    one_line_error(cli('fuse', '--ckpt', run, '--mask', '111,000', *faces, *out, capsys=capsys), "mask '111,000' is neither an image file nor a pattern")
    one_line_error(cli('fuse', '--ckpt', run, '--mask', '1121,1111,0000,0000', *faces, *out, capsys=capsys), 'expected 4 rows of 4 digits 0/1')
    one_line_error(cli('fuse', '--ckpt', run, '--lam', '1.5,-0.5,0', *faces, third, *out, capsys=capsys), "'1.5' is outside [0, 1]")
    one_line_error(cli('fuse', '--ckpt', run, '--lam', '0.5,0.5,0.5', *faces, third, *out, capsys=capsys), 'sum to 1.5 over the 3 faces')
    one_line_error(cli('fuse', '--ckpt', run, '--lam', '0.5,0.5', *faces, third, *out, capsys=capsys), 'weights for 3 faces need 3 rows')
    one_line_error(cli('fuse', '--ckpt', run, '--mask', '1111,1111,0000,0000', '--lam', '1', *faces, third, *out, capsys=capsys),
                   '--mask chooses between two faces')
    one_line_error(cli('fuse', '--ckpt', run, faces[0], *out, capsys=capsys), 'fuse needs two or more faces')
    one_line_error(cli('fuse', '--ckpt', run, *faces, *out, capsys=capsys), '--lam is needed')
    one_line_error(cli('sweep', '--ckpt', run, *faces, third, *out, capsys=capsys), 'sweep takes two faces')
    assert not (tmp_path/'out.png').exists()  # nothing written by a command that failed

OLD_RUN = ROOT/'tests'/'fixtures'/'run_0c1157c'  # made by commit 0c1157c, before training.py was split into four modules
OLD_FLAGS = [*TINY, '--set', 'img_size=16', 'ch=4', 'synthetic_n=16', 'synthetic_test_n=8', '--ae-steps', '2', '--ckpt-every', '2', '--quiet']

def test_run_folder_from_before_the_split(tmp_path, faces):
    """A run folder that commit 0c1157c wrote on another machine (`facefusion train` with OLD_FLAGS --steps 4) loads,
    fuses and resumes with today's modules, and the resumed run's faces agree with a run of today's code made here.

    Not bit for bit: oneDNN and BLAS pick their kernels by the CPU's instruction set, so two CPU models round
    differently (bit-exact resumes are checked on one machine, by `test_resume_is_exact`). Measured here (2 cores,
    x86-64) on the fused faces at Λ = 1, ½, 0 of the 8 test faces, the mean difference from a run made here:
    2.0e-5 grey levels for this folder, and the same for runs made here with generic kernels (ATEN_CPU_CAPABILITY=default,
    ONEDNN_MAX_CPU_ISA=SSE41) or one thread; 3.2e-3 for a run whose warm-up learning rate differs by 1% (1.01e-3).
    The bound, 3e-4, lies 15× above the first and 10× below the second."""
    import shutil
    from facefusion_nb.data import SyntheticFaces
    from facefusion_nb.fusion import load_model
    old = tmp_path/'old'; shutil.copytree(OLD_RUN, old)
    m = load_model(old, 'cpu')
    assert (m.step, m.settings.img_size, m.data) == (4, 16, ('synthetic',))
    ff('fuse', '--ckpt', old, '--lam', '1,0.5,0,0,1', *faces, '-o', tmp_path/'c.png')
    assert Image.open(tmp_path/'c.png').size == (16, 16)
    ff('train', *OLD_FLAGS, '--steps', 6, '--out', old, '--resume')
    ff('train', *OLD_FLAGS, '--steps', 6, '--out', tmp_path/'new')
    assert [json.loads(l)['step'] for l in (old/'log.jsonl').read_text().splitlines()] == list(range(1, 7))
    x = torch.stack([SyntheticFaces(8, 16, 1)[i] for i in range(8)])
    def fused(run):
        m = load_model(run, 'cpu')
        with torch.no_grad(): return torch.cat([m.fuse(x[:4], x[4:], lam) for lam in (1, .5, 0)]) * 127.5  # grey levels
    resumed, fresh = fused(old), fused(tmp_path/'new')
    assert (resumed - fresh).abs().mean() < 3e-4, float((resumed - fresh).abs().mean())
    assert (resumed - fresh).abs().max() < 3e-2, float((resumed - fresh).abs().max())

def test_resume_refuses_other_settings(run, tmp_path, capsys):
    "--resume with a setting that differs from the run's is refused in one line, not silently ignored."
    one_line_error(cli('train', '--preset', 'small', '--steps', 40, '--out', run, '--resume', '--set', 'lam_mode=uniform', capsys=capsys),
                   "--resume keeps the run's settings", "lam_mode='bernoulli' (given 'uniform')")
    assert max(int(p.stem[5:]) for p in run.glob('ckpt_*.pt')) == 30  # nothing trained, nothing written

def test_a_global_latent_end_to_end(tmp_path, faces, capsys):
    "A run with a global code (`--set latent=warp`): trained, saved, loaded, fused by chunk; a region is refused in one line, and the explorer offers no cells."
    from facefusion_nb.fusion import load_model
    from facefusion_nb.data import make_dataset
    from facefusion_nb.widgets import LambdaExplorer, explorer_view
    run, out = tmp_path/'warp', ['-o', tmp_path/'c.png']
    tiny = [*TINY, '--set', 'img_size=16', 'ch=4', 'synthetic_n=16', 'synthetic_test_n=8', 'latent=warp', 'z_dim=20', '--ae-steps', 2]
    assert cli('train', *tiny, '--ckpt-every', 4, '--quiet', '--steps', 4, '--out', run)[0] == 0
    m = load_model(run, 'cpu')
    assert (m.settings.latent, m.settings.z_shape, m.step) == ('warp', (20, 1, 1), 4)
    assert cli('fuse', '--ckpt', run, '--lam', '1,0,1,0,1', *faces, *out)[0] == 0 and Image.open(out[1]).size == (16, 16)
    one_line_error(cli('fuse', '--ckpt', run, '--mask', '1111,1111,0000,0000', *faces, *out, capsys=capsys), 'needs a spatial latent')
    view = explorer_view(LambdaExplorer(m, make_dataset(m.data, m.settings, 'test')))
    assert 'global code (warp)' in view.children[-1].value and 'ff-no-cells' in view.children[-1]._dom_classes

def test_roles_end_to_end(tmp_path, faces, capsys):
    "A run with roles (`--set roles=synthetic role_weight=1`): trained with its heads, resumed, fused by name, swept one role at a time, its sliders named; a role it lacks is one line."
    from facefusion_nb.fusion import load_model
    from facefusion_nb.data import make_dataset
    from facefusion_nb.widgets import LambdaExplorer, explorer_view
    run, out = tmp_path/'roles', ['-o', tmp_path/'c.png']
    tiny = [*TINY, '--set', 'img_size=16', 'ch=4', 'synthetic_n=16', 'synthetic_test_n=8', 'roles=synthetic', 'role_weight=1',
            'role_adv_weight=1', 'hybrid_weight=1', '--ae-steps', 2, '--ckpt-every', 2, '--quiet', '--out', run]
    assert cli('train', *tiny, '--steps', 2)[0] == 0 and cli('train', *tiny, '--steps', 4, '--resume')[0] == 0
    log = [json.loads(l) for l in (run/'log.jsonl').read_text().splitlines()]
    assert [r['step'] for r in log] == [1, 2, 3, 4] and all({'w_role', 'w_role_adv', 'w_role_critic', 'w_hybrid'} <= set(r) for r in log)
    m = load_model(run, 'cpu')
    assert m.settings.chunk_names == ('shape', 'colour', 'hair', 'eyes', 'mouth')
    assert 'R' in torch.load(sorted(run.glob('ckpt_*.pt'))[-1], weights_only=False)  # the heads are saved, and resume with the run
    a, b = m.E(m.image(faces[0])), m.E(m.image(faces[1]))
    assert cli('fuse', '--ckpt', run, '--lam', 'hair=0,eyes=0', *faces, *out)[0] == 0
    got = np.asarray(Image.open(out[1]), int)
    want = np.asarray(Image.fromarray(np.uint8(((m.fuse_latents(a, b, [1, 1, 0, 0, 1])[0].permute(1, 2, 0) + 1) * 127.5).round().clamp(0, 255).numpy())), int)
    assert np.abs(got - want).max() <= 1
    assert cli('sweep', '--ckpt', run, '--role', 'eyes', *faces, *out)[0] == 0
    one_line_error(cli('sweep', '--ckpt', run, '--role', 'nose', *faces, *out, capsys=capsys), "--role 'nose'", 'shape, colour, hair, eyes, mouth')
    one_line_error(cli('fuse', '--ckpt', run, '--lam', 'nose=0', *faces, *out, capsys=capsys), "'nose=0'", 'NAME one of shape')
    one_line_error(cli('train', *TINY, '--steps', 2, '--out', tmp_path/'bad', '--set', 'role_weight=1', capsys=capsys), 'role_weight need roles')
    one_line_error(cli('train', *TINY, '--batch-size', 2, '--steps', 2, '--out', tmp_path/'bad', '--data', 'folder', faces[0].parent, '--set', 'img_size=16',
                       'roles=synthetic', 'role_weight=1', capsys=capsys), 'a folder of images has no labels')
    view = explorer_view(LambdaExplorer(m, make_dataset(m.data, m.settings, 'test')))
    assert {'shape', 'colour', 'hair', 'eyes', 'mouth'} <= {getattr(w, 'description', None) for w in _walk(view)}

def _walk(w):
    yield w
    for c in getattr(w, 'children', ()): yield from _walk(c)

def test_prepare_keeps_celeba_labels(tmp_path, capsys):
    "A fake CelebA of the official layout with its label files: `prepare` keeps the labels beside the cache; a broken label file is one line naming it and the line, and writes no cache."
    from facefusion_nb.data import CelebA
    from facefusion_nb.labels import CELEBA_ATTRS, ATTR_FILE, LANDMARK_FILE, dataset_labels
    (tmp_path/'img_align_celeba').mkdir(); (tmp_path/'Anno').mkdir()
    for i in range(1, 5): Image.new('RGB', (178, 218), (i * 40, 0, 0)).save(tmp_path/'img_align_celeba'/f'{i:06d}.jpg')
    (tmp_path/'list_eval_partition.txt').write_text(''.join(f'{i:06d}.jpg {c}\n' for i, c in zip(range(1, 5), (0, 0, 1, 2))))
    attrs = f"4\n{' '.join(CELEBA_ATTRS)}\n" + ''.join(f"{i:06d}.jpg " + ' '.join(['1', '-1'] * 20) + '\n' for i in range(1, 5))
    (tmp_path/'Anno'/ATTR_FILE).write_text(attrs.replace('000003.jpg 1', '000003.jpg 2'))
    (tmp_path/'Anno'/LANDMARK_FILE).write_text("4\nlefteye_x lefteye_y righteye_x righteye_y nose_x nose_y leftmouth_x leftmouth_y rightmouth_x rightmouth_y\n"
                                               + ''.join(f"{i:06d}.jpg 69 109 106 113 77 142 73 152 108 154\n" for i in range(1, 5)))
    one_line_error(cli('prepare', tmp_path, '--size', 16, '--workers', 1, capsys=capsys), ATTR_FILE, 'line 5', 'must be -1 or 1')
    assert not list(tmp_path.glob('cache_*'))
    (tmp_path/'Anno'/ATTR_FILE).write_text(attrs)
    rc, out, _ = cli('prepare', tmp_path, '--size', 16, '--workers', 1, capsys=capsys)
    assert rc == 0 and 'cache_16.labels.npz' in out
    y = dataset_labels(CelebA(tmp_path, 'standard', 'test', size=16, cache=tmp_path/'cache_16.npy'))
    assert y.shape == (1, 50) and y[0, :2].tolist() == [1, 0] and abs(y[0, 40] - 69 * 16 / 178) < 1e-4
