"""Tests for ``skaug.drift._density_ratio``: DensityRatioRegions."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier

from skaug.drift import DensityRatioRegions


@pytest.fixture(scope="module")
def covariate_shift():
    rng = np.random.default_rng(0)
    train = rng.normal(size=(800, 2))
    test = rng.normal(size=(600, 2)) + [1.5, 0.0]  # only x0 moves
    return train, test


def test_density_ratio_deficits_where_test_lacks_mass(covariate_shift):
    train, test = covariate_shift
    regions = DensityRatioRegions(n_regions=6, random_state=0).fit(train, test)
    deficit = regions.deficit(train)
    assert np.all((deficit >= 0) & (deficit <= 1))
    # the test set lacks low x0: the deficit falls as x0 grows
    assert np.corrcoef(deficit, train[:, 0])[0, 1] < -0.8
    assert deficit[train[:, 0] < -1].mean() > 0.7
    assert deficit[train[:, 0] > 1.5].mean() < 0.05
    ratio = regions.density_ratio(train)
    assert np.all((ratio >= 0) & (ratio <= 1e4))

    allocation = regions.allocate(120)
    assert allocation.sum() == 120
    ids = regions.assign(train)
    region_x0 = np.array([train[ids == r, 0].mean() for r in range(6)])
    assert np.average(region_x0, weights=allocation) < -0.3
    assert region_x0[regions.deficits_.argmax()] < 0
    # deficits_ = summed row deficits / n_train
    assert_allclose(
        regions.deficits_, np.bincount(ids, weights=deficit, minlength=6) / 800
    )


def test_density_ratio_no_drift():
    rng = np.random.default_rng(1)
    train = rng.normal(size=(600, 3))
    same = DensityRatioRegions(random_state=0).fit(train, train)
    assert_allclose(same.deficits_, 0.0, atol=1e-3)
    assert_array_equal(same.allocate(100), 0)
    test = rng.normal(size=(600, 3))
    regions = DensityRatioRegions(random_state=0).fit(train, test)
    assert regions.allocate(100).sum() <= 10


def test_density_ratio_disjoint_supports():
    rng = np.random.default_rng(2)
    train = rng.normal(size=(300, 2))
    test = rng.normal(size=(300, 2)) + 20.0
    regions = DensityRatioRegions(n_regions=4, random_state=0).fit(train, test)
    assert regions.deficit(train).min() > 0.95
    assert regions.deficits_.sum() > 0.95
    assert regions.rows_needed_ == np.inf
    assert regions.allocate(50).sum() == 50
    assert regions.test_share_.sum() == pytest.approx(1.0)


def test_density_ratio_deterministic_and_region_without_test_rows(covariate_shift):
    train, test = covariate_shift
    first = DensityRatioRegions(n_regions=5, random_state=3).fit(train, test)
    second = DensityRatioRegions(n_regions=5, random_state=3).fit(train, test)
    assert_array_equal(first.assign(test), second.assign(test))
    assert_array_equal(first.deficits_, second.deficits_)
    assert_array_equal(first.allocate(77), second.allocate(77))
    # the lowest-x0 region holds (almost) no test row, and a large deficit
    empty = np.argmin(first.test_share_)
    assert first.test_share_[empty] < 0.02
    assert first.deficits_[empty] > 0.5 * first.train_share_[empty]


def test_density_ratio_few_distinct_rows():
    train = np.repeat([[0.0, 0.0], [1.0, 1.0]], 50, axis=0)
    test = np.repeat([[1.0, 1.0]], 60, axis=0)
    regions = DensityRatioRegions(n_regions=10, random_state=0).fit(train, test)
    assert regions.n_regions_ == 2
    allocation = regions.allocate(30)
    assert allocation.sum() == 30
    low = regions.assign(np.array([[0.0, 0.0]]))[0]
    assert allocation[low] == 30


def test_density_ratio_constant_columns():
    train = np.ones((100, 2))
    regions = DensityRatioRegions(random_state=0).fit(train, np.ones((50, 2)))
    assert regions.n_regions_ == 1
    assert_array_equal(regions.allocate(10), [0])


def test_density_ratio_custom_classifier(covariate_shift):
    train, test = covariate_shift
    classifier = HistGradientBoostingClassifier(max_iter=20)
    regions = DensityRatioRegions(
        n_regions=4, classifier=classifier, random_state=0
    ).fit(train, test)
    assert classifier.random_state is None  # the given one is not touched
    assert regions.classifier_.random_state is not None
    assert regions.allocate(40).sum() == 40
    assert clone(regions).get_params()["classifier"] is not classifier


def test_density_ratio_input_checks(covariate_shift):
    train, test = covariate_shift
    with pytest.raises(ValueError, match="features"):
        DensityRatioRegions(random_state=0).fit(train, test[:, :1])
    with pytest.raises(ValueError):
        DensityRatioRegions(random_state=0).fit(train, np.full_like(test, np.nan))
    with pytest.raises(ValueError, match="classifier"):
        DensityRatioRegions(classifier="lr").fit(train, test)
    regions = DensityRatioRegions(n_regions=3, random_state=0).fit(train, test)
    with pytest.raises(ValueError, match="features"):
        regions.assign(train[:, :1])
    assert regions.assign(train[:0]).shape == (0,)
