"""How many rows: added per class, and generated per class for the pool."""

from numbers import Integral

import numpy as np

from skaug.utils._allocation import split_proportionally

# Fewer rows than this in a class and the sampler does not generate for it:
# a generator fitted on 2-4 rows can only echo them, with less fidelity than
# the rows themselves; the class's added rows are copies of its rows.
MIN_GENERATOR_ROWS = 5


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


def pool_counts(n_synthetic, n_rows, to_add, skip=()):
    """Synthetic rows to generate per class: ``n_synthetic`` (an int, or a
    ratio of ``n_rows``) split in proportion to the rows each class gets
    added; the classes in ``skip`` get none."""
    if isinstance(n_synthetic, Integral):
        total = int(n_synthetic)
    else:
        total = int(round(n_synthetic * n_rows))
    classes = list(to_add)
    shares = [0 if c in skip else to_add[c] for c in classes]
    if sum(shares) == 0:
        return dict.fromkeys(classes, 0)
    return dict(zip(classes, split_proportionally(total, shares)))


def classes_to_copy(y, to_add, minimum=MIN_GENERATOR_ROWS):
    """Classes that get rows added but have fewer than ``minimum`` rows, with
    their row counts (label -> rows), in the order of ``to_add``.

    Examples
    --------
    >>> import numpy as np
    >>> from skaug._synthesis.counts import classes_to_copy
    >>> classes_to_copy(np.array([0] * 20 + [1] * 3 + [2] * 8), {0: 0, 1: 17, 2: 12})
    {1: 3}
    """
    y = np.asarray(y)
    rows = {label: int(np.sum(y == label)) for label in to_add}
    return {
        label: rows[label]
        for label, n_add in to_add.items()
        if n_add > 0 and rows[label] < minimum
    }


def copy_message(copied, to_add, minimum=MIN_GENERATOR_ROWS):
    """What the sampler did for the classes of :func:`classes_to_copy`."""
    parts = ", ".join(
        f"class {getattr(label, 'item', lambda: label)()!r} ({rows} rows, "
        f"{to_add[label]} added)"
        for label, rows in copied.items()
    )
    return (
        f"Too few rows to learn a generator from for {parts}: UncertaintySampler "
        f"needs at least {minimum} rows of a class to generate rows for it. The "
        "rows added to these classes are copies of their real rows, drawn "
        "uniformly (random over-sampling). Collect more rows of these classes "
        "to get synthetic ones."
    )
