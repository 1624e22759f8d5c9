import numpy as np
import pytest
from sklearn.datasets import make_classification

from skaug._synthesis.config import SynthesisConfig
from skaug._synthesis.engine import fit_synthesis, synthesize
from skaug._synthesis.scorers import EstimatorScorer
from skaug.models import GaussianCopula, MCDropoutClassifier, TabularVAE


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=120, n_features=4, n_redundant=0, weights=[0.7], random_state=0
    )
    return X, y


def test_config_takes_the_estimators_parameter_names():
    config = SynthesisConfig.from_params(
        {"n_mc_samples": 3, "uncertainty_metric": "bald", "alpha": 2.0}
    )
    assert config.n_mc_samples == 3 and config.uncertainty_metric == "bald"
    with pytest.raises(AttributeError):
        config.n_mc_samples = 4  # frozen: a stable cache key


def test_synthesize_returns_a_consistent_state_and_pool(data):
    X, y = data
    config = SynthesisConfig(n_mc_samples=3)
    state, pool, report = synthesize(
        X,
        y,
        MCDropoutClassifier(max_epochs=2),
        GaussianCopula(),
        {0: 0, 1: 30},
        config,
        seed=0,
    )
    # the copula is guided through its sample_weight
    assert state.uncertainty.shape == (len(y),) and state.guided
    assert len(pool) == len(pool.y) == len(pool.encoded) == len(pool.uncertainty)
    assert 0 < len(pool) <= 30 and set(pool.y) == {1}
    assert pool.n_candidates >= len(pool) + pool.n_rejected
    # the pool's scores are the uncertainty model's on the encoded rows
    np.testing.assert_allclose(
        pool.uncertainty, state.scorer.score(pool.encoded.astype(np.float32))
    )
    assert report == state.report(pool)
    assert report["n_rejected"] == pool.n_rejected and report["fit_seconds"] > 0


def test_the_guidance_needs_a_guidable_generator_and_a_positive_weight(data):
    X, y = data
    model, vae = MCDropoutClassifier(max_epochs=2), TabularVAE(max_epochs=2)
    rng = np.random.RandomState(0)
    state, _ = fit_synthesis(X, y, model, vae, SynthesisConfig(n_mc_samples=2), rng)
    assert state.guided and state.generator.encoder is not None
    unguided = SynthesisConfig(n_mc_samples=2, uncertainty_weight=0.0)
    state, _ = fit_synthesis(X, y, model, vae, unguided, np.random.RandomState(0))
    assert not state.guided


def test_estimator_scorer_uses_the_configured_passes_and_metric(data):
    X, y = data
    model = MCDropoutClassifier(max_epochs=2, random_state=0).fit(
        X.astype(np.float32), y
    )
    scorer = EstimatorScorer(model, 4, "entropy")
    expected = model.predict_uncertainty(
        X.astype(np.float32), n_samples=4, metric="entropy"
    )
    np.testing.assert_array_equal(scorer.score(X.astype(np.float32)), expected)


def test_the_copula_is_guided_by_tilting_its_mixture():
    # about 500 rows of class 1: five clusters
    X, y = make_classification(n_samples=1000, n_features=4, random_state=0)
    model = MCDropoutClassifier(max_epochs=2)
    shares = {}
    for weight in (0.0, 1.0):
        config = SynthesisConfig(n_mc_samples=2, uncertainty_weight=weight)
        state, _ = fit_synthesis(
            X, y, model, GaussianCopula(), config, np.random.RandomState(0), classes=[1]
        )
        # fitted on the class it will sample only
        assert state.generator.classes_.tolist() == [1]
        shares[weight] = np.array([w for w, _ in state.generator._mixtures[0]])
        assert state.guided == (weight > 0)
    assert len(shares[0.0]) > 1
    np.testing.assert_allclose(shares[0.0].sum(), 1.0)
    np.testing.assert_allclose(shares[1.0].sum(), 1.0)
    assert not np.allclose(shares[0.0], shares[1.0])


def test_estimator_scorer_gives_the_label_probability(data):
    X, y = data
    model = MCDropoutClassifier(max_epochs=2, random_state=0).fit(
        X.astype(np.float32), y
    )
    scorer = EstimatorScorer(model, 3, "variance")
    p = scorer.label_probability(X.astype(np.float32), 1)
    np.testing.assert_allclose(p, model.predict_proba(X.astype(np.float32))[:, 1])
    assert scorer.label_probability(X.astype(np.float32), 7) is None  # unknown
    # both from one set of passes (the scorer's number of them): what the
    # two separate calls give with as many passes
    rows = X[:30].astype(np.float32)
    scorer = EstimatorScorer(model, model.n_mc_samples, "variance")
    p, u = scorer.label_probability_and_score(rows, 0)
    np.testing.assert_allclose(p, scorer.label_probability(rows, 0))
    np.testing.assert_allclose(u, scorer.score(rows))
    assert scorer.label_probability_and_score(rows, 7) == (None, None)


def test_selection_is_validated(data):
    from skaug import UncertaintySampler

    with pytest.raises(ValueError, match="selection"):
        UncertaintySampler(selection="boundary").fit_resample(*data)
