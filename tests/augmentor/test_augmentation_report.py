"""What augment returns: the merged rows, the region table and the report."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from skaug import DriftAugmentor
from skaug._augmentor._report import (
    Decision,
    build_report,
    merge,
    shortfall_message,
)
from skaug._synthesis.pool import SyntheticPool
from skaug.models import GaussianCopula


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    rng = np.random.RandomState(0)
    order = rng.permutation(len(X))
    train, test = order[:350], order[350:]
    return X.iloc[train], y.iloc[train], X.iloc[test], y.iloc[test]


def _augmentor(**params):
    return DriftAugmentor(
        **{"generator": "gaussian_copula", "random_state": 0, **params}
    )


def _pool(X, y=None):
    return SyntheticPool(X=X, y=y, n_candidates=2 * len(X))


def test_merge_gives_synthetic_rows_a_fresh_index():
    test = pd.DataFrame({"a": [1.0, 2.0]}, index=[7, 3])
    merged = merge(test, np.array([0, 1]), _pool(test.iloc[:1] * 10, np.array([1])))
    assert merged.X.index.tolist() == [7, 3, 8]
    assert merged.y.tolist() == [0, 1, 1]
    assert merged.is_synthetic.tolist() == [False, False, True]
    named = merge(test.set_axis(["u", "v"]), None, _pool(test))
    assert named.X.index.tolist() == ["u", "v", "synthetic_0", "synthetic_1"]
    assert named.y is None


def test_merge_of_an_empty_pool_is_the_test_set():
    test = np.arange(6.0).reshape(3, 2)
    merged = merge(test, None, SyntheticPool(X=None))
    assert merged.X is test and not merged.is_synthetic.any()
    stacked = merge(test, None, _pool(test[:1]))
    np.testing.assert_array_equal(stacked.X, np.vstack([test, test[:1]]))


def test_report_of_a_decision_with_a_reason_adds_nothing():
    before = pd.DataFrame({"drift": [0.05]}, index=["a"])
    report = build_report(
        Decision(0.05, 10, "below", gate="drift_threshold"),
        SyntheticPool(X=None),
        before,
        before,
        drift_after=0.05,
        threshold=0.1,
        limits=("drift_threshold", "below"),
        metric="ks",
        target="a",
        max_samples=10,
    )
    assert not report.augmented and report.reason == "below"
    assert report.samples_added == 0 and report.drift_reduction == 0
    assert report.regions.empty and report.acceptance_rate == 1.0
    assert (report.limited_by, report.shortfall) == ("drift_threshold", "below")


def test_shortfall_is_reported_only_below_the_allocation():
    decision = Decision(0.3, 10, allocation=np.array([2, 3]))
    X = np.zeros((5, 1))
    assert shortfall_message(decision, _pool(X)) is None
    message = shortfall_message(decision, _pool(X[:4]))
    assert message == (
        "Only 4 of the 5 allocated rows could be generated inside their regions "
        "(8 candidates drawn)."
    )


def test_region_table_describes_the_regions(cancer):
    X_train, _, X_test, _ = cancer
    X_shift = X_test[X_test["mean radius"] > X_train["mean radius"].quantile(0.3)]
    aug = _augmentor(target="mean radius", region_method="histogram").fit(X_train)
    report = aug.augment(X_shift).report
    table = report.regions
    assert list(table.columns) == [
        "lower",
        "upper",
        "train_share",
        "test_share",
        "deficit",
        "allocated",
        "added",
    ]
    assert table["train_share"].sum() == pytest.approx(1.0)
    assert table["test_share"].sum() == pytest.approx(1.0)
    np.testing.assert_allclose(
        table["deficit"], np.maximum(table["train_share"] - table["test_share"], 0)
    )
    # contiguous bins, open-ended at both ends
    assert np.isnan(table["lower"].iloc[0]) and np.isnan(table["upper"].iloc[-1])
    np.testing.assert_array_equal(table["upper"].iloc[:-1], table["lower"].iloc[1:])
    # the shift removed small radii from the test set: the deficit is there
    assert table["deficit"].iloc[0] > 0 and table["deficit"].iloc[-1] == 0
    # the fitted regions place the test rows as the table says
    ids = report.region_model.assign(X_shift["mean radius"])
    shares = np.bincount(ids, minlength=len(table)) / len(ids)
    np.testing.assert_allclose(shares, table["test_share"])
    assert "region_model" not in report.to_dict()


class FlippedLabels(GaussianCopula):
    """A generator whose rows carry the other class's label."""

    def sample(self, n_samples=None, y=None, random_state=None):
        X, labels = super().sample(n_samples, y=y, random_state=random_state)
        return X, 1 - np.asarray(labels)


def test_label_fidelity_exposes_a_generator_with_wrong_labels(cancer):
    X_train, y_train, X_test, y_test = cancer
    shifted = X_test["mean radius"] > X_train["mean radius"].median()
    reports = {}
    for name, generator in [("right", "gaussian_copula"), ("wrong", FlippedLabels())]:
        aug = _augmentor(generator=generator).fit(X_train, y_train)
        quality = aug.generator_quality_
        assert quality["label_agreement_real"] > 0.85  # real rows: the level
        reports[name] = aug.augment(X_test[shifted], y_test[shifted]).report
        assert reports[name].generator_quality == quality
    right, wrong = reports["right"], reports["wrong"]
    assert right.generator_quality["label_agreement"] > 0.8
    assert wrong.generator_quality["label_agreement"] < 0.2
    table = wrong.label_fidelity
    assert table.index.tolist() == [0, 1]
    assert (table["synthetic"] < 0.3).all() and (table["real"] > 0.8).all()
    np.testing.assert_allclose(table["gap"], table["real"] - table["synthetic"])
    pd.testing.assert_frame_equal(wrong.to_frame("label_fidelity"), table)
    assert str(wrong).count("labels doubtful") == 2
    assert "labels doubtful" not in str(right)
    per_class = wrong.to_dict()["generator_quality"]["label_agreement_per_class"]
    assert set(per_class) == {"0", "1"}  # JSON keys


def test_label_fidelity_is_empty_without_labels_or_hold_out(cancer):
    X_train, y_train, X_test, _ = cancer
    unlabelled = _augmentor().fit(X_train)
    assert "label_agreement" not in unlabelled.generator_quality_
    report = unlabelled.augment(X_test).report
    assert report.label_fidelity.empty and "label fidelity" not in str(report)
    no_hold = _augmentor(validation_fraction=0.0).fit(X_train, y_train)
    assert no_hold.generator_quality_ == {}
    with pytest.raises(ValueError, match="label_fidelity"):
        report.to_frame("labels")
