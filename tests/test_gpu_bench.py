"""`make gpu-bench` (bench/gpu_bench.sh) end to end on the CPU with tiny networks: every part runs, the table is written,
and a row that raises, one whose process dies and one that hangs each cost that row only, inside the time budget."""
import json, os, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def test_gpu_bench_on_cpu(tmp_path):
    rows = 'baseline,fast,fast+cuda_graphs,fast+vgg_one_pass,fast+critic_one_pass,all+lazy4'
    env = {**os.environ, 'OUT': str(tmp_path/'out'), 'DEST': str(tmp_path/'dest'), 'DEVICE': 'cpu', 'BUDGET': '150',
           'HEALTH_S': '45', 'ROW_S': '25', 'GPU_PYTHON': sys.executable, 'PYTHONPATH': str(ROOT), 'FF_BENCH_ROWS': rows,
           'FF_BENCH_CRASH': 'fast+vgg_one_pass', 'FF_BENCH_ABORT': 'fast+cuda_graphs', 'FF_BENCH_HANG': 'fast+critic_one_pass'}
    t = time.time()
    r = subprocess.run(['bash', str(ROOT/'bench'/'gpu_bench.sh'), '--tiny', '--steps', '12', '--ae-steps', '6'], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=400)
    took = time.time() - t
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert took < 150 + 60, took  # the budget, and the table after it
    [md] = (tmp_path/'dest').glob('*.md'); [js] = (tmp_path/'dest').glob('*.json')
    res = {x['row']: x for x in json.loads(js.read_text())['rows']}
    for name in ('baseline', 'fast', 'all+lazy4'): assert res[name]['pairs_per_s'] > 0, res[name]
    assert res['all+lazy4']['penalty_every'] == 4 and res['baseline']['flops_penalty'] > res['baseline']['flops_no_penalty'] > 0
    assert res['fast+vgg_one_pass']['error'].startswith('crashed: RuntimeError: a crash asked for'), res['fast+vgg_one_pass']
    assert res['fast+cuda_graphs']['error'].startswith('crashed: the process ended with status'), res['fast+cuda_graphs']
    assert res['fast+critic_one_pass']['error'] == 'timed out after 25 s', res['fast+critic_one_pass']
    assert res['all']['error'] == 'not run'
    health = json.loads(js.read_text())['health']
    assert health['steps'] == 12 and health['table'][-1]['step'] == 12 and health['row'] in ('fast', 'all+lazy4')
    text = md.read_text()
    assert '| fast+critic_one_pass | timed out after 25 s |' in text and '## Health of the fastest row' in text
