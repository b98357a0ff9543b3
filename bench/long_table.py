"""Issue 27, part 3: the long arms of bench/long_arms.sh evaluated as the ceiling's runs are (ceiling_table.row: 128 pairs
of the unused seed 9,999), with issue 21's rule against the Bernoulli arm of the same seed: half the excess over the
floor or better, ghosting at Λ = ½ 30% lower, PSNR within 1 dB, monotone sweeps ≥ 95%. And each arm's Figure 4 on the
ceiling's pair. Usage: long_table.py RUNS OUT_DIR [DEFAULT_CSV]: writes long_arms.csv and <arm>_sweep.png into OUT_DIR;
with DEFAULT_CSV (another long_arms.csv: the default's latent), also the rule against its Bernoulli arm of the same seed
(`qualifies_vs_default`)."""
import sys
from pathlib import Path
import pandas as pd
sys.path.insert(0, str(Path(__file__).parent))
from ceiling_table import row, sweep

if __name__ == '__main__':
    runs, out = Path(sys.argv[1]), Path(sys.argv[2]); out.mkdir(parents=True, exist_ok=True)
    done = [d for d in sorted(runs.glob('*_s[0-9]*')) if not d.name.startswith('warm') and any(d.glob('ckpt_*.pt'))]
    t = pd.DataFrame([{**row(d, name=d.name), 'arm': d.name.rsplit('_s', 1)[0], 'seed': int(d.name.rsplit('_s', 1)[1])} for d in done])
    t['excess'] = t.truth - t.floor
    def rule(g, b):  # issue 21's rule for the rows g against the Bernoulli row b
        return ((g.excess <= b.excess / 2) & (g.ghost <= 0.7 * b.ghost) & (g.monotone >= 0.95)
                & (g[['psnr_a', 'psnr_b']].min(axis=1) >= min(b.psnr_a, b.psnr_b) - 1))
    for seed, g in t.groupby('seed'):
        if 'bern' in set(g.arm): t.loc[g.index, 'qualifies'] = rule(g, g[g.arm == 'bern'].iloc[0]) & (g.arm != 'bern')
    if len(sys.argv) > 3:
        d = pd.read_csv(sys.argv[3])
        for seed, g in t.groupby('seed'):
            b = d[(d.arm == 'bern') & (d.seed == seed)]
            if len(b): t.loc[g.index, 'qualifies_vs_default'] = rule(g, b.iloc[0])
    print(t.round(3).to_string(index=False))
    t.round(4).to_csv(out/'long_arms.csv', index=False)
    for d in done: sweep(d, out, name=d.name)
