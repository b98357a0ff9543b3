"Two Gloo processes on the CPU train as one: identical parameters on every rank, logs and checkpoints from rank 0."
import json, socket, subprocess, sys
from pathlib import Path

import pytest
import torch

HERE = Path(__file__).resolve().parent

def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

@pytest.mark.parametrize('adv_loss', ['wgan-div', 'wgan-gp'])
def test_two_gloo_processes(tmp_path, adv_loss):
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2', '--master_addr', '127.0.0.1',
           '--master_port', str(free_port()), str(HERE/'ddp_worker.py'), str(tmp_path), adv_loss]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    r0, r1 = (torch.load(tmp_path/f'rank{i}.pt') for i in (0, 1))
    assert r0['world'] == r1['world'] == 2
    # each rank drew its own half of the global batch
    assert len(r0['batch']) == len(r1['batch']) == 4 and not set(r0['batch']) & set(r1['batch'])
    for net in 'EGD':
        for name, p in r0['params'][net].items():
            assert torch.equal(p, r1['params'][net][name]), f'{net}.{name} differs between ranks'
    # and training moved them away from their initial values
    from facefusion_nb.core import get_settings, seed_everything
    from facefusion_nb.models import build_networks
    s = get_settings('small', img_size=16, ch=4, batch_size=8, ae_steps=2, synthetic_n=64, synthetic_test_n=8)
    seed_everything(s.seed); E0, G0, D0 = build_networks(s)
    for net, m in zip('EGD', (E0, G0, D0)):
        assert not torch.equal(m.net[0][0].weight, r0['params'][net]['net.0.0.weight']), f'{net} did not train'
    run = tmp_path/'run'
    log = [json.loads(l) for l in (run/'log.jsonl').read_text().splitlines()]
    assert [r['step'] for r in log] == [1, 2, 3, 4, 5]                    # one log, from rank 0 only
    assert [p.name for p in run.glob('ckpt_*.pt')] == ['ckpt_0000005.pt']
    ck = torch.load(run/'ckpt_0000005.pt', weights_only=False)
    assert ck['world'] == 2 and torch.equal(ck['G']['net.0.0.weight'], r0['params']['G']['net.0.0.weight'])
