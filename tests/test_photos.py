"""Photos as phones make them (issue 29): HEIC/AVIF, batches that survive bad files and never overwrite a crop, a face
chosen per photo, exposure and a cut forehead, padding outside the photo, degenerate sizes, mirrored selfies, and
48–200 MP photos (the last two `slow`: FACEFUSION_SLOW=1)."""
import os, re, shutil, subprocess, sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from test_cli import ff, one_line_error, ENV
from test_align import RUN, _shift

cv2 = pytest.importorskip('cv2')
skdata = pytest.importorskip('skimage.data')
slow = pytest.mark.skipif(not os.environ.get('FACEFUSION_SLOW'), reason='slow (48 and 200 MP photos): set FACEFUSION_SLOW=1')

@pytest.fixture(scope='module')
def ref(tmp_path_factory):
    "The astronaut's crop, aligned from a JPEG: what every other version of it is compared with."
    d = tmp_path_factory.mktemp('ref')
    Image.fromarray(skdata.astronaut()).save(d/'astronaut.jpg', quality=95)
    ff('align', d/'astronaut.jpg', '--out', d)
    return np.asarray(Image.open(d/'astronaut_aligned.png'))

def crop(d, stem) -> np.ndarray: return np.asarray(Image.open(Path(d)/f'{stem}_aligned.png'))

def test_heic_avif_and_folders(ref, tmp_path):
    "An iPhone's HEIC and an AVIF align like the JPEG; a folder of them is a dataset; a file no reader knows says what it is."
    from facefusion_nb.data import list_images, read_image
    a = Image.fromarray(skdata.astronaut()); (tmp_path/'in').mkdir()
    a.save(tmp_path/'in'/'IMG_0003.HEIC'); a.save(tmp_path/'in'/'photo.avif')
    ff('align', tmp_path/'in', '--out', tmp_path/'out')
    for stem in ('IMG_0003', 'photo'): assert _shift(ref, crop(tmp_path/'out', stem)) <= 2
    assert [p.name for p in list_images(tmp_path/'in')] == ['IMG_0003.HEIC', 'photo.avif']
    assert read_image(tmp_path/'in'/'IMG_0003.HEIC').size == (512, 512)
    (tmp_path/'bad').mkdir()
    (tmp_path/'bad'/'clip.heic').write_bytes(b'\0\0\0\x18ftypheic' + bytes(200))
    (tmp_path/'bad'/'scan.jpg').write_bytes(b'%PDF-1.7\n' + bytes(200))
    r = ff('align', tmp_path/'bad'/'clip.heic', tmp_path/'bad'/'scan.jpg', '--out', tmp_path/'o2', ok=False)
    one_line_error(r, 'clip.heic: a HEIC/HEIF/AVIF file that libheif cannot decode', 'scan.jpg: a PDF')

def test_a_batch_survives_bad_photos_and_names_them_all(ref, tmp_path):
    "Good photos are written, bad ones named together at the end with exit code 1; clashing names get their own crops."
    a, d = skdata.astronaut(), tmp_path/'in'
    for sub in ('a', 'b'): (d/sub).mkdir(parents=True); Image.fromarray(a).save(d/sub/'IMG_0001.JPG')
    Image.fromarray(a).save(d/'IMG_0002.jpg'); Image.fromarray(a).save(d/'IMG_0002.png')
    Image.fromarray(skdata.coffee()).save(d/'coffee.jpg'); Image.new('RGB', (1, 3000)).save(d/'thin.png')
    Image.new('RGB', (3000, 1)).save(d/'flat.png')
    r = ff('align', d, '--out', tmp_path/'out', ok=False)
    one_line_error(r, '3 of 7 photos not aligned', 'coffee.jpg: no face found', 'thin.png: 1×3000 pixels is too small',
                   'flat.png: 3000×1 pixels')
    stems = sorted(p.name[:-len('_aligned.png')] for p in (tmp_path/'out').glob('*_aligned.png'))
    assert stems == ['IMG_0001', 'IMG_0001_jpg', 'IMG_0002', 'IMG_0002_png'], stems
    assert 'named IMG_0002_png' in r.stdout and 'named IMG_0001_jpg' in r.stdout, r.stdout
    for s in stems: assert _shift(ref, crop(tmp_path/'out', s)) <= 2
    # fuse makes one image: all or nothing, with every bad input named at once
    run = tmp_path/'run'; shutil.copytree(RUN, run)
    r = ff('fuse', '--ckpt', run, '--lam', '.5', '--align', d/'coffee.jpg', d/'thin.png', '-o', tmp_path/'c.png', ok=False)
    one_line_error(r, '2 of 2 photos not aligned', 'coffee.jpg: no face found', 'thin.png')
    r = ff('fuse', '--ckpt', run, '--lam', '.5', tmp_path/'nothing.jpg', d/'coffee.jpg', tmp_path/'no.png', '-o', tmp_path/'c.png', ok=False)
    one_line_error(r, '2 of 3 inputs cannot be read', 'nothing.jpg: no such file', 'no.png: no such file')
    assert not (tmp_path/'c.png').exists()

def test_a_face_chosen_per_photo(ref, tmp_path):
    "PHOTO:K takes face K of a group photo, beside a photo of one person (face 0)."
    from facefusion_nb.align import in_photo
    a = skdata.astronaut()
    group, _ = in_photo(a, (1600, 900), 1.2, (.3, .45))
    small, _ = in_photo(a, (1600, 900), .8, (.75, .45), group)
    Image.fromarray(small).save(tmp_path/'group.jpg', quality=95); Image.fromarray(a).save(tmp_path/'one.jpg', quality=95)
    r = ff('align', f'{tmp_path}/group.jpg:1', tmp_path/'one.jpg', f'{tmp_path}/group.jpg:2', '--out', tmp_path/'out', ok=False)
    assert '2 faces found; used face 1' in r.stdout, r.stdout
    one_line_error(r, '1 of 3 photos not aligned', 'group.jpg: --face 2: 2 face(s) found')
    assert _shift(ref, crop(tmp_path/'out', 'group')) <= 2  # face 1, the smaller astronaut, aligned like the reference
    run = tmp_path/'run'; shutil.copytree(RUN, run)
    ff('fuse', '--ckpt', run, '--lam', '.5', '--align', f'{tmp_path}/group.jpg:1', tmp_path/'one.jpg', '-o', tmp_path/'c.png')
    one_line_error(ff('fuse', '--ckpt', run, '--lam', '.5', f'{tmp_path}/group.jpg:1', tmp_path/'one.jpg', '-o', tmp_path/'c.png',
                      ok=False), 'PHOTO:K picks a face in a photo; it needs --align')

def test_exposure_framing_and_padding(ref, tmp_path):
    """Faces found at ×2 exposure, washed out, and with the forehead cut by the frame; each crop within 2 px of the
    reference. Where the crop reaches past the photo, it is a blurred reflection, not streaks of the edge's pixels."""
    a = skdata.astronaut().astype(float)
    made = {'bright2': a * 2, 'washed': a * .45 + 140, 'dark': a * .3}
    from facefusion_nb.align import detect_faces
    eyes = detect_faces(skdata.astronaut())[0].eyes
    top = int(eyes[:, 1].mean() - .5 * np.linalg.norm(eyes[1] - eyes[0]))  # the frame's top edge half an eye distance above the eyes
    made['forehead_cut'] = a[top:]
    for n, x in made.items(): Image.fromarray(x.clip(0, 255).astype(np.uint8)).save(tmp_path/f'{n}.png')
    ff('align', *[tmp_path/f'{n}.png' for n in made], '--out', tmp_path/'out')
    shifts = {n: _shift(ref, crop(tmp_path/'out', n)) for n in ('bright2', 'washed', 'dark')}
    assert max(shifts.values()) <= 2, shifts
    cut = crop(tmp_path/'out', 'forehead_cut').astype(float)
    found = np.asarray(Image.open(tmp_path/'out'/'forehead_cut_found.png'))
    assert (found == (128, 128, 128)).all(-1)[:5].mean() > .2  # the found image shows, in grey, the crop's part past the photo
    pad = cut[:10]; face = ref[40:100].astype(float)
    streaks = np.abs(np.diff(pad, axis=1)).mean() / np.abs(np.diff(face, axis=1)).mean()
    assert streaks < .35, streaks  # blurred: far less horizontal detail than the face (replicated edges: streaks of full detail)
    assert np.abs(cut[60:] - ref[60:]).mean() < 12  # below the cut, the same crop

def test_mirrored_selfies_align_like_the_photo(ref):
    "A front camera's mirror image, also turned by up to 20°, gives the reference crop mirrored, within 1.5 px."
    from facefusion_nb.align import align_face
    m = np.ascontiguousarray(skdata.astronaut()[:, ::-1]); h, w = m.shape[:2]
    flipped = np.ascontiguousarray(ref[:, ::-1])
    for ang in (-20, 0, 20):
        x = cv2.warpAffine(m, cv2.getRotationMatrix2D((w / 2, h / 2), ang, 1.0), (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
        assert _shift(flipped, np.asarray(align_face(x).crop)) <= 1.5, ang

def big_photo(path, W:int, H:int, scale:float):
    "The astronaut at `scale` in a W×H JPEG on a coffee backdrop, made in strips so that a 200 MP photo fits in memory."
    from facefusion_nb.align import in_photo
    back = cv2.resize(skdata.coffee(), (W, H), interpolation=cv2.INTER_LINEAR)
    photo, _ = in_photo(skdata.astronaut(), (W, H), scale, (.4, .4), back); del back
    Image.fromarray(photo).save(path, quality=90)

@slow
@pytest.mark.parametrize('W,H,scale,secs,gb', [(8000, 6000, 4, 6, 1.5), (16320, 12240, 8, 12, 1.5)])
def test_any_phones_megapixels(ref, tmp_path, W, H, scale, secs, gb):
    "48 and 200 MP photos align with no warning, within 2 px, at most 1.5 GB; 48 MP within 6 s (`/usr/bin/time -v`)."
    big_photo(tmp_path/'big.jpg', W, H, scale)
    r = subprocess.run(['/usr/bin/time', '-v', sys.executable, '-m', 'facefusion_nb.cli', 'align', str(tmp_path/'big.jpg'),
                        '--out', str(tmp_path/'out')], capture_output=True, text=True, env=ENV, timeout=600)
    assert r.returncode == 0 and 'Warning' not in r.stderr, r.stderr[-2000:]
    rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', r.stderr).group(1)) / 2**20
    m, s = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\d+):([\d.]+)', r.stderr).groups()
    t = int(m) * 60 + float(s)
    print(f'\n{W}×{H}: {t:.1f} s, {rss:.2f} GB')
    assert rss <= gb and t <= secs, (t, rss)
    assert _shift(ref, crop(tmp_path/'out', 'big')) <= 2

def test_a_decompression_bomb_is_refused_in_one_line(tmp_path):
    "Over MAX_PIXELS (256 MP), a photo is refused by its header alone, in one line that says the limit."
    Image.new('1', (20000, 13000)).save(tmp_path/'bomb.png')  # 260 MP of black in 1 bit: a few hundred KB
    one_line_error(ff('align', tmp_path/'bomb.png', '--out', tmp_path/'out', ok=False), 'bomb.png: 20000×13000 pixels (260 MP)',
                   'limit of 256 MP')
