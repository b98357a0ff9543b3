"The CelebA loader on a folder of the official layout and size (202,599 files)."
import time

import numpy as np
import pytest
import torch

from facefusion_nb.data import CelebA, load_image
from conftest import CELEBA_N, celeba_image

def timed(f):
    t = time.perf_counter(); out = f(); return out, time.perf_counter() - t

def test_paper_split(celeba_root):
    train, dt = timed(lambda: CelebA(celeba_root, split='paper', subset='train'))
    test = CelebA(celeba_root, split='paper', subset='test')
    print(f'paper split indexed in {dt:.2f} s')
    assert (len(train), len(test)) == (200_000, 2_599)
    assert train.keys[-1] == '200000.jpg' and test.keys[0] == '200001.jpg'
    assert test.keys[-1] == f'{CELEBA_N}.jpg'

def test_standard_split(celeba_root):
    sizes = {}
    for subset in ('train', 'valid', 'test'):
        ds, dt = timed(lambda: CelebA(celeba_root, split='standard', subset=subset))
        sizes[subset] = len(ds)
        print(f'standard/{subset} indexed in {dt:.2f} s')
    assert sizes == {'train': 162_770, 'valid': 19_867, 'test': 19_962}

def test_items_are_centre_cropped_tensors(celeba_root):
    test = CelebA(celeba_root, split='paper', subset='test')
    x = test[0]                                   # 200001.jpg
    assert x.shape == (3, 128, 128) and x.dtype == torch.float32
    assert -1 <= x.min() and x.max() <= 1
    # the red bands outside the centred 178×178 square are gone: the image is uniformly grey
    grey = (100 + 200_001 % 100) / 127.5 - 1
    assert torch.allclose(x, torch.full_like(x, grey), atol=3 / 127.5)
    # and the same as the image cropped and resized by hand
    ref = np.asarray(celeba_image(200_001).crop((0, 20, 178, 198)).resize((128, 128)))
    assert np.abs(load_image(test.file(0), 128).astype(int) - ref.astype(int)).max() <= 3

def test_other_sizes(celeba_root):
    x = CelebA(celeba_root, split='standard', subset='train', size=64)[0]
    assert x.shape == (3, 64, 64)

def test_empty_file_is_a_clear_error(celeba_root):
    from facefusion_nb.data import ImageError
    ds = CelebA(celeba_root, split='paper', subset='test')
    with pytest.raises(ImageError, match=r'200002\.jpg: cannot decode|200002\.jpg: not an image'):
        ds[1]

def test_incomplete_folder_warns(celeba_root, tmp_path):
    # a partial download: the paper split still needs more than 200,000 files
    (tmp_path/'img_align_celeba').mkdir()
    for i in range(1, 11): open(tmp_path/'img_align_celeba'/f'{i:06d}.jpg', 'wb').close()
    with pytest.raises(ValueError, match='needs the complete folder'):
        CelebA(tmp_path)
