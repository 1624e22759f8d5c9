"""Read one input column of :class:`~skaug.encoding.TabularEncoder`.

The kind of a column (numeric or categorical) is read off its dtype, or off its
values for an object column; its missing values may be NaN, None or ``pd.NA``.
:class:`Column` holds what the encoder learns about one column at fit.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Column types encoded as one numeric column (unless declared categorical).
NUMERIC_TYPES = ("integer", "float")
# Column type of an object column, from pandas' inference over its values.
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


@dataclass
class Column:
    """Fitted state of one input column."""

    position: int
    feature: object
    kind: str  # "numeric" or "categorical"
    dtype: object
    start: int = 0
    stop: int = 0
    missing_value: object = np.nan
    # numeric columns
    is_integer: bool = False  # integer dtype: decoded back to integers
    has_missing: bool = False
    low: float = 0.0
    high: float = 0.0
    # the discrete support seen at fit, which decoded values are put back on:
    # every observed value is an integer (rounded, clipped to [low, high]) ...
    integer_valued: bool = False
    # ... or the column has few distinct values (snapped to the nearest)
    support: np.ndarray | None = None
    # categorical columns
    levels: pd.Index | None = None
    other_position: int | None = None
    missing_position: int | None = None
    fill_position: int = 0
    decode_values: np.ndarray = field(default_factory=lambda: np.empty(0, object))
    category_codes: np.ndarray | None = None


def is_object(dtype):
    """True for the numpy object dtype (not for pandas extension dtypes)."""
    return isinstance(dtype, np.dtype) and dtype.kind == "O"


def describe(feature):
    """How an error message names a column."""
    return repr(feature)


def column_type(values, feature):
    """Classify a column: integer, float, bool, category or string.

    Raise a TypeError naming the column for unsupported dtypes.
    """
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    if isinstance(dtype, pd.StringDtype) or dtype.kind in "US":
        return "string"
    if pd.api.types.is_bool_dtype(dtype) and not is_object(dtype):
        return "bool"
    if dtype.kind in "iu":
        return "integer"
    if dtype.kind == "f":
        return "float"
    if is_object(dtype):
        inferred = pd.api.types.infer_dtype(values, skipna=True)
        if inferred in _INFER_TO_TYPE:
            return _INFER_TO_TYPE[inferred]
        dtype = f"object (holding {inferred} values)"
    raise TypeError(
        f"Column {describe(feature)} has dtype {dtype}, which TabularEncoder does "
        "not support. Convert it to numeric first (e.g. a datetime to a number of "
        "days or seconds since a reference date), or drop it."
    )


def is_missing(values):
    """Boolean mask of the missing entries (NaN, None, ``pd.NA``) of a column."""
    if isinstance(values, pd.Series):
        return values.isna().to_numpy()
    return np.asarray(pd.isna(values), dtype=bool)


def to_float(values, feature):
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
            f"Column {describe(feature)} was numeric when the encoder was fitted, "
            f"but it now holds non-numeric values ({exc}). Pass the same kind of "
            "data as at fit, or refit the encoder."
        ) from exc
    return out


def first_missing(values, missing):
    """The missing value (None, NaN, pd.NA...) that an object column uses."""
    if not missing.any():
        return np.nan
    values = values.to_numpy() if isinstance(values, pd.Series) else values
    return values[np.flatnonzero(missing)[0]]


def sorted_levels(levels):
    """Levels in sorted order; mixed types are sorted by type name, then text.

    Examples
    --------
    >>> from skaug.encoding._columns import sorted_levels
    >>> sorted_levels(["b", "a"]), sorted_levels([2, "a", 1.5])
    (['a', 'b'], [1.5, 2, 'a'])
    """
    try:
        return sorted(levels)
    except TypeError:  # mixed types
        return sorted(levels, key=lambda v: (type(v).__name__, str(v)))
