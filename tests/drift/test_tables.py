"""Tests for ``skaug.drift._tables``: get_drift_metric, drift_per_feature and
aggregate_drift."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from skaug.drift import (
    DRIFT_METRICS,
    aggregate_drift,
    drift_per_feature,
    get_drift_metric,
    js_distance,
)

METRICS = sorted(DRIFT_METRICS)


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
