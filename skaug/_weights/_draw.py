"""Weighted draws: one over all rows, and the per-class draw of the sampler."""

import numbers

import numpy as np
from sklearn.utils import check_random_state

from skaug._weights._checks import _check_nonneg_vector


def normalise(weights, *, name="weights"):
    """Probability vector for a weighted draw: ``weights / weights.sum()``.

    Parameters
    ----------
    weights : array-like of shape (n_rows,)
        Non-negative, finite weights, at least one of them positive.
    name : str, default="weights"
        How error messages call ``weights``, e.g. ``"weights of class 'a'"``
        when a caller normalises one class at a time.

    Returns
    -------
    proba : ndarray of shape (n_rows,), dtype float64
        Non-negative, sums to 1; a new array.

    Raises
    ------
    ValueError
        If ``weights`` is not 1-D, holds negative or non-finite values (the
        message lists the rows), or sums to 0 (also when empty).

    Notes
    -----
    The weights are divided by their maximum before the sum, so the sum never
    overflows. A positive weight more than about ``1e308`` times smaller than
    the largest one underflows to a probability of 0.

    Examples
    --------
    >>> from skaug._weights import normalise
    >>> normalise([1.0, 3.0, 0.0])
    array([0.25, 0.75, 0.  ])
    """
    weights = _check_nonneg_vector(weights, name, what="weights")
    top = weights.max(initial=0.0)
    if top == 0:
        raise ValueError(
            f"{name} sum to 0 ({weights.shape[0]} rows, none with a positive "
            "weight), so nothing can be drawn; check alpha, beta and the weight "
            "schemes."
        )
    # Scale by the max first so that the sum cannot overflow.
    scaled = weights / top
    return scaled / scaled.sum()


def weighted_draw(weights, n, *, replace=True, random_state=None, name="weights"):
    """Draw ``n`` row indices with probability proportional to ``weights``.

    Parameters
    ----------
    weights : array-like of shape (n_rows,)
        Non-negative, finite weights (un-normalised is fine). A row of weight 0
        is never drawn.
    n : int
        Number of indices to draw, ``>= 0``. ``n=0`` returns an empty array
        (the weights are still checked, but may then sum to 0).
    replace : bool, default=True
        Draw with replacement. Without replacement, ``n`` may not exceed the
        number of rows with a positive weight.
    random_state : int, RandomState instance, Generator or None, default=None
        Randomness of the draw. An int or ``RandomState`` goes through
        :func:`sklearn.utils.check_random_state`; a :class:`numpy.random.Generator`
        is used as is. Pass an int for reproducible output.
    name : str, default="weights"
        How error messages call ``weights`` (see :func:`normalise`).

    Returns
    -------
    indices : ndarray of shape (n,), dtype intp
        Indices into ``weights``.

    Raises
    ------
    ValueError
        If ``n`` is not a non-negative int, the weights are invalid or sum to
        0 (and ``n > 0``), or ``replace=False`` and ``n`` exceeds the number of
        rows with a positive weight.

    Examples
    --------
    >>> import numpy as np
    >>> from skaug._weights import weighted_draw
    >>> idx = weighted_draw([0.0, 1.0, 3.0], 5, random_state=0)
    >>> idx.shape, bool((idx != 0).all())
    ((5,), True)
    >>> np.sort(weighted_draw([0.0, 1.0, 3.0], 2, replace=False, random_state=0))
    array([1, 2])
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"n must be an int >= 0; got {n!r}.")
    n = int(n)
    if n == 0:
        _check_nonneg_vector(weights, name, what="weights")
        return np.zeros(0, dtype=np.intp)
    proba = normalise(weights, name=name)
    if not replace:
        n_positive = int(np.count_nonzero(proba > 0))
        if n > n_positive:
            raise ValueError(
                f"cannot draw {n} rows without replacement: only {n_positive} of "
                f"the {proba.shape[0]} rows have a positive weight in {name}; use "
                "replace=True, or draw at most that many rows."
            )
    if isinstance(random_state, np.random.Generator):
        rng = random_state
    else:
        rng = check_random_state(random_state)
    indices = rng.choice(proba.shape[0], size=n, replace=replace, p=proba)
    return np.asarray(indices, dtype=np.intp)


def draw_per_class(weights, labels, to_add, *, replace, random_state, n_original):
    """Indices of the rows added, drawn class by class by weight.

    Parameters
    ----------
    weights : ndarray of shape (n_rows,)
        Combined weights of ``originals ⊕ synthetic``.
    labels : ndarray of shape (n_rows,)
        Their labels.
    to_add : dict of label -> int
        Rows to add per class (classes with 0 are skipped).
    replace : bool
    random_state : numpy RandomState
    n_original : int
        Rows ``< n_original`` are originals (for the error message).

    Returns
    -------
    indices : ndarray of int
        Into ``weights``, class by class in the order of ``to_add``.
    """
    added = [np.zeros(0, dtype=np.intp)]
    for label, n_add in to_add.items():
        if n_add == 0:
            continue
        pool = np.flatnonzero(labels == label)
        try:
            proba = normalise(weights[pool])
        except ValueError as exc:
            raise ValueError(
                f"Cannot draw rows for class {label!r}: {exc} Class {label!r} has "
                f"{np.sum(pool < n_original)} original and "
                f"{np.sum(pool >= n_original)} synthetic rows."
            ) from exc
        picked = weighted_draw(proba, n_add, replace=replace, random_state=random_state)
        added.append(pool[picked])
    return np.concatenate(added)
