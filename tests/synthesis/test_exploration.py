import numpy as np
import pytest
from scipy.spatial.distance import pdist

from skaug._synthesis.exploration import (
    CANDIDATES_PER_ROW,
    N_ROUNDS,
    SupportGuard,
    explore,
    select_diverse,
)


class FunctionScorer:
    """A scorer (the core's protocol) around a function of the rows."""

    def __init__(self, func):
        self.func = func

    def score(self, rows):
        return self.func(rows)


class RecordingGenerator:
    """Draws Gaussian rows whose spread is the temperature; records the calls."""

    def __init__(self, dim=3):
        self.dim = dim
        self.calls = []

    def sample(self, n, y=None, random_state=None, *, temperature=1.0):
        self.calls.append((n, y, temperature))
        rows = random_state.normal(scale=temperature, size=(n, self.dim))
        return rows, np.full(n, y)


def test_temperature_rises_from_one_to_latent_temperature():
    gen = RecordingGenerator()
    rng = np.random.RandomState(0)
    pool = explore(
        gen,
        scorer=FunctionScorer(lambda rows: np.linalg.norm(rows, axis=1)),
        encode=lambda rows: rows,
        label=1,
        n_keep=40,
        latent_temperature=3.0,
        guard=None,
        random_state=rng,
    )
    temperatures = [t for _, _, t in gen.calls]
    np.testing.assert_allclose(temperatures, np.linspace(1.0, 3.0, N_ROUNDS))
    assert len(pool) == len(pool.encoded) == 40  # only kept rows are returned
    assert [n for n, _, _ in gen.calls] == [
        10 * CANDIDATES_PER_ROW["plausible"]
    ] * N_ROUNDS
    assert all(y == 1 for _, y, _ in gen.calls)
    assert len(pool.uncertainty) == 40
    assert (
        pool.n_candidates == 40 * CANDIDATES_PER_ROW["plausible"]
        and pool.n_rejected == 0
    )


def test_kept_rows_are_more_uncertain_than_candidates():
    gen = RecordingGenerator()
    pool = explore(
        gen,
        scorer=FunctionScorer(lambda rows: np.linalg.norm(rows, axis=1)),
        encode=lambda rows: rows,
        label=0,
        n_keep=50,
        latent_temperature=1.0,
        guard=None,
        random_state=np.random.RandomState(0),
        selection="uncertain",
    )
    # candidates are N(0, I) in 3-D: mean norm about 1.6
    assert pool.uncertainty.mean() > 1.8
    np.testing.assert_allclose(
        pool.uncertainty, np.linalg.norm(pool.encoded, axis=1), rtol=1e-5
    )


def test_diversity_beats_plain_top_k_on_minimum_distance():
    rng = np.random.RandomState(0)
    # a tight, very uncertain cluster and a spread of slightly less uncertain rows
    cluster = rng.normal(scale=0.01, size=(50, 2))
    spread = rng.uniform(-3, 3, size=(150, 2))
    X = np.vstack([cluster, spread])
    u = np.r_[np.full(50, 1.0), rng.uniform(0.7, 0.95, 150)]
    k = 20
    diverse = select_diverse(X, u, k)
    top_k = np.argsort(-u)[:k]
    assert len(set(diverse.tolist())) == k
    assert pdist(X[diverse]).min() > 10 * pdist(X[top_k]).min()
    # and it still favours uncertain rows: all chosen among the top half
    assert (u[diverse] >= np.median(u)).all()


def test_guard_rejects_injected_far_away_rows():
    rng = np.random.RandomState(0)
    real = rng.normal(size=(300, 4))
    guard = SupportGuard(0.99, np.random.RandomState(0)).fit(real)
    near = real[:50] + rng.normal(scale=0.05, size=(50, 4))
    far = rng.normal(size=(20, 4)) + 25.0
    assert guard.accept(near).mean() > 0.95
    assert not guard.accept(far).any()


def test_explore_counts_and_skips_rejected_candidates():
    rng = np.random.RandomState(0)
    real = rng.normal(size=(300, 3))
    guard = SupportGuard(0.99, np.random.RandomState(0)).fit(real)
    gen = RecordingGenerator()
    pool = explore(
        gen,
        scorer=FunctionScorer(lambda rows: np.ones(len(rows))),
        encode=lambda rows: rows,
        label=0,
        n_keep=40,
        latent_temperature=6.0,  # late rounds draw far outside the real rows
        guard=guard,
        random_state=rng,
    )
    assert pool.n_rejected > 0
    assert guard.accept(pool.encoded).all()
    assert len(pool) == len(pool.encoded) <= 40
    assert pool.n_candidates == 40 * CANDIDATES_PER_ROW["plausible"]


@pytest.mark.parametrize("n_keep", [0, 1, 7])
def test_select_diverse_edge_sizes(n_keep):
    X = np.random.RandomState(0).normal(size=(5, 2))
    chosen = select_diverse(X, np.linspace(1, 0, 5), n_keep)
    assert len(chosen) == min(n_keep, 5)


def test_large_rounds_are_generated_in_bounded_chunks(monkeypatch):
    import skaug._synthesis.exploration as exploration

    monkeypatch.setattr(exploration, "MAX_KEPT_PER_CHUNK", 5)
    gen = RecordingGenerator()
    pool = explore(
        gen,
        scorer=FunctionScorer(lambda rows: np.ones(len(rows))),
        encode=lambda rows: rows,
        label=0,
        n_keep=40,
        latent_temperature=2.0,
        guard=None,
        random_state=np.random.RandomState(0),
    )
    assert max(n for n, _, _ in gen.calls) <= 5 * CANDIDATES_PER_ROW["plausible"]
    assert (
        len(pool.encoded) == 40
        and pool.n_candidates == 40 * CANDIDATES_PER_ROW["plausible"]
    )


def _explore_class_1(generator, scorer, n_keep, **kwargs):
    return explore(
        generator,
        scorer=scorer,
        encode=lambda rows: rows,
        label=1,
        n_keep=n_keep,
        latent_temperature=1.0,
        guard=None,
        random_state=np.random.RandomState(0),
        **kwargs,
    )


class LabelScorer(FunctionScorer):
    """Scores by a function; the model calls a row class 1 when its first
    coordinate is positive (probability 0.9), class 0 otherwise."""

    def label_probability(self, rows, label):
        p_one = np.where(rows[:, 0] > 0, 0.9, 0.1)
        return p_one if label == 1 else 1 - p_one


def test_candidates_the_model_gives_another_class_are_dropped():
    pool = _explore_class_1(
        RecordingGenerator(), LabelScorer(lambda rows: np.abs(rows[:, 1])), 40
    )
    # half the candidates are on the wrong side; hardly any is kept (a round
    # with fewer plausible candidates than its quota is topped up)
    assert len(pool) == 40 and (pool.encoded[:, 0] > 0).mean() > 0.9
    # the pool's scores are those of its rows
    np.testing.assert_allclose(pool.uncertainty, np.abs(pool.encoded[:, 1]))
    # the uncertain rule does not look at the labels
    uncertain = _explore_class_1(
        RecordingGenerator(),
        LabelScorer(lambda rows: np.abs(rows[:, 1])),
        40,
        selection="uncertain",
    )
    assert (uncertain.encoded[:, 0] > 0).mean() < 0.8


def test_too_few_plausible_candidates_are_topped_up_by_the_most_plausible():
    class Shifted(RecordingGenerator):
        def sample(self, n, y=None, random_state=None, *, temperature=1.0):
            rows, labels = super().sample(n, y, random_state, temperature=temperature)
            rows[:, 0] -= 3.0  # nearly every candidate looks like class 0
            return rows, labels

    pool = _explore_class_1(Shifted(), LabelScorer(lambda rows: np.ones(len(rows))), 20)
    assert len(pool) == 20  # the pool is not starved


class EncodedGenerator(RecordingGenerator):
    """Also samples in the encoded space (here: the rows times 10)."""

    def sample_encoded(self, n, y=None, random_state=None, *, temperature=1.0):
        rows, labels = self.sample(n, y, random_state, temperature=temperature)
        return rows * 10.0, labels


def test_encoded_candidates_are_decoded_only_when_kept():
    decoded = []

    def decode(rows):
        decoded.append(len(rows))
        return rows / 10.0

    def encode(rows):
        return np.asarray(rows) * 10.0

    def explore_encoded(**extra):
        return explore(
            EncodedGenerator(),
            scorer=FunctionScorer(lambda rows: np.linalg.norm(rows, axis=1)),
            encode=encode,
            label=1,
            n_keep=40,
            latent_temperature=2.0,
            guard=None,
            random_state=np.random.RandomState(0),
            **extra,
        )

    pool = explore_encoded(decode=decode)
    # the kept rows only, a round's at a time
    assert decoded == [10] * N_ROUNDS
    np.testing.assert_allclose(pool.encoded, encode(pool.X), rtol=1e-6)
    # without decode the generator's sample() is used and every row comes back
    plain = explore_encoded()
    np.testing.assert_allclose(plain.X, pool.X, rtol=1e-6)
