"""Input checks shared by the skaug estimators."""

import numpy as np
import pandas as pd


def check_labels(y, *, name="y"):
    """Check a label vector for classification: 1-D, no missing value.

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
    return y_arr
