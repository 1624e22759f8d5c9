"""Tests for the drift metrics in ``skaug.drift._metrics``."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy, ks_2samp, wasserstein_distance

from skaug.drift import (
    DRIFT_METRICS,
    js_distance,
    kl_divergence,
    ks_statistic,
    psi,
    wasserstein,
)

METRICS = sorted(DRIFT_METRICS)


SEEDS_SIZES = [(0, 50, 80), (1, 200, 150), (2, 500, 500), (3, 31, 1000)]


def _quantile_counts(reference, current, bins):
    """Counts in quantile bins of the reference, written out independently."""
    edges = np.unique(np.quantile(reference, np.arange(1, bins) / bins))
    n_bins = len(edges) + 1
    p = np.bincount(np.digitize(reference, edges), minlength=n_bins)
    q = np.bincount(np.digitize(current, edges), minlength=n_bins)
    return p.astype(float), q.astype(float)


def _samples(seed, n_ref, n_cur, shift=0.4):
    rng = np.random.default_rng(seed)
    return rng.normal(size=n_ref), rng.normal(shift, 1.3, size=n_cur)


@pytest.mark.parametrize("seed, n_ref, n_cur", SEEDS_SIZES)
def test_ks_matches_scipy(seed, n_ref, n_cur):
    ref, cur = _samples(seed, n_ref, n_cur)
    assert ks_statistic(ref, cur) == pytest.approx(
        ks_2samp(ref, cur).statistic, rel=1e-12
    )


def test_ks_matches_scipy_with_ties():
    rng = np.random.default_rng(5)
    ref, cur = rng.integers(0, 30, 200), rng.integers(3, 33, 170)
    expected = ks_2samp(ref, cur, method="asymp").statistic
    assert ks_statistic(ref, cur) == pytest.approx(expected)


@pytest.mark.parametrize("seed, n_ref, n_cur", SEEDS_SIZES)
@pytest.mark.parametrize("bins, smoothing", [(10, 0.5), (5, 1.0), (20, 0.1)])
def test_kl_and_psi_match_scipy(seed, n_ref, n_cur, bins, smoothing):
    ref, cur = _samples(seed, n_ref, n_cur)
    p, q = _quantile_counts(ref, cur, bins)
    p = (p + smoothing) / (p + smoothing).sum()
    q = (q + smoothing) / (q + smoothing).sum()
    kl = kl_divergence(ref, cur, bins=bins, smoothing=smoothing)
    assert kl == pytest.approx(entropy(p, q), rel=1e-10)
    expected_psi = np.sum((q - p) * np.log(q / p))
    assert psi(ref, cur, bins=bins, smoothing=smoothing) == pytest.approx(
        expected_psi, rel=1e-10
    )
    assert expected_psi == pytest.approx(entropy(p, q) + entropy(q, p))


@pytest.mark.parametrize("seed, n_ref, n_cur", SEEDS_SIZES)
@pytest.mark.parametrize("bins", [4, 10])
def test_js_matches_scipy(seed, n_ref, n_cur, bins):
    ref, cur = _samples(seed, n_ref, n_cur)
    p, q = _quantile_counts(ref, cur, bins)
    expected = jensenshannon(p / p.sum(), q / q.sum(), base=2)
    assert js_distance(ref, cur, bins=bins) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("seed, n_ref, n_cur", SEEDS_SIZES)
def test_wasserstein_matches_scipy(seed, n_ref, n_cur):
    ref, cur = _samples(seed, n_ref, n_cur)
    expected = wasserstein_distance(ref, cur) / np.std(ref)
    assert wasserstein(ref, cur) == pytest.approx(expected, rel=1e-12)


def test_categorical_metrics_match_hand_computation():
    ref = ["a"] * 5 + ["b"] * 3 + ["c"] * 2
    cur = ["a"] * 2 + ["b"] * 2 + ["d"] * 4  # "d" unseen in reference
    p = np.array([5, 3, 2, 0]) / 10
    q = np.array([2, 2, 0, 4]) / 8
    tv = 0.5 * np.abs(p - q).sum()
    assert ks_statistic(ref, cur) == pytest.approx(tv)
    assert wasserstein(ref, cur) == pytest.approx(tv)
    assert js_distance(ref, cur) == pytest.approx(jensenshannon(p, q, base=2))
    ps = (np.array([5, 3, 2, 0]) + 0.5) / 12
    qs = (np.array([2, 2, 0, 4]) + 0.5) / 10
    assert kl_divergence(ref, cur) == pytest.approx(entropy(ps, qs))
    assert psi(ref, cur) == pytest.approx(np.sum((qs - ps) * np.log(qs / ps)))


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize(
    "values",
    [
        np.random.default_rng(0).normal(size=100),
        np.random.default_rng(1).integers(0, 4, 60),
        pd.Series(list("abcab" * 10), dtype="category"),
        np.array([True, False, True] * 7),
        pd.Series(["x", None, "y", "x"] * 5),
    ],
    ids=["float", "int", "category", "bool", "str-missing"],
)
def test_equal_samples_give_zero(metric, values):
    assert DRIFT_METRICS[metric](values, values) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shift_increases_drift(metric, seed):
    rng = np.random.default_rng(seed)
    ref = rng.normal(size=400)
    same = rng.normal(size=400)
    shifted = rng.normal(1.0, 1.0, size=400)
    func = DRIFT_METRICS[metric]
    assert func(ref, shifted) > func(ref, same)


@pytest.mark.parametrize("metric", METRICS)
def test_categorical_shift_increases_drift(metric):
    ref = ["a"] * 50 + ["b"] * 50
    near = ["a"] * 48 + ["b"] * 52
    far = ["a"] * 10 + ["b"] * 90
    func = DRIFT_METRICS[metric]
    assert func(ref, far) > func(ref, near) > 0


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize(
    "ref, cur",
    [
        ([3.0] * 20, [3.0] * 10),  # constant, same value
        ([3.0] * 20, [4.0] * 10),  # constant, other value
        ([3.0] * 20, np.linspace(0, 9, 30)),  # constant reference only
        (np.linspace(0, 1, 50), np.linspace(10, 11, 40)),  # disjoint supports
        (np.linspace(0, 1, 50), np.r_[np.linspace(0, 1, 40), [np.nan] * 5]),
        (["a", "b"] * 10, ["c", "d"] * 10),  # no level in common
        (["a", "b"] * 10, ["a", "b", "z"] * 5),  # unseen level in current
        (pd.Series([1.0, None, 2.0] * 10), [np.nan, 1.0] * 10),
    ],
    ids=[
        "constant-same",
        "constant-other",
        "constant-ref",
        "disjoint",
        "nan-current",
        "disjoint-levels",
        "unseen-level",
        "nan-both",
    ],
)
def test_edge_cases_are_finite(metric, ref, cur):
    value = DRIFT_METRICS[metric](ref, cur)
    assert isinstance(value, float)
    assert np.isfinite(value)
    assert value >= 0


def test_documented_edge_values():
    # constant columns
    assert ks_statistic([3.0] * 5, [3.0] * 4) == 0.0
    assert ks_statistic([3.0] * 5, [4.0] * 4) == 1.0
    assert wasserstein([3.0] * 5, [5.0] * 4) == pytest.approx(2.0)  # raw units
    # disjoint supports
    assert ks_statistic([0.0, 1.0], [5.0, 6.0]) == 1.0
    assert js_distance(["a", "b"], ["c", "d"]) == pytest.approx(1.0)
    assert ks_statistic(["a", "b"], ["c", "d"]) == 1.0
    assert kl_divergence(["a"] * 50, ["b"] * 50) > kl_divergence(["a"] * 5, ["b"] * 5)


@pytest.mark.parametrize("func", [kl_divergence, psi])
@pytest.mark.parametrize("smoothing", [0, -1.0, np.nan])
def test_bad_smoothing(func, smoothing):
    with pytest.raises(ValueError, match="smoothing"):
        func([1.0, 2.0], [1.0, 2.0], smoothing=smoothing)


finite = st.floats(-1e6, 1e6, allow_nan=False)


samples = st.lists(finite, min_size=1, max_size=40)


@settings(max_examples=30, deadline=None)
@given(samples, samples)
def test_bounded_metrics_properties(ref, cur):
    for func in (ks_statistic, js_distance):
        value = func(ref, cur)
        assert 0.0 <= value <= 1.0
    assert ks_statistic(ref, cur) == pytest.approx(ks_statistic(cur, ref))
    with np.errstate(divide="ignore"):  # SciPy's p-value for one-value samples
        expected = ks_2samp(ref, cur, method="asymp").statistic
    assert ks_statistic(ref, cur) == pytest.approx(expected)


@settings(max_examples=30, deadline=None)
@given(samples, samples)
def test_unbounded_metrics_properties(ref, cur):
    for func in (kl_divergence, psi, wasserstein):
        value = func(ref, cur)
        assert np.isfinite(value) and value >= 0.0
        assert func(ref, ref) == pytest.approx(0.0, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c", None]), min_size=1, max_size=30),
    st.lists(st.sampled_from(["a", "b", "d", None]), min_size=1, max_size=30),
)
def test_categorical_properties(ref, cur):
    tv = ks_statistic(ref, cur)
    assert 0.0 <= tv <= 1.0
    assert wasserstein(ref, cur) == tv
    assert 0.0 <= js_distance(ref, cur) <= 1.0
    assert np.isfinite(kl_divergence(ref, cur))


@pytest.mark.parametrize("metric", METRICS)
def test_shared_parameter_docs_are_filled(metric):
    doc = DRIFT_METRICS[metric].__doc__
    assert "%(" not in doc
    assert "reference : array-like of shape (n_reference,)" in doc
    assert "categorical : bool or None, default=None" in doc
