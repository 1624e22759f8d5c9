"""The gates of augment (what set the number of rows, and why fewer than the
cap came) and the region lookup of the report."""

import pickle
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

from skaug import DriftAugmentor
from skaug._augmentor._gates import GATES, _empty_allocation


def _augmentor(**params):
    return DriftAugmentor(
        **{"generator": "gaussian_copula", "random_state": 0, **params}
    )


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=600), "b": rng.normal(size=600)})
    y = (X["a"] + X["b"] > 0).astype(int).to_numpy()
    train, test = X.iloc[:400], X.iloc[400:].reset_index(drop=True)
    return train, y[:400], test, y[400:]


def _shifted(test, y_test, cut=0.0):
    keep = (test["a"] > cut).to_numpy()
    return test[keep].reset_index(drop=True), y_test[keep]


def test_a_reached_cap_is_the_limit(data):
    train, y, test, y_test = data
    X_shift, y_shift = _shifted(test, y_test)
    report = _augmentor().fit(train, y).augment(X_shift, y_shift).report
    assert report.samples_added == report.max_samples
    assert (report.limited_by, report.shortfall) == ("augmentation_factor", "")
    assert "fewer rows than allowed" not in str(report)


def test_the_rows_the_regions_need_can_be_the_limit(data):
    train, y, test, y_test = data
    X_shift, y_shift = _shifted(test, y_test, cut=-1.0)  # a small gap
    aug = _augmentor(augmentation_factor=1.0, drift_threshold=0.0)
    report = aug.fit(train, y).augment(X_shift, y_shift).report
    assert 0 < report.samples_added < report.max_samples
    assert report.limited_by == "rows_needed"
    assert report.shortfall.startswith("The regions that lack test rows needed")
    assert f"fewer than the cap of {report.max_samples}" in report.shortfall
    assert "fewer rows than allowed: The regions" in str(report)


@pytest.mark.parametrize(
    "params, gate, words",
    [
        ({"drift_threshold": 0.9}, "drift_threshold", "at or below"),
        ({"drift_threshold": 0.0}, "significance", "chi-squared p-value"),
        (
            {"drift_threshold": 0.0, "augmentation_factor": 0.001},
            "augmentation_factor",
            "allows 0 rows",
        ),
    ],
)
def test_a_gate_that_stops_augmentation_is_named(data, params, gate, words):
    train, y, test, y_test = data
    X_test, y_out = (test, y_test) if gate == "significance" else _shifted(test, y_test)
    report = _augmentor(**params).fit(train, y).augment(X_test, y_out).report
    assert not report.augmented and report.limited_by == gate
    assert words in report.shortfall and report.shortfall == report.reason
    assert report.to_dict()["limited_by"] == gate


def test_the_significance_gate_is_a_parameter(data):
    train, y, test, y_test = data  # the test set is a random split: no drift
    gated = _augmentor(drift_threshold=0.0).fit(train, y)
    report = gated.augment(test, y_test).report
    assert not report.augmented and report.limited_by == "significance"
    assert "significance=0.05" in report.shortfall
    assert "significance=None switches the test off" in report.shortfall
    # switched off on the same data, the deficits (noise) get rows
    free = gated.set_params(significance=None).augment(test, y_test).report
    assert free.augmented and free.samples_added > 0
    assert free.limited_by != "significance"
    # the level is compared with the test's p-value (0.62 here)
    assert "p-value 0.62 >=" in report.shortfall
    half = gated.set_params(significance=0.5).augment(test, y_test).report
    assert half.limited_by == "significance" and "significance=0.5)" in half.reason
    loose = gated.set_params(significance=0.99).augment(test, y_test).report
    assert loose.samples_added == free.samples_added > 0


@pytest.mark.parametrize("bad", [0.0, 1.0, 1.5, "5%"])
def test_significance_out_of_range_is_refused(data, bad):
    train, y, _, _ = data
    with pytest.raises(ValueError, match="'significance' parameter"):
        _augmentor(significance=bad).fit(train, y)


def test_the_empty_allocation_says_which_gate():
    regions = SimpleNamespace(
        p_value_=0.3, deficits_=[0.2], rows_needed_=0.0, significance=0.05
    )
    assert _empty_allocation(0.2, 10, regions).gate == "significance"
    regions.significance = None  # the test is off: the next gate speaks
    assert _empty_allocation(0.2, 10, regions).gate == "rows_needed"
    regions = SimpleNamespace(
        p_value_=0.01, deficits_=[0.0, 0.0], rows_needed_=0.0, significance=0.05
    )
    decision = _empty_allocation(0.2, 10, regions)
    assert decision.gate == "no_deficit" and "more where it differs" in decision.reason
    regions = SimpleNamespace(
        p_value_=0.01, deficits_=[1e-3], rows_needed_=0.3, significance=0.05
    )
    decision = _empty_allocation(0.2, 10, regions)
    assert decision.gate == "rows_needed" and "need 0.30 rows" in decision.reason
    assert {"significance", "no_deficit", "rows_needed"} <= set(GATES)


class PointGenerator(BaseEstimator):
    """Every row at the origin: it never lands in a tail region."""

    def fit(self, X, y=None):
        self.columns_ = list(X.columns)
        return self

    def sample(self, n_samples, y=None, random_state=None):
        return pd.DataFrame(0.0, index=range(n_samples), columns=self.columns_), None


def test_rows_the_generator_cannot_place_are_the_limit(data):
    train, _, test, _ = data
    X_shift = test[test["a"] > -0.5].reset_index(drop=True)
    aug = _augmentor(
        generator=PointGenerator(), target="a", region_method="histogram"
    ).fit(train)
    with pytest.warns(UserWarning, match="allocated rows could be generated"):
        report = aug.augment(X_shift).report
    assert report.limited_by == "generation"
    assert report.shortfall.startswith("Only 0 of the ")


# ------------------------------------------------------------ region lookup


def test_region_of_places_rows_as_the_report_counts_them(data):
    train, y, test, y_test = data
    X_shift, y_shift = _shifted(test, y_test)
    aug = _augmentor().fit(train, y)
    result = aug.augment(X_shift, y_shift)
    report, table = result.report, result.report.regions
    n = len(table)
    shares = np.bincount(report.region_of(train), minlength=n) / len(train)
    np.testing.assert_allclose(shares, table["train_share"])
    test_region = report.region_of(X_shift)
    np.testing.assert_allclose(
        np.bincount(test_region, minlength=n) / len(X_shift), table["test_share"]
    )
    synthetic = report.region_of(result.X[result.is_synthetic])
    np.testing.assert_array_equal(np.bincount(synthetic, minlength=n), table["added"])
    # a snapshot of the call: changing the augmentor afterwards changes nothing
    aug.set_params(region_method="histogram", target="b")
    np.testing.assert_array_equal(report.region_of(X_shift), test_region)
    again = pickle.loads(pickle.dumps(report))
    np.testing.assert_array_equal(again.region_of(X_shift), test_region)
    assert "region_lookup" not in report.to_dict()


def test_region_of_labels_and_histogram_regions(data):
    train, y, test, y_test = data
    X_shift, y_shift = _shifted(test, y_test)
    by_labels = _augmentor(target="y").fit(train, y).augment(X_shift, y_shift).report
    with pytest.raises(ValueError, match=r"region_of\(X, y\) needs y"):
        by_labels.region_of(train)
    levels = by_labels.regions["level"].tolist()
    placed = by_labels.region_of(train, y)
    assert [levels[r] for r in placed] == [str(label) for label in y]
    aug = _augmentor(target="a", region_method="histogram").fit(train)
    report = aug.augment(X_shift).report
    region = report.region_of(pd.DataFrame({"a": [-5.0, 5.0], "b": [0.0, 0.0]}))
    assert region.tolist() == [0, len(report.regions) - 1]  # the open ends


def test_region_of_refuses_what_it_cannot_place(data):
    train, _, test, _ = data
    X_shift, _ = _shifted(test, np.zeros(len(test)))
    report = _augmentor().fit(train).augment(X_shift).report
    with pytest.raises(ValueError, match="lacked: 'c'"):
        report.region_of(X_shift.assign(c=1.0))
    array_report = _augmentor().fit(train.to_numpy()).augment(X_shift.to_numpy())
    with pytest.raises(ValueError, match="fitted on 2 features"):
        array_report.report.region_of(np.zeros((3, 3)))
    unchanged = _augmentor().fit(train).augment(test).report
    with pytest.raises(ValueError, match="fitted no regions"):
        unchanged.region_of(test)
