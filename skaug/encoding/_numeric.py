"""The numeric columns of :class:`~skaug.encoding.TabularEncoder`.

All numeric columns are scaled by one transformer (quantile or standard), one
encoded column each; a column that had missing values at fit is followed by
the two-column one-hot block ``[observed, missing]``. Decoding puts each column
back on the discrete support it showed at fit, if any (:func:`fit_support`).
"""

import warnings

import numpy as np
import pandas as pd
from sklearn.preprocessing import QuantileTransformer, StandardScaler
from sklearn.utils import check_random_state

from skaug.encoding._columns import describe, first_missing, is_object, to_float


def _check_finite(values, columns):
    infinite = np.isinf(values).any(axis=0)
    if infinite.any():
        names = [columns[i].feature for i in np.flatnonzero(infinite)]
        raise ValueError(
            f"Numeric column(s) {', '.join(map(describe, names))} contain "
            "infinite values (+inf or -inf). Replace them with finite values, "
            "or with NaN to encode them as missing."
        )


def _fit_quantile(values, *, n_quantiles, subsample, random_state):
    """A normal-output QuantileTransformer fitted on at most ``subsample`` rows."""
    n_samples = values.shape[0]
    fit_values = values
    if subsample is not None and n_samples > subsample:
        # random rows, plus each column's min and max rows so that the
        # quantiles span the whole training range
        rng = check_random_state(random_state)
        rows = rng.choice(n_samples, size=subsample, replace=False)
        extremes = np.concatenate(
            [np.nanargmin(values, axis=0), np.nanargmax(values, axis=0)]
        )
        fit_values = values[np.union1d(rows, extremes)]
    transformer = QuantileTransformer(
        n_quantiles=min(n_quantiles, fit_values.shape[0]),
        output_distribution="normal",
        subsample=None,
    )
    return transformer.fit(fit_values)


def _fit_standard(values, columns):
    """A StandardScaler fitted on ``values``; a column whose variance
    overflows float64, or whose scaled values overflow float32 (what the
    nets train on), is refused with a ValueError naming it."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        scaler = StandardScaler().fit(values)
        scaled = np.nan_to_num(scaler.transform(values), nan=0.0)
    largest = np.abs(scaled).max(axis=0)
    bad = ~(
        np.isfinite(scaler.mean_)
        & np.isfinite(scaler.scale_)
        & (largest <= np.finfo(np.float32).max)
    )
    if bad.any():
        names = ", ".join(describe(columns[i].feature) for i in np.flatnonzero(bad))
        top = np.nanmax(np.abs(values[:, bad]))
        raise ValueError(
            f"Numeric column(s) {names} hold values too large to standardise "
            f'(largest |value| {top:.3g}): numeric_transform="standard" '
            'overflows. Use numeric_transform="quantile" (rank-based, '
            "any finite scale) or rescale the column(s) first (e.g. divide by a "
            "constant or take a log)."
        )
    return scaler


def fit_support(col, observed, max_discrete_levels):
    """Record the discrete support of a numeric column from its observed
    (non-missing) training values.

    ``col.integer_valued``: every observed value is an integer (always true
    for an integer dtype). ``col.support``: the sorted distinct values, when
    there are at most ``max_discrete_levels`` of them (``None`` or 0: never)
    and at least two observed values per level.
    """
    col.integer_valued = col.is_integer or bool(
        np.array_equal(observed, np.rint(observed))
    )
    col.support = None
    if not max_discrete_levels:
        return
    levels = np.unique(observed)
    # n distinct values in n rows look the same whether the column is discrete
    # or continuous; snapping a small continuous sample onto its training
    # values would only copy them, so a level must be seen twice on average.
    if 0 < levels.size <= max_discrete_levels and 2 * levels.size <= observed.size:
        col.support = levels


def snap(values, levels):
    """The nearest of the sorted ``levels`` to each value (ties go down).

    Examples
    --------
    >>> import numpy as np
    >>> from skaug.encoding._numeric import snap
    >>> snap(np.array([-3.0, 0.4, 0.5, 0.8, 7.0]), np.array([0.0, 1.0, 5.0]))
    array([0., 0., 0., 1., 5.])
    """
    if levels.size == 1:
        return np.full_like(values, levels[0])
    # index of the first level above each value, kept where both it and the
    # level below exist (values outside the range go to the end levels)
    above = np.searchsorted(levels, values).clip(1, levels.size - 1)
    low, high = levels[above - 1], levels[above]
    return np.where(values - low <= high - values, low, high)


def on_support(col, values):
    """Decoded ``values`` of ``col`` put back on its support at fit: snapped
    to its levels when it has few, else rounded and clipped to the training
    range when integer-valued; a constant column gives its constant."""
    if col.support is not None:
        return snap(values, col.support)
    if col.integer_valued:
        return np.clip(np.rint(values), col.low, col.high)
    if col.low == col.high:
        return np.full_like(values, col.low)
    return values


def _decode_column(col, values, X):
    """One numeric column back in its dtype, from its inverse-transformed
    ``values`` and, when it has one, its missing block in ``X``."""
    values = on_support(col, values)
    missing = np.zeros(values.shape[0], dtype=bool)
    if col.has_missing:
        missing = X[:, col.start + 2] > X[:, col.start + 1]
    dtype = col.dtype
    if is_object(dtype):
        if col.is_integer:
            out = np.where(missing, 0, values).astype(np.int64).astype(object)
        else:
            out = values.astype(object)
        out[missing] = col.missing_value
        return out
    values = np.where(missing, np.nan, values)
    if isinstance(dtype, np.dtype):
        return values.astype(dtype)
    return pd.array(values, dtype=dtype)


class NumericBlock:
    """The numeric columns of an encoder, scaled together.

    Parameters
    ----------
    columns : list of Column
        The numeric columns, in input order; :meth:`fit` sets their training
        range, discrete support and missing state, the encoder's layout their
        positions.

    Attributes
    ----------
    transformer : QuantileTransformer, StandardScaler or None
        The transformer fitted on every numeric column at once (``None``
        without numeric column).
    fill : ndarray of shape (n_columns,)
        Encoded value of a missing entry: the training median in the
        transformed space.
    """

    def __init__(self, columns):
        self.columns = columns

    def fit(
        self,
        inputs,
        *,
        numeric_transform,
        n_quantiles,
        subsample,
        random_state,
        max_discrete_levels=None,
    ):
        """Learn the ranges, the supports, the missing state and the
        transformer.

        ``inputs`` holds every input column, indexed by position.
        """
        if not self.columns:
            self.transformer = None
            self.fill = np.empty(0)
            return self
        values = np.column_stack(
            [to_float(inputs[col.position], col.feature) for col in self.columns]
        )
        _check_finite(values, self.columns)
        missing = np.isnan(values)
        all_missing = missing.all(axis=0)
        if all_missing.any():  # nothing to learn from: a constant 0 column
            values = values.copy()
            values[:, all_missing] = 0.0
        for i, col in enumerate(self.columns):
            col.has_missing = bool(missing[:, i].any())
            # training range: integer columns are clipped to it, and a
            # constant column decodes to its constant
            col.low = float(np.nanmin(values[:, i]))
            col.high = float(np.nanmax(values[:, i]))
            fit_support(col, values[~missing[:, i], i], max_discrete_levels)
            if is_object(col.dtype):
                col.missing_value = first_missing(inputs[col.position], missing[:, i])

        if numeric_transform == "quantile":
            self.transformer = _fit_quantile(
                values,
                n_quantiles=n_quantiles,
                subsample=subsample,
                random_state=random_state,
            )
        else:
            self.transformer = _fit_standard(values, self.columns)
        # Median in the transformed space: both transforms are monotone, so it is
        # the transformed training median.
        medians = np.nanmedian(values, axis=0, keepdims=True)
        self.fill = self.transformer.transform(medians)[0]
        return self

    def discrete_levels(self):
        """The levels of each column decoded onto them, by feature."""
        return {
            col.feature: col.support.copy()
            for col in self.columns
            if col.support is not None
        }

    def _positions(self):
        return np.array([col.start for col in self.columns], dtype=np.intp)

    def encode(self, inputs, out):
        """Write the encoded numeric columns of ``inputs`` (every input column,
        indexed by position) into their positions of ``out``."""
        numeric = self.columns
        values = np.empty((out.shape[0], len(numeric)), dtype=np.float64)
        for i, col in enumerate(numeric):
            values[:, i] = to_float(inputs[col.position], col.feature)
        _check_finite(values, numeric)
        missing = np.isnan(values)
        encoded = self.transformer.transform(values)
        column_missing = missing.any(axis=0)
        if column_missing.any():
            had_missing = np.array([col.has_missing for col in numeric], dtype=bool)
            new = column_missing & ~had_missing
            if new.any():
                names = ", ".join(
                    describe(numeric[i].feature) for i in np.nonzero(new)[0]
                )
                warnings.warn(
                    f"Numeric column(s) {names} have missing values but had none "
                    "at fit: they are imputed by the training median and decode "
                    "as that value, not as missing. Refit on data with missing "
                    "values in these columns to encode them as missing.",
                    UserWarning,
                    stacklevel=4,  # the caller of TabularEncoder.transform
                )
            encoded = np.where(missing, self.fill, encoded)
        out[:, self._positions()] = encoded
        for i, col in enumerate(numeric):
            if col.has_missing:
                out[:, col.start + 1] = ~missing[:, i]
                out[:, col.start + 2] = missing[:, i]

    def decode(self, X):
        """The decoded numeric columns of the encoded ``X``, in column order."""
        values = self.transformer.inverse_transform(X[:, self._positions()])
        return [
            _decode_column(col, values[:, i], X) for i, col in enumerate(self.columns)
        ]
