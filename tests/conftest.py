import sys, time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

# The exported package, as users import it (also when pytest runs without `pip install -e .`).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CELEBA_N, CELEBA_TRAIN, CELEBA_VALID = 202_599, 162_770, 19_867  # the official counts (test: 19,962)

def celeba_image(i:int) -> Image.Image:
    "A CelebA-shaped image (178 wide × 218 high): grey, with red bands in the 20 rows above and below the centred square."
    a = np.full((218, 178, 3), 100 + i % 100, np.uint8)
    a[:20] = a[-20:] = (255, 0, 0)
    return Image.fromarray(a)

@pytest.fixture(scope='session')
def celeba_root(tmp_path_factory):
    """A folder with CelebA's official layout and size: img_align_celeba/000001.jpg … 202599.jpg and
    list_eval_partition.txt. Files are empty except a few real JPEGs, enough for indexing and reading tests."""
    root = tmp_path_factory.mktemp('celeba')
    img_dir = root/'img_align_celeba'; img_dir.mkdir()
    t = time.perf_counter()
    names = [f'{i:06d}.jpg' for i in range(1, CELEBA_N + 1)]
    for n in names: open(img_dir/n, 'wb').close()
    for i in (1, 200_000, 200_001, CELEBA_N):  # stored losslessly (PIL reads by content) so that pixel checks are exact
        celeba_image(i).save(img_dir/f'{i:06d}.jpg', format='PNG')
    codes = [0] * CELEBA_TRAIN + [1] * CELEBA_VALID + [2] * (CELEBA_N - CELEBA_TRAIN - CELEBA_VALID)
    (root/'list_eval_partition.txt').write_text(''.join(f'{n} {c}\n' for n, c in zip(names, codes)))
    print(f'\nmade a CelebA-layout folder of {CELEBA_N:,} files in {time.perf_counter() - t:.1f} s')
    return root
