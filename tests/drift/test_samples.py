"""Tests for the rules of ``skaug.drift._samples`` (kinds, missing values,
bins, bad samples), through the metrics that apply them."""

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import jensenshannon

from skaug.drift import (
    DRIFT_METRICS,
    js_distance,
    kl_divergence,
    ks_statistic,
    psi,
    wasserstein,
)

METRICS = sorted(DRIFT_METRICS)


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


def test_few_distinct_values_get_own_bins():
    # quantile edges would merge the rare 1 into the frequent 0
    ref = [0] * 80 + [1] * 10 + [2] * 10
    cur = [0] * 80 + [2] * 20
    p = np.array([80, 10, 10]) / 100
    q = np.array([80, 0, 20]) / 100
    assert js_distance(ref, cur) == pytest.approx(jensenshannon(p, q, base=2))
