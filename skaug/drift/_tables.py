"""Drift tables: a metric, chosen by name or given as a callable, applied to
every feature of two tables, and one number from the result."""

import numbers

import numpy as np
import pandas as pd

from skaug.drift._metrics import DRIFT_METRICS
from skaug.drift._samples import (
    as_series,
    float_with_nan,
    is_categorical,
    objects,
    sample_pair,
)


class _CallableMetric:
    """A user's ``f(reference, current) -> float``, checked on every call.

    It takes the keyword ``categorical`` like the built-in metrics, converts
    both samples to numpy arrays (float64 with NaN for numeric samples, object
    for categorical ones) and checks that the result is a finite number.
    """

    def __init__(self, func):
        self.func = func

    def __call__(self, reference, current, *, categorical=None):
        reference, current, as_levels = sample_pair(reference, current, categorical)
        if as_levels:
            ref, cur = objects(reference), objects(current)
        else:
            ref = float_with_nan(reference, "reference")
            cur = float_with_nan(current, "current")
        return _check_result(self.func(ref, cur), self.func)

    def __repr__(self):
        return f"{type(self).__name__}({self.func!r})"


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


def _match_columns(labels, cur_labels, *, both_frames, columns):
    """For each reference column, the position of its current column: by
    name for two DataFrames (``None`` where it lacks), else by position."""
    if both_frames:
        where = {label: j for j, label in enumerate(cur_labels)}
        lacking = [label for label in labels if label not in where]
        if lacking and columns is None:
            raise ValueError(
                f"X_current lacks columns of X_reference: {lacking[:10]}. Pass "
                "tables with the same columns, or select some with columns=."
            )
        return [where.get(label) for label in labels]
    if len(cur_labels) != len(labels):
        raise ValueError(
            f"X_reference has {len(labels)} columns and X_current "
            f"{len(cur_labels)}; matched by position, they need the same number."
        )
    return list(range(len(labels)))


def _forced_kinds(categorical, selected, labels, is_frame):
    """Column position -> True (levels) or False (numeric) where
    ``categorical`` decides the kind; the others are detected."""
    if isinstance(categorical, bool | np.bool_):
        return {j: bool(categorical) for j in selected}
    if categorical is None:
        return {}
    declared = _resolve(list(categorical), labels, is_frame, "categorical")
    return dict.fromkeys(declared, True)


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
    if ref_frame is None and columns is not None:
        raise ValueError(
            "columns selects table columns; it must be None for 1-D input."
        )
    matched = _match_columns(
        labels, cur_labels, both_frames=ref_frame and cur_frame, columns=columns
    )
    is_frame = bool(ref_frame)
    selected = (
        list(range(len(labels)))
        if columns is None
        else _resolve(list(columns), labels, is_frame, "columns")
    )
    if not selected:
        raise ValueError("columns is empty: select at least one feature.")
    forced = _forced_kinds(categorical, selected, labels, is_frame)

    drift, kinds = [], []
    for j in selected:
        if matched[j] is None:
            raise ValueError(
                f"X_current lacks the column {labels[j]!r} of X_reference."
            )
        ref = as_series(ref_cols[j], f"X_reference[{labels[j]!r}]")
        cur = as_series(cur_cols[matched[j]], f"X_current[{labels[j]!r}]")
        is_cat = is_categorical(ref, cur, forced.get(j))
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
