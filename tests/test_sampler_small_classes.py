"""UncertaintySampler on classes of 2 to 30 rows (issue 16, point 5)."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier

from skaug import UncertaintySampler


def _table(n_minority, n_majority=300, seed=0):
    X, y = make_classification(
        n_samples=4 * (n_majority + n_minority),
        n_features=6,
        n_informative=4,
        n_redundant=0,
        class_sep=1.5,
        weights=[0.5],
        random_state=seed,
    )
    rows = np.r_[np.flatnonzero(y == 0)[:n_majority], np.flatnonzero(y == 1)]
    minority = np.flatnonzero(y == 1)
    train = np.r_[rows[:n_majority], minority[:n_minority]]
    held_out = minority[n_minority : n_minority + 200]
    return X[train], y[train], X[held_out]


@pytest.mark.parametrize("n_minority", [2, 3, 4])
def test_a_class_too_small_to_learn_is_copied_and_the_warning_says_so(n_minority):
    X, y, _ = _table(n_minority)
    sampler = UncertaintySampler(n_mc_samples=5, random_state=0)
    with pytest.warns(UserWarning, match=r"class 1 \(\d rows, \d+ added\).*copies"):
        X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [300, 300]
    added = sampler.sample_indices_[len(y) :]
    # every added row is one of the class's real rows
    assert (added < len(y)).all() and (y[added] == 1).all()
    assert len(sampler.synthetic_y_) == 0
    assert sampler.synthesis_report_["copied_classes"] == [1]


def test_copies_need_no_weight_from_alpha():
    X, y, _ = _table(3)
    sampler = UncertaintySampler(alpha=0.0, n_mc_samples=5, random_state=0)
    with pytest.warns(UserWarning, match="copies"):
        _, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [300, 300]


@pytest.mark.parametrize("n_minority", [5, 10, 30])
def test_small_classes_get_rows_a_model_labels_minority(n_minority):
    X, y, X_real_minority = _table(n_minority)
    sampler = UncertaintySampler(n_mc_samples=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no fallback at 5 rows
        sampler.fit_resample(X, y)
    assert sampler.synthesis_report_["copied_classes"] == []
    synthetic = sampler.synthetic_X_[sampler.synthetic_y_ == 1]
    assert len(synthetic) > 0
    # a model trained on real rows calls the synthetic minority rows minority
    # about as often as unseen real minority rows
    judge = RandomForestClassifier(random_state=0, class_weight="balanced")
    judge.fit(X, y)
    synthetic_rate = judge.predict(synthetic).mean()
    real_rate = judge.predict(X_real_minority).mean()
    assert synthetic_rate >= real_rate - 0.1, (synthetic_rate, real_rate)
