"Device handling, on a CPU: tensors that live on an accelerator reach NumPy and PIL through .cpu(), and a GPU asked for where there is none is one clear line."
import numpy as np
import pytest
import torch

class OnDevice(torch.Tensor):
    "A tensor that acts as if it lived on a GPU: .numpy() refuses as CUDA tensors do, .cpu() gives a plain CPU tensor."
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func is torch.Tensor.numpy:
            raise TypeError("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.")
        if func is torch.Tensor.cpu: return args[0].as_subclass(torch.Tensor).clone()
        return super().__torch_function__(func, types, args, kwargs)

def on_device(x): return x.as_subclass(OnDevice)

def test_the_stand_in_refuses_numpy():
    with pytest.raises(TypeError, match='Use Tensor.cpu'): on_device(torch.zeros(2)).numpy()
    assert type(on_device(torch.zeros(2)).float().cpu()) is torch.Tensor

def test_feature_maps_and_images_leave_the_device():
    "The crash seen on an H100: figures' tile_maps called .numpy() on CUDA feature maps."
    from facefusion_nb.figures import tile_maps
    from facefusion_nb.core import tensor2uint8, tensor2img
    from facefusion_nb.health import captioned
    f = torch.rand(5, 4, 4)
    assert np.array_equal(tile_maps(on_device(f)), tile_maps(f))
    x = torch.rand(2, 3, 8, 8) * 2 - 1
    assert np.array_equal(tensor2uint8(on_device(x)), tensor2uint8(x)) and tensor2img(on_device(x[0])).size == (8, 8)
    assert captioned(on_device(torch.rand(3, 20, 10)), ['caption'], ['A', 'B']).size[1] > 20

def test_health_check_leaves_the_device():
    from facefusion_nb.core import get_settings
    from facefusion_nb.models import build_networks
    from facefusion_nb.health import fusion_health
    E, G, D = build_networks(get_settings('small', img_size=16, ch=4))
    a, b = torch.rand(4, 3, 16, 16) * 2 - 1, torch.rand(4, 3, 16, 16) * 2 - 1
    h = fusion_health(E, G, D, on_device(a), on_device(b), torch.ones(4, 5))
    assert h == fusion_health(E, G, D, a, b, torch.ones(4, 5))

@pytest.mark.skipif(torch.cuda.is_available(), reason='this machine has a GPU')
def test_cuda_without_a_gpu_is_one_line(tmp_path, capsys):
    from facefusion_nb.cli import main
    for args in (['train', '--steps', '1', '--out', tmp_path/'r'], ['evaluate', '--ckpt', tmp_path], ['bench', '--preset', 'small']):
        assert main([*map(str, args), '--device', 'cuda']) == 1
        err = capsys.readouterr().err
        assert err.count('\n') == 1 and 'no CUDA GPU is available here; use --device cpu' in err, err
