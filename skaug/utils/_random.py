"""Turn a scikit-learn ``random_state`` into seeds for torch.

skorch has no ``random_state`` of its own. skaug seeds every network from the
estimator's ``random_state`` *without* touching the caller's global RNGs: training
runs inside :func:`torch.random.fork_rng`, and sampling draws from a private
:class:`torch.Generator`.
"""

from contextlib import contextmanager

import numpy as np
import torch
from sklearn.utils import check_random_state

_MAX_SEED = np.iinfo(np.int32).max


def draw_seed(random_state):
    """Draw an int seed from anything :func:`check_random_state` accepts.

    An int ``random_state`` always gives the same seed; a ``RandomState`` moves on,
    as in scikit-learn.
    """
    return int(check_random_state(random_state).randint(_MAX_SEED))


def make_generator(seed):
    """A CPU :class:`torch.Generator` seeded with ``seed``.

    Random draws happen on the CPU and are then moved to the device, so the same
    seed gives the same numbers whatever the device.
    """
    return torch.Generator().manual_seed(int(seed))


def _cuda_devices(device):
    if device is None or not torch.cuda.is_available():
        return []
    device = torch.device(device)
    if device.type != "cuda":
        return []
    return [device.index if device.index is not None else torch.cuda.current_device()]


@contextmanager
def torch_seed(seed, device=None):
    """Run the block with torch's global RNG seeded, then restore it.

    Parameters
    ----------
    seed : int
        Seed for :func:`torch.manual_seed` inside the block.
    device : str or torch.device, default=None
        When it names a CUDA device, that device's RNG is forked too.
    """
    with torch.random.fork_rng(devices=_cuda_devices(device)):
        torch.manual_seed(int(seed))
        yield
