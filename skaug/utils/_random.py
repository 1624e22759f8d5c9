"""Turn a scikit-learn ``random_state`` into seeds for torch.

skorch has no ``random_state`` of its own. skaug seeds every network from the
estimator's ``random_state`` *without* touching the caller's global RNGs: training
runs inside :func:`torch.random.fork_rng`, and sampling draws from a private
:class:`torch.Generator`.
"""

import threading
from contextlib import contextmanager

import numpy as np
import torch
from sklearn.utils import check_random_state

#: Exclusive upper bound of the int seeds drawn for numpy and torch.
SEED_MAX = np.iinfo(np.int32).max

# torch's global RNG is one per process: two threads that seed and fork it at
# the same time (joblib's "threading" backend, a thread pool) would draw each
# other's numbers. Seeded blocks hold this lock, so threads take turns and each
# gets the numbers of its own seed. Re-entrant: seeded blocks nest (a net's fit
# scores rows with another net's seeded passes).
_GLOBAL_RNG_LOCK = threading.RLock()


def draw_seed(random_state):
    """Draw an int seed from anything :func:`check_random_state` accepts.

    An int ``random_state`` always gives the same seed; a ``RandomState`` moves on,
    as in scikit-learn.
    """
    return int(check_random_state(random_state).randint(SEED_MAX))


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


def manual_seed(seed, device=None):
    """Seed torch's CPU RNG and, when ``device`` names a CUDA device, its RNG.

    It seeds what :func:`torch_seed` forks and nothing else. Unlike
    :func:`torch.manual_seed`, it leaves the RNGs of other devices alone and
    is cheap enough for a hot loop: without an initialised CUDA context,
    ``torch.manual_seed`` queues a lazy CUDA (and XPU) seeding that formats
    the whole Python stack on every call, which cost a guided VAE fit a third
    of its time (one call per training batch).

    Parameters
    ----------
    seed : int
    device : str or torch.device, default=None
    """
    seed = int(seed)
    torch.default_generator.manual_seed(seed)
    for index in _cuda_devices(device):
        with torch.cuda.device(index):
            torch.cuda.manual_seed(seed)


@contextmanager
def torch_seed(seed, device=None):
    """Run the block with torch's global RNG seeded, then restore it.

    The block holds a process-wide re-entrant lock, so the seeded blocks of
    different threads run one at a time: each is reproducible whatever runs
    beside it (threads take turns; processes, joblib's default ``"loky"``
    backend, run in parallel).

    Parameters
    ----------
    seed : int
        Seed of torch's CPU RNG inside the block (see :func:`manual_seed`).
    device : str or torch.device, default=None
        When it names a CUDA device, that device's RNG is forked and seeded
        too.
    """
    devices = _cuda_devices(device)
    with _GLOBAL_RNG_LOCK, torch.random.fork_rng(devices=devices):
        manual_seed(seed, device)
        yield
