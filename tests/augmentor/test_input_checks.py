"""DriftAugmentor's input checks: unseen categories are found by comparing the
test values with the fitted encoder's categories."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from skaug import DriftAugmentor
from skaug._augmentor._checks import (
    check_encodable,
    check_known_categories,
    minimum_rows,
)
from skaug._augmentor._holdout import split_holdout
from skaug.encoding import TabularEncoder


def _frame(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "num": rng.normal(size=n),
            "cat": rng.choice(["a", "b", "c"], n),
            "flag": rng.random(n) < 0.5,
        }
    )


def _fitted(X, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # capped levels
        return TabularEncoder(**params).fit(X)


def test_known_values_pass_and_missing_values_are_not_unseen():
    train = _frame()
    test = _frame(seed=1)
    test.loc[0, "cat"] = None  # new missing values are imputed, not refused
    check_known_categories(_fitted(train), train, test)


def test_an_unseen_category_is_named_with_its_column():
    train = _frame()
    test = _frame(seed=1)
    test.loc[[0, 3], "cat"] = ["purple", "pink"]
    with pytest.raises(ValueError) as info:
        check_known_categories(_fitted(train), train, test)
    message = str(info.value)
    assert message.startswith(
        "Column 'cat' has categories not seen during fit: 'purple', 'pink'. "
        "DriftAugmentor was fitted on training data without them"
    )
    assert "map the new values to known ones before augment" in message


def test_many_unseen_categories_are_summarised():
    train = _frame()
    test = _frame(n=12, seed=1)
    test["cat"] = [f"new{i}" for i in range(12)]
    with pytest.raises(ValueError, match=r"'new4' \(and 7 more\)\."):
        check_known_categories(_fitted(train), train, test)


def test_unseen_categories_of_an_array_are_named_by_position():
    train = _frame().to_numpy()
    test = _frame(seed=1).to_numpy()
    test[2, 1] = "purple"
    with pytest.raises(ValueError, match="Column 1 has categories not seen"):
        check_known_categories(_fitted(train), train, test)


def test_a_capped_column_takes_any_value():
    # 5 levels over max_categories=3: rare levels are grouped, and the
    # grouped level takes values never seen at fit too
    train = pd.DataFrame({"cat": pd.Categorical(list("aaabbbccde") * 3)})
    test = pd.DataFrame({"cat": ["a", "zzz"]})
    encoder = _fitted(train, max_categories=3)
    check_known_categories(encoder, train, test)
    encoder.transform(test)  # the encoder agrees


def test_a_column_with_exactly_max_categories_levels_is_not_capped():
    train = pd.DataFrame({"cat": list("abc") * 4})
    test = pd.DataFrame({"cat": ["a", "zzz"]})
    encoder = _fitted(train, max_categories=3)
    with pytest.raises(ValueError, match="'zzz'"):
        check_known_categories(encoder, train, test)
    with pytest.raises(ValueError, match="not seen during fit"):
        encoder.transform(test)  # the encoder agrees


def test_infinite_values_are_still_refused_by_the_encoder():
    train = _frame()
    test = _frame(seed=1)
    test.loc[2, "num"] = np.inf
    with pytest.raises(ValueError, match="'num' contain infinite values"):
        check_encodable(_fitted(train), train, test)


def test_augment_refuses_unseen_categories_whatever_the_drift():
    train = _frame(n=200)
    test = _frame(n=50, seed=1)
    test.loc[4, "cat"] = "purple"
    aug = DriftAugmentor(generator="gaussian_copula", drift_threshold=1.0)
    aug.set_params(random_state=0).fit(train)
    with pytest.raises(ValueError, match="'cat' has categories not seen"):
        aug.augment(test)


# ---------------------------------------------------------------- small inputs


@pytest.mark.parametrize(
    "fraction, n_regions, by_labels, expected",
    [
        (0.2, 10, False, {"generator": 2, "hold-out": 10, "regions": 10}),
        (0.5, 3, False, {"generator": 2, "hold-out": 4, "regions": 3}),
        (0.9, 3, False, {"generator": 2, "hold-out": 20, "regions": 3}),
        (0.0, 25, True, {"generator": 2}),
    ],
)
def test_minimum_rows_follow_the_settings(fraction, n_regions, by_labels, expected):
    assert minimum_rows(fraction, n_regions, by_labels) == expected


@pytest.mark.parametrize("fraction", [0.05, 0.2, 0.3, 0.5, 0.7, 0.9])
def test_the_hold_out_minimum_is_the_first_size_that_holds_out(fraction):
    needed = minimum_rows(fraction, 1, True)["hold-out"]
    X, y = _frame(needed), np.arange(needed) % 2
    X_fit, _, X_hold, _ = split_holdout(X, y, fraction, 0)
    assert X_hold is not None and len(X_hold) >= 2 and len(X_fit) >= 2
    # one row fewer: no hold-out (or too few rows left to fit)
    X_fit, _, X_hold, _ = split_holdout(X.iloc[:-1], y[:-1], fraction, 0)
    assert X_hold is None or len(X_fit) < 2


def test_fit_on_three_rows_says_how_many_are_needed():
    X = _frame(3)
    with pytest.raises(ValueError) as info:
        DriftAugmentor(generator="gaussian_copula").fit(X)
    message = str(info.value)
    assert message.startswith(
        "DriftAugmentor needs at least 10 training rows with these settings; "
        "got 3 sample(s)"
    )
    assert "validation_fraction=0 skips" in message and "n_regions=10" in message
    # what the message says is enough is enough
    few = DriftAugmentor(
        generator="gaussian_copula", validation_fraction=0.0, n_regions=3
    )
    few.fit(X)
    with pytest.raises(ValueError, match="at least 4 training rows.*got 3"):
        few.set_params(n_regions=4).fit(X)
    labels = DriftAugmentor(
        generator="gaussian_copula", validation_fraction=0.0, target="y"
    )
    labels.fit(X.iloc[:2], [0, 1])
    assert "regions" not in str(
        pytest.raises(ValueError, labels.fit, X.iloc[:1], [0]).value
    )


# ------------------------------------------------------ test columns and labels


@pytest.fixture(scope="module")
def fitted():
    X = _frame(80)
    y = (X["num"] > 0).astype(int).to_numpy()
    aug = DriftAugmentor(
        generator="gaussian_copula", drift_threshold=0.0, random_state=0
    )
    return aug.fit(X, y), X, y


def test_a_test_column_the_training_data_lacked_is_named(fitted):
    aug, X, _ = fitted
    with pytest.raises(ValueError) as info:
        aug.augment(X.assign(extra=1.0, more=2))
    message = str(info.value)
    assert "columns the training data lacked: 'extra', 'more'." in message
    assert "X_test[augmentor.feature_names_in_]" in message
    with pytest.raises(ValueError, match="training columns it lacks: 'flag'"):
        aug.augment(X.drop(columns="flag"))


def test_test_labels_the_generator_never_saw_are_warned_about(fitted):
    aug, X, y = fitted
    test = X[X["num"] > -0.5].reset_index(drop=True)
    y_test = np.array((test["num"] > 0).astype(int))  # a writable copy
    y_test[:3] = 2
    with pytest.warns(UserWarning, match=r"never had: 2 \(3 test rows\)") as caught:
        result = aug.augment(test, y_test)
    (note,) = [str(w.message) for w in caught if "never had" in str(w.message)]
    assert "the generator only knows the training labels (0, 1)" in note
    assert note in result.report.warnings
    assert result.y[:3].tolist() == [2, 2, 2]  # kept on their rows
    assert set(result.y[result.is_synthetic]) <= {0, 1}
    by_labels = clone(aug).set_params(target="y").fit(X, y)
    with pytest.warns(UserWarning, match="label drift they cause cannot be"):
        by_labels.augment(test, y_test)


def test_test_labels_of_another_kind_are_refused(fitted):
    aug, X, _ = fitted
    with pytest.raises(ValueError, match=r"None of the labels of y \('a', 'b'\)"):
        aug.augment(X, np.array(["a", "b"] * 40))
