"""Splitting a number of rows across groups, and configuring cloned models."""

import numpy as np


def split_proportionally(total, shares):
    """Integers proportional to ``shares`` that sum to ``total``.

    Largest-remainder rounding; ties go to the lower index. All zeros when
    ``total <= 0`` or the shares sum to 0.

    Examples
    --------
    >>> from skaug.utils._allocation import split_proportionally
    >>> split_proportionally(10, [1, 1, 1]).tolist()
    [4, 3, 3]
    """
    shares = np.asarray(shares, dtype=np.float64)
    if total <= 0 or shares.sum() <= 0:
        return np.zeros(len(shares), dtype=np.int64)
    exact = total * shares / shares.sum()
    counts = np.floor(exact).astype(np.int64)
    short = int(total - counts.sum())
    if short > 0:
        counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return counts


def set_params_if_present(estimator, **params):
    """``set_params`` with only the parameters ``estimator`` has (in place)."""
    own = estimator.get_params(deep=False)
    estimator.set_params(**{k: v for k, v in params.items() if k in own})
    return estimator
