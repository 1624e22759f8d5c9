"""How many rows: added per class, and generated per class for the pool."""

from numbers import Integral

import numpy as np

from skaug.utils._allocation import split_proportionally


def rows_to_add(sampling_strategy, n_samples, y):
    """Rows added per class: ``sampling_strategy``'s counts, or ``n_samples``'
    total split in their proportions.

    Parameters
    ----------
    sampling_strategy : dict of label -> int
        imbalanced-learn's fitted ``sampling_strategy_``.
    n_samples : int, float or None
        Total output rows (a float: a ratio of ``len(y)``); ``None`` keeps
        ``sampling_strategy``. Never fewer than ``len(y)``: no original row is
        dropped. When ``sampling_strategy`` adds nothing, the rows are split
        in the proportions of the classes.
    y : ndarray

    Returns
    -------
    dict of label -> int

    Examples
    --------
    >>> import numpy as np
    >>> from skaug._synthesis.counts import rows_to_add
    >>> y = np.array([0] * 8 + [1] * 2)
    >>> {k: int(v) for k, v in rows_to_add({0: 0, 1: 6}, 20, y).items()}
    {0: 0, 1: 10}
    """
    classes = list(sampling_strategy)
    add = np.array([sampling_strategy[c] for c in classes], dtype=int)
    if n_samples is None:
        return dict(zip(classes, add))
    n = len(y)
    total = (
        int(n_samples) if isinstance(n_samples, Integral) else int(round(n_samples * n))
    )
    if total < n:
        raise ValueError(
            f"n_samples={n_samples!r} asks for {total} output rows, fewer than the "
            f"{n} input rows; UncertaintySampler never drops an original row. Use "
            "n_samples >= len(X) (or a ratio >= 1.0)."
        )
    shares = add if add.sum() > 0 else np.array([np.sum(y == c) for c in classes])
    return dict(zip(classes, split_proportionally(total - n, shares)))


def pool_counts(n_synthetic, n_rows, to_add):
    """Synthetic rows to generate per class: ``n_synthetic`` (an int, or a
    ratio of ``n_rows``) split in proportion to the rows each class gets
    added."""
    if isinstance(n_synthetic, Integral):
        total = int(n_synthetic)
    else:
        total = int(round(n_synthetic * n_rows))
    classes = list(to_add)
    return dict(zip(classes, split_proportionally(total, [to_add[c] for c in classes])))
