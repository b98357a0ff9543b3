"""The ceiling's tables (`make ceiling`, issue 27): for each run of bench/ceiling.sh, the curve of the ground truth at
Λ = ½ and its floor over the supervised steps (64 held-out pairs of the test split, from the run's health checks), and
its last step evaluated on 128 pairs of a seed that training and the test split never use (9,999): the ground truth at
Λ = ½ over the overlay, the floor, PSNR at Λ = 1 / 0, ghosting, monotone sweeps; parameters and seconds per step.
And each run's Figure 4 on one near-frontal pair of that seed, with the true faces below (<run>_sweep.png): C along the
sweep, as the ceiling left it.
Usage: ceiling_table.py RUNS [OUT_DIR]: writes ceiling_curve.csv, ceiling.csv and the sweeps into OUT_DIR.
On the CPU unless FF_DEVICE names another device (cuda); WARM: the warm-up's steps (1,000)."""
import os, sys, warnings
from pathlib import Path
import numpy as np, pandas as pd, torch, matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
from facefusion_nb.figures import fig_sweep, pick_pairs
from facefusion_nb.health import between_faces

from facefusion_nb.data import SyntheticFaces
from facefusion_nb.evaluate import evaluate
from facefusion_nb.fusion import load_model

UNUSED_SEED, PAIRS = 9_999, 128
DEVICE = os.environ.get('FF_DEVICE', 'cpu')
WARM = int(os.environ.get('WARM', 1000))  # the warm-up's steps, before the steps counted

def curve(d:Path) -> pd.Series:
    log = pd.read_json(d/'log.jsonl', lines=True); c = log[log.psnr_a.notna()].set_index('step')
    return c.truth

def row(d:Path, name:str|None=None) -> dict:
    m = load_model(d, DEVICE); s = m.settings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        e = evaluate(m, SyntheticFaces(2 * PAIRS, s.img_size, UNUSED_SEED), PAIRS, lpips=False, fid=False).set_index('metric').value
    log = pd.read_json(d/'log.jsonl', lines=True)
    n = lambda net: sum(p.numel() for p in net.parameters())
    return dict(run=name or d.name[5:], latent=s.latent, z=s.z_ch, truth_weight=s.truth_weight, lr=s.lr, steps=m.step - WARM,
                truth=e['truth_lambda_half'], floor=e['truth_floor_lambda_half'], psnr_a=e['psnr_lambda1_vs_A'],
                psnr_b=e['psnr_lambda0_vs_B'], ghost=e['ghost_lambda_half'], monotone=e['monotone_share_pixel'],
                params_eg=n(m.E) + n(m.G), s_step=log.step_time.median())

def sweep(d:Path, out:Path, name:str|None=None):
    m = load_model(d, DEVICE); faces = SyntheticFaces(2 * PAIRS, m.settings.img_size, UNUSED_SEED)
    i, j = pick_pairs(faces)['fig4']
    truth = torch.cat([between_faces(faces, [i], [j], t) for t in np.linspace(0, 1, 6)])
    name = name or d.name[5:]
    fig = fig_sweep(m, faces[i], faces[j], f'{name}: faces {i} and {j} of seed {UNUSED_SEED}', truth)
    fig.savefig(out/f'{name}_sweep.png', dpi=100); plt.close(fig)

if __name__ == '__main__':
    runs = Path(sys.argv[1]); out = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    done = [d for d in sorted(runs.glob('ceil_*')) if (d/'log.jsonl').exists() and any(d.glob('ckpt_*.pt'))]
    cur = pd.DataFrame({d.name[5:]: curve(d) for d in done}); cur.index = cur.index - WARM; cur.index.name = 'supervised_steps'
    t = pd.DataFrame([row(d) for d in done])
    print(cur.round(3).to_string()); print(t.round(3).to_string(index=False))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        cur.round(4).to_csv(out/'ceiling_curve.csv'); t.round(4).to_csv(out/'ceiling.csv', index=False)
        for d in done: sweep(d, out)
