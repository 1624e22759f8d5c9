import numpy as np
import pandas as pd

from skaug._synthesis.pool import SyntheticPool, concat_rows, take_rows


def test_take_and_concat_keep_the_format_with_a_fresh_index():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "z"]}, index=[7, 8, 9])
    taken = take_rows(frame, [2, 0])
    assert taken.index.tolist() == [0, 1] and taken["b"].tolist() == ["z", "x"]
    both = concat_rows([taken, frame], frame)
    assert both.index.tolist() == list(range(5))
    assert concat_rows([np.ones((1, 2)), np.zeros((2, 2))], np.ones(1)).shape == (3, 2)


def test_concat_counts_the_candidates_of_pools_that_kept_nothing():
    like = np.zeros((0, 2))
    kept = SyntheticPool(
        X=np.ones((2, 2)),
        y=np.array([1, 1]),
        encoded=np.ones((2, 3)),
        uncertainty=np.array([0.1, 0.2]),
        n_candidates=8,
        n_rejected=1,
    )
    empty = SyntheticPool.empty(like, np.array([0]), n_encoded=3)
    empty.n_candidates, empty.n_rejected = 8, 8
    pool = SyntheticPool.concat([empty, kept], like, np.array([0]), n_encoded=3)
    assert len(pool) == 2 and pool.encoded.shape == (2, 3)
    assert (pool.n_candidates, pool.n_rejected) == (16, 9)
    assert pool.rejection_rate == 9 / 16


def test_an_empty_concat_has_the_formats_asked():
    like = pd.DataFrame({"a": [1.0]})
    pool = SyntheticPool.concat([], like, np.array(["a"]), n_encoded=4)
    assert len(pool) == 0 and list(pool.X.columns) == ["a"]
    assert pool.y.dtype == np.array(["a"]).dtype and pool.encoded.shape == (0, 4)
    assert pool.rejection_rate == 0.0
