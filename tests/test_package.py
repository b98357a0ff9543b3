"The exported package: runtime imports only, and VGG-19 weights found in the torch hub cache."
import subprocess, sys, warnings
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]

def test_runtime_imports_only():
    "Importing every module pulls in no development tool (nbdev, fastcore, execnb, IPython)."
    mods = sorted(p.stem for p in (ROOT/'facefusion_nb').glob('*.py') if not p.stem.startswith('_'))
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            + ''.join(f"import facefusion_nb.{m}\n" for m in mods)
            + "bad = sorted({m.split('.')[0] for m in sys.modules} & {'nbdev', 'fastcore', 'execnb', 'IPython'})\n"
            + "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

def test_public_names():
    "The names the issues promise, importable from their modules."
    from facefusion_nb.core import chunk_sizes, parse_lambda  # noqa: F401
    from facefusion_nb.models import Encoder, Generator, Discriminator, mix  # noqa: F401
    from facefusion_nb.perceptual import gram_matrix  # noqa: F401
    from facefusion_nb.data import CelebA, SyntheticFaces  # noqa: F401
    from facefusion_nb.training import load_model  # noqa: F401
    from facefusion_nb.widgets import LambdaExplorer  # noqa: F401
    assert chunk_sizes(1024, 5) == [204, 204, 204, 204, 208]

def test_imagenet_weights_from_hub_cache(tmp_path):
    "With vgg19-dcbb9e9d.pth in the hub cache, weights='imagenet' loads it (no network) and warns of nothing."
    from facefusion_nb.perceptual import VGGFeatures, vgg19_features, RandomWeightsWarning, VGG19_FILE
    ref = vgg19_features()
    sd = {f'features.{k}': v for k, v in ref.state_dict().items()}
    sd['classifier.0.weight'] = torch.zeros(2, 2)  # a whole vgg19's keys; the classifier is not used
    (tmp_path/'checkpoints').mkdir(); torch.save(sd, tmp_path/'checkpoints'/VGG19_FILE)
    old = torch.hub.get_dir(); torch.hub.set_dir(str(tmp_path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('error', RandomWeightsWarning)
            P = VGGFeatures(weights='imagenet')
    finally: torch.hub.set_dir(old)
    assert P.pretrained
    assert torch.equal(P.net[28].weight, ref[28].weight)
