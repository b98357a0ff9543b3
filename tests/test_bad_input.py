"Bad input answers with one clear line naming what was wrong and what was expected."
import numpy as np
import pytest
import torch
from PIL import Image

from facefusion_nb.core import parse_lambda, get_settings, Settings
from facefusion_nb.data import CelebA, ImageFolder, ImageError, load_image, prepare, load_cache
from facefusion_nb.models import mix, Encoder
from facefusion_nb.perceptual import VGGFeatures

def one_line(excinfo, *needles):
    msg = str(excinfo.value)
    assert '\n' not in msg, msg
    for n in needles: assert n in msg, f'{n!r} not in {msg!r}'

@pytest.mark.parametrize('spec,needles', [
    ('1,0', ['2 values', 'expected 1', 'or 5']),
    ([1, 0, 0], ['3 values']),
    (1.5, ['1.5', 'outside [0, 1]']),
    ('-0.2', ['-0.2', 'outside [0, 1]']),
    (float('nan'), ['NaN']),
    ('0.1,nan,0,0,0', ['NaN']),
    ('one', ["'one'", 'not a number']),
    ('', ['empty']),
    (None, ['None', 'not a number']),
])
def test_lambda(spec, needles):
    with pytest.raises(ValueError) as e: parse_lambda(spec, 5)
    one_line(e, *needles)

def test_mix_lambda_of_wrong_shape():
    za = torch.zeros(2, 1024, 4, 4)
    with pytest.raises(ValueError) as e: mix(za, za, torch.ones(3, 5))
    one_line(e, 'Λ has 3 rows for a batch of 2')
    with pytest.raises(ValueError) as e: mix(za, za, torch.ones(2, 2, 5))
    one_line(e, 'Λ must have shape [N] or [B, N]')

def test_celeba_without_image_folder(tmp_path):
    with pytest.raises(ValueError) as e: CelebA(tmp_path)
    one_line(e, str(tmp_path), 'no img_align_celeba/ folder', 'official CelebA layout')
    with pytest.raises(ValueError) as e: CelebA(tmp_path/'missing')
    one_line(e, 'missing: no such folder')

def test_celeba_without_partition_file(tmp_path):
    (tmp_path/'img_align_celeba').mkdir()
    Image.new('RGB', (178, 218)).save(tmp_path/'img_align_celeba'/'000001.jpg')
    with pytest.raises(ValueError) as e: CelebA(tmp_path, split='standard')
    one_line(e, 'no list_eval_partition.txt', "split='paper'")

def test_celeba_partition_under_eval(tmp_path):
    (tmp_path/'img_align_celeba').mkdir(); (tmp_path/'Eval').mkdir()
    for i in (1, 2): Image.new('RGB', (178, 218)).save(tmp_path/'img_align_celeba'/f'00000{i}.jpg')
    (tmp_path/'Eval'/'list_eval_partition.txt').write_text('000001.jpg 0\n000002.jpg 2\n')
    assert len(CelebA(tmp_path, 'standard', 'test')) == 1

def test_unreadable_images(tmp_path):
    (tmp_path/'text.jpg').write_text('hello')
    Image.new('RGB', (50, 50), 'red').save(tmp_path/'ok.jpg')
    (tmp_path/'cut.jpg').write_bytes((tmp_path/'ok.jpg').read_bytes()[:300])
    for name, needle in (('text.jpg', 'not an image'), ('cut.jpg', 'cannot decode'), ('gone.jpg', 'no such file')):
        with pytest.raises(ImageError) as e: load_image(tmp_path/name, 32)
        one_line(e, name, needle)
    with pytest.warns(UserWarning, match='skipped 2 unreadable'):
        ds = ImageFolder(tmp_path, size=32)
    assert len(ds) == 1 and len(ds.skipped) == 2

def test_folder_of_unreadable_images_only(tmp_path):
    (tmp_path/'a.png').write_text('x')
    with pytest.raises(ValueError) as e, pytest.warns(UserWarning): ImageFolder(tmp_path)
    one_line(e, 'none of its 1 image files can be read')

@pytest.mark.parametrize('mode,size', [('L', (40, 30)), ('RGBA', (30, 40)), ('P', (17, 91)), ('CMYK', (64, 64)),
                                       ('I;16', (33, 21)), ('1', (5, 7))])
def test_odd_images_are_converted(tmp_path, mode, size):
    path = tmp_path/('img.tiff' if mode in ('CMYK', 'I;16') else 'img.png')
    Image.new(mode, size).save(path)
    out = load_image(path, 32)
    assert out.shape == (32, 32, 3) and out.dtype == np.uint8

def test_image_of_wrong_size_for_encoder():
    with pytest.raises(ValueError) as e: Encoder()(torch.zeros(1, 3, 64, 64))
    one_line(e, 'expects images [B, 3, 128, 128]', '(1, 3, 64, 64)')

def test_settings(tmp_path):
    with pytest.raises(ValueError) as e: get_settings('large')
    one_line(e, "unknown preset 'large'", 'paper', 'small')
    (tmp_path/'s.json').write_text('{"img_size": 64, "colour": 3}')
    with pytest.raises(ValueError) as e: Settings.load(tmp_path/'s.json')
    one_line(e, 'unknown settings: colour')

def test_vgg_weights_file(tmp_path):
    (tmp_path/'bad.pth').write_text('not torch')
    with pytest.raises(ValueError) as e: VGGFeatures(weights=tmp_path/'bad.pth')
    one_line(e, 'bad.pth: cannot read VGG-19 weights')

def test_cache_mismatch(tmp_path):
    Image.new('RGB', (20, 20)).save(tmp_path/'a.png'); Image.new('RGB', (20, 20)).save(tmp_path/'b.png')
    cache = prepare(tmp_path, tmp_path/'c.npy', size=16, workers=1)
    with pytest.raises(ValueError) as e: ImageFolder(tmp_path, size=32, cache=cache)
    one_line(e, 'c.npy: cache holds 16×16 images; expected 32×32')
    with pytest.raises(ValueError) as e: load_cache(tmp_path/'nothing.npy')
    one_line(e, 'nothing.npy: no such cache')
