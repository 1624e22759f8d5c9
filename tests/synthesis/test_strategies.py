"""The generation strategies: region quotas and the direct labelled draw."""

import numpy as np
import pandas as pd
import pytest
from sklearn.utils import check_random_state

from skaug._synthesis.direct import draw_labelled
from skaug._synthesis.regions import draw_in_regions


class UniformGenerator:
    """Rows uniform on [0, 1); labels echo the condition (or 0)."""

    def sample(self, n, y=None, random_state=None):
        rng = check_random_state(random_state)
        X = pd.DataFrame({"x": rng.uniform(size=n)})
        labels = np.zeros(n, int) if y is None else np.broadcast_to(y, n).copy()
        return X, labels


class UnlabelledGenerator(UniformGenerator):
    def sample(self, n, y=None, random_state=None):
        return super().sample(n, random_state=random_state)[0], None


def _place(X, y):
    return (X["x"].to_numpy() * 4).astype(int)  # four regions of width 0.25


def test_region_quotas_are_met_region_by_region():
    quotas = {(0, None): 5, (3, None): 7}
    pool = draw_in_regions(
        UniformGenerator(), quotas, _place, np.random.RandomState(0), n_regions=4
    )
    assert pool.per_group.tolist() == [5, 0, 0, 7]
    region = _place(pool.X, None)
    assert sorted(region.tolist()) == [0] * 5 + [3] * 7
    assert pool.n_candidates >= 256 and pool.n_rejected == pool.n_candidates - 12
    assert pool.X.index.tolist() == list(range(12))


def test_region_quotas_split_by_subgroup_key():
    def key(X):
        return np.where(X["x"].to_numpy() % 0.1 < 0.05, "a", "b")

    quotas = {(1, "a"): 3, (1, "b"): 2}
    pool = draw_in_regions(
        UniformGenerator(),
        quotas,
        _place,
        np.random.RandomState(1),
        n_regions=4,
        key=key,
    )
    assert sorted(key(pool.X).tolist()) == ["a"] * 3 + ["b"] * 2


def test_region_quotas_that_cannot_be_met_return_what_was_found():
    pool = draw_in_regions(
        UniformGenerator(),
        {(5, None): 3},
        _place,
        np.random.RandomState(0),
        n_regions=6,
    )
    assert len(pool) == 0 and pool.per_group.sum() == 0 and pool.n_candidates > 0


def test_direct_draw_gives_the_labels_asked():
    labels = np.array([0, 0, 1, 2, 2, 2])
    pool = draw_labelled(UniformGenerator(), labels, random_state=0)
    assert pool.y.tolist() == labels.tolist() and len(pool) == 6
    with pytest.raises(ValueError, match="returned no labels"):
        draw_labelled(UnlabelledGenerator(), labels, random_state=0)
