"""The weight schemes of original and synthetic rows, and their mix."""

import numbers
from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from skaug._weights._checks import (
    _call_weight_function,
    _check_nonneg_vector,
    _check_real,
    _check_uncertainty,
    _n_rows,
)

ORIGINAL_WEIGHT_SCHEMES = ("uniform", "balanced", "uncertainty")

#: ``_parameter_constraints`` of the weight parameters, the same in every
#: front-end that takes them.
WEIGHT_CONSTRAINTS = {
    "alpha": [Interval(Real, 0, None, closed="left")],
    "beta": [Interval(Real, 0, None, closed="left")],
    "original_weight": [StrOptions(set(ORIGINAL_WEIGHT_SCHEMES)), callable],
    "synthetic_weight": [callable, None],
    "weight_amplitude": [Interval(Real, 0, None, closed="left")],
    # a negative power would give a row of zero uncertainty an infinite
    # weight; original_weights refuses it, so the constraint does too
    "weight_power": [Interval(Real, 0, None, closed="left")],
}

# How many offending row indices an error message lists before "...".


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


def sampler_weights(params, originals, synthetic):
    """The combined weights of an estimator with the sampler's parameters.

    Parameters
    ----------
    params : dict
        ``get_params()`` of the estimator: ``alpha``, ``beta``,
        ``original_weight``, ``synthetic_weight``, ``weight_amplitude``,
        ``weight_power``.
    originals : tuple (X, y, uncertainty)
    synthetic : tuple (X, y, uncertainty)

    Returns
    -------
    ndarray of shape (n_original + n_synthetic,)
    """
    original = original_weights(
        params["original_weight"],
        *originals,
        amplitude=params["weight_amplitude"],
        power=params["weight_power"],
    )
    synthetic = synthetic_weights(params["synthetic_weight"], *synthetic)
    return combine_weights(params["alpha"], params["beta"], original, synthetic)
