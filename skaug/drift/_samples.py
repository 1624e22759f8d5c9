"""Turn two columns into samples that a drift metric can compare.

Every metric compares a reference (training) and a current (test) 1-D sample;
the rules below say how their values are read, and hold for every metric of
:mod:`skaug.drift` and for the region finders.

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

_NUMERIC_INFERRED = ("integer", "floating", "mixed-integer-float", "decimal")

#: Docstring text of the parameters that the metrics share, for
#: :func:`fill_sample_docs`.
SAMPLE_DOCS = {
    "samples": """reference : array-like of shape (n_reference,)
        The reference (training) sample.
    current : array-like of shape (n_current,)
        The current (test) sample.""",
    "bins": """bins : int, default=10
        Number of quantile bins for numeric samples (ignored for categorical
        ones).""",
    "categorical": """categorical : bool or None, default=None
        ``None`` detects the kind from the values; ``True`` compares levels;
        ``False`` forces a numeric comparison.""",
}


def fill_sample_docs(func):
    """Fill the ``%(name)s`` fields of ``func``'s docstring from
    :data:`SAMPLE_DOCS`, so that the metrics document their shared parameters
    with one text."""
    if func.__doc__ is not None:  # None under ``python -OO``
        func.__doc__ = func.__doc__ % SAMPLE_DOCS
    return func


def as_series(values, name):
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


def is_categorical(reference, current, categorical):
    """Whether two Series are compared as levels: ``categorical`` when given,
    else when either one looks categorical."""
    if categorical is None:
        return _looks_categorical(reference) or _looks_categorical(current)
    return bool(categorical)


def sample_pair(reference, current, categorical):
    """Both samples as Series, and whether they are compared as levels."""
    reference = as_series(reference, "reference")
    current = as_series(current, "current")
    return reference, current, is_categorical(reference, current, categorical)


def float_with_nan(series, name):
    """Float64 values of a numeric Series, NaN where missing."""
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


def observed(series, name):
    """Float values of a numeric sample: (observed values, missing rate)."""
    values = float_with_nan(series, name)
    missing = np.isnan(values)
    kept = values[~missing]
    if kept.shape[0] == 0:
        raise ValueError(
            f"{name} has no non-missing value to compare: every one of its "
            f"{values.shape[0]} values is missing. Drop the column, or pass "
            "categorical=True to compare missingness as a level."
        )
    if np.isinf(kept).any():
        raise ValueError(
            f"{name} contains infinite values (+inf or -inf); replace them with "
            "finite values, or with NaN to treat them as missing."
        )
    return kept, float(missing.mean())


def observed_pair(reference, current):
    """:func:`observed` of both numeric samples."""
    return observed(reference, "reference"), observed(current, "current")


def objects(series):
    """The values of a categorical sample as an object array."""
    return series.to_numpy(dtype=object)


def level_counts(reference, current):
    """Counts of each level (missing is a level) in both categorical samples."""
    ref, cur = objects(reference), objects(current)
    codes, uniques = pd.factorize(np.concatenate([ref, cur]), use_na_sentinel=True)
    n_levels = len(uniques)
    if (codes < 0).any():
        codes = np.where(codes < 0, n_levels, codes)
        n_levels += 1
    n_ref = ref.shape[0]
    p = np.bincount(codes[:n_ref], minlength=n_levels).astype(np.float64)
    q = np.bincount(codes[n_ref:], minlength=n_levels).astype(np.float64)
    return p, q


def numeric_edges(reference, current, bins):
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


def bin_counts(reference, current, *, bins, categorical):
    """Counts per shared bin of both samples: (p_counts, q_counts)."""
    _check_bins(bins)
    reference, current, as_levels = sample_pair(reference, current, categorical)
    if as_levels:
        return level_counts(reference, current)
    (ref, ref_missing), (cur, cur_missing) = observed_pair(reference, current)
    edges, _ = numeric_edges(ref, cur, bins)
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
