"""The arms' table (`make arms`): each arm's evaluation on 128 held-out pairs (the ground truth at Λ = ½ and its floor,
ghosting, four eyes, PSNR at Λ = 1 / 0, monotone sweeps, TV) and its log (the critic's gap at the last check, the
interpolation critic's α error over chance, seconds per E/G step). Usage: arms_table.py RUNS [OUT.csv]."""
import sys
from pathlib import Path
import pandas as pd

def arm_row(d:Path) -> dict:
    e = pd.read_csv(d/'evaluation.csv').set_index('metric').value
    log = pd.read_json(d/'log.jsonl', lines=True)
    adv = log[log.phase == 'gan']
    eg = adv[adv.total.notna()] if 'total' in adv else adv  # E/G steps (not the interpolation critic's warm-up)
    checks = log[log.psnr_a.notna()]
    r = dict(arm=d.name[4:], truth=e['truth_lambda_half'], floor=e['truth_floor_lambda_half'],
             excess=e['truth_lambda_half'] - e['truth_floor_lambda_half'], ghost=e['ghost_lambda_half'],
             overlay_ghost=e['ghost_overlay'], four_eyes=e['four_eyes_lambda_half'], psnr_a=e['psnr_lambda1_vs_A'],
             psnr_b=e['psnr_lambda0_vs_B'], monotone=e['monotone_share_pixel'], tv_max=e['tv_ratio_max'],
             critic_gap=checks.critic_gap.iloc[-1], s_step=eg.step_time.median(), eg_steps=len(eg))
    if 'interp_err' in eg:  # the α error over chance: at the end of the critic's warm-up (its last 100 steps), and the last 100 E/G steps
        warm = adv[adv.total.isna()] if 'total' in adv else adv.iloc[:0]
        ratio = lambda x: x.interp_err.mean() / x.interp_chance.mean()
        r.update(alpha_err_warm=ratio(warm.tail(100)) if len(warm) else float('nan'), alpha_err_end=ratio(eg.tail(100)),
                 w_interp=eg.w_interp.tail(100).mean())
    if 'w_cycle' in eg: r['w_cycle'] = eg.w_cycle.tail(100).mean()
    return r

def critic_rows(runs:Path) -> pd.DataFrame:
    "The interpolation critic alone on the frozen warm-up model: its α error over chance, per 250 steps."
    rows = {}
    for d in sorted(p for p in runs.glob('critic_*') if (p/'log.jsonl').exists()):
        a = pd.read_json(d/'log.jsonl', lines=True); a = a[a.phase == 'gan']
        g = a.groupby((a.step - a.step.min()) // 250)
        rows[d.name[7:]] = (g.interp_err.mean() / g.interp_chance.mean()).round(2).tolist()
    return pd.DataFrame(rows, index=[f'steps {250 * (i + 1)}' for i in range(max(map(len, rows.values())))]).T if rows else pd.DataFrame()

if __name__ == '__main__':
    runs = Path(sys.argv[1])
    print('the interpolation critic alone on the frozen model, α error over chance (by learning rate):')
    print(critic_rows(runs).to_string())
    t = pd.DataFrame([arm_row(d) for d in sorted(runs.glob('arm_*')) if (d/'evaluation.csv').exists()])
    print(t.round(3).to_string(index=False))
    if len(sys.argv) > 2: Path(sys.argv[2]).parent.mkdir(parents=True, exist_ok=True); t.round(4).to_csv(sys.argv[2], index=False)
