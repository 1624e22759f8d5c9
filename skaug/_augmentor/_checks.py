"""Input checks of DriftAugmentor: training data and parameters at ``fit``, test
data at ``augment``."""

import warnings

import numpy as np
import pandas as pd
from sklearn.utils.validation import validate_data

from skaug.utils._validation import check_labels

# How many unseen categories an error message shows.
_N_SHOWN = 5


def check_table(estimator, X, *, reset):
    """Validate X (its width and feature names against fit's when not
    ``reset``); a DataFrame is returned as is, anything else as an array."""
    if not isinstance(X, pd.DataFrame):
        # infinite values are refused by the encoder, naming the column
        return validate_data(
            estimator, X, reset=reset, dtype=None, ensure_all_finite=False
        )
    validate_data(estimator, X, reset=reset, skip_check_array=True)
    return X


def _check_same_length(X, y):
    if len(y) != X.shape[0]:
        raise ValueError(
            f"X and y have different numbers of rows: {X.shape[0]} and {len(y)}."
        )


def check_fit_params(estimator, X):
    """Parameters that only make sense together, or with these columns."""
    if estimator.region_method == "histogram" and estimator.target is None:
        raise ValueError(
            'region_method="histogram" bins a single target: set target to a '
            'column or "y", or use region_method="density_ratio" for every '
            "feature."
        )
    if estimator.preserve_subgroups and not estimator.sensitive_features:
        raise ValueError(
            "preserve_subgroups=True needs sensitive_features (column names)."
        )
    for column in estimator.sensitive_features or []:
        if not isinstance(X, pd.DataFrame) or column not in X.columns:
            raise ValueError(
                f"sensitive feature {column!r} is not a column of X; "
                "sensitive_features takes DataFrame column names."
            )


def check_training_labels(estimator, X, y):
    """The training labels (None when not given), checked against X."""
    if estimator.target == "y" and y is None:
        raise ValueError('target="y" compares labels: fit(X, y) needs y.')
    if y is None:
        return None
    y = check_labels(y)
    _check_same_length(X, y)
    return y


def check_test_labels(estimator, X, y):
    """The test labels (None when not given), checked against X and fit."""
    if y is not None:
        y = check_labels(y)
        _check_same_length(X, y)
        if estimator.reference_y_ is None:
            raise ValueError(
                "augment got y but the augmentor was fitted without labels, so "
                "synthetic rows would have none: fit(X_train, y_train) first."
            )
    if estimator.target == "y" and y is None:
        raise ValueError('target="y" compares labels: augment(X, y) needs y.')
    return y


def check_test_set(estimator, X, y):
    """The test rows and labels, checked against what ``fit`` saw."""
    X = check_table(estimator, X, reset=False)
    if X.shape[0] == 0:
        raise ValueError("X is empty: augment needs at least one test row.")
    check_encodable(estimator.encoder_, estimator.reference_X_, X)
    return X, check_test_labels(estimator, X, y)


def _is_missing_level(level):
    missing = pd.isna(level)
    return isinstance(missing, bool | np.bool_) and bool(missing)


def _column(X, position):
    if isinstance(X, pd.DataFrame):
        return X.iloc[:, position].to_numpy(dtype=object)
    return np.asarray(X, dtype=object)[:, position]


def _groups_rare_levels(encoder, reference_X, position, known):
    """Whether the encoder grouped the rare levels of this column into one
    level, which then takes every value it has not seen. It keeps
    ``max_categories`` levels (the grouped one last) out of more distinct
    training values; a column with exactly ``max_categories`` levels has
    them all."""
    if len(known) != encoder.max_categories:
        return False
    values = pd.Series(_column(reference_X, position), dtype=object)
    return values.nunique(dropna=True) > encoder.max_categories


def _unseen_message(feature, unseen):
    found = pd.unique(pd.Series(unseen, dtype=object))
    shown = ", ".join(repr(v) for v in found[:_N_SHOWN])
    more = f" (and {len(found) - _N_SHOWN} more)" if len(found) > _N_SHOWN else ""
    return (
        f"Column {feature!r} has categories not seen during fit: {shown}{more}. "
        "DriftAugmentor was fitted on training data without them, so its "
        "generator cannot produce them: fit it on training data that covers "
        "every category, or map the new values to known ones before augment."
    )


def check_known_categories(encoder, reference_X, X):
    """Refuse values of a categorical column that the fitted encoder does not
    know (its ``categories_``), naming the column and the values."""
    features = list(X.columns) if isinstance(X, pd.DataFrame) else range(X.shape[1])
    for position, feature in enumerate(features):
        levels = encoder.categories_.get(feature)
        if levels is None:
            continue
        known = [level for level in levels if not _is_missing_level(level)]
        if _groups_rare_levels(encoder, reference_X, position, known):
            continue
        values = _column(X, position)
        values = values[~np.asarray(pd.isna(values), dtype=bool)]
        unseen = pd.Index(known, dtype=object).get_indexer(values) < 0
        if unseen.any():
            raise ValueError(_unseen_message(feature, values[unseen]))


def check_encodable(encoder, reference_X, X):
    """Refuse test values that the training data never had (unseen
    categories, then infinite or non-numeric values in a numeric column),
    whatever the drift: the generator cannot produce them and the regions
    cannot place them."""
    check_known_categories(encoder, reference_X, X)
    with warnings.catch_warnings():
        # missing values new at augment are warned about where the encoding
        # is used; here only its errors matter
        warnings.simplefilter("ignore", UserWarning)
        encoder.transform(X)
