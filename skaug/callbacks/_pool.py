"""The callback's synthetic pool: its size, its labels, its stability check."""

import numpy as np

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
