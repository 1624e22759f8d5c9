"""Encode mixed tabular data into a dense float matrix, and decode it back.

:class:`TabularEncoder` is the one place where skaug turns a table (numeric,
integer, boolean, categorical and string columns, with missing values) into the
float matrix that the generators and the uncertainty models train on, and turns
generated rows back into a table with the original columns, order and dtypes.
Its :attr:`~TabularEncoder.spans_` publish the layout of the encoded columns, so
that a generator applies the right activation and loss to each block without
guessing.
"""

import numbers
import warnings
from collections import namedtuple
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.preprocessing import QuantileTransformer, StandardScaler
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_array,
    check_is_fitted,
    validate_data,
)

from skaug.utils._persistence import VersionedPickleMixin

__all__ = ["Span", "TabularEncoder"]

Span = namedtuple("Span", ["feature", "kind", "start", "stop"])
Span.__doc__ = """Where one input column lives in the encoded matrix.

Attributes
----------
feature : str or int
    The input column it encodes: the column name for a DataFrame, the column
    position for an array.
kind : {"numeric", "categorical", "missing"}
    ``"numeric"``: one continuous column, decoded as is (identity activation,
    Gaussian loss). ``"categorical"``: a one-hot block, decoded by argmax
    (softmax activation, cross-entropy loss). ``"missing"``: the two-column
    one-hot block ``[observed, missing]`` that follows the numeric column of a
    feature that had missing values at fit; decoded by argmax.
start, stop : int
    The slice ``start:stop`` of the encoded columns.
"""

# Column types read off a dtype (or, for object columns, off the values).
_NUMERIC_TYPES = ("integer", "float")
_INFER_TO_TYPE = {
    "integer": "integer",
    "floating": "float",
    "mixed-integer-float": "float",
    "decimal": "float",
    "boolean": "bool",
    "string": "string",
    "bytes": "string",
    "mixed": "string",
    "mixed-integer": "string",
    "empty": "string",
}
# How many unseen / offending values an error message shows.
_N_SHOWN = 5


@dataclass
class _Column:
    """Fitted state of one input column (private)."""

    position: int
    feature: object
    kind: str  # "numeric" or "categorical"
    dtype: object
    start: int = 0
    stop: int = 0
    missing_value: object = np.nan
    # numeric columns
    is_integer: bool = False
    has_missing: bool = False
    low: float = 0.0
    high: float = 0.0
    # categorical columns
    levels: pd.Index | None = None
    other_position: int | None = None
    missing_position: int | None = None
    fill_position: int = 0
    decode_values: np.ndarray = field(default_factory=lambda: np.empty(0, object))
    category_codes: np.ndarray | None = None


def _is_object(dtype):
    return isinstance(dtype, np.dtype) and dtype.kind == "O"


def _describe(feature):
    return repr(feature)


def _column_type(values, feature):
    """Classify a column: integer, float, bool, category or string.

    Raise a TypeError naming the column for unsupported dtypes.
    """
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    if isinstance(dtype, pd.StringDtype) or dtype.kind in "US":
        return "string"
    if pd.api.types.is_bool_dtype(dtype) and not _is_object(dtype):
        return "bool"
    if dtype.kind in "iu":
        return "integer"
    if dtype.kind == "f":
        return "float"
    if _is_object(dtype):
        inferred = pd.api.types.infer_dtype(values, skipna=True)
        if inferred in _INFER_TO_TYPE:
            return _INFER_TO_TYPE[inferred]
        dtype = f"object (holding {inferred} values)"
    raise TypeError(
        f"Column {_describe(feature)} has dtype {dtype}, which TabularEncoder does "
        "not support. Convert it to numeric first (e.g. a datetime to a number of "
        "days or seconds since a reference date), or drop it."
    )


def _is_missing(values):
    if isinstance(values, pd.Series):
        return values.isna().to_numpy()
    return np.asarray(pd.isna(values), dtype=bool)


def _to_float(values, feature):
    """A float64 copy of a numeric column, NaN where missing."""
    if isinstance(values, pd.Series):
        dtype = values.dtype
        if (
            pd.api.types.is_numeric_dtype(dtype)
            and not isinstance(dtype, pd.CategoricalDtype)
            and dtype.kind != "c"
        ):
            return values.to_numpy(dtype=np.float64, na_value=np.nan)
        values = values.to_numpy(dtype=object)
    elif values.dtype.kind in "biuf":
        return values.astype(np.float64)
    values = np.asarray(values, dtype=object)
    missing = np.asarray(pd.isna(values), dtype=bool)
    out = np.full(values.shape[0], np.nan)
    try:
        out[~missing] = values[~missing].astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"Column {_describe(feature)} was numeric when the encoder was fitted, "
            f"but it now holds non-numeric values ({exc}). Pass the same kind of "
            "data as at fit, or refit the encoder."
        ) from exc
    return out


def _first_missing(values, missing):
    """The missing value (None, NaN, pd.NA...) that an object column uses."""
    if not missing.any():
        return np.nan
    values = values.to_numpy() if isinstance(values, pd.Series) else values
    return values[np.flatnonzero(missing)[0]]


def _missing_value(values, missing):
    dtype = values.dtype
    if _is_object(dtype):
        return _first_missing(values, missing)
    return getattr(dtype, "na_value", np.nan)


def _sorted_levels(levels):
    try:
        return sorted(levels)
    except TypeError:  # mixed types
        return sorted(levels, key=lambda v: (type(v).__name__, str(v)))


def _unique_names(names):
    """Make feature names unique by suffixing repeats with ``_1``, ``_2``..."""
    taken = set(names)
    if len(taken) == len(names):
        return names
    seen, out = set(), []
    for name in names:
        new, k = name, 0
        while new in seen or (new != name and new in taken):
            k += 1
            new = f"{name}_{k}"
        seen.add(new)
        out.append(new)
    return out


class TabularEncoder(VersionedPickleMixin, TransformerMixin, BaseEstimator):
    """Encode a mixed table into a dense float matrix, and decode it back.

    Numeric columns become one continuous column each (quantile-normalised or
    standardised); categorical, boolean and string columns become one-hot blocks;
    a numeric column with missing values also gets a two-column indicator block.
    :meth:`inverse_transform` turns any float matrix of that width, e.g. the
    output of a generator, back into a table with the original columns, order
    and dtypes. :attr:`spans_` describes the layout for the generators.

    Read more in the :ref:`User Guide <encoding>`.

    Parameters
    ----------
    categorical_features : "auto", array-like of str or int, or array-like of \
            bool, default="auto"
        Which columns are one-hot encoded.

        - ``"auto"``: boolean, pandas categorical and string/object columns are
          categorical; numeric columns (float, int and their nullable pandas
          versions) are numeric. An object column that holds only numbers is
          numeric.
        - array-like of str or int: column names (DataFrame) or positions (int,
          always read as positions) that are categorical *in addition* to the
          boolean, categorical and string columns. Use it to one-hot encode
          numeric codes, and to declare a string column with many levels.
        - array-like of bool of length ``n_features``: a mask, with the same
          meaning as the list of the columns it selects.

    max_categories : int, default=50
        The most levels a one-hot block holds. A string column that is not
        declared in ``categorical_features`` and has more distinct values is
        taken for free text and refused with a ``ValueError``. A declared
        (or pandas categorical) column with more distinct values keeps its
        ``max_categories - 1`` most frequent levels and groups the others into
        one level, with a ``UserWarning``.

    numeric_transform : {"quantile", "standard"}, default="quantile"
        How numeric columns are scaled.

        - ``"quantile"``: :class:`~sklearn.preprocessing.QuantileTransformer`
          with ``output_distribution="normal"``: every column becomes close to a
          standard normal, whatever its heavy tails, skew or modes, which suits
          the Gaussian loss of the generators; the map is monotone and
          invertible, and decoding never leaves the training range.
        - ``"standard"``: :class:`~sklearn.preprocessing.StandardScaler`: an
          affine map, so decoded values may leave the training range (integer
          columns are still clipped to it).

    n_quantiles : int, default=1000
        Number of quantiles of the ``"quantile"`` transform; the encoder uses
        ``min(n_quantiles, n_rows_used)`` (see ``subsample``). Ignored by
        ``"standard"``.

    subsample : int or None, default=100_000
        Most rows used to estimate the quantiles (``"quantile"`` only): above
        it, ``subsample`` random rows plus the rows holding each column's
        minimum and maximum, so that the transform still spans the whole
        training range. ``None`` uses every row. Bounds the cost of fit on
        large tables.

    random_state : int, RandomState instance or None, default=None
        Draws the rows used to estimate the quantiles when there are more than
        ``subsample`` (the only randomness of the encoder). Pass an int for
        reproducible output across multiple function calls.

    Attributes
    ----------
    spans_ : list of Span
        Layout of the encoded columns, one :class:`Span` ``(feature, kind, start,
        stop)`` per block, in encoded-column order; the spans cover
        ``0..n_encoded_features_`` exactly. ``kind`` is ``"numeric"``,
        ``"categorical"`` or ``"missing"``.

    categories_ : dict
        For each categorical feature (column name, or position for an array),
        the list of values that the columns of its one-hot block decode to, in
        block order: the kept levels (pandas category order, else sorted), then,
        for a capped feature, the grouped level (listed as the most frequent
        level it groups), then, when the feature had missing values at fit, its
        missing value (``None``, ``np.nan`` or ``pd.NA``, as in the input).

    n_encoded_features_ : int
        Width of the encoded matrix.

    numeric_transformer_ : QuantileTransformer, StandardScaler or None
        The transformer fitted on all numeric columns at once (``None`` when
        there is no numeric column).

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.preprocessing.OneHotEncoder : One-hot encoding of categorical
        features.
    sklearn.preprocessing.QuantileTransformer : The default numeric transform.

    Notes
    -----
    **Missing values** are encoded, never refused. A numeric column with missing
    values at fit gets a ``"missing"`` span ``[observed, missing]`` right after
    its numeric column; its missing entries are filled with the training median
    in the transformed space, and :meth:`inverse_transform` puts the missing
    value back wherever the argmax of that block says ``missing`` (a float column
    gets NaN, a nullable ``Int64`` column ``<NA>``). In a categorical column the
    missing value (NaN, None or ``pd.NA``) is a level of its own, decoded back
    to the missing value of the column's dtype. A missing value at transform in
    a column that had none at fit cannot be encoded as such: it is imputed (the
    training median for a numeric column, the most frequent level for a
    categorical one) with a ``UserWarning``, and decodes as that value.

    **Grouped levels.** The level that groups the rare levels of a capped
    feature decodes to the most frequent level it groups, so decoded data only
    ever holds real values. At transform, values of a capped feature that are
    not among its kept levels (including values never seen at fit) go to the
    grouped level. In any other categorical feature a value not seen at fit is
    an error.

    **Decoding** accepts soft inputs: any finite float matrix of the right
    width. Categorical and missing blocks are decoded by argmax (probabilities,
    logits or one-hot rows alike); numeric columns by the inverse transform.
    Integer columns are rounded and clipped to their training range; boolean
    columns come back as booleans; pandas categoricals with their categories
    (unused ones included) and order.

    **Errors.** Infinite values, values never seen at fit, free-text string
    columns, mismatched columns between fit and transform and empty input raise
    a ``ValueError`` naming the column and the fix; unsupported dtypes (e.g.
    datetimes) a ``TypeError``. Inputs are never modified.

    **Input choices.** Huge finite values (e.g. ``1e300``) are fine with
    ``numeric_transform="quantile"`` (rank-based); with ``"standard"`` a column
    whose variance overflows, or whose scaled values exceed float32 (what the
    nets train on), is a ``ValueError`` naming it. A constant column is kept and
    decodes to that constant. An object column mixing types (e.g. ``1``, ``"a"``
    and ``2.5``) that is not all numbers is categorical: each distinct value is
    a level, decoded back to the same object (``1`` and ``"1"`` are two levels).
    One row is enough to fit (the models built on the encoder need more).

    **Memory.** Every step is vectorised over the rows; the only large arrays
    are the input and the ``(n_samples, n_encoded_features_)`` float64 output.

    Examples
    --------
    >>> import pandas as pd
    >>> from skaug.encoding import TabularEncoder
    >>> X = pd.DataFrame({
    ...     "age": [25.0, 32.0, None, 51.0],
    ...     "n_kids": [0, 2, 1, 3],
    ...     "city": ["Paris", "Lyon", "Paris", None],
    ... })
    >>> encoder = TabularEncoder().fit(X)
    >>> for span in encoder.spans_:
    ...     print(span)
    Span(feature='age', kind='numeric', start=0, stop=1)
    Span(feature='age', kind='missing', start=1, stop=3)
    Span(feature='n_kids', kind='numeric', start=3, stop=4)
    Span(feature='city', kind='categorical', start=4, stop=7)
    >>> encoder.get_feature_names_out()
    array(['age', 'age__observed', 'age__missing', 'n_kids', 'city__Lyon',
           'city__Paris', 'city__missing'], dtype=object)
    >>> Xt = encoder.transform(X)
    >>> Xt.shape
    (4, 7)
    >>> encoder.inverse_transform(Xt)
        age  n_kids   city
    0  25.0       0  Paris
    1  32.0       2   Lyon
    2   NaN       1  Paris
    3  51.0       3    NaN
    """

    _parameter_constraints: dict = {
        "categorical_features": [StrOptions({"auto"}), "array-like"],
        "max_categories": [Interval(numbers.Integral, 2, None, closed="left")],
        "numeric_transform": [StrOptions({"quantile", "standard"})],
        "n_quantiles": [Interval(numbers.Integral, 1, None, closed="left")],
        "subsample": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        categorical_features="auto",
        max_categories=50,
        numeric_transform="quantile",
        n_quantiles=1000,
        subsample=100_000,
        random_state=None,
    ):
        self.categorical_features = categorical_features
        self.max_categories = max_categories
        self.numeric_transform = numeric_transform
        self.n_quantiles = n_quantiles
        self.subsample = subsample
        self.random_state = random_state

    # ------------------------------------------------------------------ input
    def _check_X(self, X, *, reset):
        """Validate X; return (X, list of 1-D columns, list of features)."""
        if isinstance(X, pd.DataFrame):
            n_samples, n_features = X.shape
            if n_features == 0:
                raise ValueError(
                    f"Found array with 0 feature(s) (shape={X.shape}) while a "
                    "minimum of 1 is required by TabularEncoder."
                )
            if n_samples == 0:
                raise ValueError(
                    f"Found array with 0 sample(s) (shape={X.shape}) while a "
                    "minimum of 1 is required by TabularEncoder."
                )
            validate_data(self, X, reset=reset, skip_check_array=True)
            columns = [X.iloc[:, j] for j in range(n_features)]
            features = list(X.columns)
        else:
            X = check_array(X, dtype=None, ensure_all_finite=False, estimator=self)
            validate_data(self, X, reset=reset, skip_check_array=True)
            columns = [X[:, j] for j in range(X.shape[1])]
            features = list(range(X.shape[1]))
        return X, columns, features

    def _declared_mask(self, features):
        """Boolean list: which columns the user declared categorical."""
        n_features = len(features)
        spec = self.categorical_features
        if isinstance(spec, str):  # "auto"
            return [False] * n_features
        spec = np.asarray(spec)
        if spec.dtype == bool:
            if spec.shape != (n_features,):
                raise ValueError(
                    "categorical_features as a boolean mask must have one entry per "
                    f"column ({n_features}); got shape {spec.shape}."
                )
            return spec.tolist()
        declared = [False] * n_features
        unknown = []
        positions = {feature: j for j, feature in enumerate(features)}
        for item in spec.ravel().tolist():
            if isinstance(item, numbers.Integral) and not isinstance(item, bool):
                if not -n_features <= item < n_features:
                    unknown.append(item)
                    continue
                declared[item] = True
            elif item in positions:
                declared[positions[item]] = True
            else:
                unknown.append(item)
        if unknown:
            raise ValueError(
                f"categorical_features names columns that are not in X: {unknown}. "
                "Give column names (for a DataFrame) or positions 0.."
                f"{n_features - 1}."
            )
        return declared

    # -------------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the layout and the per-column transforms from X.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The table to learn from. Missing values are allowed.

        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted encoder.
        """
        X, columns, features = self._check_X(X, reset=True)
        declared = self._declared_mask(features)
        n_samples = columns[0].shape[0]

        self._frame_columns = X.columns if isinstance(X, pd.DataFrame) else None
        self._array_dtype = None if isinstance(X, pd.DataFrame) else X.dtype

        fitted, numeric = [], []
        for position, (feature, values) in enumerate(zip(features, columns)):
            col_type = _column_type(values, feature)
            col = _Column(position, feature, kind="", dtype=values.dtype)
            if col_type in _NUMERIC_TYPES and not declared[position]:
                col.kind = "numeric"
                col.is_integer = col_type == "integer"
                numeric.append((col, _to_float(values, feature), values))
            else:
                col.kind = "categorical"
                free_text_ok = declared[position] or col_type == "category"
                self._fit_categorical(col, values, col_type, free_text_ok)
            fitted.append(col)

        self._fit_numeric(numeric, n_samples)
        self._layout(fitted)
        return self

    def _fit_numeric(self, numeric, n_samples):
        if not numeric:
            self.numeric_transformer_ = None
            self._fill = np.empty(0)
            return
        values = np.column_stack([v for _, v, _ in numeric])
        self._check_finite(values, [col for col, _, _ in numeric])
        missing = np.isnan(values)
        all_missing = missing.all(axis=0)
        if all_missing.any():  # nothing to learn from: a constant 0 column
            values = values.copy()
            values[:, all_missing] = 0.0
        for i, (col, _, original) in enumerate(numeric):
            col.has_missing = bool(missing[:, i].any())
            # training range: integer columns are clipped to it, and a
            # constant column decodes to its constant
            col.low = float(np.nanmin(values[:, i]))
            col.high = float(np.nanmax(values[:, i]))
            if _is_object(col.dtype):
                col.missing_value = _first_missing(original, missing[:, i])

        if self.numeric_transform == "quantile":
            fit_values = values
            if self.subsample is not None and n_samples > self.subsample:
                # random rows, plus each column's min and max rows so that the
                # quantiles span the whole training range
                rng = check_random_state(self.random_state)
                rows = rng.choice(n_samples, size=self.subsample, replace=False)
                extremes = np.concatenate(
                    [np.nanargmin(values, axis=0), np.nanargmax(values, axis=0)]
                )
                fit_values = values[np.union1d(rows, extremes)]
            transformer = QuantileTransformer(
                n_quantiles=min(self.n_quantiles, fit_values.shape[0]),
                output_distribution="normal",
                subsample=None,
            )
            self.numeric_transformer_ = transformer.fit(fit_values)
        else:
            self.numeric_transformer_ = self._fit_standard(
                values, [col for col, _, _ in numeric]
            )
        # Median in the transformed space: both transforms are monotone, so it is
        # the transformed training median.
        medians = np.nanmedian(values, axis=0, keepdims=True)
        self._fill = self.numeric_transformer_.transform(medians)[0]

    @staticmethod
    def _fit_standard(values, numeric_columns):
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
            names = ", ".join(
                _describe(numeric_columns[i].feature) for i in np.flatnonzero(bad)
            )
            top = np.nanmax(np.abs(values[:, bad]))
            raise ValueError(
                f"Numeric column(s) {names} hold values too large to standardise "
                f'(largest |value| {top:.3g}): numeric_transform="standard" '
                'overflows. Use numeric_transform="quantile" (rank-based, '
                "any finite scale) or rescale the column(s) first (e.g. divide by a "
                "constant or take a log)."
            )
        return scaler

    def _fit_categorical(self, col, values, col_type, free_text_ok):
        feature = col.feature
        series = values if isinstance(values, pd.Series) else pd.Series(values)
        missing = _is_missing(series)
        counts = series.value_counts(dropna=True, sort=False)
        counts = counts[counts > 0]
        if isinstance(col.dtype, pd.CategoricalDtype):
            order = np.argsort(col.dtype.categories.get_indexer(counts.index))
            levels = counts.index[order].tolist()
            freq = counts.to_numpy()[order]
        else:
            try:
                lookup = dict(zip(counts.index.tolist(), counts.to_numpy().tolist()))
            except TypeError as exc:  # unhashable values, e.g. dicts or lists
                raise TypeError(
                    f"Column {_describe(feature)} holds values that cannot be "
                    f"used as categories ({exc}); convert them to strings or "
                    "numbers first."
                ) from exc
            levels = _sorted_levels(lookup)
            freq = np.array([lookup[level] for level in levels])
        freq = freq.astype(np.int64)

        n_levels = len(levels)
        max_categories = self.max_categories
        decode = list(levels)
        other_position = None
        if n_levels > max_categories:
            if col_type == "string" and not free_text_ok:
                raise ValueError(
                    f"Column {_describe(feature)} is a string column with "
                    f"{n_levels} distinct values, more than max_categories="
                    f"{max_categories}: it looks like free text, which "
                    "TabularEncoder cannot encode. Declare it in "
                    "categorical_features to keep its most frequent values (the "
                    "others grouped into one level), raise max_categories, or "
                    "drop the column."
                )
            by_freq = np.argsort(-freq, kind="stable")
            kept = np.sort(by_freq[: max_categories - 1])
            grouped = by_freq[max_categories - 1 :]
            representative = levels[grouped[0]]
            warnings.warn(
                f"Column {_describe(feature)} has {n_levels} distinct values, more "
                f"than max_categories={max_categories}: keeping the "
                f"{max_categories - 1} most frequent and grouping the other "
                f"{len(grouped)} ({int(freq[grouped].sum())} of "
                f"{series.shape[0]} rows) into one level, decoded as "
                f"{representative!r}.",
                UserWarning,
                stacklevel=4,
            )
            levels = [levels[i] for i in kept]
            freq = np.append(freq[kept], freq[grouped].sum())
            other_position = len(levels)
            decode = levels + [representative]

        col.levels = pd.Index(levels, dtype=object)
        col.other_position = other_position
        col.fill_position = int(np.argmax(freq)) if len(freq) else 0
        if missing.any():
            col.missing_value = _missing_value(values, missing)
            col.missing_position = len(decode)
            decode = decode + [col.missing_value]
        col.decode_values = np.empty(len(decode), dtype=object)
        col.decode_values[:] = decode
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes = np.full(len(decode), -1, dtype=np.int64)
            n_real = len(decode) - (col.missing_position is not None)
            codes[:n_real] = col.dtype.categories.get_indexer(
                pd.Index(decode[:n_real], dtype=object)
            )
            col.category_codes = codes

    def _layout(self, fitted):
        """Assign encoded positions, spans, names and categories."""
        spans, suffixes, categories = [], [], {}
        start = 0
        for col in fitted:
            col.start = start
            if col.kind == "numeric":
                spans.append(Span(col.feature, "numeric", start, start + 1))
                suffixes.append((col.position, None))
                start += 1
                if col.has_missing:
                    spans.append(Span(col.feature, "missing", start, start + 2))
                    suffixes.append((col.position, "observed"))
                    suffixes.append((col.position, "missing"))
                    start += 2
            else:
                width = len(col.decode_values)
                spans.append(Span(col.feature, "categorical", start, start + width))
                for i in range(width):
                    if i == col.missing_position:
                        suffix = "missing"
                    elif i == col.other_position:
                        suffix = "other"
                    else:
                        suffix = str(col.decode_values[i])
                    suffixes.append((col.position, suffix))
                categories[col.feature] = col.decode_values.tolist()
                start += width
            col.stop = start

        self._columns = fitted
        self._suffixes = suffixes
        numeric = [col for col in fitted if col.kind == "numeric"]
        self._numeric_positions = np.array([c.start for c in numeric], dtype=np.intp)
        self._has_missing = np.array([c.has_missing for c in numeric], dtype=bool)
        self.spans_ = spans
        self.categories_ = categories
        self.n_encoded_features_ = start

    # -------------------------------------------------------------- transform
    @staticmethod
    def _check_finite(values, numeric_columns):
        infinite = np.isinf(values).any(axis=0)
        if infinite.any():
            names = [numeric_columns[i].feature for i in np.flatnonzero(infinite)]
            raise ValueError(
                f"Numeric column(s) {', '.join(map(_describe, names))} contain "
                "infinite values (+inf or -inf). Replace them with finite values, "
                "or with NaN to encode them as missing."
            )

    def transform(self, X):
        """Encode X into a dense float matrix.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            A table with the same columns as the one seen in :meth:`fit`.

        Returns
        -------
        Xt : ndarray of shape (n_samples, ``n_encoded_features_``), dtype float64
            The encoded table; :attr:`spans_` gives its layout.
        """
        check_is_fitted(self)
        X, columns, _ = self._check_X(X, reset=False)
        n_samples = columns[0].shape[0]
        out = np.zeros((n_samples, self.n_encoded_features_), dtype=np.float64)
        numeric = [col for col in self._columns if col.kind == "numeric"]
        if numeric:
            self._transform_numeric(numeric, columns, out)
        rows = np.arange(n_samples)
        for col in self._columns:
            if col.kind == "categorical":
                codes = self._category_positions(col, columns[col.position])
                out[rows, col.start + codes] = 1.0
        return out

    def _transform_numeric(self, numeric, columns, out):
        values = np.empty((out.shape[0], len(numeric)), dtype=np.float64)
        for i, col in enumerate(numeric):
            values[:, i] = _to_float(columns[col.position], col.feature)
        self._check_finite(values, numeric)
        missing = np.isnan(values)
        encoded = self.numeric_transformer_.transform(values)
        column_missing = missing.any(axis=0)
        if column_missing.any():
            new = column_missing & ~self._has_missing
            if new.any():
                names = ", ".join(
                    _describe(numeric[i].feature) for i in np.nonzero(new)[0]
                )
                warnings.warn(
                    f"Numeric column(s) {names} have missing values but had none "
                    "at fit: they are imputed by the training median and decode "
                    "as that value, not as missing. Refit on data with missing "
                    "values in these columns to encode them as missing.",
                    UserWarning,
                    stacklevel=4,
                )
            encoded = np.where(missing, self._fill, encoded)
        out[:, self._numeric_positions] = encoded
        for i, col in enumerate(numeric):
            if col.has_missing:
                out[:, col.start + 1] = ~missing[:, i]
                out[:, col.start + 2] = missing[:, i]

    def _category_positions(self, col, values):
        """Position in the one-hot block of every row of a categorical column."""
        missing = _is_missing(values)
        if isinstance(values, pd.Series) and isinstance(
            values.dtype, pd.CategoricalDtype
        ):
            lookup = col.levels.get_indexer(values.cat.categories)
            # code -1 (missing) picks the appended -1
            positions = np.append(lookup, -1)[values.cat.codes.to_numpy()]
        else:
            if isinstance(values, pd.Series):
                values = values.to_numpy()
            positions = np.full(values.shape[0], -1, dtype=np.intp)
            positions[~missing] = col.levels.get_indexer(values[~missing])
        unseen = (positions < 0) & ~missing
        if unseen.any():
            if col.other_position is None:
                present = np.asarray(values, dtype=object)[unseen]
                found = pd.unique(pd.Series(present, dtype=object))
                shown = ", ".join(repr(v) for v in found[:_N_SHOWN])
                more = (
                    f" (and {len(found) - _N_SHOWN} more)"
                    if len(found) > _N_SHOWN
                    else ""
                )
                raise ValueError(
                    f"Column {_describe(col.feature)} has categories not seen "
                    f"during fit: {shown}{more}. Refit the encoder on data that "
                    "covers every category of this column."
                )
            positions[unseen] = col.other_position
        if missing.any():
            if col.missing_position is None:
                warnings.warn(
                    f"Categorical column {_describe(col.feature)} has missing "
                    "values but had none at fit: they are imputed by its most "
                    "frequent level. Refit on data with missing values in this "
                    "column to encode them as missing.",
                    UserWarning,
                    stacklevel=4,
                )
                positions[missing] = col.fill_position
            else:
                positions[missing] = col.missing_position
        return positions

    # ------------------------------------------------------ inverse transform
    def inverse_transform(self, X):
        """Decode an encoded matrix back into a table.

        Parameters
        ----------
        X : array-like of shape (n_samples, ``n_encoded_features_``)
            Encoded rows, e.g. the output of :meth:`transform` or of a generator.
            Soft values are fine: one-hot blocks are decoded by argmax, so
            probabilities or raw scores work as well as exact one-hot rows.

        Returns
        -------
        X_original : DataFrame or ndarray of shape (n_samples, ``n_features_in_``)
            A DataFrame with the columns, order, dtypes and categories of the
            fitted one when the encoder was fitted on a DataFrame (its index is
            kept when X is a DataFrame), else an ndarray with the dtype of the
            fitted array.
        """
        check_is_fitted(self)
        index = X.index if isinstance(X, pd.DataFrame) else None
        X = check_array(X, dtype=np.float64, estimator=self)
        if X.shape[1] != self.n_encoded_features_:
            raise ValueError(
                f"X has {X.shape[1]} columns, but TabularEncoder encodes to "
                f"{self.n_encoded_features_} columns: pass a matrix with the "
                "layout of spans_."
            )
        decoded = {}
        numeric = [col for col in self._columns if col.kind == "numeric"]
        if numeric:
            values = self.numeric_transformer_.inverse_transform(
                X[:, self._numeric_positions]
            )
            for i, col in enumerate(numeric):
                decoded[col.position] = self._decode_numeric(col, values[:, i], X)
        for col in self._columns:
            if col.kind == "categorical":
                block = X[:, col.start : col.stop]
                decoded[col.position] = self._decode_categorical(col, block)

        columns = [decoded[j] for j in range(len(self._columns))]
        if self._frame_columns is None:
            out = np.empty((X.shape[0], len(columns)), dtype=self._array_dtype)
            for j, values in enumerate(columns):
                out[:, j] = values
            return out
        # explicit dtypes: pandas would infer "str" for object arrays of strings
        frame = pd.DataFrame(
            {
                j: pd.Series(values, index=index, dtype=col.dtype, copy=False)
                for j, (col, values) in enumerate(zip(self._columns, columns))
            },
            index=index,
        )
        frame.columns = self._frame_columns
        return frame

    @staticmethod
    def _decode_numeric(col, values, X):
        if col.is_integer:
            values = np.clip(np.rint(values), col.low, col.high)
        elif col.low == col.high:
            values = np.full_like(values, col.low)
        missing = np.zeros(values.shape[0], dtype=bool)
        if col.has_missing:
            missing = X[:, col.start + 2] > X[:, col.start + 1]
        dtype = col.dtype
        if _is_object(dtype):
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

    @staticmethod
    def _decode_categorical(col, block):
        positions = block.argmax(axis=1)
        if col.category_codes is not None:
            codes = col.category_codes[positions]
            return pd.Categorical.from_codes(codes, dtype=col.dtype)
        values = col.decode_values[positions]
        dtype = col.dtype
        if _is_object(dtype):
            return values
        if isinstance(dtype, np.dtype):
            return values.astype(dtype)
        return pd.array(values, dtype=dtype)

    # ------------------------------------------------------------------ names
    def get_feature_names_out(self, input_features=None):
        """Names of the encoded columns.

        Numeric columns keep their name; the missing block of ``col`` is
        ``col__observed``, ``col__missing``; the one-hot block of ``col`` is
        ``col__<level>``, with ``col__other`` for the grouped level and
        ``col__missing`` for the missing level. Repeated names get a ``_1``,
        ``_2``... suffix.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names. ``None``: ``feature_names_in_`` when defined,
            else ``["x0", "x1", ...]``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per encoded column.
        """
        check_is_fitted(self)
        base = _check_feature_names_in(self, input_features)
        names = [
            base[position] if suffix is None else f"{base[position]}__{suffix}"
            for position, suffix in self._suffixes
        ]
        return np.asarray(_unique_names(names), dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags
