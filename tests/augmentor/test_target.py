"""The target plan: what the drift is measured on and what the regions see."""

import numpy as np
import pandas as pd
import pytest

from skaug._augmentor._target import TargetPlan, overall_drift
from skaug.drift import DensityRatioRegions, HistogramRegions, get_drift_metric
from skaug.encoding import TabularEncoder

KS = get_drift_metric("ks")


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "a": rng.normal(size=60),
            "colour": rng.choice(["red", "green", "blue"], 60),
            "b": rng.normal(size=60),
        }
    )


@pytest.mark.parametrize(
    "target, kind, column, feature, name",
    [
        (None, "features", None, None, "all features"),
        ("y", "labels", None, None, "y"),
        ("colour", "column", 1, "colour", "colour"),
        (2, "column", 2, "b", "2"),  # a position in a DataFrame of names
    ],
)
def test_plan_resolves_the_target_against_the_training_columns(
    frame, target, kind, column, feature, name
):
    plan = TargetPlan.from_target(target, frame)
    assert (plan.kind, plan.column, plan.feature, plan.name) == (
        kind,
        column,
        feature,
        name,
    )


def test_plan_of_an_array_names_the_column_by_position(frame):
    plan = TargetPlan.from_target(1, frame[["a", "b"]].to_numpy())
    assert (plan.kind, plan.column, plan.feature) == ("column", 1, 1)


@pytest.mark.parametrize(
    "target, as_array, match",
    [
        ("nope", False, "is not a column of X"),
        (5, False, "is not a column of X"),
        ("nope", True, "does not name a column of a 3-column array"),
        (-1, True, "does not name a column"),
    ],
)
def test_a_target_that_names_no_column_is_refused(frame, target, as_array, match):
    X = frame.to_numpy() if as_array else frame
    with pytest.raises(ValueError, match=match):
        TargetPlan.from_target(target, X)


def test_values_are_the_column_the_labels_or_none(frame):
    y = np.arange(60) % 2
    column = TargetPlan.from_target("b", frame).values(frame, y)
    pd.testing.assert_series_equal(column, frame["b"])
    labels = TargetPlan.from_target("y", frame).values(frame, list(y))
    np.testing.assert_array_equal(labels, y)
    assert TargetPlan.from_target(None, frame).values(frame, y) is None
    array = TargetPlan.from_target(0, frame[["a"]].to_numpy())
    np.testing.assert_array_equal(array.values(frame[["a"]].to_numpy(), y), frame.a)


def test_drift_table_has_a_row_per_compared_feature(frame):
    current = frame.iloc[:30]
    y_ref, y_cur = np.arange(60) % 2, np.zeros(30, dtype=int)
    every = TargetPlan.from_target(None, frame)
    table = every.drift_table(frame, y_ref, current, y_cur, metric=KS)
    assert list(table.index) == ["a", "colour", "b"]
    one = TargetPlan.from_target("b", frame)
    table = one.drift_table(frame, y_ref, current, y_cur, metric=KS)
    assert list(table.index) == ["b"]
    labels = TargetPlan.from_target("y", frame)
    table = labels.drift_table(frame, y_ref, current, y_cur, metric=KS)
    assert list(table.index) == ["y"]
    assert table["drift"].iloc[0] == pytest.approx(0.5)  # all 0 against half 0


def test_overall_drift_is_the_mean_or_the_max():
    table = pd.DataFrame({"drift": [0.1, 0.3]}, index=["a", "b"])
    assert overall_drift(table, "mean") == pytest.approx(0.2)
    assert overall_drift(table, "max") == pytest.approx(0.3)


def test_regions_are_the_classes_bins_or_density_ratio_clusters(frame):
    rng = np.random.RandomState(0)
    kw = {"n_regions": 4, "significance": 0.01}
    labels = TargetPlan.from_target("y", frame).make_regions(
        region_method="density_ratio", rng=rng, **kw
    )
    assert isinstance(labels, HistogramRegions) and labels.categorical
    column = TargetPlan.from_target("a", frame)
    bins = column.make_regions(region_method="histogram", rng=rng, **kw)
    assert isinstance(bins, HistogramRegions) and bins.n_regions == 4
    a = column.make_regions(region_method="density_ratio", rng=rng, **kw)
    b = column.make_regions(
        region_method="density_ratio", rng=np.random.RandomState(0), **kw
    )
    assert isinstance(a, DensityRatioRegions)
    # the clusters' seed comes from the call's random numbers
    assert a.random_state == b.random_state
    # the test's level is the augmentor's, whatever the regions
    assert {r.significance for r in (labels, bins, a)} == {0.01}


def test_density_ratio_regions_see_the_encoded_target_columns(frame):
    encoder = TabularEncoder().fit(frame)
    y = np.arange(60) % 2
    every = TargetPlan.from_target(None, frame).region_inputs(
        frame, y, region_method="density_ratio", encoder=encoder
    )
    assert every.shape == (60, encoder.n_encoded_features_)
    colour = TargetPlan.from_target("colour", frame).region_inputs(
        frame, y, region_method="density_ratio", encoder=encoder
    )
    # the one-hot block of the three colours
    assert colour.shape == (60, 3)
    np.testing.assert_array_equal(colour.sum(axis=1), 1.0)
    histogram = TargetPlan.from_target("colour", frame).region_inputs(
        frame, y, region_method="histogram", encoder=encoder
    )
    pd.testing.assert_series_equal(histogram, frame["colour"])
    labels = TargetPlan.from_target("y", frame).region_inputs(
        frame, y, region_method="density_ratio", encoder=encoder
    )
    np.testing.assert_array_equal(labels, y)
