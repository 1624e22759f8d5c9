"""The callback's synthetic pool: its size, its labels, its stability check."""

import numpy as np
import torch

from skaug.utils._allocation import split_proportionally

POOL_CLASSES = ("deficit", "uniform", "prior")


def pool_labels(classes, counts, n, pool_classes):
    """``n`` labels split over ``classes`` by ``pool_classes``.

    ``"deficit"``: in proportion to each class's deficit to the largest one
    (equally when the classes are balanced); ``"uniform"``: equally;
    ``"prior"``: by the training counts.

    Examples
    --------
    >>> import numpy as np
    >>> from skaug.callbacks._pool import pool_labels
    >>> pool_labels(np.array([0, 1, 2]), np.array([10, 6, 2]), 6, "deficit").tolist()
    [1, 1, 2, 2, 2, 2]
    """
    counts = np.asarray(counts, dtype=np.float64)
    if pool_classes == "prior":
        shares = counts
    elif pool_classes == "uniform" or counts.max() == counts.min():
        shares = np.ones_like(counts)
    else:
        shares = counts.max() - counts
    return np.repeat(classes, split_proportionally(n, shares))


def per_step_rows(per_step, batch_size):
    """``n_synthetic_per_step`` as rows: an int as is, a fraction of the
    batch rounded up."""
    if isinstance(per_step, (int, np.integer)):
        return int(per_step)
    return int(np.ceil(per_step * batch_size))


def pool_length(*, pool_size, per_step, refresh_every, refresh_unit, n_batches):
    """Rows per refresh: ``pool_size``, or enough for every batch until the
    next refresh."""
    if pool_size is not None:
        return pool_size
    if refresh_unit == "batch":
        return per_step * refresh_every
    return per_step * n_batches * refresh_every


def drift_action(on_pool_drift, beta):
    """What the callback does when its pool drifts away: the new beta, whether
    synthesis stops, and the sentence for the warning."""
    if on_pool_drift == "shrink":
        beta = beta * SHRINK
        return beta, False, f"beta is halved to {beta:.4g}"
    if on_pool_drift == "stop":
        return beta, True, "no more synthetic rows are added in this fit"
    return beta, False, "nothing was changed (on_pool_drift='warn')"


# Factor applied to beta when the pool drifts away and on_pool_drift="shrink".
SHRINK = 0.5


def stability_sample(X, y, y_index, n_classes, rng, max_rows):
    """The real rows the stability check compares pools with: at most
    ``max_rows`` per class, picked at random. Returns ``(X, y)``."""
    rows = np.concatenate(
        [
            rng.permutation(np.flatnonzero(y_index == k))[:max_rows]
            for k in range(n_classes)
        ]
    )
    return np.asarray(X[rows], dtype=np.float64), y[rows]


def check_pool_rows(X_syn, n_features):
    """The generator's rows as float32, or a ``ValueError`` when they do not
    have the net's number of features."""
    X_syn = np.asarray(X_syn, dtype=np.float32)
    if X_syn.ndim != 2 or X_syn.shape[1] != n_features:
        raise ValueError(
            f"The generator returned rows of shape {X_syn.shape}; the net is "
            f"trained on {n_features} features. The generator must work on the "
            "arrays given to net.fit."
        )
    return X_syn


def next_rows(pool_X, pool_y, weights, cursor, n):
    """The next ``n`` rows of the pool from ``cursor``, wrapping around.

    Returns ``(X, y, weights, cursor)``: tensors of the rows and labels, their
    weights, and the cursor for the next call; empty ones when there is no
    pool (``pool_X`` None or empty).
    """
    if pool_X is None or len(pool_X) == 0:
        empty = torch.zeros((0,), dtype=torch.float32)
        return empty.reshape(0, 0), empty, np.zeros(0), cursor
    n = min(n, len(pool_X))
    rows = (cursor + np.arange(n)) % len(pool_X)
    index = torch.as_tensor(rows)
    cursor = (cursor + n) % len(pool_X)
    return pool_X[index], pool_y[index], weights[rows], cursor
