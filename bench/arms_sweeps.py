"""Figure 4 of each arm of `make arms` (the same test pair for all, with its ground-truth row), into OUT/<arm>_sweep.png.
Usage: arms_sweeps.py RUNS OUT."""
import sys
from pathlib import Path
import numpy as np, torch, matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
from facefusion_nb.fusion import load_model
from facefusion_nb.data import make_dataset
from facefusion_nb.figures import fig_sweep, pick_pairs
from facefusion_nb.health import between_faces

runs, out = Path(sys.argv[1]), Path(sys.argv[2]); out.mkdir(parents=True, exist_ok=True)
for d in sorted(d for d in runs.glob('arm_*') if (d/'evaluation.csv').exists()):
    m = load_model(d, 'cpu'); test = make_dataset(m.data, m.settings, 'test')
    i, j = pick_pairs(test)['fig4']
    truth = torch.cat([between_faces(test, [i], [j], t) for t in np.linspace(0, 1, 6)])
    fig = fig_sweep(m, test[i], test[j], f'arm {d.name[4:]}: test faces {i} and {j}', truth)
    fig.savefig(out/f'{d.name[4:]}_sweep.png', dpi=100)  # fig_sweep's pixel layout: faces at 128 px; plt.close(fig)
    print(out/f'{d.name[4:]}_sweep.png')
