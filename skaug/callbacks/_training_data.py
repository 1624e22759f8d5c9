"""The training split and the batches as the callback needs them."""

import numpy as np
import torch
from skorch.utils import data_from_dataset
from torch.utils.data import DataLoader


def to_numpy(values):
    """A tensor or array-like as a numpy array (tensors detached, on CPU)."""
    if isinstance(values, torch.Tensor):
        return values.detach().cpu().numpy()
    return np.asarray(values)


def training_arrays(dataset):
    """X and y of skorch's training split as numpy arrays.

    skorch datasets (and their ``Subset`` from ``ValidSplit``) hold X and y;
    any other dataset is read through one full-size batch.
    """
    try:
        X, y = data_from_dataset(dataset)
    except AttributeError:
        X, y = next(iter(DataLoader(dataset, batch_size=len(dataset))))
    if isinstance(X, dict) or y is None:
        raise TypeError(
            "AdaptiveSynthesis needs training data made of one feature array X "
            "and labels y; got X of type "
            f"{type(X).__name__} and y={'None' if y is None else type(y).__name__}."
        )
    return to_numpy(X), to_numpy(y)


def unpack_batch(batch):
    """``(X, y)`` of a training batch, or a ``TypeError`` saying what is
    needed."""
    if (
        not isinstance(batch, (tuple, list))
        or len(batch) != 2
        or not all(isinstance(part, torch.Tensor) for part in batch)
    ):
        raise TypeError(
            "AdaptiveSynthesis needs training batches of the form (X, y) with "
            "two tensors, as skorch makes them from arrays; got a batch of "
            f"type {type(batch).__name__}. Pass X as one numeric array or "
            "tensor."
        )
    return batch


def replace_batch(Xi, yi, X_syn, y_syn, index):
    """Rows ``index`` of ``batch ⊕ synthetic`` put in place of the batch.

    The tensors are replaced in place (``Tensor.set_``), so the rest of
    skorch's training step sees the drawn rows.
    """
    index = torch.as_tensor(index)
    if len(X_syn):
        Xi_all = torch.cat([Xi, X_syn.to(Xi.dtype)])
        yi_all = torch.cat([yi, y_syn.to(yi.dtype)])
    else:  # no pool rows offered: the draw is among the batch's rows
        Xi_all, yi_all = Xi, yi
    new_X, new_y = Xi_all[index], yi_all[index]
    Xi.set_(new_X)
    yi.set_(new_y)
