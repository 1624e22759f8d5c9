"""Input checks shared by the skaug estimators."""

import numpy as np
import pandas as pd


def check_labels(y, *, name="y"):
    """Check a label vector for classification: 1-D, no missing value, and no
    infinite or non-integral float (1.0/0.0 are labels; 0.5 is refused).

    Returns ``y`` as a 1-D numpy array (a copy is never modified in place).
    """
    if y is None:
        raise ValueError(f"{name} is required for a classifier; got None.")
    y_arr = np.asarray(y.to_numpy() if isinstance(y, pd.Series | pd.DataFrame) else y)
    if y_arr.ndim == 2 and y_arr.shape[1] == 1:
        y_arr = y_arr.ravel()
    if y_arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of labels; got shape {y_arr.shape}."
        )
    if pd.isna(y_arr).any():
        raise ValueError(
            f"{name} contains missing values (NaN/None); drop or impute those rows "
            "before fitting."
        )
    if y_arr.dtype.kind == "f" and y_arr.size:
        if not np.isfinite(y_arr).all():
            raise ValueError(
                f"{name} contains infinite values; class labels must be finite. "
                "Drop those rows or give them a label."
            )
        fractional = y_arr[y_arr != np.round(y_arr)]
        if fractional.size:
            example = float(fractional[0])
            raise ValueError(
                f"{name} holds non-integral float values (e.g. {example!r}), "
                "which look like a continuous target, but skaug conditions on "
                "class labels. Integral floats (0.0, 1.0) are accepted as labels; "
                f"cast {name} to int or str if these are class codes, or bin a "
                "continuous target first (e.g. pandas.qcut)."
            )
    return y_arr


def fit_labels(y, n_rows):
    """Labels of a conditional generator's ``fit``.

    Returns ``(classes_, class_prior_, y_index)``: the sorted classes, their
    frequencies and each row's class index; all three are None when ``y`` is
    None (an unconditional fit).
    """
    if y is None:
        return None, None, None
    y = check_labels(y)
    if len(y) != n_rows:
        raise ValueError(
            f"X and y have different numbers of rows: {n_rows} and {len(y)}."
        )
    classes, y_index, counts = np.unique(y, return_inverse=True, return_counts=True)
    return classes, counts / counts.sum(), y_index


def tabular_input_tags(tags, random_state):
    """The input tags of an estimator that takes mixed tabular data (missing
    values, categorical and string columns), non-deterministic unless seeded."""
    tags.input_tags.allow_nan = True
    tags.input_tags.categorical = True
    tags.input_tags.string = True
    tags.non_deterministic = random_state is None
    return tags
