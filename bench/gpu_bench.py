"""The parts of `make gpu-bench` (bench/gpu_bench.sh runs them, each under `timeout`): see "One GPU window" in
nbs/09_bench.ipynb.

    python bench/gpu_bench.py rows   --out DIR [--device cuda] [--deadline T] [--row-s S] [--tiny]
    python bench/gpu_bench.py health --out DIR [--device cuda] [--steps 1000] [--ae-steps 300] [--tiny]
    python bench/gpu_bench.py table  --out DIR [--dest bench]

`rows` times every row of `bench.COMBOS` that has no result in DIR/rows yet, each in turn: NAME.json when it ran,
NAME.err (one line) when it raised, ran out of its time (a watchdog ends the process, and the shell starts a new one on
the rows left) or could not start before the deadline. `health` trains the fastest row's combination and checks its
health; `table` writes bench/<gpu-name>.json and bench/<gpu-name>.md. `--tiny` (tests on a CPU) uses tiny networks.
For tests: FF_BENCH_ROWS=A,B runs those rows only; FF_BENCH_CRASH=NAME makes row NAME raise, FF_BENCH_ABORT=NAME
kills its process, FF_BENCH_HANG=NAME makes it hang.
"""
import argparse, json, os, re, sys, tempfile, threading, time, traceback, warnings
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from facefusion_nb.bench import COMBOS, EXTRA, combo, fast_path, gpu_row, device_name, versions  # noqa: E402
from facefusion_nb.core import get_settings, get_device, one_line  # noqa: E402

TINY = dict(img_size=16, ch=4, batch_size=4)
GOALS = dict(speedup=3.0, mfu=0.35)  # at least 3× the fp32 baseline, at least 35% of the measured bf16 peak

def error_line(e:BaseException) -> str: return f'{type(e).__name__}: {one_line(e)}' if str(e).strip() else type(e).__name__

def rows(out:Path, device:str, deadline:float, row_s:float, tiny:bool):
    d = out/'rows'; d.mkdir(parents=True, exist_ok=True)
    data = out/'jpegs'  # one folder of CelebA-shaped JPEGs for every row
    only = [n for n in os.environ.get('FF_BENCH_ROWS', '').split(',') if n]  # tests: a few rows only
    for name in COMBOS:
        if only and name not in only: continue
        if (d/f'{name}.json').exists() or (d/f'{name}.err').exists(): continue
        left = deadline - time.time()
        if left < 10: (d/f'{name}.err').write_text('not run: the window\'s time was spent\n'); continue
        (d/f'{name}.started').write_text(str(time.time()))
        limit = min(row_s, left)
        def hung(name=name, limit=limit):  # a row that hangs ends this process; the shell goes on with the rows left
            (d/f'{name}.err').write_text(f'timed out after {limit:.0f} s\n'); (d/f'{name}.started').unlink(missing_ok=True)
            print(f'{name}: timed out after {limit:.0f} s', flush=True); os._exit(3)
        watchdog = threading.Timer(limit, hung); watchdog.daemon = True; watchdog.start()
        t0 = time.time()
        try:
            if os.environ.get('FF_BENCH_CRASH') == name: raise RuntimeError('a crash asked for by FF_BENCH_CRASH')
            if os.environ.get('FF_BENCH_HANG') == name: time.sleep(10**6)
            if os.environ.get('FF_BENCH_ABORT') == name: os.abort()  # a crash below Python: the process dies
            r = gpu_row(name, device, data, over=TINY if tiny else None)
            r['wall_s'] = time.time() - t0
            (d/f'{name}.json').write_text(json.dumps(r, indent=1))
            print(f"{name}: {r['pairs_per_s']:.1f} pairs/s ({r['wall_s']:.0f} s)", flush=True)
        except Exception as e:
            (d/f'{name}.err').write_text(f'crashed: {error_line(e)}\n'); traceback.print_exc()
            print(f'{name}: crashed: {error_line(e)}', flush=True)
        finally:
            watchdog.cancel(); (d/f'{name}.started').unlink(missing_ok=True)
            if torch.cuda.is_available(): torch.cuda.empty_cache()

def done_rows(out:Path) -> dict:
    res = {}
    for name in COMBOS:
        j, e = out/'rows'/f'{name}.json', out/'rows'/f'{name}.err'
        res[name] = json.loads(j.read_text()) if j.exists() else dict(row=name, error=e.read_text().strip() if e.exists() else 'not run')
    return res

def health(out:Path, device:str, steps:int, ae_steps:int, tiny:bool):
    from facefusion_nb.training import train
    from facefusion_nb.health import health_table
    timed = [r for r in done_rows(out).values() if 'pairs_per_s' in r and r['row'] != 'baseline']
    if not timed: sys.exit('no fast row ran: nothing to check the health of')
    best = max(timed, key=lambda r: r['pairs_per_s'])
    sw = combo(best['row'], torch.device(device))
    over = dict(ae_steps=ae_steps, vgg_weights='random', synthetic_n=10_000, synthetic_test_n=512, **(TINY if tiny else {}))
    if 'penalty_every' in sw: over['penalty_every'] = sw.pop('penalty_every')
    s = get_settings('paper', **over)
    run = out/'health-run'
    t0 = time.time()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        train(s, ('synthetic',), run, steps, device=device, ckpt_every=max(1, steps // 4), sample_every=max(1, steps // 4), quiet=True, **sw)
    tab = health_table(run)
    res = dict(row=best['row'], switches=best['switches'], steps=steps, ae_steps=ae_steps, wall_s=time.time() - t0,
               healthy=bool(tab.problems.iloc[-1] == ''), table=json.loads(tab.to_json(orient='records')))
    (out/'health.json').write_text(json.dumps(res, indent=1))
    print(tab.to_string(index=False)); print('healthy' if res['healthy'] else f"UNHEALTHY: {tab.problems.iloc[-1]}")

def slug(name:str) -> str: return re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-') or 'device'

def table(out:Path, dest:Path, device:str):
    res = done_rows(out)
    base = res['baseline']
    rate = base.get('bf16_flops_per_s')
    fp, fn = base.get('flops_penalty'), base.get('flops_no_penalty')
    lines = ['| row | pairs/s | step | peak mem | MFU | × baseline | goals (3×, 35% MFU) |', '| --- | --- | --- | --- | --- | --- | --- |']
    for name, r in res.items():
        if 'pairs_per_s' not in r:
            lines.append(f"| {name} | {r['error']} | | | | | |"); continue
        k = r.get('penalty_every', 1) or 1
        flops = None if fp is None else (fp + (k - 1) * fn) / k  # a lazy penalty: one penalty step in k
        r['mfu'] = None if not (flops and rate) else flops / (r['step_ms'] / 1e3) / rate
        r['speedup'] = r['pairs_per_s'] / base['pairs_per_s'] if 'pairs_per_s' in base else None
        met = [] if r['speedup'] is None else [f"{'✓' if r['speedup'] >= GOALS['speedup'] else '✗'} {r['speedup']:.2f}×"]
        if r['mfu'] is not None: met.append(f"{'✓' if r['mfu'] >= GOALS['mfu'] else '✗'} {100 * r['mfu']:.1f}%")
        mem = '-' if r.get('peak_mem_gb') is None else f"{r['peak_mem_gb']:.1f} GiB"
        mfu = '-' if r['mfu'] is None else f"{100 * r['mfu']:.1f}%"
        speed = '-' if r['speedup'] is None else f"{r['speedup']:.2f}×"
        lines.append(f"| {name} | {r['pairs_per_s']:,.1f} | {r['step_ms']:.1f} ms | {mem} | {mfu} | {speed} | {' '.join(met)} |")
    h = json.loads((out/'health.json').read_text()) if (out/'health.json').exists() else None
    dev = get_device(device)
    fast = fast_path(dev)
    gpu = device_name(dev)
    head = [f"# `make gpu-bench` on {gpu}", '',
            f"Paper preset: batch {base.get('batch', '?')}, {base.get('img_size', '?')}×{base.get('img_size', '?')}; "
            f"{'bf16 peak measured ' + format(rate / 1e12, '.0f') + ' TFLOP/s; ' if rate else ''}"
            f"{'a step ' + format(fp / 1e9, ',.0f') + ' GFLOP with the penalty, ' + format(fn / 1e9, ',.0f') + ' without' if fp else ''}.",
            '', f"Rows: `baseline` is fp32, eager, JPEGs through a DataLoader; `fast` is {', '.join(k if v is True else f'{k}={v}' for k, v in fast.items() if v)}; "
            f"`fast+X` adds one switch; `all` adds {', '.join(EXTRA)}; `all+lazyK` adds a lazy penalty every K critic steps. "
            "MFU counts a lazy row's FLOPs as one penalty step in K.", '']
    tail = ['', '## Health of the fastest row', '']
    if h is None: tail.append('The health run did not finish (see the log of `make gpu-bench`).')
    else:
        tail.append(f"`{h['row']}`, {h['steps']} steps ({h['ae_steps']} warm-up), {h['wall_s']:.0f} s: "
                    f"{'healthy' if h['healthy'] else 'UNHEALTHY'}.")
        keys = ['step', 'phase', 'psnr_a', 'psnr_b', 'monotone', 'tv_ratio', 'ghost', 'critic_gap', 'pairs_per_s', 'problems']
        tail += ['', '| ' + ' | '.join(keys) + ' |', '|' + ' --- |' * len(keys)]
        for row in h['table']:
            tail.append('| ' + ' | '.join(f'{row.get(k):.3g}' if isinstance(row.get(k), float) else str(row.get(k, '')) for k in keys) + ' |')
    dest.mkdir(parents=True, exist_ok=True)
    md = '\n'.join(head + lines + tail) + '\n'
    (dest/f'{slug(gpu)}.md').write_text(md)
    (dest/f'{slug(gpu)}.json').write_text(json.dumps(dict(device=gpu, versions=versions(), goals=GOALS, rows=list(res.values()), health=h), indent=1))
    print(md); print(f'wrote {dest}/{slug(gpu)}.json and .md')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('part', choices=['rows', 'health', 'table'])
    ap.add_argument('--out', type=Path, required=True)
    ap.add_argument('--device', default='cuda')
    ap.add_argument('--deadline', type=float, default=None, help='the time (epoch seconds) by which the rows must be done')
    ap.add_argument('--row-s', type=float, default=90, help='seconds one row may take')
    ap.add_argument('--steps', type=int, default=1000); ap.add_argument('--ae-steps', type=int, default=300)
    ap.add_argument('--dest', type=Path, default=ROOT/'bench')
    ap.add_argument('--tiny', action='store_true', help='tiny networks (tests on a CPU)')
    a = ap.parse_args()
    if a.part == 'rows': rows(a.out, a.device, a.deadline or time.time() + 3600, a.row_s, a.tiny)
    elif a.part == 'health': health(a.out, a.device, a.steps, a.ae_steps, a.tiny)
    else: table(a.out, a.dest, a.device)
