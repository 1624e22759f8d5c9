"""The training rows held out from the generator, and its quality on them."""

import numpy as np
from sklearn.model_selection import train_test_split

from skaug._synthesis.pool import take_rows
from skaug._synthesis.quality import generator_quality

# Held-out rows (at most) that the generator's quality is measured on: the
# detector's cost grows faster than linearly, and a few thousand rows pin its
# AUC down to about +-0.01.
QUALITY_MAX_ROWS = 5_000


def split_holdout(X, y, fraction, seed):
    """Split the training rows into the generator's and the held-out ones.

    Stratified on ``y`` when every class can appear on both sides (each
    class has 2 rows, and each side at least as many rows as classes). Nothing is
    held out when ``fraction`` is 0 or would hold out fewer than 2 rows.

    Returns
    -------
    X_fit, y_fit, X_hold, y_hold
        ``X_hold`` is None when nothing is held out; ``y_hold`` is None then
        or without labels.
    """
    n = X.shape[0]
    if not (fraction > 0 and n * fraction >= 2):
        return X, y, None, None
    stratify = None
    if y is not None:
        _, counts = np.unique(y, return_counts=True)
        n_hold = int(np.ceil(n * fraction))
        if counts.min() >= 2 and min(n_hold, n - n_hold) >= len(counts):
            stratify = y
    fit_index, hold_index = train_test_split(
        np.arange(n), test_size=fraction, random_state=seed, stratify=stratify
    )
    y_fit = None if y is None else y[fit_index]
    y_hold = None if y is None else y[hold_index]
    return take_rows(X, fit_index), y_fit, take_rows(X, hold_index), y_hold


def holdout_quality(generator, encoder, X_hold, seed, y_hold=None):
    """``generator_quality`` on the held-out rows (a random
    :data:`QUALITY_MAX_ROWS` of them at most), with the label agreement when
    their labels ``y_hold`` are given; an empty dict without any rows."""
    if X_hold is None:
        return {}
    n = X_hold.shape[0]
    if n > QUALITY_MAX_ROWS:
        keep = np.sort(
            np.random.RandomState(seed).choice(n, QUALITY_MAX_ROWS, replace=False)
        )
        X_hold = take_rows(X_hold, keep)
        y_hold = None if y_hold is None else np.asarray(y_hold)[keep]
    return generator_quality(generator, encoder, X_hold, seed=seed, y_hold=y_hold)
