"""Shared glue for the skorch nets of skaug: defaults, parameter checks,
seeding, divergence checks and batched datasets.

skorch has no ``random_state`` and validates only the names of its arguments.
:class:`SkaugNetMixin` adds the two things a scikit-learn user expects:

* the new arguments of a subclass are checked against its
  ``_parameter_constraints`` when the net is initialised (skorch calls
  ``_validate_params`` from ``initialize``), with scikit-learn's own messages;
* ``fit`` runs with torch's global RNG forked and seeded from ``random_state``,
  so the same seed gives the same net on the CPU and the caller's RNG is left
  as it was.

It also lets a subclass inject arguments that depend on the data (the number of
input features, of classes, the encoder's column layout) into its module and
criterion without writing them into public parameters, which would make
``get_params`` after ``fit`` differ from what the user passed.

The generative nets add the generator protocol of
:mod:`skaug.models._generators` on top.
"""

import math

import numpy as np
import torch
from sklearn.utils._param_validation import validate_parameter_constraints
from skorch.dataset import Dataset
from skorch.utils import is_dataset, to_tensor
from torch.utils.data import default_collate

from skaug.exceptions import DivergenceError
from skaug.utils._persistence import VersionedPickleMixin
from skaug.utils._random import draw_seed, torch_seed


def _to_device(data, device):
    """Arrays (or a dict of arrays) copied into tensors on ``device``."""
    if isinstance(data, dict):
        return {key: _to_device(value, device) for key, value in data.items()}
    if isinstance(data, np.ndarray):
        return torch.tensor(data, device=device)
    return data


class BatchedDataset(Dataset):
    """skorch's :class:`~skorch.dataset.Dataset`, fetched a mini-batch at a time.

    PyTorch's ``DataLoader`` calls ``__getitems__`` with all the indices of a
    batch when a dataset has it; indexing the arrays once per batch instead of
    once per row removes the per-row Python work that dominates small nets.

    On an accelerator (``device`` other than the CPU) the arrays are copied
    there once, when the dataset is made, and every batch is indexed on the
    device instead of being copied to it; on the CPU they stay as they are.
    """

    def __init__(self, X, y=None, length=None, device="cpu"):
        self.device = "cpu" if device is None else device
        if torch.device(self.device).type != "cpu":
            X, y = _to_device(X, self.device), _to_device(y, self.device)
        super().__init__(X, y, length=length)

    def __getitems__(self, indices):
        # tensors, as default_collate would have made them
        indices = np.asarray(indices, dtype=np.intp)
        if _plain(self.X) and (self.y is None or _plain(self.y)):
            # plain arrays are indexed directly: skorch's generic indexing
            # inspects the key element by element (a third of a small net's
            # epoch at batch size 512)
            Xi = self.X[indices]
            yi = None if self.y is None else self.y[indices]
            Xi, yi = self.transform(Xi, yi)
        else:
            Xi, yi = self[indices]
        return to_tensor(Xi, device=self.device), to_tensor(yi, device=self.device)


def _plain(data):
    return isinstance(data, (np.ndarray, torch.Tensor))


def collate_batch(batch):
    """Collate for :class:`BatchedDataset`: its batches come ready-made; a list
    of single rows (from any other dataset) goes through ``default_collate``."""
    if isinstance(batch, list):
        return default_collate(batch)
    return batch


class SkaugNetMixin(VersionedPickleMixin):
    """Mixin for skorch ``NeuralNet`` subclasses; put it first in the bases.

    Besides the parameter checks and the seeding, it stops a training that
    diverges: at the end of every mini-batch, a loss term recorded in the
    history that is not finite (NaN or inf) raises
    :class:`~skaug.exceptions.DivergenceError` naming the net, the epoch and
    the fix, instead of training on with NaN weights. Pickles record the skaug
    version and refuse another ``major.minor`` (see
    :mod:`skaug.utils._persistence`).
    """

    _parameter_constraints: dict = {}

    # The defaults that every skaug net shares and that differ from skorch's
    # (SGD, a 5-fold validation split, a printed log); a net's own __init__
    # names its module, criterion and new parameters and passes the rest on.
    def __init__(
        self,
        module,
        *,
        optimizer=torch.optim.Adam,
        train_split=None,
        verbose=0,
        random_state=None,
        **kwargs,
    ):
        self.random_state = random_state
        super().__init__(
            module,
            optimizer=optimizer,
            train_split=train_split,
            verbose=verbose,
            **kwargs,
        )

    def _get_param_names(self):
        # skorch lists every instance attribute without a trailing underscore,
        # including its private ``_params_to_validate`` set: keep it out, so
        # that get_params/set_params/clone only see real parameters.
        return [name for name in super()._get_param_names() if name[0] != "_"]

    def _validate_own_params(self):
        """Check the parameters in ``_parameter_constraints``.

        ``initialize`` checks them too (after skorch's own name checks), but
        ``fit`` needs ``random_state`` before that, to seed the initialisation.
        """
        validate_parameter_constraints(
            self._parameter_constraints,
            {name: getattr(self, name) for name in self._parameter_constraints},
            caller_name=type(self).__name__,
        )

    def _validate_params(self):
        super()._validate_params()
        self._validate_own_params()

    def _data_dependent_params(self, prefix):
        """Init arguments for ``prefix`` ('module', 'criterion') read off the data.

        Subclasses return e.g. ``{"n_features": ...}`` for ``"module"``; they
        take precedence over the user's ``module__*`` arguments.
        """
        return {}

    def get_params_for(self, prefix):
        kwargs = super().get_params_for(prefix)
        if prefix in ("iterator_train", "iterator_valid"):
            kwargs.setdefault("collate_fn", collate_batch)
        else:
            kwargs.update(self._data_dependent_params(prefix))
        return kwargs

    def get_dataset(self, X, y=None):
        # skorch's default dataset is swapped for the batched one; a dataset
        # class or instance chosen by the user is left alone.
        if self.dataset is Dataset and not is_dataset(X):
            return BatchedDataset(
                X, y, device=self.device, **self.get_params_for("dataset")
            )
        return super().get_dataset(X, y)

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        super().on_batch_end(net, batch=batch, training=training, **kwargs)
        self._check_divergence()

    def _check_divergence(self):
        """Raise DivergenceError if a loss term of the last batch is not finite."""
        epoch = self.history[-1]
        bad = {
            name: value
            for name, value in epoch["batches"][-1].items()
            if isinstance(value, float) and not math.isfinite(value)
        }
        if not bad:
            return
        terms = ", ".join(f"{name}={value}" for name, value in bad.items())
        raise DivergenceError(
            f"{type(self).__name__} diverged in epoch {epoch['epoch']} of "
            f"{self.max_epochs}: {terms} (not finite), so training was stopped "
            "and the net's weights are unusable. Lower the learning rate (lr="
            f"{self.lr!r}, e.g. 10 times smaller), scale the input features (e.g. "
            "StandardScaler, or the TabularEncoder's numeric_transform="
            '"quantile"), and fit again.'
        )

    def _seeded(self):
        """Context manager: torch's global RNG forked and seeded from
        ``random_state`` (a new seed is drawn on each call, as scikit-learn does
        with a ``RandomState`` instance)."""
        return torch_seed(draw_seed(self.random_state), self.device)
