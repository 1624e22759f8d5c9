import numpy as np
import pytest
import torch

from skaug.callbacks._pool import (
    check_pool_rows,
    drift_action,
    next_rows,
    per_step_rows,
    pool_labels,
    pool_length,
)


@pytest.mark.parametrize(
    "pool_classes, expected",
    [("deficit", [1, 2, 2]), ("uniform", [0, 1, 2]), ("prior", [0, 0, 1, 2])],
)
def test_pool_labels(pool_classes, expected):
    classes, counts = np.array([0, 1, 2]), np.array([8, 6, 4])
    n = len(expected)
    assert pool_labels(classes, counts, n, pool_classes).tolist() == expected


def test_balanced_classes_get_equal_shares_under_deficit():
    labels = pool_labels(np.array(["a", "b"]), np.array([5, 5]), 4, "deficit")
    assert labels.tolist() == ["a", "a", "b", "b"]


def test_rows_per_step_and_per_refresh():
    assert per_step_rows(5, 64) == 5 and per_step_rows(0.125, 60) == 8
    common = {"per_step": 8, "refresh_every": 2}
    assert pool_length(pool_size=10, refresh_unit="epoch", n_batches=3, **common) == 10
    assert (
        pool_length(pool_size=None, refresh_unit="epoch", n_batches=3, **common) == 48
    )
    assert (
        pool_length(pool_size=None, refresh_unit="batch", n_batches=3, **common) == 16
    )


def test_next_rows_wrap_around_the_pool():
    X = torch.arange(10.0).reshape(5, 2)
    y, w = torch.arange(5), np.arange(5.0)
    rows, labels, weights, cursor = next_rows(X, y, w, 3, 4)
    assert labels.tolist() == [3, 4, 0, 1] and weights.tolist() == [3, 4, 0, 1]
    assert cursor == 2 and rows.shape == (4, 2)
    empty = next_rows(None, None, None, 0, 4)
    assert len(empty[0]) == len(empty[1]) == len(empty[2]) == 0


def test_drift_actions():
    assert drift_action("shrink", 1.0)[:2] == (0.5, False)
    assert drift_action("stop", 1.0)[:2] == (1.0, True)
    assert drift_action("warn", 1.0)[:2] == (1.0, False)


def test_pool_rows_must_match_the_nets_features():
    assert check_pool_rows([[1, 2]], 2).dtype == np.float32
    with pytest.raises(ValueError, match="trained on 3 features"):
        check_pool_rows([[1, 2]], 3)
