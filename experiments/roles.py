"""Issue 36: the roles' training signals screened at equal steps against the paper's unsupervised run (`05g_roles`).

Each arm trains from scratch at 32 px (the small preset otherwise): WARM warm-up steps (eq. 10, with the arm's role terms)
then ADV adversarial ones (eq. 11, with them too), checkpointed every 250 steps, one process at a time. Run it again
after a stop and each arm resumes where it was (`--resume`); an arm at its last step is skipped. `table` evaluates
every arm's last checkpoint on 128 pairs of a seed that training and the test split never use (9,999), with the roles'
rows of `evaluate` (hybrid truth and its floor, C's labels, chunk-level DCI, classic morphing), and writes roles.csv,
each arm's share table (factor × chunk) and importance (chunk × role), its Figure 4 and its one-part-at-a-time figure.

    python experiments/roles.py run RUNS [ARM ...]     # train (all arms, or those named)
    python experiments/roles.py table RUNS OUT         # evaluate into OUT/roles.csv, OUT/<arm>_share.csv
"""
import os, sys, warnings
from pathlib import Path

ARMS = {  # name: settings over the small preset at 32 px; every arm names the synthetic roles except the paper's
    'paper':    dict(),
    'pred':     dict(roles='synthetic', role_weight=1.0),
    'pred_adv': dict(roles='synthetic', role_weight=1.0, role_adv_weight=1.0),
    'ceiling':  dict(roles='synthetic', hybrid_weight=1.0),  # DIAGNOSTIC: the drawn hybrid as the target
    'geometry': dict(roles='synthetic_geometry', geometry='geometry', geometry_weight=10.0, role_weight=1.0),  # the morphing chunk (`02_models`)
    'geometry_adv': dict(roles='synthetic_geometry', geometry='geometry', geometry_weight=10.0, role_weight=1.0, role_adv_weight=1.0),
}
IMG, WARM, ADV = int(os.environ.get('IMG', 32)), int(os.environ.get('WARM', 1000)), int(os.environ.get('ADV', 1000))
SEED, UNUSED_SEED, PAIRS = int(os.environ.get('SEED', 0)), 9_999, 128

def run(runs:Path, names):
    from facefusion_nb.core import get_settings
    from facefusion_nb.checkpoint import checkpoints
    from facefusion_nb.training import train
    for name in names:
        out, steps = runs/name, WARM + ADV
        have = checkpoints(out) if out.is_dir() else []
        if have and have[-1].name == f'ckpt_{steps:07d}.pt': continue
        s = get_settings('small', img_size=IMG, ae_steps=WARM, seed=SEED, **ARMS[name])
        print(f'{name}: to step {steps}' + (f', resuming {have[-1].name}' if have else ''), flush=True)
        train(s, ('synthetic',), out, steps, resume=bool(have), ckpt_every=250, sample_every=250, quiet=True)

def figures(m, faces, out:Path, name:str):
    "The arm's Figure 4 and its one-part-at-a-time figure on the most frontal pair of the unused seed, with their ground truths."
    import numpy as np, torch, matplotlib.pyplot as plt
    from facefusion_nb.figures import fig_sweep, fig_parts, pick_pairs
    from facefusion_nb.health import between_faces
    from facefusion_nb.roles import hybrid_targets, roles_or_default
    i, j = pick_pairs(faces)['fig4']; N = m.settings.n_chunks
    truth = torch.cat([between_faces(faces, [i], [j], t) for t in np.linspace(0, 1, 6)])
    fig = fig_sweep(m, faces[i], faces[j], f'{name}: faces {i} and {j} of seed {UNUSED_SEED}', truth); fig.savefig(out/f'{name}_sweep.png', dpi=100); plt.close(fig)
    parts = torch.tensor([[0. if g == n else 1. for g in range(N)] for n in range(N)])
    h = hybrid_targets(faces, [i] * N, [j] * N, parts, roles_or_default(m.settings))
    fig = fig_parts(m, faces[i], faces[j], f'{name}: one part at a time', h); fig.savefig(out/f'{name}_parts.png', dpi=100); plt.close(fig)

def table(runs:Path, out:Path):
    import pandas as pd, matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from facefusion_nb.data import SyntheticFaces
    from facefusion_nb.evaluate import evaluate
    from facefusion_nb.fusion import load_model
    from facefusion_nb.roles import chunk_dci
    import json
    from facefusion_nb.checkpoint import checkpoints
    out.mkdir(parents=True, exist_ok=True); rows = []
    for name in ARMS:
        done, have = out/f'{name}_row.json', checkpoints(runs/name) if (runs/name).is_dir() else []
        if not have and not done.is_file(): continue
        if done.is_file() and (not have or done.stat().st_mtime > have[-1].stat().st_mtime):  # evaluated at its newest checkpoint
            rows.append(json.loads(done.read_text())); continue
        m = load_model(runs/name, 'cpu'); faces = SyntheticFaces(2 * PAIRS, m.settings.img_size, UNUSED_SEED)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore'); e = evaluate(m, faces, PAIRS, lpips=False, fid=False).set_index('metric').value
        d = chunk_dci(m, SyntheticFaces(1000, m.settings.img_size, UNUSED_SEED + 1))
        d['share'].round(3).to_csv(out/f'{name}_share.csv'); d['importance'].round(3).to_csv(out/f'{name}_importance.csv')
        figures(m, faces, out, name)
        rows.append(dict(arm=name, steps=m.step, **{k: e[k] for k in (
            'hybrid_truth', 'hybrid_truth_floor', 'hybrid_label_r2', 'dci_disentanglement', 'dci_completeness', 'truth_lambda_half',
            'truth_floor_lambda_half', 'ghost_lambda_half', 'morph_truth_lambda_half', 'morph_ghost_lambda_half',
            'psnr_lambda1_vs_A', 'psnr_lambda0_vs_B', 'monotone_share_pixel')}, landmarks_half=e.get('geometry_landmarks_lambda_half')))
        done.write_text(json.dumps({k: (float(v) if isinstance(v, (int, float)) and k != 'arm' else v) for k, v in rows[-1].items()}))
    t = pd.DataFrame(rows); print(t.round(3).to_string(index=False)); t.round(4).to_csv(out/'roles.csv', index=False)

if __name__ == '__main__':
    if len(sys.argv) < 3 or sys.argv[1] not in ('run', 'table'): sys.exit(__doc__)
    runs = Path(sys.argv[2])
    if sys.argv[1] == 'run':
        bad = [a for a in sys.argv[3:] if a not in ARMS]
        if bad: sys.exit(f"unknown arm(s) {', '.join(bad)}; the arms are {', '.join(ARMS)}")
        run(runs, sys.argv[3:] or list(ARMS))
    else: table(runs, Path(sys.argv[3]))
