import numpy as np
import pytest

from skaug._synthesis.counts import pool_counts, rows_to_add


def test_rows_to_add_follows_the_sampling_strategy_without_n_samples():
    y = np.array([0] * 8 + [1] * 2)
    assert rows_to_add({0: 0, 1: 6}, None, y) == {0: 0, 1: 6}


def test_n_samples_sets_the_total_and_keeps_every_original_row():
    y = np.array([0] * 8 + [1] * 2)
    assert sum(rows_to_add({0: 0, 1: 6}, 1.5, y).values()) == 5
    # nothing to add by the strategy: split in the classes' proportions
    assert rows_to_add({0: 0, 1: 0}, 20, y) == {0: 8, 1: 2}
    with pytest.raises(ValueError, match="never drops an original row"):
        rows_to_add({0: 0, 1: 6}, 5, y)


def test_pool_counts_split_by_rows_added():
    assert pool_counts(2.0, 10, {0: 0, 1: 6}) == {0: 0, 1: 20}
    assert pool_counts(9, 10, {0: 1, 1: 2}) == {0: 3, 1: 6}
