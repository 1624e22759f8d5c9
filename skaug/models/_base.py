"""Shared glue for the skorch nets of skaug: parameter checks and seeding.

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
"""

import numpy as np
from sklearn.utils._param_validation import validate_parameter_constraints
from skorch.dataset import Dataset
from skorch.utils import is_dataset, to_tensor
from torch.utils.data import default_collate

from skaug.utils._random import draw_seed, torch_seed


class BatchedDataset(Dataset):
    """skorch's :class:`~skorch.dataset.Dataset`, fetched a mini-batch at a time.

    PyTorch's ``DataLoader`` calls ``__getitems__`` with all the indices of a
    batch when a dataset has it; indexing the arrays once per batch instead of
    once per row removes the per-row Python work that dominates small nets.
    """

    def __getitems__(self, indices):
        # tensors, as default_collate would have made them
        Xi, yi = self[np.asarray(indices)]
        return to_tensor(Xi, device="cpu"), to_tensor(yi, device="cpu")


def collate_batch(batch):
    """Collate for :class:`BatchedDataset`: its batches come ready-made; a list
    of single rows (from any other dataset) goes through ``default_collate``."""
    if isinstance(batch, list):
        return default_collate(batch)
    return batch


class SkaugNetMixin:
    """Mixin for skorch ``NeuralNet`` subclasses; put it first in the bases."""

    _parameter_constraints: dict = {}

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
            return BatchedDataset(X, y, **self.get_params_for("dataset"))
        return super().get_dataset(X, y)

    def _seeded(self):
        """Context manager: torch's global RNG forked and seeded from
        ``random_state`` (a new seed is drawn on each call, as scikit-learn does
        with a ``RandomState`` instance)."""
        return torch_seed(draw_seed(self.random_state), self.device)
