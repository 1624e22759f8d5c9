"""The :class:`TabularEncoder` estimator: per-column blocks, one layout.

The estimator validates the input, hands each column to its block
(:mod:`~skaug.encoding._numeric` or :mod:`~skaug.encoding._categorical`) and
publishes the layout that :mod:`~skaug.encoding._layout` assigns.
"""

import numbers

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_array,
    check_is_fitted,
    validate_data,
)

from skaug.encoding._categorical import (
    category_positions,
    decode_categorical,
    fit_categorical,
)
from skaug.encoding._columns import NUMERIC_TYPES, Column, column_type
from skaug.encoding._layout import assign_layout, encoded_names
from skaug.encoding._numeric import NumericBlock
from skaug.utils._persistence import VersionedPickleMixin


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

    max_discrete_levels : int or None, default=20
        A numeric column with at most this many distinct values at fit, each
        seen at least twice on average, is decoded onto those values (each
        decoded value goes to the nearest one). ``None`` or ``0`` turns this
        off. Integer and integer-valued columns are rounded in any case (see
        Notes).

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

    discrete_levels_ : dict
        For each numeric feature decoded onto its levels (see
        ``max_discrete_levels``), the sorted array of its distinct values at fit.

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
    categorical one) with a ``UserWarning``, and decodes as that value (put
    on the column's support, below).

    **Grouped levels.** The level that groups the rare levels of a capped
    feature decodes to the most frequent level it groups, so decoded data only
    ever holds real values. At transform, values of a capped feature that are
    not among its kept levels (including values never seen at fit) go to the
    grouped level. In any other categorical feature a value not seen at fit is
    an error.

    **Decoding** accepts soft inputs: any finite float matrix of the right
    width. Categorical and missing blocks are decoded by argmax (probabilities,
    logits or one-hot rows alike); numeric columns by the inverse transform,
    then put back on the **support** seen at fit: a column with few distinct
    values (``discrete_levels_``) to the nearest of them (ties to the lower);
    else an integer column, or a float column holding only integers (counts,
    codes), is rounded and clipped to its training range; other columns are
    left continuous. A continuous column has (nearly) as many distinct values
    as rows, so it is never taken for a discrete one; boolean
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
        "max_discrete_levels": [
            Interval(numbers.Integral, 0, None, closed="left"),
            None,
        ],
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
        max_discrete_levels=20,
        random_state=None,
    ):
        self.categorical_features = categorical_features
        self.max_categories = max_categories
        self.numeric_transform = numeric_transform
        self.n_quantiles = n_quantiles
        self.subsample = subsample
        self.max_discrete_levels = max_discrete_levels
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
        self._frame_columns = X.columns if isinstance(X, pd.DataFrame) else None
        self._array_dtype = None if isinstance(X, pd.DataFrame) else X.dtype

        fitted = []
        for position, (feature, values) in enumerate(zip(features, columns)):
            col_type = column_type(values, feature)
            col = Column(position, feature, kind="", dtype=values.dtype)
            if col_type in NUMERIC_TYPES and not declared[position]:
                col.kind = "numeric"
                col.is_integer = col_type == "integer"
            else:
                col.kind = "categorical"
                fit_categorical(
                    col,
                    values,
                    col_type,
                    max_categories=self.max_categories,
                    free_text_ok=declared[position] or col_type == "category",
                )
            fitted.append(col)

        self._numeric = NumericBlock(
            [col for col in fitted if col.kind == "numeric"]
        ).fit(
            columns,
            numeric_transform=self.numeric_transform,
            n_quantiles=self.n_quantiles,
            subsample=self.subsample,
            random_state=self.random_state,
            max_discrete_levels=self.max_discrete_levels,
        )
        self.numeric_transformer_ = self._numeric.transformer
        self.discrete_levels_ = self._numeric.discrete_levels()
        self._columns = fitted
        self.spans_, self._suffixes, self.categories_, self.n_encoded_features_ = (
            assign_layout(fitted)
        )
        return self

    # -------------------------------------------------------------- transform
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
        if self._numeric.columns:
            self._numeric.encode(columns, out)
        rows = np.arange(n_samples)
        for col in self._columns:
            if col.kind == "categorical":
                codes = category_positions(col, columns[col.position])
                out[rows, col.start + codes] = 1.0
        return out

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
        if self._numeric.columns:
            values = self._numeric.decode(X)
            for col, column in zip(self._numeric.columns, values):
                decoded[col.position] = column
        for col in self._columns:
            if col.kind == "categorical":
                block = X[:, col.start : col.stop]
                decoded[col.position] = decode_categorical(col, block)

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
        return np.asarray(encoded_names(base, self._suffixes), dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags
