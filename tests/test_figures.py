"Figures, per-chunk effects, evaluation, the Λ explorer and the benchmark, on a tiny trained run."
import io, json, warnings

import numpy as np
import pandas as pd
import pytest
import torch
from PIL import Image

from facefusion_nb.core import get_settings

@pytest.fixture(scope='module')
def run(tmp_path_factory):
    from facefusion_nb.training import train
    out = tmp_path_factory.mktemp('fig')/'run'
    s = get_settings('small', img_size=16, ch=4, batch_size=4, ae_steps=3, synthetic_n=32, synthetic_test_n=24, vgg_weights='random')
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); train(s, out=out, steps=5, quiet=True)
    return out

def cli(*args):
    from facefusion_nb.cli import main
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); return main([str(a) for a in args])

def test_figures_command(run, tmp_path, capsys):
    assert cli('figures', '--ckpt', run, '--out', tmp_path, '--pairs', 8) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {'fig4_sweep.png', 'fig5_sweep.png', 'fig6_vgg_features.png', 'chunk_effects.png', 'chunk_effects.csv', 'chunk_factors.csv'} <= names
    eff = pd.read_csv(tmp_path/'chunk_effects.csv')
    assert eff.chunk.tolist() == [1, 2, 3, 4, 5] and sorted(eff['rank']) == [1, 2, 3, 4, 5]
    assert (eff.pixel >= 0).all() and set(eff.vgg_weights) == {'random'}
    ft = pd.read_csv(tmp_path/'chunk_factors.csv', index_col='row')
    assert list(ft.index)[-1] == 'probe R²' and 'pose' in ft.columns and ft.loc['probe R²', 'bg_hue'] > 0.5
    assert 'wrote' in capsys.readouterr().out

def test_figure_pairs_out_of_range(run, tmp_path, capsys):
    assert cli('figures', '--ckpt', run, '--out', tmp_path, '--pair4', 0, 99) == 1
    assert 'pair index 99 is outside the test set of 24 images' in capsys.readouterr().err

def test_chunk_effects_see_the_chunk_that_was_moved():
    "A generator that reads only chunk 2 of the latent: moving chunk 2 changes C, moving the others does not."
    from facefusion_nb.figures import chunk_effects
    from facefusion_nb.fusion import FusionModel
    from facefusion_nb.models import build_networks
    s = get_settings('small', img_size=16, ch=4)
    E, G, D = build_networks(s)
    lo, hi = s.chunks[0], s.chunks[0] + s.chunks[1]
    class OnlyChunk2(torch.nn.Module):
        def forward(self, z):
            z = z.clone(); z[:, :lo] = 0; z[:, hi:] = 0
            return torch.tanh(z.mean(1, keepdim=True).expand(-1, 3, -1, -1).repeat_interleave(4, 2).repeat_interleave(4, 3))
    m = FusionModel(E, OnlyChunk2(), D, s)
    a, b = torch.rand(6, 3, 16, 16) * 2 - 1, torch.rand(6, 3, 16, 16) * 2 - 1
    eff = chunk_effects(m, a, b)
    assert eff.set_index('chunk').loc[2, 'rank'] == 1
    assert eff.set_index('chunk').pixel_share.round(6).tolist() == [0, 1, 0, 0, 0]

def test_evaluate_command(run, tmp_path, capsys):
    assert cli('evaluate', '--ckpt', run, '--out', tmp_path/'e.csv', '--pairs', 6) == 0
    df = pd.read_csv(tmp_path/'e.csv')
    need = ['psnr_lambda1_vs_A', 'psnr_lambda0_vs_B', 'ssim_lambda1_vs_A', 'ssim_lambda0_vs_B', 'tv_ratio_max',
            'monotone_share_pixel', 'monotone_share_vgg', 'monotone_share_lpips', 'lpips_lambda1_vs_A', 'fid_lambda_half']
    ghost = ['ghost_lambda_half', 'ghost_overlay', 'ghost_lambda_half_same_pose', 'four_eyes_lambda_half',
             *[f'ghost_lambda_{v:.1f}' for v in (1, .8, .6, .4, .2, 0)], 'ghost_three_faces']
    assert df.metric.tolist()[:len(need)] == need and set(ghost) <= set(df.metric) and (df.pairs[:len(need)] == 6).all()
    assert df.set_index('metric').loc[need[:7] + ghost, 'value'].notna().all()
    assert df.set_index('metric').loc['ghost_overlay', 'value'] > 0.3  # the overlay of the same pairs: two faces
    for _, r in df.iterrows():  # LPIPS and FID: a value, or a note that says why there is none
        assert pd.notna(r.value) or 'could not be' in r.note, r.metric
    assert 0 <= df.set_index('metric').loc['monotone_share_pixel', 'value'] <= 1

def test_explorer(run):
    from facefusion_nb.fusion import load_model
    from facefusion_nb.data import make_dataset
    from facefusion_nb.widgets import LambdaExplorer, explorer_view
    m = load_model(run); faces = make_dataset(m.data, m.settings, 'test')
    ex = LambdaExplorer(m, faces).select(3, 4)
    with torch.no_grad(): ga = m.G(m.E(faces[3][None]))
    from facefusion_nb.core import tensor2uint8
    assert np.array_equal(np.asarray(ex.render(1)), tensor2uint8(ga[0]))
    n = m.encoded
    imgs = [ex.render([v, 0, 1, 0, 1]) for v in np.linspace(0, 1, 5)]
    assert m.encoded == n and imgs[0].size == (16, 16)
    buf = io.BytesIO(); faces.image(5).resize((40, 30)).save(buf, 'png')   # an uploaded file
    ex.align = False  # resized whole: a 40×30 drawing has no face to find (aligned uploads: 07_widgets, test_browser.py)
    ex.select(buf.getvalue(), 4); assert ex.render(0.5).size == (16, 16)
    # a phone's upload: the pixels stored turned, with the EXIF tag that turns them back; A is the face as a viewer shows it
    up = faces.image(5); tagged = Image.fromarray(np.ascontiguousarray(np.rot90(np.asarray(up), 1))); exif = tagged.getexif()
    exif[0x0112] = 6; buf = io.BytesIO(); tagged.save(buf, 'png', exif=exif)
    ex.choose('a', buf.getvalue()); assert torch.equal(ex.a, m.image(up))
    view = explorer_view(LambdaExplorer(m, faces))
    walk = lambda w: [w, *[x for c in getattr(w, 'children', ()) for x in walk(c)]]
    sliders = [w for w in walk(view) if type(w).__name__ == 'FloatSlider']
    assert len(sliders) == 1 + m.settings.n_chunks and sliders[0].description == 'all'  # one for all, one per chunk
    sliders[0].value = 0.0                                 # "all" moves every chunk's slider
    assert all(s.value == 0.0 for s in sliders[1:])

def test_bench_command(tmp_path, capsys):
    "The issue's command: `facefusion bench --device cpu --preset small` prints the table and writes the JSON."
    assert cli('bench', '--device', 'cpu', '--preset', 'small', '--steps', 1, '--json', tmp_path/'b.json') == 0
    r = json.loads((tmp_path/'b.json').read_text())
    need = {'baseline_pairs_per_s', 'fast_pairs_per_s', 'speedup', 'mfu', 'slider_ms', 'fuse_ms', 'device', 'versions'}
    assert need <= set(r) and r['mfu'] is None and r['preset'] == 'small' and r['batch'] == 16
    assert r['baseline_pairs_per_s'] > 0 and r['fast_pairs_per_s'] > 0 and r['slider_ms'] > 0 and r['fuse_ms'] > 0
    out = capsys.readouterr().out
    assert 'baseline' in out and 'fast' in out and 'Λ slider move (paper preset)' in out
