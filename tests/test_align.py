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

def test_no_face_is_one_line_and_the_rest_is_written(photos, tmp_path):
    out = tmp_path/'out'
    r = ff('align', photos/'astronaut.jpg', photos/'coffee.jpg', '--out', out, ok=False)
    assert r.returncode == 1
    one_line_error(r, '1 of 2 photos not aligned', 'coffee.jpg: no face found')
    assert (out/'astronaut_aligned.png').exists() and not (out/'coffee_aligned.png').exists()

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

# Phone photos: the eight EXIF orientations, and faces of 100 px and more in photos up to 12 MP.
STORED = {1: lambda v: v, 2: lambda v: v[:, ::-1], 3: lambda v: v[::-1, ::-1], 4: lambda v: v[::-1], 5: lambda v: v.transpose(1, 0, 2),
          6: lambda v: np.rot90(v, 1), 7: lambda v: v[::-1, ::-1].transpose(1, 0, 2), 8: lambda v: np.rot90(v, -1)}
"How a camera stores the pixels of the viewed image `v` under each EXIF orientation (the standard's definition, not PIL's table)."

def save_tagged(viewed:np.ndarray, path, orientation:int=1, **kw):
    "Save `viewed` as a camera would: its pixels stored for `orientation`, and the EXIF tag that tells a viewer how to turn them."
    img = Image.fromarray(np.ascontiguousarray(STORED[orientation](viewed)))
    exif = img.getexif(); exif[0x0112] = orientation
    img.save(path, exif=exif, quality=kw.get('quality', 95))

def busy(W:int, H:int) -> np.ndarray:
    "A backdrop without faces, from four of scikit-image's photos."
    t = [skdata.coffee(), skdata.chelsea(), skdata.rocket(), skdata.hubble_deep_field()]
    r = lambda a, w, h: cv2.resize(a, (w, h), interpolation=cv2.INTER_AREA)
    return np.vstack([np.hstack([r(t[0], W // 2, H // 2), r(t[1], W - W // 2, H // 2)]),
                      np.hstack([r(t[2], W // 2, H - H // 2), r(t[3], W - W // 2, H - H // 2)])])

def test_every_exif_orientation_is_read_upright(photos, tmp_path):
    "The astronaut stored in each of the 8 orientations, tagged: every crop is the upright photo's crop, within 2 px."
    a = skdata.astronaut()
    for o in STORED: save_tagged(a, tmp_path/f'o{o}.jpg', o)
    r = ff('align', photos/'astronaut.jpg', *[tmp_path/f'o{o}.jpg' for o in STORED], '--out', tmp_path/'out')
    assert len(r.stdout.splitlines()) == 9, r.stdout
    ref = np.asarray(Image.open(tmp_path/'out'/'astronaut_aligned.png'))
    shifts = {o: _shift(ref, np.asarray(Image.open(tmp_path/'out'/f'o{o}_aligned.png'))) for o in STORED}
    assert max(shifts.values()) <= 2, shifts
    # and the crop itself is upright: read as stored, orientation 6 would be turned by 90°, far from the reference
    assert np.abs(np.asarray(Image.open(tmp_path/'out'/'o6_aligned.png'), float) - ref).mean() < 12

def test_faces_in_phone_sized_photos(photos, tmp_path):
    """Faces 100–700 px wide in photos of 1100×800 to 12 MP, on plain and busy backdrops, some stored sideways with
    EXIF 6 or 8 as phones do: each is found once and its crop matches the astronaut's within 2 px."""
    from facefusion_nb.align import in_photo
    a = skdata.astronaut()
    made = {'off_1100': ((1100, 800), 1, (.25, .7), 'plain', 1), 'selfie': ((4032, 3024), 5, (.5, .5), 'busy', 1),
            'portrait': ((3024, 4032), 3, (.45, .4), 'busy', 6), 'half_body': ((3024, 4032), 2, (.6, .3), 'plain', 8),
            'group': ((4032, 3024), 1, (.3, .4), 'busy', 1), 'face100': ((4032, 3024), .72, (.8, .2), 'busy', 6)}
    for name, (size, k, centre, back, o) in made.items():
        photo, _ = in_photo(a, size, k, centre, busy(*size) if back == 'busy' else None)
        save_tagged(photo, tmp_path/f'{name}.jpg', o, quality=90)
    r = ff('align', *[tmp_path/f'{n}.jpg' for n in made], '--out', tmp_path/'out')
    assert 'faces found' not in r.stdout, r.stdout  # one face in each: no false second face
    ff('align', photos/'astronaut.jpg', '--out', tmp_path/'ref')
    ref = np.asarray(Image.open(tmp_path/'ref'/'astronaut_aligned.png'))
    shifts = {n: _shift(ref, np.asarray(Image.open(tmp_path/'out'/f'{n}_aligned.png'))) for n in made}
    assert max(shifts.values()) <= 2, shifts
    # fuse --align takes them too; a 12 MP photo without a face is one line
    run = tmp_path/'run'; shutil.copytree(RUN, run)
    ff('fuse', '--ckpt', run, '--lam', '0.5', '--align', tmp_path/'group.jpg', tmp_path/'portrait.jpg', '-o', tmp_path/'c.png')
    assert Image.open(tmp_path/'c.png').size == (16, 16)
    x = skdata.coffee(); Image.fromarray(cv2.resize(x, (4032, 2688), interpolation=cv2.INTER_CUBIC)).save(tmp_path/'coffee12.jpg', quality=90)
    one_line_error(ff('fuse', '--ckpt', run, '--lam', '1', '--align', tmp_path/'selfie.jpg', tmp_path/'coffee12.jpg', '-o',
                      tmp_path/'x.png', ok=False), 'coffee12.jpg', 'no face found')
