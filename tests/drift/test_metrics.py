"""Tests for the drift metrics in ``skaug.drift._metrics``."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy, ks_2samp, wasserstein_distance

from skaug.drift import (
    DRIFT_METRICS,
    aggregate_drift,
    drift_per_feature,
    get_drift_metric,
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


# --------------------------------------------------------------------------
# agreement with SciPy
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# behaviour
# --------------------------------------------------------------------------


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


def test_numeric_missing_rule():
    ref = np.r_[np.arange(10.0), [np.nan] * 10]  # 50% missing
    cur = np.arange(10.0)  # same observed values, no missing value
    assert ks_statistic(ref, cur) == pytest.approx(0.5)
    assert wasserstein(ref, cur) == pytest.approx(0.5)
    # binned metrics: the missing values have a bin of their own
    p = np.r_[np.ones(10), 10] / 20
    q = np.r_[np.ones(10), 0] / 10
    assert js_distance(ref, cur, bins=10) == pytest.approx(jensenshannon(p, q, base=2))
    # None and pd.NA are missing too
    obj = pd.Series([1.0, None, 2.0, pd.NA], dtype=object)
    assert ks_statistic(obj, [1.0, 2.0]) == pytest.approx(0.5)


def test_categorical_missing_is_a_level():
    ref = ["a", "b", None, None]
    cur = ["a", "b", "a", "b"]
    assert ks_statistic(ref, cur) == pytest.approx(0.5)
    assert ks_statistic(["a", np.nan], ["a", None]) == 0.0


def test_categorical_flag():
    codes_ref, codes_cur = [1, 2, 3, 1], [1, 2, 3, 3]
    assert ks_statistic(codes_ref, codes_cur, categorical=True) == pytest.approx(0.25)
    with pytest.raises(ValueError, match="not numbers"):
        ks_statistic(["a", "b"], ["a", "b"], categorical=False)


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize(
    "ref, cur, match",
    [
        ([], [1.0], "reference is empty"),
        ([1.0], [], "current is empty"),
        ([np.nan, np.nan], [1.0], "no non-missing value"),
        ([1.0, np.inf], [1.0], "infinite"),
        (np.ones((3, 2)), [1.0], "1-D"),
    ],
)
def test_bad_samples_raise(metric, ref, cur, match):
    with pytest.raises(ValueError, match=match):
        DRIFT_METRICS[metric](ref, cur)


def test_datetimes_raise_type_error():
    dates = pd.Series(pd.date_range("2020-01-01", periods=3))
    with pytest.raises(TypeError, match="convert"):
        ks_statistic(dates, dates)


@pytest.mark.parametrize("func", [kl_divergence, psi, js_distance])
@pytest.mark.parametrize("bins", [0, 2.5, True])
def test_bad_bins(func, bins):
    with pytest.raises(ValueError, match="bins"):
        func([1.0, 2.0], [1.0, 2.0], bins=bins)


@pytest.mark.parametrize("func", [kl_divergence, psi])
@pytest.mark.parametrize("smoothing", [0, -1.0, np.nan])
def test_bad_smoothing(func, smoothing):
    with pytest.raises(ValueError, match="smoothing"):
        func([1.0, 2.0], [1.0, 2.0], smoothing=smoothing)


def test_few_distinct_values_get_own_bins():
    # quantile edges would merge the rare 1 into the frequent 0
    ref = [0] * 80 + [1] * 10 + [2] * 10
    cur = [0] * 80 + [2] * 20
    p = np.array([80, 10, 10]) / 100
    q = np.array([80, 0, 20]) / 100
    assert js_distance(ref, cur) == pytest.approx(jensenshannon(p, q, base=2))


# --------------------------------------------------------------------------
# get_drift_metric
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", METRICS)
def test_get_drift_metric_by_name(name):
    assert get_drift_metric(name) is DRIFT_METRICS[name]
    assert get_drift_metric(DRIFT_METRICS[name]) is DRIFT_METRICS[name]


def test_get_drift_metric_errors():
    with pytest.raises(ValueError, match="Unknown drift metric"):
        get_drift_metric("chi2")
    with pytest.raises(TypeError, match="callable"):
        get_drift_metric(3)


@pytest.mark.parametrize(
    "result", [np.nan, np.inf, "0.1", np.array([0.1, 0.2]), True, None, [0.1]]
)
def test_callable_metric_result_is_validated(result):
    metric = get_drift_metric(lambda ref, cur: result)
    with pytest.raises(ValueError, match="finite float"):
        metric([1.0, 2.0], [1.0, 2.0])


@pytest.mark.parametrize("result", [np.float32(0.25), 1, np.array(0.5), 0.0])
def test_callable_metric_accepts_numbers(result):
    value = get_drift_metric(lambda ref, cur: result)([1.0], [2.0])
    assert isinstance(value, float)
    assert value == float(result)


def test_callable_metric_receives_numpy_arrays():
    seen = []

    def record(ref, cur):
        seen.append((ref.dtype, cur.dtype))
        return 0.0

    metric = get_drift_metric(record)
    assert get_drift_metric(metric) is metric
    metric(pd.Series([1, 2], dtype="Int64"), [1.0, None])
    metric(["a", "b"], ["a", None])
    assert seen == [(np.float64, np.float64), (object, object)]


# --------------------------------------------------------------------------
# drift_per_feature / aggregate_drift
# --------------------------------------------------------------------------


@pytest.fixture
def frames():
    rng = np.random.default_rng(0)
    ref = pd.DataFrame(
        {
            "num": rng.normal(size=60),
            "code": rng.integers(0, 3, 60),
            "city": rng.choice(["a", "b", "c"], 60),
            "flag": rng.random(60) > 0.5,
        }
    )
    cur = ref.sample(frac=1.0, random_state=1).reset_index(drop=True)
    cur["num"] += 2.0
    return ref, cur


def test_per_feature_dataframe(frames):
    ref, cur = frames
    table = drift_per_feature(ref, cur)
    assert list(table.columns) == ["drift", "kind"]
    assert list(table.index) == ["num", "code", "city", "flag"]
    assert table.index.name == "feature"
    assert table["drift"].dtype == np.float64
    assert list(table["kind"]) == ["numeric", "numeric", "categorical", "categorical"]
    # the shuffled columns have no drift, the shifted one a lot
    assert_allclose(table["drift"].iloc[1:], 0.0, atol=1e-12)
    assert table.loc["num", "drift"] > 0.5


def test_per_feature_matches_columns_by_name(frames):
    ref, cur = frames
    table = drift_per_feature(ref, cur[cur.columns[::-1]], metric="js")
    assert table.loc["num", "drift"] == pytest.approx(js_distance(ref.num, cur.num))


@pytest.mark.parametrize("metric", METRICS)
def test_per_feature_ndarray(metric):
    rng = np.random.default_rng(0)
    ref = rng.normal(size=(50, 3))
    cur = rng.normal(size=(40, 3)) + [0.0, 1.0, 0.0]
    table = drift_per_feature(ref, cur, metric=metric)
    assert table.shape == (3, 2)
    assert list(table.index) == [0, 1, 2]
    assert table["drift"].idxmax() == 1
    func = DRIFT_METRICS[metric]
    assert table.loc[1, "drift"] == pytest.approx(func(ref[:, 1], cur[:, 1]))


def test_per_feature_columns_and_categorical(frames):
    ref, cur = frames
    table = drift_per_feature(ref, cur, columns=["code", "num"], categorical=["code"])
    assert list(table.index) == ["code", "num"]
    assert list(table["kind"]) == ["categorical", "numeric"]
    table = drift_per_feature(ref.to_numpy(), cur.to_numpy(), columns=[2, 0])
    assert list(table.index) == [2, 0]
    assert list(table["kind"]) == ["categorical", "numeric"]


def test_per_feature_one_dimensional():
    table = drift_per_feature(np.array([0, 1, 1]), np.ones(3, int), categorical=True)
    assert list(table.index) == [0]
    assert table["kind"].iloc[0] == "categorical"
    assert table["drift"].iloc[0] == pytest.approx(1 / 3)
    named = drift_per_feature(pd.Series([1.0, 2.0], name="y"), [1.0, 2.0])
    assert list(named.index) == ["y"]


def test_per_feature_callable_metric(frames):
    ref, cur = frames
    table = drift_per_feature(ref, cur, metric=lambda r, c: float(len(r) - len(c)))
    assert_allclose(table["drift"], 0.0)


def test_per_feature_errors(frames):
    ref, cur = frames
    with pytest.raises(ValueError, match="lacks columns"):
        drift_per_feature(ref, cur.drop(columns="city"))
    with pytest.raises(ValueError, match="not in X_reference"):
        drift_per_feature(ref, cur, columns=["nope"])
    with pytest.raises(ValueError, match="same number"):
        drift_per_feature(np.ones((3, 2)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="both be tables"):
        drift_per_feature(np.ones((3, 2)), np.ones(3))
    with pytest.raises(ValueError, match="empty"):
        drift_per_feature(ref, cur, columns=[])


def test_aggregate_drift(frames):
    ref, cur = frames
    table = drift_per_feature(ref, cur)
    assert aggregate_drift(table) == pytest.approx(table["drift"].mean())
    assert aggregate_drift(table, how="max") == pytest.approx(table["drift"].max())
    assert aggregate_drift(table["drift"]) == aggregate_drift(table)
    with pytest.raises(ValueError, match="mean"):
        aggregate_drift(table, how="median")
    with pytest.raises(ValueError, match="empty"):
        aggregate_drift([])
    with pytest.raises(ValueError, match="drift"):
        aggregate_drift(table.rename(columns={"drift": "d"}))


# --------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------

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
