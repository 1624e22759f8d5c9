"""The P(y|x) check of augment: it must say so when the labels given x changed,
and stay quiet when only the features or only the class shares did."""

import warnings

import numpy as np
import pandas as pd
import pytest

from skaug import DriftAugmentor
from skaug._augmentor._concept import concept_message, concept_shift


def _rows(n, seed):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, 3)), columns=["a", "b", "c"])
    y = (X["a"] + 0.5 * X["b"] > 0).astype(int).to_numpy()
    return X, y


@pytest.fixture(scope="module")
def fitted():
    X, y = _rows(600, 0)
    return DriftAugmentor(drift_threshold=0.0, random_state=0).fit(X, y)


def _augment(augmentor, X, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = augmentor.augment(X, y).report
    return report, [str(w.message) for w in caught]


def test_flipped_labels_in_half_the_space_are_a_change_of_p_y_given_x(fitted):
    X, y = _rows(300, 1)
    y = np.where(X["c"] > 0, 1 - y, y)  # the answer changed where c > 0
    report, messages = _augment(fitted, X, y)
    check = report.concept_shift
    assert check["detected"] and check["n_test"] == 300
    assert check["shortfall"] >= 0.1 and check["p_value"] < 0.01
    assert check["agreement"] < check["expected_agreement"] - 0.3
    assert "augmentation cannot fix that" in report.reason
    assert any("P(y|x)" in m and "cannot fix this" in m for m in messages)
    assert report.warnings == messages
    assert "P(y|x) changed" in str(report)
    assert report.to_dict()["concept_shift"]["detected"] is True


@pytest.mark.parametrize("shift", ["none", "covariate", "label"])
def test_a_drift_of_x_or_of_the_class_shares_is_not_one(fitted, shift):
    X, y = _rows(600, 2)
    if shift == "covariate":  # the test set lacks low a: P(y|x) unchanged
        keep = (X["a"] > -0.3).to_numpy()
    elif shift == "label":  # a quarter of class 0 kept: P(x|y) unchanged
        keep = (y == 1) | (np.arange(len(y)) % 4 == 0)
    else:
        keep = np.arange(len(y)) < 300
    report, messages = _augment(fitted, X[keep], y[keep])
    check = report.concept_shift
    assert not check["detected"] and check["shortfall"] < 0.1
    assert "P(y|x)" not in report.reason and "P(y|x)" not in str(report)
    assert not any("P(y|x)" in m for m in messages)


def test_no_check_without_labels_on_both_sides(fitted):
    X, _ = _rows(100, 3)
    assert fitted.augment(X).report.concept_shift == {}
    unlabelled = DriftAugmentor(random_state=0).fit(_rows(100, 0)[0])
    assert unlabelled.augment(X).report.concept_shift == {}


def test_the_check_skips_what_it_cannot_judge():
    rng = np.random.default_rng(0)
    train, test = rng.normal(size=(40, 2)), rng.normal(size=(20, 2))
    assert concept_shift(train, np.zeros(40), test, np.zeros(20), 0) == {}
    one_row = np.r_[np.zeros(39), 1]  # a class with one row: no folds
    assert concept_shift(train, one_row, test, np.zeros(20), 0) == {}
    labels = np.arange(40) % 2
    unseen = concept_shift(train, labels, test, np.r_[np.zeros(10), [7] * 10], 0)
    assert unseen["n_test"] == 10  # rows of a label never seen are left out
    assert concept_shift(train, labels, test, [7] * 20, 0) == {}
    assert concept_message(unseen) is None and concept_message({}) is None


@pytest.mark.filterwarnings("ignore:The test labels given the features:UserWarning")
def test_the_check_is_deterministic_and_leaves_the_rows_alone(fitted):
    X, y = _rows(200, 4)
    y = np.where(X["c"] > 0, 1 - y, y)
    first = fitted.augment(X, y)
    second = fitted.augment(X, y)
    assert first.report.concept_shift == second.report.concept_shift
    pd.testing.assert_frame_equal(first.X, second.X)
