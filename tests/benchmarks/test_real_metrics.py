"""The metrics and the cross-table summaries of benchmarks/real_metrics.py."""

import numpy as np
import pandas as pd

from benchmarks import real_metrics


def test_detectors_tell_shifted_rows_apart():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(60, 3))
    assert real_metrics.detection_auc(real, real + 5.0) > 0.95
    assert real_metrics.nn_accuracy(real, real + 5.0) == 1.0
    assert np.isnan(real_metrics.detection_auc(real[:1], real[:1]))


def test_dcr_ratio_of_copies_is_zero():
    rng = np.random.default_rng(0)
    train, held = rng.normal(size=(50, 2)), rng.normal(size=(20, 2))
    assert real_metrics.dcr_ratio(train, held, train[:20]) == 0.0
    # discrete rows: held-out median distance 0, means compared instead
    grid = np.repeat(np.eye(3), 10, axis=0)
    assert np.isnan(real_metrics.dcr_ratio(grid, grid[:5], grid[:5]))


def test_reference_band_is_ordered():
    rng = np.random.default_rng(0)
    band = real_metrics.reference_band(
        rng.normal(size=(10, 2)), rng.normal(size=(30, 2))
    )
    assert band["nn"][0] <= band["nn"][1] <= band["nn"][2]


def results():
    return pd.DataFrame(
        {
            "table": ["a", "a", "b", "b", "c", "c"],
            "generator": ["copula", "vae"] * 3,
            "det_auc": [0.6, 0.7, 0.8, 0.7, 0.6, np.nan],  # vae failed on c
            "dcr_ratio": [1.1, 0.5, 1.0, 0.8, 1.2, np.nan],
        }
    )


def test_mean_ranks_failure_is_worst_and_dcr_near_one_wins():
    ranks = real_metrics.mean_ranks(results(), ["det_auc", "dcr_ratio"])
    assert ranks.loc["vae", "det_auc"] == (2 + 1 + 2) / 3
    assert ranks.loc["copula", "dcr_ratio"] == 1.0
    assert ranks.loc["n_tables", "det_auc"] == 3


def test_paired_tests_leave_failures_out():
    tests = real_metrics.paired_tests(results(), ["det_auc"], "copula")
    (row,) = tests.to_dict("records")
    assert row["n_tables"] == 2 and row["better"] == 1
