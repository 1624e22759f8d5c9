"""Input checks shared by the skaug estimators."""

import numpy as np
import pandas as pd
from sklearn.utils.validation import _num_samples


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


def check_resampling_labels(X, y, *, owner):
    """Labels of a resampler: one per row of ``X``, at least 2 classes.

    A 2-D ``y`` and an ``X`` that is not array-like are left to
    imbalanced-learn's own messages.
    """
    y_arr = np.asarray(y.to_numpy() if isinstance(y, pd.Series) else y)
    if y_arr.ndim != 1:
        return
    check_labels(y_arr)
    try:
        n_rows = _num_samples(X)
    except TypeError:
        return
    if n_rows != len(y_arr):
        raise ValueError(
            f"X and y have different numbers of rows: {n_rows} and "
            f"{len(y_arr)}. Pass one label per row of X."
        )
    if n_rows == 0:
        raise ValueError(
            f"X and y are empty (0 samples); {owner} needs at least 2 classes "
            "with at least 2 rows each."
        )
    classes = pd.unique(y_arr)
    if len(classes) < 2:
        label = classes[0]
        label = label.item() if isinstance(label, np.generic) else label
        raise ValueError(
            f"y has only one class ({label!r}); {owner} over-samples the "
            "smaller classes, so it needs at least 2 classes with at least 2 "
            "rows each. Pass the rows of every class."
        )


def check_rows_per_class(y, minimum):
    """A ``ValueError`` naming the classes of ``y`` with fewer than
    ``minimum`` rows (the uncertainty model and the conditional generator
    need them)."""
    classes, counts = np.unique(y, return_counts=True)
    too_few = classes[counts < minimum]
    if len(too_few):
        raise ValueError(
            f"Class(es) {too_few.tolist()} of y have fewer than {minimum} rows "
            f"({dict(zip(too_few.tolist(), counts[counts < minimum].tolist()))}); "
            f"the uncertainty model and the conditional generator need at least "
            f"{minimum} rows per class. Collect more rows or merge/drop those "
            "classes."
        )
