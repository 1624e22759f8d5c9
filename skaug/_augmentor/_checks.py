"""Input checks of DriftAugmentor: training data and parameters at ``fit``, test
data at ``augment``."""

import math
import warnings

import numpy as np
import pandas as pd
from sklearn.utils.validation import validate_data

from skaug.utils._validation import check_labels

# How many unseen categories an error message shows.
_N_SHOWN = 5
#: Rows a generator needs to fit (every named generator refuses fewer).
MIN_GENERATOR_ROWS = 2
#: Rows the hold-out needs to measure the generator (as ``split_holdout``).
MIN_HOLDOUT_ROWS = 2


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


def _holdout_minimum(fraction):
    """The fewest rows from which ``fraction`` holds out at least
    :data:`MIN_HOLDOUT_ROWS` and leaves :data:`MIN_GENERATOR_ROWS` (as
    ``split_holdout`` and ``train_test_split`` count them)."""
    n = max(
        math.floor(MIN_HOLDOUT_ROWS / fraction),
        math.floor(MIN_GENERATOR_ROWS / (1 - fraction)),
        1,
    )
    while not (
        n * fraction >= MIN_HOLDOUT_ROWS
        and n - math.ceil(n * fraction) >= MIN_GENERATOR_ROWS
    ):
        n += 1
    return n


def minimum_rows(validation_fraction, n_regions, by_labels):
    """The training rows ``fit`` needs, and why, part by part.

    Parameters
    ----------
    validation_fraction : float
    n_regions : int
    by_labels : bool
        Whether the regions are the classes (``target="y"``), which need no
        training row of their own.

    Returns
    -------
    dict of str -> int
        ``"generator"``: the generator fits on at least 2 rows;
        ``"hold-out"`` (when ``validation_fraction > 0``): the fewest rows
        from which it holds out 2 to measure the generator and leaves 2 to
        fit it; ``"regions"`` (unless ``by_labels``): ``n_regions``, one
        training row per region. The minimum is the largest of them.

    Examples
    --------
    >>> from skaug._augmentor._checks import minimum_rows
    >>> minimum_rows(0.2, 10, by_labels=False)
    {'generator': 2, 'hold-out': 10, 'regions': 10}
    >>> minimum_rows(0.0, 3, by_labels=True)
    {'generator': 2}
    """
    parts = {"generator": MIN_GENERATOR_ROWS}
    if validation_fraction > 0:
        parts["hold-out"] = _holdout_minimum(validation_fraction)
    if not by_labels:
        parts["regions"] = int(n_regions)
    return parts


def check_enough_rows(estimator, n_rows):
    """Refuse fewer training rows than :func:`minimum_rows` asks, saying how
    many are needed and which setting asks for them."""
    parts = minimum_rows(
        estimator.validation_fraction, estimator.n_regions, estimator.target == "y"
    )
    needed = max(parts.values())
    if n_rows >= needed:
        return
    why = [f"the generator fits on at least {parts['generator']} rows"]
    if "hold-out" in parts:
        why.append(
            f"validation_fraction={estimator.validation_fraction} holds out at "
            f"least {MIN_HOLDOUT_ROWS} rows to measure it and leaves "
            f"{MIN_GENERATOR_ROWS} to fit it from {parts['hold-out']} rows on "
            "(validation_fraction=0 skips the measurement)"
        )
    if "regions" in parts:
        why.append(
            f"n_regions={estimator.n_regions} regions need a training row "
            "each (lower n_regions for fewer)"
        )
    raise ValueError(
        f"DriftAugmentor needs at least {needed} training rows with these "
        f"settings; got {n_rows} sample(s): " + "; ".join(why) + "."
    )


def check_fit_params(estimator, X):
    """Parameters that only make sense together, or with these columns, and
    enough training rows for them."""
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
    check_enough_rows(estimator, X.shape[0])


def check_training_labels(estimator, X, y):
    """The training labels (None when not given), checked against X."""
    if estimator.target == "y" and y is None:
        raise ValueError('target="y" compares labels: fit(X, y) needs y.')
    if y is None:
        return None
    y = check_labels(y)
    _check_same_length(X, y)
    return y


def _shown(values):
    found = pd.unique(pd.Series(values, dtype=object))
    shown = ", ".join(repr(v) for v in found[:_N_SHOWN])
    return shown + (
        f" (and {len(found) - _N_SHOWN} more)" if len(found) > _N_SHOWN else ""
    )


def _unseen_labels(reference_y, y):
    """The labels of y that the training labels lack (a mask over y)."""
    known = pd.Index(pd.unique(pd.Series(reference_y, dtype=object)))
    return known.get_indexer(pd.Series(y, dtype=object)) < 0


def unseen_label_note(estimator, y):
    """The warning when y holds labels the training data never had (None
    when it does not): what happens to them."""
    if y is None or estimator.reference_y_ is None:
        return None
    unseen = _unseen_labels(estimator.reference_y_, y)
    if not unseen.any():
        return None
    note = (
        f"y has labels the training data never had: {_shown(y[unseen])} "
        f"({int(unseen.sum())} test rows). Those rows are kept as they are; "
        "the generator only knows the training labels "
        f"({_shown(np.unique(estimator.reference_y_))}), so no synthetic row carries "
        "these"
    )
    if estimator.target == "y":
        note += ", and the label drift they cause cannot be reduced"
    return note + "."


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
        if _unseen_labels(estimator.reference_y_, y).all():
            known = _shown(np.unique(estimator.reference_y_))
            raise ValueError(
                f"None of the labels of y ({_shown(y)}) is a label of the "
                f"training data ({known}): synthetic "
                "rows would carry training labels beside them. Encode the test "
                "labels as the training labels were encoded."
            )
    if estimator.target == "y" and y is None:
        raise ValueError('target="y" compares labels: augment(X, y) needs y.')
    return y


def check_test_columns(estimator, X):
    """A DataFrame test set holds the training columns and no other, named
    when not (before scikit-learn's generic feature-name check)."""
    names = getattr(estimator, "feature_names_in_", None)
    if names is None or not isinstance(X, pd.DataFrame):
        return
    known = set(names)
    extra = [c for c in X.columns if c not in known]
    missing = [n for n in names if n not in set(X.columns)]
    if not (extra or missing):
        return
    parts = []
    if extra:
        parts.append(f"columns the training data lacked: {_shown(extra)}")
    if missing:
        parts.append(f"training columns it lacks: {_shown(missing)}")
    fix = (
        "select the training columns, X_test[augmentor.feature_names_in_]"
        if not missing
        else "give a test set with every training column (DriftAugmentor "
        "cannot fill one in)"
    )
    raise ValueError(
        "The test set's columns are not the training data's: "
        + "; ".join(parts)
        + ". DriftAugmentor compares the test set with the training data "
        f"column by column and generates training columns only: {fix}."
    )


def check_test_set(estimator, X, y):
    """The test rows and labels, checked against what ``fit`` saw."""
    check_test_columns(estimator, X)
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
    return (
        f"Column {feature!r} has categories not seen during fit: {_shown(unseen)}. "
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
