"""Tests for ``skaug.drift._histogram``: HistogramRegions."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from skaug.drift import HistogramRegions, ks_statistic


def _label_shift(labels=("a", "b"), n=400):
    a, b = labels
    train = np.array([a] * (n // 2) + [b] * (n // 2), dtype=object)
    test = np.array([a] * (n * 8 // 10) + [b] * (n * 2 // 10), dtype=object)
    return train, test


def _add_copies(regions, train, allocation, seed=0):
    """Copies of training values, as many per region as allocated."""
    rng = np.random.default_rng(seed)
    ids = regions.assign(train)
    parts = [
        rng.choice(train[ids == r], size=k, replace=True)
        for r, k in enumerate(allocation)
        if k
    ]
    return np.concatenate(parts) if parts else train[:0]


@pytest.mark.parametrize(
    "labels, categorical",
    [(("a", "b"), None), ((0, 1), None), ((0, 1), True), ((False, True), None)],
)
def test_label_shift_goes_to_under_represented_class(labels, categorical):
    train, test = _label_shift(labels)
    if not isinstance(labels[0], str):
        train, test = train.astype(type(labels[0])), test.astype(type(labels[0]))
    regions = HistogramRegions(categorical=categorical).fit(train, test)
    assert regions.n_regions_ == 2
    assert list(regions.levels_) == list(labels)
    assert_allclose(regions.train_share_, [0.5, 0.5])
    assert_allclose(regions.test_share_, [0.8, 0.2])
    assert_allclose(regions.deficits_, [0.0, 0.3])
    assert regions.rows_needed_ > 80  # 400 test rows lack 240 of the 2nd class
    allocation = regions.allocate(80)
    assert_array_equal(allocation, [0, 80])
    assert allocation.sum() == 80


def test_adding_allocated_rows_lowers_tv():
    train, test = _label_shift()
    regions = HistogramRegions().fit(train, test)
    added = _add_copies(regions, train, regions.allocate(80))
    before = ks_statistic(train, test)
    after = ks_statistic(train, np.concatenate([test, added]))
    assert before == pytest.approx(0.3)
    assert after < before


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_adding_allocated_rows_lowers_ks(seed):
    rng = np.random.default_rng(seed)
    train = rng.normal(size=600)
    test = rng.normal(0.8, 1.0, size=300)
    regions = HistogramRegions(n_regions=8).fit(train, test)
    budget = 150
    allocation = regions.allocate(budget)
    assert allocation.sum() == budget
    # the rows go to the low bins, where the test set lacks training mass
    low = regions.assign(np.array([-1.5]))[0]
    assert allocation[low] == allocation.max()
    added = _add_copies(regions, train, allocation, seed)
    assert ks_statistic(train, np.r_[test, added]) < ks_statistic(train, test)


def test_deficits_equal_mean_row_deficit():
    rng = np.random.default_rng(3)
    train, test = rng.normal(size=500), rng.normal(0.5, 1.5, size=300)
    regions = HistogramRegions(n_regions=6).fit(train, test)
    ids = regions.assign(train)
    p, q = regions.train_share_[ids], regions.test_share_[ids]
    row_deficit = np.maximum(0.0, 1.0 - q / p)
    per_region = np.bincount(ids, weights=row_deficit, minlength=6) / len(train)
    assert_allclose(regions.deficits_, per_region)
    assert_allclose(regions.train_share_.sum(), 1.0)
    assert_allclose(regions.test_share_.sum(), 1.0)


def test_quantile_edges_and_outer_bins():
    train = np.arange(100.0)
    regions = HistogramRegions(n_regions=4).fit(train, train + 10)
    assert regions.kind_ == "numeric"
    assert regions.levels_ is None
    assert_allclose(regions.edges_, np.quantile(train, [0.25, 0.5, 0.75]))
    assert_allclose(regions.train_share_, 0.25)
    ids = regions.assign([-1e9, 0.0, 24.75, 60.0, 1e9, np.inf])
    assert_array_equal(ids, [0, 0, 1, 2, 3, 3])


@pytest.mark.parametrize("ref_value, cur", [(5.0, [5.0] * 7), (5.0, [4.0, 5.0, 9.0])])
def test_constant_target(ref_value, cur):
    regions = HistogramRegions().fit([ref_value] * 20, cur)
    assert np.isfinite(regions.deficits_).all()
    if len(set(cur)) == 1:
        assert regions.n_regions_ == 1
        assert_array_equal(regions.deficits_, [0.0])
        assert_array_equal(regions.allocate(10), [0])
    else:  # each value is its own region: only 5.0 lacks test mass
        assert_allclose(regions.levels_, [4.0, 5.0, 9.0])
        assert_allclose(regions.deficits_, [0.0, 2 / 3, 0.0])
        assert_array_equal(regions.allocate(10), [0, 10, 0])


def test_constant_reference_with_many_test_values():
    regions = HistogramRegions(n_regions=3).fit([5.0] * 20, np.linspace(0, 10, 30))
    assert_allclose(regions.edges_, [5.0])
    assert regions.train_share_[1] == 1.0
    assert regions.allocate(10).sum() == 10


def test_disjoint_supports_histogram():
    train = np.linspace(0, 1, 200)
    test = np.linspace(5, 6, 100)
    regions = HistogramRegions(n_regions=5).fit(train, test)
    assert_allclose(regions.test_share_, [0, 0, 0, 0, 1])
    assert_allclose(regions.deficits_, [0.2, 0.2, 0.2, 0.2, 0.0])
    # 100 test rows in the last bin: 400 more rows in the others dilute them
    assert regions.rows_needed_ == pytest.approx(400)
    assert_array_equal(regions.allocate(40), [10, 10, 10, 10, 0])
    assert_array_equal(regions.allocate(1000), [100, 100, 100, 100, 0])


def test_region_without_test_rows():
    train = ["a"] * 30 + ["b"] * 30 + ["c"] * 40
    test = ["a"] * 50 + ["b"] * 50
    regions = HistogramRegions().fit(train, test)
    assert_allclose(regions.deficits_, [0.0, 0.0, 0.4])
    assert_array_equal(regions.allocate(25), [0, 0, 25])


def test_categorical_assign_unseen_and_missing():
    regions = HistogramRegions().fit(["x", "y", None], ["x", "z", "z"])
    assert list(regions.levels_[:3]) == ["x", "y", "z"]
    assert regions.missing_region_ == 3
    assert pd.isna(regions.levels_[3])
    assert_array_equal(regions.assign(["z", np.nan, "w", "x"]), [2, 3, -1, 0])
    assert_array_equal(regions.assign([]), [])


def test_numeric_missing_region():
    train = np.r_[np.arange(20.0), [np.nan] * 20]
    test = np.arange(20.0)
    regions = HistogramRegions(n_regions=4).fit(train, test)
    assert regions.missing_region_ == regions.n_regions_ - 1
    assert regions.deficits_[-1] == pytest.approx(0.5)
    assert_array_equal(regions.allocate(10)[:-1], 0)
    no_missing = HistogramRegions(n_regions=4).fit(test, test)
    assert no_missing.assign([np.nan])[0] == -1


def test_histogram_params_validated():
    with pytest.raises(ValueError, match="n_regions"):
        HistogramRegions(n_regions=0).fit([1.0], [1.0])


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(0, 6), min_size=2, max_size=60),
    st.lists(st.integers(0, 6), min_size=2, max_size=60),
    st.integers(0, 200),
)
def test_histogram_allocation_properties(train, test, budget):
    regions = HistogramRegions(n_regions=4).fit(np.array(train), np.array(test))
    allocation = regions.allocate(budget)
    assert 0 <= allocation.sum() <= budget
    assert np.all(allocation >= 0)
    assert np.all(allocation[regions.deficits_ == 0] == 0)
    assert np.all(regions.assign(np.array(train)) >= 0)
