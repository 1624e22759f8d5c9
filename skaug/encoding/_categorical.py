"""The categorical columns of :class:`~skaug.encoding.TabularEncoder`.

Each categorical (boolean, pandas categorical, string or declared) column is a
one-hot block: its kept levels, then the grouped level of a capped column,
then the missing level of a column that had missing values at fit. A block is
decoded by argmax.
"""

import warnings

import numpy as np
import pandas as pd

from skaug.encoding._columns import (
    describe,
    first_missing,
    is_missing,
    is_object,
    sorted_levels,
)

# How many unseen values an error message shows.
_N_SHOWN = 5


def _missing_value(values, missing):
    """The missing value that decoding gives back: the one the column holds
    for an object column, else the missing value of its dtype."""
    dtype = values.dtype
    if is_object(dtype):
        return first_missing(values, missing)
    return getattr(dtype, "na_value", np.nan)


def _count_levels(col, series):
    """The observed levels (pandas category order, else sorted) and their
    counts."""
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
                f"Column {describe(col.feature)} holds values that cannot be "
                f"used as categories ({exc}); convert them to strings or "
                "numbers first."
            ) from exc
        levels = sorted_levels(lookup)
        freq = np.array([lookup[level] for level in levels])
    return levels, freq.astype(np.int64)


def _group_rare(col, levels, freq, *, max_categories, n_rows):
    """Keep the ``max_categories - 1`` most frequent levels, in their order,
    and group the others into one level decoded as the most frequent of them.

    Returns the kept levels, the counts with the grouped count last, and the
    values the block decodes to.
    """
    by_freq = np.argsort(-freq, kind="stable")
    kept = np.sort(by_freq[: max_categories - 1])
    grouped = by_freq[max_categories - 1 :]
    representative = levels[grouped[0]]
    warnings.warn(
        f"Column {describe(col.feature)} has {len(levels)} distinct values, more "
        f"than max_categories={max_categories}: keeping the "
        f"{max_categories - 1} most frequent and grouping the other "
        f"{len(grouped)} ({int(freq[grouped].sum())} of "
        f"{n_rows} rows) into one level, decoded as "
        f"{representative!r}.",
        UserWarning,
        stacklevel=5,  # the caller of TabularEncoder.fit
    )
    levels = [levels[i] for i in kept]
    freq = np.append(freq[kept], freq[grouped].sum())
    return levels, freq, levels + [representative]


def fit_categorical(col, values, col_type, *, max_categories, free_text_ok):
    """Learn the levels of one categorical column into ``col``.

    A string column with more than ``max_categories`` levels is free text,
    refused unless ``free_text_ok``; any other column is capped.
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    missing = is_missing(series)
    levels, freq = _count_levels(col, series)
    n_levels = len(levels)
    decode = list(levels)
    col.other_position = None
    if n_levels > max_categories:
        if col_type == "string" and not free_text_ok:
            raise ValueError(
                f"Column {describe(col.feature)} is a string column with "
                f"{n_levels} distinct values, more than max_categories="
                f"{max_categories}: it looks like free text, which "
                "TabularEncoder cannot encode. Declare it in "
                "categorical_features to keep its most frequent values (the "
                "others grouped into one level), raise max_categories, or "
                "drop the column."
            )
        levels, freq, decode = _group_rare(
            col, levels, freq, max_categories=max_categories, n_rows=series.shape[0]
        )
        col.other_position = len(levels)

    col.levels = pd.Index(levels, dtype=object)
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


def _unseen_error(col, values, unseen):
    present = np.asarray(values, dtype=object)[unseen]
    found = pd.unique(pd.Series(present, dtype=object))
    shown = ", ".join(repr(v) for v in found[:_N_SHOWN])
    more = f" (and {len(found) - _N_SHOWN} more)" if len(found) > _N_SHOWN else ""
    return ValueError(
        f"Column {describe(col.feature)} has categories not seen "
        f"during fit: {shown}{more}. Refit the encoder on data that "
        "covers every category of this column."
    )


def category_positions(col, values):
    """Position in the one-hot block of every row of a categorical column."""
    missing = is_missing(values)
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
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
            raise _unseen_error(col, values, unseen)
        positions[unseen] = col.other_position
    if missing.any():
        if col.missing_position is None:
            warnings.warn(
                f"Categorical column {describe(col.feature)} has missing "
                "values but had none at fit: they are imputed by its most "
                "frequent level. Refit on data with missing values in this "
                "column to encode them as missing.",
                UserWarning,
                stacklevel=4,  # the caller of TabularEncoder.transform
            )
            positions[missing] = col.fill_position
        else:
            positions[missing] = col.missing_position
    return positions


def decode_categorical(col, block):
    """One categorical column back in its dtype, by argmax of its block."""
    positions = block.argmax(axis=1)
    if col.category_codes is not None:
        codes = col.category_codes[positions]
        return pd.Categorical.from_codes(codes, dtype=col.dtype)
    values = col.decode_values[positions]
    dtype = col.dtype
    if is_object(dtype):
        return values
    if isinstance(dtype, np.dtype):
        return values.astype(dtype)
    return pd.array(values, dtype=dtype)
