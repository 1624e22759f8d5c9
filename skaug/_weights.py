"""Sampling weights of original and synthetic rows.

The :class:`~skaug.UncertaintySampler` (and the ``AdaptiveSynthesis`` skorch
callback) give every row of ``originals ⊕ synthetic`` the weight::

    weight = alpha * original_weight + beta * synthetic_weight

where ``original_weight`` is 0 for a synthetic row and ``synthetic_weight`` is 0
for an original row, then draw rows in proportion to it. This module holds that
formula as plain functions over numpy arrays, without estimator state, so that
both callers share one implementation.

All functions are vectorised, accept an empty set of rows, and never modify
their inputs.
"""

import numbers
from numbers import Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

__all__ = [
    "ORIGINAL_WEIGHT_SCHEMES",
    "WEIGHT_CONSTRAINTS",
    "check_mix",
    "combine_weights",
    "normalise",
    "original_weights",
    "synthetic_weights",
    "weighted_draw",
]

ORIGINAL_WEIGHT_SCHEMES = ("uniform", "balanced", "uncertainty")

#: ``_parameter_constraints`` of the weight parameters, the same in every
#: front-end that takes them.
WEIGHT_CONSTRAINTS = {
    "alpha": [Interval(Real, 0, None, closed="left")],
    "beta": [Interval(Real, 0, None, closed="left")],
    "original_weight": [StrOptions(set(ORIGINAL_WEIGHT_SCHEMES)), callable],
    "synthetic_weight": [callable, None],
    "weight_amplitude": [Interval(Real, 0, None, closed="left")],
    "weight_power": [Interval(Real, None, None, closed="neither")],
}

# How many offending row indices an error message lists before "...".
_MAX_LISTED = 5


def _list_rows(mask):
    """Describe the rows where ``mask`` is True: count and first few indices."""
    idx = np.flatnonzero(mask)
    shown = ", ".join(str(i) for i in idx[:_MAX_LISTED])
    more = ", ..." if idx.size > _MAX_LISTED else ""
    return f"{idx.size} row(s) (indices [{shown}{more}])"


def _check_real(value, name, *, allow_zero=True):
    """Check a finite, non-negative real scalar; return it as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"{name} must be a finite real number >= 0; got {value!r} of type "
            f"{type(value).__name__}."
        )
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite real number {bound}; got {value!r}.")
    return value


def _n_rows(y, name):
    """Number of rows of a label vector (1-D)."""
    if y is None:
        raise ValueError(f"{name} is required to know the number of rows; got None.")
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got an array of shape {y.shape}.")
    return y.shape[0]


def _check_nonneg_vector(values, name, n_rows=None, *, what="values"):
    """Return ``values`` as a 1-D float64 array (never modified in place).

    The result may be ``values`` itself when it already is a float64 array.

    Raises a ValueError naming ``name`` when the array is not 1-D, has the wrong
    length, is not numeric, or holds non-finite or negative entries.
    """
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be an array of real numbers; could not convert it ({exc})."
        ) from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got an array of shape {arr.shape}.")
    if n_rows is not None and arr.shape[0] != n_rows:
        raise ValueError(
            f"{name} has {arr.shape[0]} {what} but there are {n_rows} rows; "
            "they must match."
        )
    finite = np.isfinite(arr)
    if not finite.all():
        raise ValueError(
            f"{name} must be finite; {_list_rows(~finite)} hold NaN or inf {what}."
        )
    negative = arr < 0
    if negative.any():
        raise ValueError(
            f"{name} must be >= 0; {_list_rows(negative)} hold negative {what}."
        )
    return arr


def _check_uncertainty(uncertainty, n_rows, name="uncertainty"):
    """Validate an uncertainty vector: 1-D, length ``n_rows``, finite, >= 0."""
    return _check_nonneg_vector(uncertainty, name, n_rows, what="scores")


def _call_weight_function(func, name, args, n_rows):
    """Call a user weight function and check what it returned."""
    returned = func(*args)
    try:
        # A copy: never hand back (and later scale) the caller's own array.
        arr = np.array(returned, dtype=np.float64, copy=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} callable must return an array of real numbers; got "
            f"{type(returned).__name__} that could not be converted ({exc})."
        ) from None
    if arr.ndim != 1:
        raise ValueError(
            f"{name} callable must return a 1-D array of {n_rows} weights; it "
            f"returned an array of shape {arr.shape}."
        )
    if arr.shape[0] != n_rows:
        raise ValueError(
            f"{name} callable must return one weight per row; it returned "
            f"{arr.shape[0]} weights for {n_rows} rows."
        )
    n_bad = int(np.count_nonzero(~np.isfinite(arr)))
    if n_bad:
        raise ValueError(
            f"{name} callable must return finite weights; it returned {n_bad} "
            f"non-finite weights (NaN or inf) for {n_rows} rows. Fix the callable, "
            "e.g. replace them with np.nan_to_num(weights, nan=0.0, posinf=0.0)."
        )
    n_neg = int(np.count_nonzero(arr < 0))
    if n_neg:
        raise ValueError(
            f"{name} callable must return weights >= 0; it returned {n_neg} "
            f"negative weights for {n_rows} rows. Fix the callable, e.g. clip them "
            "with np.clip(weights, 0, None)."
        )
    return arr


def original_weights(scheme, X, y, uncertainty, *, amplitude=1.0, power=1.0):
    """Adaptive-sampling weight of each original row.

    The named schemes have mean 1 over the original rows (``"uncertainty"`` with
    the default ``amplitude=1`` and ``power=1``), so that ``alpha`` and ``beta``
    keep the same meaning whatever the scheme.

    Parameters
    ----------
    scheme : {"uniform", "balanced", "uncertainty"} or callable
        - ``"uniform"``: every row weighs 1.
        - ``"balanced"``: inverse class frequency, ``n / (k * n_c)`` for a row of
          class ``c``, where ``n_c`` is the number of rows of class ``c`` and
          ``k`` the number of classes present in ``y``.
        - ``"uncertainty"``: ``amplitude * (u / mean(u)) ** power``. When every
          score is 0 (``mean(u) == 0``), no row is more uncertain than another
          and every row weighs ``amplitude``. With ``power > 0`` a row whose
          score is 0 weighs 0 and is never drawn.
        - callable ``f(X, y, uncertainty) -> weights``: the returned array is
          used as returned; it must be 1-D, one weight per row, finite and
          ``>= 0``.
    X : array-like of shape (n_samples, n_features) or None
        Original features. Only passed on to a callable ``scheme``.
    y : array-like of shape (n_samples,)
        Labels of the original rows.
    uncertainty : array-like of shape (n_samples,) or None
        Uncertainty score of each original row, finite and ``>= 0``. Required
        for ``"uncertainty"``; ignored by ``"uniform"`` and ``"balanced"`` (but
        checked when given); passed on (checked, as float64) to a callable.
    amplitude : float, default=1.0
        Scale of the ``"uncertainty"`` scheme, finite and ``>= 0``.
    power : float, default=1.0
        Exponent of the ``"uncertainty"`` scheme, finite and ``>= 0``: 0 gives
        every row ``amplitude``, larger values favour uncertain rows more.

    Returns
    -------
    weights : ndarray of shape (n_samples,), dtype float64
        Non-negative, finite weights; a new array.

    Raises
    ------
    ValueError
        If ``scheme`` is unknown, ``uncertainty`` is missing, not 1-D, of the
        wrong length, non-finite or negative, ``amplitude`` or ``power`` is out
        of range, or a callable returns an invalid array (the message names
        ``original_weight``).

    Examples
    --------
    >>> from skaug._weights import original_weights
    >>> original_weights("balanced", None, [0, 0, 0, 1], None)
    array([0.667, 0.667, 0.667, 2.   ])
    >>> original_weights("uncertainty", None, [0, 0, 1, 1], [0.0, 1.0, 1.0, 2.0])
    array([0., 1., 1., 2.])
    """
    name = "original_weight"
    n_rows = _n_rows(y, "y")
    if uncertainty is not None:
        uncertainty = _check_uncertainty(uncertainty, n_rows)

    if callable(scheme):
        return _call_weight_function(scheme, name, (X, y, uncertainty), n_rows)
    if not isinstance(scheme, str) or scheme not in ORIGINAL_WEIGHT_SCHEMES:
        raise ValueError(
            f"{name} must be one of {ORIGINAL_WEIGHT_SCHEMES} or a callable "
            f"f(X, y, uncertainty) -> weights; got {scheme!r}."
        )

    if scheme == "uniform":
        return np.ones(n_rows, dtype=np.float64)

    if scheme == "balanced":
        if n_rows == 0:
            return np.zeros(0, dtype=np.float64)
        _, inverse, counts = np.unique(
            np.asarray(y), return_inverse=True, return_counts=True
        )
        per_class = n_rows / (counts.size * counts.astype(np.float64))
        return per_class[inverse.ravel()]

    # scheme == "uncertainty"
    amplitude = _check_real(amplitude, "amplitude")
    power = _check_real(power, "power")
    if uncertainty is None:
        raise ValueError(
            f"{name}='uncertainty' needs the uncertainty score of every original "
            "row; got uncertainty=None."
        )
    if n_rows == 0:
        return np.zeros(0, dtype=np.float64)
    top = uncertainty.max()
    if top == 0:
        return np.full(n_rows, amplitude, dtype=np.float64)
    # Divide by the max first: same ratio u / mean(u), but no overflow in the mean.
    scaled = uncertainty / top
    ratio = scaled / scaled.mean()
    with np.errstate(over="ignore"):
        weights = amplitude * ratio**power
    if not np.isfinite(weights).all():
        raise ValueError(
            f"{name}='uncertainty' overflowed with power={power!r} and "
            f"amplitude={amplitude!r}; use a smaller power or amplitude."
        )
    return weights


def synthetic_weights(scheme, X_syn, y_syn, uncertainty_syn):
    """Weight of each synthetic row.

    Parameters
    ----------
    scheme : None or callable
        - ``None``: ``1 / (1 + u)``, in ``(0, 1]`` for a score ``u >= 0``: the
          more uncertain a synthetic row, the less it is trusted.
        - callable ``f(X_syn, y_syn, uncertainty_syn) -> weights``: the returned
          array is used as returned; it must be 1-D, one weight per row, finite
          and ``>= 0``.
    X_syn : array-like of shape (n_synthetic, n_features) or None
        Synthetic features. Only passed on to a callable ``scheme``.
    y_syn : array-like of shape (n_synthetic,) or None
        Labels of the synthetic rows; ``None`` for an unconditional generator.
        When given, its length must match ``uncertainty_syn``.
    uncertainty_syn : array-like of shape (n_synthetic,) or None
        Uncertainty score of each synthetic row, finite and ``>= 0``. Required
        for ``scheme=None``; passed on (checked, as float64) to a callable.

    Returns
    -------
    weights : ndarray of shape (n_synthetic,), dtype float64
        Non-negative, finite weights; a new array (empty for an empty pool).

    Raises
    ------
    ValueError
        If ``scheme`` is neither None nor callable, ``uncertainty_syn`` is
        missing or invalid, or a callable returns an invalid array (the message
        names ``synthetic_weight``).

    Examples
    --------
    >>> from skaug._weights import synthetic_weights
    >>> synthetic_weights(None, None, [0, 1, 1], [0.0, 1.0, 3.0])
    array([1.  , 0.5 , 0.25])
    """
    name = "synthetic_weight"
    if scheme is not None and not callable(scheme):
        raise ValueError(
            f"{name} must be None (1 / (1 + uncertainty)) or a callable "
            f"f(X_syn, y_syn, uncertainty_syn) -> weights; got {scheme!r}."
        )
    n_rows = None if y_syn is None else _n_rows(y_syn, "y_syn")
    if uncertainty_syn is not None:
        uncertainty_syn = _check_uncertainty(
            uncertainty_syn, n_rows, name="uncertainty_syn"
        )
        n_rows = uncertainty_syn.shape[0]

    if scheme is None:
        if uncertainty_syn is None:
            raise ValueError(
                f"{name}=None weighs synthetic rows by 1 / (1 + uncertainty) and "
                "needs their uncertainty scores; got uncertainty_syn=None."
            )
        return 1.0 / (1.0 + uncertainty_syn)

    if n_rows is None:
        if X_syn is None:
            raise ValueError(
                f"a callable {name} needs y_syn, uncertainty_syn or X_syn to know "
                "the number of synthetic rows; all are None."
            )
        n_rows = len(X_syn)
    return _call_weight_function(scheme, name, (X_syn, y_syn, uncertainty_syn), n_rows)


def check_mix(alpha, beta):
    """``alpha`` and ``beta`` as floats, or a ``ValueError`` that says what to
    set: each must be a finite real >= 0, and not both 0.

    The front-ends call it before any fit, so a bad mix fails fast.
    """
    for name, value in (("alpha", alpha), ("beta", beta)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(
                f"{name} must be a finite real number >= 0; got {value!r} of "
                f"type {type(value).__name__}."
            )
        if not np.isfinite(value) or value < 0:
            raise ValueError(
                f"{name} must be a finite real number >= 0; got {name}={value!r}. "
                f"Set {name} to 0 to leave out the "
                f"{'original' if name == 'alpha' else 'synthetic'} rows, or to a "
                "positive value to weight them."
            )
    alpha, beta = float(alpha), float(beta)
    if alpha == 0 and beta == 0:
        raise ValueError(
            "alpha and beta are both 0 (alpha=0.0, beta=0.0), so every row would "
            "weigh 0 and nothing could be drawn; set alpha > 0 to draw original "
            "rows and/or beta > 0 to draw synthetic rows."
        )
    return alpha, beta


def combine_weights(alpha, beta, original, synthetic):
    """Weights of the rows ``originals ⊕ synthetic``.

    Row by row, ``weight = alpha * original_weight + beta * synthetic_weight``
    where an original row's ``synthetic_weight`` is 0 and a synthetic row's
    ``original_weight`` is 0, that is
    ``concatenate([alpha * original, beta * synthetic])``.

    Parameters
    ----------
    alpha : float
        Factor of the original rows' weights, finite and ``>= 0``.
    beta : float
        Factor of the synthetic rows' weights, finite and ``>= 0``. ``alpha``
        and ``beta`` must not both be 0.
    original : array-like of shape (n_samples,)
        Weights of the original rows (see :func:`original_weights`).
    synthetic : array-like of shape (n_synthetic,)
        Weights of the synthetic rows (see :func:`synthetic_weights`); may be
        empty.

    Returns
    -------
    weights : ndarray of shape (n_samples + n_synthetic,), dtype float64
        Un-normalised combined weights, originals first: what the sampler
        stores in ``weights_``. Use :func:`normalise` for a probability vector.

    Raises
    ------
    ValueError
        If ``alpha`` or ``beta`` is negative, non-finite or not a number, if
        both are 0, or if ``original`` or ``synthetic`` is not a 1-D array of
        finite, non-negative weights.

    Examples
    --------
    >>> from skaug._weights import combine_weights
    >>> combine_weights(2.0, 0.5, [1.0, 3.0], [1.0, 0.5])
    array([2.  , 6.  , 0.5 , 0.25])
    """
    alpha, beta = check_mix(alpha, beta)
    original = _check_nonneg_vector(original, "original_weight", what="weights")
    synthetic = _check_nonneg_vector(synthetic, "synthetic_weight", what="weights")
    with np.errstate(over="ignore"):
        weights = np.concatenate([alpha * original, beta * synthetic])
    if not np.isfinite(weights).all():
        raise ValueError(
            f"alpha * original_weight or beta * synthetic_weight overflowed "
            f"(alpha={alpha!r}, beta={beta!r}); use smaller alpha and beta."
        )
    return weights


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
