"""The training rows held out from the generator, and its quality on them."""

import numpy as np
import pandas as pd
import pytest

from skaug._augmentor import _holdout
from skaug._augmentor._holdout import holdout_quality, split_holdout
from skaug.encoding import TabularEncoder
from skaug.models import GaussianCopula


@pytest.fixture
def table():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=100), "b": rng.choice(["x", "y"], 100)})
    y = np.r_[np.zeros(80, int), np.ones(20, int)]
    return X, y


@pytest.mark.parametrize("fraction, n_rows", [(0.0, 100), (0.01, 100), (0.3, 5)])
def test_nothing_is_held_out_without_two_rows_to_hold(table, fraction, n_rows):
    X, y = table
    X_fit, y_fit, X_hold, y_hold = split_holdout(
        X.iloc[:n_rows], y[:n_rows], fraction, 0
    )
    assert X_hold is None and y_hold is None
    assert len(X_fit) == n_rows and len(y_fit) == n_rows


def test_the_hold_out_is_stratified_and_seeded(table):
    X, y = table
    X_fit, y_fit, X_hold, y_hold = split_holdout(X, y, 0.25, 0)
    assert (len(X_fit), len(X_hold)) == (75, 25)
    assert np.bincount(y_fit).tolist() == [60, 15]
    assert np.bincount(y_hold).tolist() == [20, 5]
    assert split_holdout(X, None, 0.25, 0)[3] is None
    again = split_holdout(X, y, 0.25, 0)[2]
    pd.testing.assert_frame_equal(X_hold, again)
    # every training row is on one side
    both = pd.concat([X_fit, X_hold]).sort_values(["a"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(both, X.sort_values(["a"]).reset_index(drop=True))


def test_quality_on_the_held_out_rows(table, monkeypatch):
    X, y = table
    generator = GaussianCopula(random_state=0).fit(X, y)
    encoder = TabularEncoder().fit(X)
    assert holdout_quality(generator, encoder, None, 0) == {}
    quality = holdout_quality(generator, encoder, X, 0)
    assert set(quality) == {"detection_auc", "mean_ks", "n_holdout"}
    assert quality["n_holdout"] == 100 and 0 <= quality["mean_ks"] <= 1
    # above the cap, a seeded random subset is compared
    monkeypatch.setattr(_holdout, "QUALITY_MAX_ROWS", 40)
    capped = holdout_quality(generator, encoder, X, 0)
    assert capped["n_holdout"] == 40
    assert capped == holdout_quality(generator, encoder, X, 0)


def test_label_agreement_needs_the_held_out_labels(table, monkeypatch):
    X, y = table
    generator = GaussianCopula(random_state=0).fit(X, y)
    encoder = TabularEncoder().fit(X)
    quality = holdout_quality(generator, encoder, X, 0, y)
    assert 0 <= quality["label_agreement"] <= 1
    assert set(quality["label_agreement_per_class"]) == {0, 1}
    # capped: the labels follow their rows
    monkeypatch.setattr(_holdout, "QUALITY_MAX_ROWS", 40)
    capped = holdout_quality(generator, encoder, X, 0, y)
    per_class = capped["label_agreement_per_class"]
    assert sum(c["n_real"] for c in per_class.values()) == 40


def test_no_stratification_when_the_fit_side_is_smaller_than_the_classes():
    X = pd.DataFrame({"a": np.arange(7.0)})
    y = np.array([0, 0, 0, 1, 1, 2, 2])
    # 0.7 holds out 5 rows and leaves 2 for the generator: fewer than the 3
    # classes, which a stratified split refuses
    X_fit, _, X_hold, _ = split_holdout(X, y, 0.7, 0)
    assert (len(X_fit), len(X_hold)) == (2, 5)
