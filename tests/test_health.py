"Health checks end to end: the figures in the run's log, `facefusion health`, and a run whose fused images are noise."
import json

import pytest
import torch

from test_cli import ff, cli, one_line_error, TINY

SMALL_DATA = ['--set', 'synthetic_n=64', 'synthetic_test_n=32']

@pytest.fixture(scope='module')
def run(tmp_path_factory):
    "Two warm-up and two adversarial steps, checked and saved every two steps."
    out = tmp_path_factory.mktemp('health')/'run'
    ff('train', *TINY, *SMALL_DATA, '--ae-steps', 2, '--steps', 4, '--ckpt-every', 2, '--out', out, '--quiet')
    return out

def test_the_log_holds_the_health_figures(run):
    log = [json.loads(l) for l in (run/'log.jsonl').read_text().splitlines()]
    checked = [r for r in log if 'tv_ratio' in r]
    assert [r['step'] for r in checked] == [2, 4]
    for r in checked:
        assert {'psnr_a', 'psnr_b', 'monotone', 'tv_ratio', 'tv_ratio_min', 'tv_ratio_max', 'ghost', 'truth', 'truth_floor', 'critic_gap', 'problems'} <= set(r)
        assert r['truth'] > 0 and r['truth_floor'] > 0  # synthetic faces: C½ and G(E(truth)) against the true midway face
        assert r['problems'] == [] and 0 <= r['monotone'] <= 1 and r['psnr_a'] > 0

def test_health_command(run, capsys):
    rc, out, _ = cli('health', run, '--check', capsys=capsys)
    assert rc == 0
    head, *rows = out.splitlines()
    assert head.split() == ['run', 'step', 'phase', 'psnr_a', 'psnr_b', 'monotone', 'tv_ratio', 'tv_ratio_min', 'tv_ratio_max',
                            'ghost', 'truth', 'truth_floor', 'critic_gap', 'interp_err', 'interp_chance', 'pairs_per_s', 'problems']
    assert [r.split()[1] for r in rows] == ['2', '4']
    one_line_error(cli('health', run.parent/'nothing', capsys=capsys), 'nothing: no log.jsonl here')

def noise_checkpoint(run, path):
    "The run's newest checkpoint with G's convolutions redrawn at a large scale: G draws noise, whatever its input."
    ck = torch.load(sorted(run.glob('ckpt_*.pt'))[-1], weights_only=False)
    g = torch.Generator().manual_seed(0)
    for k, v in ck['G'].items():
        if k.endswith('weight') and v.dim() == 4: ck['G'][k] = torch.randn(v.shape, generator=g)
    torch.save(ck, path)
    return path

def test_noise_is_reported_as_collapsed(run, tmp_path, capsys):
    sick = noise_checkpoint(run, tmp_path/'noise.pt')
    args = ['train', *TINY, *SMALL_DATA, '--ae-steps', 2, '--steps', 6, '--ckpt-every', 1, '--init-from', sick, '--quiet']
    r = ff(*args, '--out', tmp_path/'go_on')  # goes on, saying so at every check
    alarms = [l for l in r.stderr.splitlines() if l.startswith('!!! step')]
    assert [l.split(':')[0] for l in alarms] == ['!!! step 5', '!!! step 6'] and all('fusion COLLAPSED' in l for l in alarms), r.stderr
    one_line_error(cli('health', tmp_path/'go_on', '--check', capsys=capsys), 'unhealthy at the last check', 'step 6')
    # with --stop-unhealthy it stops at the first check, before writing that step's checkpoint
    r = ff(*args, '--out', tmp_path/'stop', '--stop-unhealthy', ok=False)
    one_line_error(r, 'step 5: fusion COLLAPSED', 'no checkpoint written')
    assert not list((tmp_path/'stop').glob('ckpt_*.pt')) and (tmp_path/'stop'/'samples'/'step_0000005.png').is_file()
    last = json.loads((tmp_path/'stop'/'log.jsonl').read_text().splitlines()[-1])
    assert last['step'] == 5 and last['tv_ratio_max'] > 2 and last['problems'][0].startswith('fusion COLLAPSED')

def constant_checkpoint(run, path):
    "The run's newest checkpoint with G's last layer zeroed: G draws one flat colour (tanh of its bias), whatever its input."
    ck = torch.load(sorted(run.glob('ckpt_*.pt'))[-1], weights_only=False)
    last = [k for k, v in ck['G'].items() if k.endswith('weight') and v.dim() == 4][-1]
    ck['G'][last] = torch.zeros_like(ck['G'][last])
    torch.save(ck, path)
    return path

def test_blur_collapse_stops_the_run(run, tmp_path):
    """A Generator that outputs a constant image (the printed preset's grey collapse, made by hand), trained on with
    --init-from and --stop-unhealthy: the first check flags the blur and stops the run in one line, with no checkpoint."""
    flat = constant_checkpoint(run, tmp_path/'flat.pt')
    r = ff('train', *TINY, *SMALL_DATA, '--ae-steps', 2, '--steps', 8, '--ckpt-every', 2, '--init-from', flat, '--quiet',
           '--out', tmp_path/'stop', '--stop-unhealthy', ok=False)
    one_line_error(r, 'step 6: fusion BLURRED', "the total variation of real faces, limit 0.1", 'no checkpoint written')
    assert not list((tmp_path/'stop').glob('ckpt_*.pt'))
    last = json.loads((tmp_path/'stop'/'log.jsonl').read_text().splitlines()[-1])
    assert last['step'] == 6 and last['tv_ratio_min'] < 0.01 and last['problems'][0].startswith('fusion BLURRED')

def test_init_from_needs_the_same_networks(run, tmp_path, capsys):
    one_line_error(cli('train', '--preset', 'small', '--batch-size', '4', '--vgg-weights', 'random', '--set', 'ch=8',
                       '--steps', 3, '--init-from', run, '--out', tmp_path/'r', capsys=capsys), 'networks of img_size 64, ch 32')
    one_line_error(cli('train', *TINY, '--set', 'colour=1', '--steps', 3, '--out', tmp_path/'r2', capsys=capsys),
                   "--set expects KEY=VALUE with KEY a setting")
