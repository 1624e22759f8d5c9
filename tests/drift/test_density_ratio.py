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
    # deficits_ from the counts of the regions
    assert_allclose(
        regions.deficits_,
        np.maximum(regions.train_share_ - regions.test_share_, 0),
    )
    assert_allclose(regions.train_share_, np.bincount(ids, minlength=6) / 800)
    # or the summed row deficits / n_train
    by_ratio = DensityRatioRegions(
        n_regions=6, region_deficit="density_ratio", random_state=0
    ).fit(train, test)
    assert_allclose(
        by_ratio.deficits_, np.bincount(ids, weights=deficit, minlength=6) / 800
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
    # every test row goes to the region facing them, which has no deficit;
    # every other region lacks all of its training share (as histogram
    # regions do with disjoint supports)
    nearest = regions.test_share_.argmax()
    assert regions.test_share_[nearest] == pytest.approx(1.0)
    assert regions.deficits_[nearest] == 0
    assert regions.deficits_.sum() == pytest.approx(1 - regions.train_share_[nearest])
    assert regions.allocate(50).sum() == 50
    assert regions.allocate(50)[nearest] == 0
    by_ratio = DensityRatioRegions(
        n_regions=4, region_deficit="density_ratio", random_state=0
    ).fit(train, test)
    assert by_ratio.deficits_.sum() > 0.95  # saturated: every row lacks
    assert by_ratio.rows_needed_ == np.inf


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


def _little_overlap(seed=0):
    """Issue 17's example: 13 % of the training rows in a region that holds
    half of the test rows, shifted enough that the classifier separates
    them; the other half of the test rows far from every training row."""
    rng = np.random.default_rng(seed)
    train = np.r_[rng.normal(size=(870, 2)), rng.normal([6, 0], 0.5, size=(130, 2))]
    test = np.r_[
        rng.normal([6, 2], 0.5, size=(250, 2)), rng.normal([0, 6], 1, size=(250, 2))
    ]
    return train, test


def test_a_region_the_test_set_overfills_gets_no_row_when_overlap_is_small():
    train, test = _little_overlap()
    regions = DensityRatioRegions(n_regions=6, random_state=0).fit(train, test)
    assert regions.deficit(train).mean() > 0.9  # the ratios saturate
    crowded = np.bincount(regions.assign(train)[870:]).argmax()
    assert regions.train_share_[crowded] == pytest.approx(0.13)
    assert regions.test_share_[crowded] == pytest.approx(0.5)
    allocation = regions.allocate(200)
    assert allocation[crowded] == 0
    # no region holding more of the test rows than of the training rows gets any
    assert (allocation[regions.test_share_ >= regions.train_share_] == 0).all()
    assert allocation.sum() == 200
    # the per-row deficits, saturated, follow the training mass instead
    by_ratio = DensityRatioRegions(
        n_regions=6, region_deficit="density_ratio", random_state=0
    ).fit(train, test)
    assert by_ratio.allocate(200)[crowded] > 0
    with pytest.raises(ValueError, match="'region_deficit' parameter"):
        DensityRatioRegions(region_deficit="ratio").fit(train, test)
