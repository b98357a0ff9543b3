"`facefusion align`, `fuse --align` and `sweep --align` end to end, on scikit-image's astronaut photo and harder versions of it."
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from test_cli import ff, one_line_error

cv2 = pytest.importorskip('cv2')
skdata = pytest.importorskip('skimage.data')
RUN = Path(__file__).parent/'fixtures'/'run_0c1157c'  # a tiny run on synthetic faces (16×16)

@pytest.fixture(scope='module')
def photos(tmp_path_factory):
    "The astronaut photo, its rotated, scaled, shifted, off-centre and mirrored versions, and coffee (no face), as JPEGs."
    from facefusion_nb.align import harder_versions
    d = tmp_path_factory.mktemp('photos'); a = skdata.astronaut()
    Image.fromarray(a).save(d/'astronaut.jpg', quality=95)
    names = {'rotated +20°': 'rot_p20', 'rotated −20°': 'rot_m20', 'scaled 0.5': 'half', 'scaled 1.5': 'big', 'shifted': 'shifted',
             'off-centre': 'off_centre', 'mirrored': 'mirrored'}
    for k, (x, _) in harder_versions(a).items(): Image.fromarray(x).save(d/f'{names[k]}.jpg', quality=95)
    Image.fromarray(skdata.coffee()).save(d/'coffee.jpg', quality=95)
    return d

def _shift(a:np.ndarray, b:np.ndarray) -> float:
    "How far image b is moved against image a (phase correlation of their grey levels), in pixels."
    g = lambda x: cv2.cvtColor(x, cv2.COLOR_RGB2GRAY).astype(np.float64)
    (dx, dy), _ = cv2.phaseCorrelate(g(a), g(b), cv2.createHanningWindow(a.shape[:2][::-1], cv2.CV_64F))
    return float(np.hypot(dx, dy))

def test_align_puts_the_eyes_in_the_same_place(photos, tmp_path):
    "The crops of the astronaut and of its rotated, scaled and shifted versions agree within 2 px at 128×128."
    names = ['astronaut', 'rot_p20', 'rot_m20', 'half', 'big', 'shifted', 'off_centre']
    r = ff('align', *[photos/f'{n}.jpg' for n in names], '--out', tmp_path)
    assert len(r.stdout.splitlines()) == len(names), r.stdout
    crops = {n: np.asarray(Image.open(tmp_path/f'{n}_aligned.png')) for n in names}
    assert all(c.shape == (128, 128, 3) for c in crops.values())
    shifts = {n: _shift(crops['astronaut'], crops[n]) for n in names[1:]}
    assert max(shifts.values()) <= 2, shifts
    for n in names: assert Image.open(tmp_path/f'{n}_found.png').size[0] <= 512
    # the mirror image is the mirrored crop, to within the same 2 px
    ff('align', photos/'mirrored.jpg', '--out', tmp_path)
    assert _shift(crops['astronaut'][:, ::-1].copy(), np.asarray(Image.open(tmp_path/'mirrored_aligned.png'))) <= 2

def test_no_face_is_one_line_and_writes_nothing(photos, tmp_path):
    out = tmp_path/'out'
    r = ff('align', photos/'astronaut.jpg', photos/'coffee.jpg', '--out', out, ok=False)
    assert r.returncode == 1
    one_line_error(r, 'coffee.jpg', 'no face found')
    assert not out.exists()  # the astronaut aligned, but nothing is written while one photo fails

def test_fuse_and_sweep_align_photos(photos, tmp_path):
    run = tmp_path/'run'; shutil.copytree(RUN, run)
    ff('fuse', '--ckpt', run, '--lam', '0.5', '--align', photos/'rot_p20.jpg', photos/'shifted.jpg', '-o', tmp_path/'c.png')
    assert Image.open(tmp_path/'c.png').size == (16, 16)
    ff('sweep', '--ckpt', run, '--align', photos/'astronaut.jpg', photos/'mirrored.jpg', '-o', tmp_path/'s.png')
    assert Image.open(tmp_path/'s.png').size[1] == 2 * 16 + 4
    one_line_error(ff('fuse', '--ckpt', run, '--lam', '1', '--align', photos/'astronaut.jpg', photos/'coffee.jpg', '-o',
                      tmp_path/'x.png', ok=False), 'coffee.jpg', 'no face found')
    assert not (tmp_path/'x.png').exists()
    one_line_error(ff('fuse', '--ckpt', run, '--lam', '1', '--align', '--face', '3', photos/'astronaut.jpg', photos/'shifted.jpg',
                      '-o', tmp_path/'x.png', ok=False), 'astronaut.jpg', '--face 3: 1 face(s) found')
