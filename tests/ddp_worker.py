"Run under torchrun by test_ddp.py: train a tiny model with torch.distributed (Gloo) and save this rank's parameters."
import sys, warnings
from pathlib import Path

import torch
import torch.distributed as dist

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from facefusion_nb.core import get_settings
from facefusion_nb.training import train, StepBatches

out, adv_loss = Path(sys.argv[1]), sys.argv[2]
warnings.simplefilter('ignore')
s = get_settings('small', img_size=16, ch=4, batch_size=8, ae_steps=2, synthetic_n=64, synthetic_test_n=8,
                 vgg_weights='random', adv_loss=adv_loss)
dist.init_process_group('gloo')
rank, world = dist.get_rank(), dist.get_world_size()
t = train(s, ('synthetic',), out/'run', steps=5, device='cpu', ckpt_every=5, quiet=True)
torch.save({'params': {k: {n: p.detach().clone() for n, p in getattr(t, k).named_parameters()} for k in 'EGD'},
            'world': world, 'batch': StepBatches(len(t.ds), s.batch_size, s.seed, rank=rank, world=world).batch(4)},
           out/f'rank{rank}.pt')
dist.destroy_process_group()
