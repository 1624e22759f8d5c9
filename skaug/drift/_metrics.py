"""Distribution-drift metrics between a reference (training) and a current sample.

Every metric is a plain function ``metric(reference, current, *, categorical=None)
-> float`` of two 1-D samples; 0 means "no drift" and larger means more drift.
:func:`drift_per_feature` applies one of them to every column of two tables, and
:func:`aggregate_drift` turns the per-feature table into one number.

Shared rules
------------
**Kinds.** A sample is *categorical* when its values are boolean, pandas
categorical, strings, or objects that are not all numbers (the automatic rule
of :class:`~skaug.encoding.TabularEncoder`); it is *numeric* otherwise (integers,
floats, their nullable pandas versions, objects holding only numbers).
``categorical=True`` compares numeric codes as levels; ``categorical=False``
forces a numeric comparison. When the two samples disagree, the pair is
categorical.

**Missing values** (NaN, None, ``pd.NA``). In a categorical comparison the
missing value is one level of its own. In a numeric comparison, the metrics
that read bins (``kl``, ``psi``, ``js``) give missing values one bin of their
own (added when either sample has one); the others (``ks``, ``wasserstein``)
compare the observed values and return ``max(metric, |missing rate of
reference - missing rate of current|)``, so that a change in missingness alone
is seen. A sample with no value at all, or a numeric sample with no observed
value, raises a ``ValueError``; infinite values raise a ``ValueError``.

**Bins** (``kl``, ``psi``, ``js``). A categorical pair has one bin per level
seen in either sample (unused pandas categories are ignored). A numeric pair
has quantile bins of the *reference*: the inner edges are the reference's
quantiles at ``1/bins, ..., (bins-1)/bins`` (duplicates dropped), the outer
edges are open (``-inf``, ``+inf``), so every value of both samples falls in a
bin, and a bin is closed on the left: ``[e_i, e_{i+1})``. When the two samples
together hold at most ``bins`` distinct values, each value gets a bin of its
own instead (edges half-way between consecutive values), so that quantile
edges never merge rare values into a frequent one.
"""

import numbers

import numpy as np
import pandas as pd
from scipy.special import rel_entr
from scipy.stats import wasserstein_distance

__all__ = [
    "DRIFT_METRICS",
    "aggregate_drift",
    "drift_per_feature",
    "get_drift_metric",
    "js_distance",
    "kl_divergence",
    "ks_statistic",
    "psi",
    "wasserstein",
]

# Default pseudo-count added to every bin before normalising (kl and psi).
DEFAULT_SMOOTHING = 0.5
_NUMERIC_INFERRED = ("integer", "floating", "mixed-integer-float", "decimal")


# ----------------------------------------------------------------------------
# input handling
# ----------------------------------------------------------------------------
def _as_series(values, name):
    """A 1-D sample as a pandas Series (never a copy that is written to)."""
    if isinstance(values, pd.Series):
        series = values
    elif isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise ValueError(
                f"{name} must be one column of values; got a DataFrame with "
                f"{values.shape[1]} columns. Use drift_per_feature for tables."
            )
        series = values.iloc[:, 0]
    elif isinstance(values, pd.Index | pd.api.extensions.ExtensionArray):
        series = pd.Series(values)
    else:
        array = np.asarray(values)
        if array.dtype.kind in "US" and not isinstance(values, np.ndarray):
            # numpy would turn None / NaN in a list of strings into "None" / "nan"
            array = np.asarray(values, dtype=object)
        if array.ndim == 2 and array.shape[1] == 1:
            array = array[:, 0]
        if array.ndim != 1:
            raise ValueError(
                f"{name} must be a 1-D sample; got an array of shape "
                f"{array.shape}. Use drift_per_feature for tables."
            )
        series = pd.Series(array, copy=False)
    if series.shape[0] == 0:
        raise ValueError(f"{name} is empty: a drift metric needs at least one value.")
    return series


def _looks_categorical(series):
    """True for boolean, categorical, string and non-numeric object values."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype | pd.StringDtype):
        return True
    if pd.api.types.is_bool_dtype(dtype):
        return True
    if isinstance(dtype, np.dtype):
        if dtype.kind in "iuf":
            return False
        if dtype.kind in "USO":
            if dtype.kind == "O":
                inferred = pd.api.types.infer_dtype(series, skipna=True)
                return inferred not in _NUMERIC_INFERRED
            return True
    elif pd.api.types.is_numeric_dtype(dtype) and dtype.kind in "iuf":
        return False  # nullable Int64 / Float64
    raise TypeError(
        f"Values of dtype {dtype} cannot be compared by a drift metric: convert "
        "them to numbers (e.g. a datetime to days since a reference date) or to "
        "strings first."
    )


def _is_categorical(reference, current, categorical):
    if categorical is None:
        return _looks_categorical(reference) or _looks_categorical(current)
    return bool(categorical)


def _numeric(series, name):
    """Float values of a numeric sample: (observed values, missing rate)."""
    values = _float_with_nan(series, name)
    missing = np.isnan(values)
    observed = values[~missing]
    if observed.shape[0] == 0:
        raise ValueError(
            f"{name} has no non-missing value to compare: every one of its "
            f"{values.shape[0]} values is missing. Drop the column, or pass "
            "categorical=True to compare missingness as a level."
        )
    if np.isinf(observed).any():
        raise ValueError(
            f"{name} contains infinite values (+inf or -inf); replace them with "
            "finite values, or with NaN to treat them as missing."
        )
    return observed, float(missing.mean())


def _objects(series):
    return series.to_numpy(dtype=object)


def _level_counts(reference, current):
    """Counts of each level (missing is a level) in both categorical samples."""
    ref, cur = _objects(reference), _objects(current)
    codes, uniques = pd.factorize(np.concatenate([ref, cur]), use_na_sentinel=True)
    n_levels = len(uniques)
    if (codes < 0).any():
        codes = np.where(codes < 0, n_levels, codes)
        n_levels += 1
    n_ref = ref.shape[0]
    p = np.bincount(codes[:n_ref], minlength=n_levels).astype(np.float64)
    q = np.bincount(codes[n_ref:], minlength=n_levels).astype(np.float64)
    return p, q


def _numeric_edges(reference, current, bins):
    """Inner bin edges for numeric samples (see the module notes).

    Returns ``(edges, distinct)``: the sorted inner edges (bin ``i`` is
    ``[edges[i-1], edges[i])`` with open outer bins) and, when every distinct
    value got a bin of its own, those values (else ``None``).
    """
    distinct = np.unique(np.concatenate([reference, current]))
    if distinct.shape[0] <= bins:
        return distinct[:-1] + (distinct[1:] - distinct[:-1]) / 2, distinct
    levels = np.arange(1, bins) / bins
    return np.unique(np.quantile(reference, levels)), None


def _check_bins(bins):
    if isinstance(bins, bool) or not isinstance(bins, numbers.Integral) or bins < 1:
        raise ValueError(f"bins must be an integer >= 1; got {bins!r}.")


def _check_smoothing(smoothing):
    if (
        isinstance(smoothing, bool)
        or not isinstance(smoothing, numbers.Real)
        or not np.isfinite(smoothing)
        or smoothing <= 0
    ):
        raise ValueError(
            f"smoothing must be a finite number > 0 (a pseudo-count added to "
            f"every bin, so that empty bins give finite values); got {smoothing!r}."
        )


def _bin_counts(reference, current, *, bins, categorical):
    """Counts per shared bin of both samples: (p_counts, q_counts)."""
    _check_bins(bins)
    reference = _as_series(reference, "reference")
    current = _as_series(current, "current")
    if _is_categorical(reference, current, categorical):
        return _level_counts(reference, current)
    ref, ref_missing = _numeric(reference, "reference")
    cur, cur_missing = _numeric(current, "current")
    edges, _ = _numeric_edges(ref, cur, bins)
    n_bins = edges.shape[0] + 1
    p = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=n_bins)
    q = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=n_bins)
    p, q = p.astype(np.float64), q.astype(np.float64)
    if ref_missing or cur_missing:
        n_ref = reference.shape[0]
        n_cur = current.shape[0]
        p = np.append(p, n_ref - ref.shape[0])
        q = np.append(q, n_cur - cur.shape[0])
    return p, q


def _smoothed(counts, smoothing):
    counts = counts + smoothing
    return counts / counts.sum()


def _total_variation(reference, current):
    p, q = _level_counts(reference, current)
    distance = 0.5 * np.abs(p / p.sum() - q / q.sum()).sum()
    return float(min(distance, 1.0))  # rounding may overshoot 1 by an ulp


# ----------------------------------------------------------------------------
# metrics
# ----------------------------------------------------------------------------
def ks_statistic(reference, current, *, categorical=None):
    """Two-sample Kolmogorov-Smirnov statistic (total variation for categories).

    For numeric samples, the largest gap between the two empirical cumulative
    distribution functions:

    .. math:: D = \\sup_x |F_{ref}(x) - F_{cur}(x)|

    the same value as ``scipy.stats.ks_2samp(reference, current).statistic``
    (computed without the p-value, so it stays fast on large samples; the
    gap is counted in integers, so the value is the correctly rounded float
    of an exact fraction). For
    categorical samples the order of the levels means nothing, so the total
    variation distance between the level proportions is returned instead:

    .. math:: TV = \\frac{1}{2} \\sum_{l} |p_l - q_l|

    over the union of the levels of both samples. Both are in ``[0, 1]``, 0
    for identical distributions and 1 for disjoint supports, so one threshold
    fits numeric and categorical columns alike.

    Parameters
    ----------
    reference : array-like of shape (n_reference,)
        The reference (training) sample.
    current : array-like of shape (n_current,)
        The current (test) sample.
    categorical : bool or None, default=None
        ``None`` detects the kind from the values (boolean, categorical and
        string values are categorical); ``True`` compares levels; ``False``
        forces a numeric comparison.

    Returns
    -------
    statistic : float
        In ``[0, 1]``.

    Notes
    -----
    Missing values: a level of their own for categorical samples; for numeric
    samples the statistic is computed on the observed values and the result is
    ``max(D, |missing rate of reference - missing rate of current|)``. A
    constant column gives 0 against the same constant and 1 against a
    different one. An empty sample, a numeric sample with no observed value or
    an infinite value raises a ``ValueError``.

    Examples
    --------
    >>> import numpy as np
    >>> from skaug.drift import ks_statistic
    >>> ks_statistic([1.0, 2.0, 3.0, 4.0], [3.0, 4.0, 5.0, 6.0])
    0.5
    >>> ks_statistic(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    0.25
    """
    reference = _as_series(reference, "reference")
    current = _as_series(current, "current")
    if _is_categorical(reference, current, categorical):
        return _total_variation(reference, current)
    ref, ref_missing = _numeric(reference, "reference")
    cur, cur_missing = _numeric(current, "current")
    ref, cur = np.sort(ref), np.sort(cur)
    n_ref, n_cur = ref.shape[0], cur.shape[0]
    points = np.concatenate([ref, cur])
    # The gap of the two step functions at every point, in units of
    # 1 / (n_ref * n_cur): integer arithmetic, so the statistic is the
    # correctly rounded float of an exact fraction.
    below_ref = np.searchsorted(ref, points, side="right").astype(np.int64)
    below_cur = np.searchsorted(cur, points, side="right").astype(np.int64)
    gap = np.max(np.abs(below_ref * n_cur - below_cur * n_ref))
    statistic = float(gap) / float(n_ref * n_cur)
    return max(statistic, abs(ref_missing - cur_missing))


def mean_ks_by_class(real, real_y, synthetic, synthetic_y):
    """Mean per-column KS statistic of synthetic rows against real rows, class
    by class.

    A pool of minority rows must be compared with the real minority rows, not
    with the whole table; this gives, for each class of the synthetic rows that
    has real rows too, ``(label, n_real, n_synthetic, mean_ks)``, where
    ``mean_ks`` is the mean over the (numeric, e.g. encoded) columns of
    :func:`ks_statistic`.

    Parameters
    ----------
    real, synthetic : ndarray of shape (n_rows, n_columns)
    real_y, synthetic_y : ndarray of shape (n_rows,)

    Returns
    -------
    list of tuple
    """
    real, synthetic = np.asarray(real), np.asarray(synthetic)
    real_y, synthetic_y = np.asarray(real_y), np.asarray(synthetic_y)
    out = []
    for label in np.unique(synthetic_y):
        r, f = real[real_y == label], synthetic[synthetic_y == label]
        if len(r) == 0:
            continue
        ks = np.mean(
            [
                ks_statistic(r[:, j], f[:, j], categorical=False)
                for j in range(real.shape[1])
            ]
        )
        out.append((label, len(r), len(f), float(ks)))
    return out


def kl_divergence(
    reference, current, *, bins=10, smoothing=DEFAULT_SMOOTHING, categorical=None
):
    """Kullback-Leibler divergence KL(reference || current) on shared bins.

    .. math:: KL = \\sum_b p_b \\ln \\frac{p_b}{q_b}

    in nats, where ``p`` and ``q`` are the smoothed proportions of the
    reference and current samples in the shared bins (levels for categorical
    samples, quantile bins of the reference for numeric ones; see
    :mod:`skaug.drift`). The value equals ``scipy.stats.entropy(p, q)`` on
    those proportions. Range ``[0, +inf)``, finite thanks to the smoothing;
    0 when both samples have the same counts.

    Parameters
    ----------
    reference : array-like of shape (n_reference,)
        The reference (training) sample.
    current : array-like of shape (n_current,)
        The current (test) sample.
    bins : int, default=10
        Number of quantile bins for numeric samples (ignored for categorical
        ones).
    smoothing : float, default=0.5
        Pseudo-count added to the count of every bin, in both samples, before
        the counts are normalised to proportions:
        ``p_b = (n_b + smoothing) / (n + smoothing * n_bins)``. With the
        default (the Jeffreys prior) an empty bin gets a small non-zero share,
        so the divergence stays finite. Must be > 0.
    categorical : bool or None, default=None
        ``None`` detects the kind from the values; ``True`` compares levels;
        ``False`` forces a numeric comparison.

    Returns
    -------
    divergence : float
        In ``[0, +inf)``.

    Notes
    -----
    Missing values get a bin of their own (a level for categorical samples).
    A level seen only in ``current`` gets a bin with a zero reference count,
    which the smoothing makes finite. A constant reference gives two bins
    (below the constant, and from the constant up). Disjoint supports give a
    large finite value that grows with the sample sizes (the smoothing is a
    pseudo-count).

    Examples
    --------
    >>> from skaug.drift import kl_divergence
    >>> kl_divergence(["a", "a", "b", "b"], ["a", "a", "b", "b"])
    0.0
    >>> round(kl_divergence(["a", "a", "b", "b"], ["a", "b", "b", "b"]), 4)
    0.0872
    """
    _check_smoothing(smoothing)
    p, q = _bin_counts(reference, current, bins=bins, categorical=categorical)
    p, q = _smoothed(p, smoothing), _smoothed(q, smoothing)
    return float(max(rel_entr(p, q).sum(), 0.0))


def psi(reference, current, *, bins=10, smoothing=DEFAULT_SMOOTHING, categorical=None):
    """Population stability index on shared bins.

    .. math:: PSI = \\sum_b (q_b - p_b) \\ln \\frac{q_b}{p_b}

    where ``p`` and ``q`` are the smoothed proportions of the reference and
    current samples in the shared bins (as in :func:`kl_divergence`). It is
    the symmetrised KL divergence ``KL(p || q) + KL(q || p)``. Range
    ``[0, +inf)``; common reading: below 0.1 stable, 0.1 to 0.25 a moderate
    shift, above 0.25 a major shift.

    Parameters
    ----------
    reference : array-like of shape (n_reference,)
        The reference (training) sample.
    current : array-like of shape (n_current,)
        The current (test) sample.
    bins : int, default=10
        Number of quantile bins for numeric samples (ignored for categorical
        ones).
    smoothing : float, default=0.5
        Pseudo-count added to every bin count before normalising (see
        :func:`kl_divergence`). Must be > 0.
    categorical : bool or None, default=None
        ``None`` detects the kind from the values; ``True`` compares levels;
        ``False`` forces a numeric comparison.

    Returns
    -------
    index : float
        In ``[0, +inf)``.

    Notes
    -----
    Edge cases as in :func:`kl_divergence`: missing values get their own bin,
    unseen levels and empty bins are made finite by the smoothing.

    Examples
    --------
    >>> from skaug.drift import psi
    >>> psi([1, 2, 3, 4], [1, 2, 3, 4])
    0.0
    >>> round(psi(["a", "a", "b", "b"], ["a", "b", "b", "b"]), 4)
    0.1695
    """
    _check_smoothing(smoothing)
    p, q = _bin_counts(reference, current, bins=bins, categorical=categorical)
    p, q = _smoothed(p, smoothing), _smoothed(q, smoothing)
    return float(max(np.sum((q - p) * np.log(q / p)), 0.0))


def js_distance(reference, current, *, bins=10, categorical=None):
    """Jensen-Shannon distance (base 2) on shared bins.

    .. math:: JS = \\sqrt{\\tfrac{1}{2} KL_2(p \\| m) + \\tfrac{1}{2} KL_2(q \\| m)},
        \\quad m = \\tfrac{1}{2}(p + q)

    with base-2 logarithms, where ``p`` and ``q`` are the (unsmoothed)
    proportions of the reference and current samples in the shared bins (as
    in :func:`kl_divergence`). The value equals
    ``scipy.spatial.distance.jensenshannon(p, q, base=2)``. Range ``[0, 1]``:
    0 for identical proportions, 1 for disjoint bins. It is a metric, and
    finite without smoothing, because ``m`` is positive wherever ``p`` or
    ``q`` is.

    Parameters
    ----------
    reference : array-like of shape (n_reference,)
        The reference (training) sample.
    current : array-like of shape (n_current,)
        The current (test) sample.
    bins : int, default=10
        Number of quantile bins for numeric samples (ignored for categorical
        ones).
    categorical : bool or None, default=None
        ``None`` detects the kind from the values; ``True`` compares levels;
        ``False`` forces a numeric comparison.

    Returns
    -------
    distance : float
        In ``[0, 1]``.

    Notes
    -----
    Missing values get their own bin (a level for categorical samples). A
    categorical pair with no level in common gives 1; a numeric pair with
    disjoint supports gives a value close to 1 (all current values fall in an
    outer bin that also holds some reference mass).

    Examples
    --------
    >>> from skaug.drift import js_distance
    >>> js_distance(["a", "b"], ["a", "b"])
    0.0
    >>> js_distance(["a", "a"], ["b", "b"])
    1.0
    """
    p, q = _bin_counts(reference, current, bins=bins, categorical=categorical)
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2
    divergence = (rel_entr(p, m).sum() + rel_entr(q, m).sum()) / (2 * np.log(2))
    return float(np.sqrt(np.clip(divergence, 0.0, 1.0)))


def wasserstein(reference, current, *, categorical=None):
    """Wasserstein-1 distance scaled by the reference's standard deviation.

    .. math:: W = \\frac{\\int |F_{ref}(x) - F_{cur}(x)| \\, dx}{\\sigma_{ref}}

    i.e. ``scipy.stats.wasserstein_distance(reference, current)`` divided by
    the (population, ``ddof=0``) standard deviation of the reference. The
    raw distance is in the units of the column; dividing by the reference's
    spread makes it scale-free, so that one threshold fits every column (a
    shift of the mean by one standard deviation gives 1). When the reference
    is constant (standard deviation 0) the raw distance is returned, in the
    column's units. For categorical samples, where distances between levels
    are undefined, the total variation distance ``0.5 * sum |p_l - q_l|`` is
    returned (as in :func:`ks_statistic`).

    Parameters
    ----------
    reference : array-like of shape (n_reference,)
        The reference (training) sample.
    current : array-like of shape (n_current,)
        The current (test) sample.
    categorical : bool or None, default=None
        ``None`` detects the kind from the values; ``True`` compares levels;
        ``False`` forces a numeric comparison.

    Returns
    -------
    distance : float
        In ``[0, +inf)`` for numeric samples, ``[0, 1]`` for categorical ones.

    Notes
    -----
    Missing values: a level of their own for categorical samples; for numeric
    samples the distance is computed on the observed values and the result is
    ``max(W, |missing rate of reference - missing rate of current|)``.

    Examples
    --------
    >>> from skaug.drift import wasserstein
    >>> wasserstein([0.0, 2.0], [1.0, 3.0])
    1.0
    >>> wasserstein([5.0, 5.0], [6.0, 6.0])  # constant reference: raw units
    1.0
    """
    reference = _as_series(reference, "reference")
    current = _as_series(current, "current")
    if _is_categorical(reference, current, categorical):
        return _total_variation(reference, current)
    ref, ref_missing = _numeric(reference, "reference")
    cur, cur_missing = _numeric(current, "current")
    distance = float(wasserstein_distance(ref, cur))
    scale = float(np.std(ref))
    if scale > 0:
        distance /= scale
    return max(distance, abs(ref_missing - cur_missing))


DRIFT_METRICS = {
    "ks": ks_statistic,
    "kl": kl_divergence,
    "psi": psi,
    "js": js_distance,
    "wasserstein": wasserstein,
}


class _CallableMetric:
    """A user's ``f(reference, current) -> float``, checked on every call.

    It takes the keyword ``categorical`` like the built-in metrics, converts
    both samples to numpy arrays (float64 with NaN for numeric samples, object
    for categorical ones) and checks that the result is a finite number.
    """

    def __init__(self, func):
        self.func = func

    def __call__(self, reference, current, *, categorical=None):
        reference = _as_series(reference, "reference")
        current = _as_series(current, "current")
        if _is_categorical(reference, current, categorical):
            ref, cur = _objects(reference), _objects(current)
        else:
            ref = _float_with_nan(reference, "reference")
            cur = _float_with_nan(current, "current")
        return _check_result(self.func(ref, cur), self.func)

    def __repr__(self):
        return f"{type(self).__name__}({self.func!r})"


def _float_with_nan(series, name):
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iuf":
        return series.to_numpy(dtype=np.float64)
    values = series.astype(object).to_numpy()
    missing = np.asarray(pd.isna(values), dtype=bool)
    out = np.full(values.shape[0], np.nan)
    try:
        out[~missing] = values[~missing].astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} holds values that are not numbers ({exc}); pass "
            "categorical=True to compare them as levels."
        ) from exc
    return out


def _check_result(result, func):
    value = result
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"The drift metric {func!r} returned {result!r} of type "
            f"{type(result).__name__}; a drift metric must return one finite "
            "float."
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(
            f"The drift metric {func!r} returned {value}; a drift metric must "
            "return a finite float (smooth empty bins, or clip the value)."
        )
    return value


def get_drift_metric(metric):
    """The drift metric for a name or a callable.

    Parameters
    ----------
    metric : {"ks", "kl", "psi", "js", "wasserstein"} or callable
        A name from :data:`DRIFT_METRICS` (:func:`ks_statistic`,
        :func:`kl_divergence`, :func:`psi`, :func:`js_distance`,
        :func:`wasserstein`), or a callable ``f(reference, current) ->
        float``.

    Returns
    -------
    metric : callable
        ``metric(reference, current, *, categorical=None) -> float``. A name
        gives the function itself. A user callable is wrapped: it receives
        two 1-D numpy arrays (float64 with NaN where missing for numeric
        samples, object arrays for categorical ones, the kind being detected
        or given by ``categorical``), and its result is checked on every
        call.

    Raises
    ------
    ValueError
        For an unknown name; and, when the returned metric is called, if the
        user callable returns anything but one finite real number.
    TypeError
        When ``metric`` is neither a string nor a callable.

    Examples
    --------
    >>> import numpy as np
    >>> from skaug.drift import get_drift_metric
    >>> get_drift_metric("ks").__name__
    'ks_statistic'
    >>> mean_shift = get_drift_metric(lambda ref, cur: abs(ref.mean() - cur.mean()))
    >>> mean_shift([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])
    1.0
    """
    if isinstance(metric, str):
        if metric not in DRIFT_METRICS:
            raise ValueError(
                f"Unknown drift metric {metric!r}; choose one of "
                f"{sorted(DRIFT_METRICS)} or pass a callable f(reference, "
                "current) -> float."
            )
        return DRIFT_METRICS[metric]
    if isinstance(metric, _CallableMetric) or any(
        metric is f for f in DRIFT_METRICS.values()
    ):
        return metric
    if callable(metric):
        return _CallableMetric(metric)
    raise TypeError(
        f"metric must be one of {sorted(DRIFT_METRICS)} or a callable "
        f"f(reference, current) -> float; got {metric!r}."
    )


# ----------------------------------------------------------------------------
# tables
# ----------------------------------------------------------------------------
def _table_columns(X, name):
    """(columns as Series, feature labels, is_frame) of a 1-D or 2-D input."""
    if isinstance(X, pd.DataFrame):
        return [X.iloc[:, j] for j in range(X.shape[1])], list(X.columns), True
    if isinstance(X, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        series = pd.Series(X) if not isinstance(X, pd.Series) else X
        label = series.name if series.name is not None else 0
        return [series], [label], None
    array = np.asarray(X)
    if array.dtype.kind in "US" and not isinstance(X, np.ndarray):
        array = np.asarray(X, dtype=object)  # keep None / NaN missing
    if array.ndim == 1:
        return [pd.Series(array, copy=False)], [0], None
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a DataFrame, a 2-D array or a 1-D sample; got an "
            f"array of shape {array.shape}."
        )
    columns = [pd.Series(array[:, j], copy=False) for j in range(array.shape[1])]
    return columns, list(range(array.shape[1])), False


def _resolve(items, labels, is_frame, what):
    """Positions of columns given by name (DataFrame) or position."""
    positions = {label: j for j, label in enumerate(labels)}
    out, unknown = [], []
    for item in items:
        if is_frame and item in positions:
            out.append(positions[item])
        elif (
            isinstance(item, numbers.Integral)
            and not isinstance(item, bool)
            and -len(labels) <= item < len(labels)
        ):
            out.append(int(item) % len(labels))
        else:
            unknown.append(item)
    if unknown:
        kind = "column names or positions" if is_frame else "column positions"
        raise ValueError(
            f"{what} names columns that are not in X_reference: {unknown}. Give "
            f"{kind} (0..{len(labels) - 1})."
        )
    return out


def drift_per_feature(
    X_reference, X_current, *, metric="ks", columns=None, categorical=None
):
    """Drift of every feature between a reference and a current table.

    Parameters
    ----------
    X_reference : DataFrame, array-like of shape (n_reference, n_features) \
            or (n_reference,)
        The reference (training) data: a table, or one 1-D sample (e.g. the
        target).
    X_current : DataFrame, array-like of shape (n_current, n_features) \
            or (n_current,)
        The current (test) data. Two DataFrames are matched by column name
        (``X_current`` may have extra columns); otherwise columns are matched
        by position and both need the same number of them.
    metric : {"ks", "kl", "psi", "js", "wasserstein"} or callable, default="ks"
        The per-feature metric, see :func:`get_drift_metric`.
    columns : list of str or int, default=None
        The features to compare (DataFrame column names, or positions); all
        of them by default.
    categorical : bool, list of str or int, or None, default=None
        Which features are compared as levels. ``None``: detected per column
        (boolean, categorical and string columns are categorical, as
        :class:`~skaug.encoding.TabularEncoder` does). ``True``: every
        feature; ``False``: none (every feature numeric). A list of names or
        positions: these features, in addition to the detected ones (e.g.
        integer codes or class labels).

    Returns
    -------
    per_feature : DataFrame
        Indexed by feature (index name ``"feature"``: column names for a
        DataFrame, positions for an array, the Series name or 0 for a 1-D
        sample), with columns ``"drift"`` (float) and ``"kind"``
        (``"numeric"`` or ``"categorical"``).

    See Also
    --------
    aggregate_drift : One number from the table.

    Examples
    --------
    >>> import pandas as pd
    >>> from skaug.drift import drift_per_feature
    >>> ref = pd.DataFrame({"age": [20, 30, 40, 50], "city": list("aabb")})
    >>> cur = pd.DataFrame({"age": [40, 50, 60, 70], "city": list("abbb")})
    >>> drift_per_feature(ref, cur, metric="ks")
             drift         kind
    feature
    age       0.50      numeric
    city      0.25  categorical
    """
    func = get_drift_metric(metric)
    ref_cols, labels, ref_frame = _table_columns(X_reference, "X_reference")
    cur_cols, cur_labels, cur_frame = _table_columns(X_current, "X_current")
    if (ref_frame is None) != (cur_frame is None):
        raise ValueError(
            "X_reference and X_current must both be tables or both be 1-D "
            "samples; got one of each."
        )
    one_d = ref_frame is None
    if one_d and columns is not None:
        raise ValueError(
            "columns selects table columns; it must be None for 1-D input."
        )
    if ref_frame and cur_frame:
        where = {label: j for j, label in enumerate(cur_labels)}
        lacking = [label for label in labels if label not in where]
        if lacking and columns is None:
            raise ValueError(
                f"X_current lacks columns of X_reference: {lacking[:10]}. Pass "
                "tables with the same columns, or select some with columns=."
            )
        matched = [where.get(label) for label in labels]
    else:
        if len(cur_cols) != len(ref_cols):
            raise ValueError(
                f"X_reference has {len(ref_cols)} columns and X_current "
                f"{len(cur_cols)}; matched by position, they need the same number."
            )
        matched = list(range(len(ref_cols)))

    is_frame = bool(ref_frame)
    selected = (
        list(range(len(labels)))
        if columns is None
        else _resolve(list(columns), labels, is_frame, "columns")
    )
    if not selected:
        raise ValueError("columns is empty: select at least one feature.")
    if isinstance(categorical, bool | np.bool_):
        forced = {j: bool(categorical) for j in selected}
    elif categorical is None:
        forced = {}
    else:
        declared = _resolve(list(categorical), labels, is_frame, "categorical")
        forced = dict.fromkeys(declared, True)

    drift, kinds = [], []
    for j in selected:
        if matched[j] is None:
            raise ValueError(
                f"X_current lacks the column {labels[j]!r} of X_reference."
            )
        ref = _as_series(ref_cols[j], f"X_reference[{labels[j]!r}]")
        cur = _as_series(cur_cols[matched[j]], f"X_current[{labels[j]!r}]")
        is_cat = _is_categorical(ref, cur, forced.get(j))
        drift.append(func(ref, cur, categorical=is_cat))
        kinds.append("categorical" if is_cat else "numeric")
    index = pd.Index([labels[j] for j in selected], name="feature")
    return pd.DataFrame(
        {"drift": np.asarray(drift, dtype=np.float64), "kind": kinds}, index=index
    )


def aggregate_drift(per_feature, how="mean"):
    """One drift value from the per-feature drifts.

    Parameters
    ----------
    per_feature : DataFrame, Series or array-like of float
        The output of :func:`drift_per_feature` (its ``"drift"`` column is
        used), or the per-feature values themselves.
    how : {"mean", "max"}, default="mean"
        ``"mean"``: the average drift over the features (the overall drift
        that ``drift_threshold`` tests); ``"max"``: the worst feature.

    Returns
    -------
    drift : float

    Examples
    --------
    >>> from skaug.drift import aggregate_drift
    >>> aggregate_drift([0.1, 0.3])
    0.2
    >>> aggregate_drift([0.1, 0.3], how="max")
    0.3
    """
    if how not in ("mean", "max"):
        raise ValueError(f'how must be "mean" or "max"; got {how!r}.')
    if isinstance(per_feature, pd.DataFrame):
        if "drift" not in per_feature.columns:
            raise ValueError(
                "per_feature must have a 'drift' column (the output of "
                "drift_per_feature)."
            )
        per_feature = per_feature["drift"]
    values = np.asarray(per_feature, dtype=np.float64).ravel()
    if values.shape[0] == 0:
        raise ValueError("per_feature is empty: there is no drift to aggregate.")
    if not np.isfinite(values).all():
        raise ValueError("per_feature holds non-finite drift values.")
    return float(values.mean() if how == "mean" else values.max())
