"""Tests for ``skaug.drift._regions``: the allocation and conventions that
both region finders share."""

from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from skaug.drift import DensityRatioRegions, HistogramRegions
from skaug.utils._allocation import split_proportionally
from skaug.utils.discovery import all_estimators


def test_no_drift_allocates_nothing():
    rng = np.random.default_rng(0)
    train = rng.normal(size=500)
    same = HistogramRegions().fit(train, train)
    assert same.p_value_ == pytest.approx(1.0)
    assert_array_equal(same.allocate(100), 0)
    for seed in range(3):
        test = np.random.default_rng(seed + 10).normal(size=500)
        regions = HistogramRegions().fit(train, test)
        assert regions.deficits_.sum() > 0  # sampling noise...
        assert regions.p_value_ > 0.05  # ...recognised as such
        assert_array_equal(regions.allocate(100), 0)


@pytest.mark.parametrize("make", [HistogramRegions, DensityRatioRegions])
def test_significance_none_allocates_the_noise(make):
    rng = np.random.default_rng(0)
    train, test = rng.normal(size=(400, 1)), rng.normal(size=(400, 1))
    if make is HistogramRegions:
        train, test = train[:, 0], test[:, 0]
    else:
        make = partial(make, random_state=0)
    gated = make(n_regions=4).fit(train, test)
    assert gated.significance == 0.05 and gated.p_value_ > 0.05
    assert_array_equal(gated.allocate(100), 0)
    free = make(n_regions=4, significance=None).fit(train, test)
    assert free.p_value_ == pytest.approx(gated.p_value_)  # still computed
    assert free.allocate(100).sum() == round(free.rows_needed_) > 0
    loose = make(n_regions=4, significance=0.999).fit(train, test)
    assert loose.allocate(100).sum() == free.allocate(100).sum()
    for bad in (0, 1, 2.0):
        with pytest.raises(ValueError, match="'significance' parameter"):
            make(significance=bad).fit(train, test)


def test_allocate_validation():
    train = ["a"] * 200 + ["b"] * 200
    test = ["a"] * 320 + ["b"] * 80
    regions = HistogramRegions().fit(train, test)
    assert_array_equal(regions.allocate(0), [0, 0])
    assert regions.allocate(np.int64(7)).sum() == 7
    for bad in (-1, 2.5, True, "3"):
        with pytest.raises(ValueError, match="budget"):
            regions.allocate(bad)


def test_small_drift_gets_only_the_rows_it_needs():
    train = ["a"] * 500 + ["b"] * 500
    test = ["a"] * 600 + ["b"] * 400
    regions = HistogramRegions().fit(train, test)
    allocation = regions.allocate(10_000)
    # 1000 test rows lack 200 b: 200 more b rows give 600 a and 600 b
    assert regions.p_value_ < 0.05
    assert regions.rows_needed_ == pytest.approx(200)
    assert_array_equal(allocation, [0, 200])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0, 10), min_size=1, max_size=12),
    st.integers(0, 1000),
)
def test_largest_remainder_properties(weights, total):
    weights = np.asarray(weights)
    if weights.sum() <= 0:
        weights = weights + 1.0
    counts = split_proportionally(total, weights)
    assert counts.sum() == total
    exact = total * weights / weights.sum()
    assert np.all(np.abs(counts - exact) < 1.0)


@pytest.mark.parametrize("cls", [HistogramRegions, DensityRatioRegions])
def test_params_repr_clone_and_not_fitted(cls):
    regions = cls(n_regions=3)
    assert repr(regions) == f"{cls.__name__}(n_regions=3)"
    assert regions.get_params()["n_regions"] == 3
    assert regions.set_params(n_regions=4).n_regions == 4
    copy = clone(regions)
    assert copy is not regions and copy.get_params() == regions.get_params()
    with pytest.raises(ValueError, match="Invalid parameter"):
        regions.set_params(bins=3)
    with pytest.raises(NotFittedError):
        regions.allocate(5)
    with pytest.raises(ValueError, match="n_regions"):
        cls(n_regions=0).fit(np.zeros((4, 1)), np.ones((4, 1)))


def test_regions_are_not_discovered_as_estimators():
    names = {name for name, _ in all_estimators()}
    assert not {"HistogramRegions", "DensityRatioRegions"} & names
