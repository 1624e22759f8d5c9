"""Subgroups of sensitive_features: keys, quotas and the subgroup report."""

import numpy as np
import pandas as pd
import pytest

from skaug import DriftAugmentor
from skaug._augmentor._subgroups import (
    SUBGROUP_TOLERANCE,
    region_quotas,
    subgroup_key,
    subgroup_quotas,
    subgroup_report,
)
from skaug.drift import get_drift_metric


def _augmentor(**params):
    return DriftAugmentor(
        **{"generator": "gaussian_copula", "random_state": 0, **params}
    )


def test_subgroup_key_joins_the_values_of_every_feature():
    X = pd.DataFrame({"sex": ["f", "m"], "age": [30, 40], "x": [0.1, 0.2]})
    np.testing.assert_array_equal(subgroup_key(X, ["sex"]), ["f", "m"])
    np.testing.assert_array_equal(subgroup_key(X, ["sex", "age"]), ["f | 30", "m | 40"])


def test_region_quotas_leave_out_empty_regions():
    assert region_quotas(np.array([3, 0, 2])) == {(0, None): 3, (2, None): 2}


def test_subgroup_quotas_follow_the_test_shares_of_each_region():
    test_regions = np.array([0, 0, 0, 0, 1])
    test_keys = np.array(["a", "a", "a", "b", "b"])
    # region 2 has no test rows: the training rows' shares are used
    train_regions = np.array([0, 1, 2, 2])
    train_keys = np.array(["a", "b", "a", "b"])
    quotas = subgroup_quotas(
        np.array([8, 3, 4]), test_regions, test_keys, train_regions, train_keys
    )
    assert quotas == {
        (0, "a"): 6,
        (0, "b"): 2,
        (1, "b"): 3,
        (2, "a"): 2,
        (2, "b"): 2,
    }


@pytest.mark.parametrize("preserved", [False, True])
def test_subgroup_report_gives_shares_drift_and_warnings(preserved):
    rng = np.random.default_rng(0)
    reference = pd.DataFrame({"x": rng.normal(size=40), "g": ["a", "b"] * 20})
    test = pd.DataFrame({"x": rng.normal(size=10), "g": ["a"] * 8 + ["b"] * 2})
    synthetic = pd.DataFrame({"x": rng.normal(size=10), "g": ["b"] * 10})
    X_out = pd.concat([test, synthetic], ignore_index=True)
    is_synthetic = np.r_[np.zeros(10, bool), np.ones(10, bool)]
    table, messages = subgroup_report(
        reference,
        test,
        X_out,
        is_synthetic,
        ["g"],
        metric=get_drift_metric("ks"),
        how="mean",
        preserved=preserved,
    )
    assert list(table.index) == ["a", "b"]
    assert table.loc["a", "share_test"] == pytest.approx(0.8)
    assert table.loc["b", "share_synthetic"] == pytest.approx(1.0)
    assert table.loc["b", "share_after"] == pytest.approx(0.6)
    assert np.isfinite(table[["drift_before", "drift_after"]].to_numpy()).all()
    # both subgroups moved by 40 points, beyond the tolerance
    assert 0.4 > SUBGROUP_TOLERANCE and len(messages) == 2
    advice = "shares within each region were kept" if preserved else "consider"
    assert all(advice in message for message in messages)


def _grouped_data(seed=0):
    rng = np.random.default_rng(seed)
    n = 1200
    group = rng.choice(["a", "b"], n, p=[0.5, 0.5])
    # the feature depends on the group: group "b" lives at high values
    x = rng.normal(size=n) + np.where(group == "b", 2.0, 0.0)
    X = pd.DataFrame({"x": x, "z": rng.normal(size=n), "group": group})
    train, test = X.iloc[:800], X.iloc[800:]
    # the test set lacks high x, so the regions favour group "b"
    test = test[test["x"] < 1.5]
    return train, test


def test_sensitive_subgroup_shift_is_reported_and_warned():
    train, test = _grouped_data()
    aug = _augmentor(
        target="x",
        region_method="histogram",
        augmentation_factor=0.5,
        sensitive_features=["group"],
    ).fit(train)
    with pytest.warns(UserWarning, match="subgroup"):
        result = aug.augment(test)
    groups = result.report.subgroups
    assert set(groups.index) == {"a", "b"}
    assert groups.loc["b", "share_after"] > groups.loc["b", "share_test"] + 0.05


def test_preserve_subgroups_keeps_shares_within_regions():
    train, test = _grouped_data()
    aug = _augmentor(
        target="x",
        region_method="histogram",
        augmentation_factor=0.5,
        sensitive_features=["group"],
        preserve_subgroups=True,
    ).fit(train)
    result = aug.augment(test)
    synthetic = result.X[result.is_synthetic]
    regions = result.report.region_model
    reg_syn = regions.assign(synthetic["x"])
    reg_test = regions.assign(test["x"])
    for r in np.unique(reg_syn):
        in_test = test["group"][reg_test == r]
        if len(in_test) < 10:
            continue
        share_test = (in_test == "b").mean()
        share_syn = (synthetic["group"][reg_syn == r] == "b").mean()
        assert share_syn == pytest.approx(share_test, abs=0.1)
