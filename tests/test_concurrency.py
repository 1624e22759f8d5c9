"""Parallel searches give the results of serial ones, and no global state moves.

- ``GridSearchCV(n_jobs=2)`` gives the same ``cv_results_`` scores and best
  parameters as ``n_jobs=1``, with joblib's default ``"loky"`` processes and
  with its ``"threading"`` backend: each fit is seeded from ``random_state``
  alone, and threads take turns on torch's one global RNG
  (``skaug.utils._random.torch_seed`` holds a lock);
- ``fit``, ``sample``, ``fit_resample``, ``augment``, ``predict_uncertainty``
  and ``transform`` with an int ``random_state`` leave torch's and numpy's
  global state as they found it: RNG states, number of threads, default
  dtype, grad mode, deterministic mode. With ``random_state=None`` a seed is
  drawn from numpy's global RNG, as in scikit-learn, and torch's is untouched.
"""

import random

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from imblearn.pipeline import Pipeline
from scipy.stats import ks_2samp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skaug import DriftAugmentor, TabularEncoder, UncertaintySampler
from skaug.models import (
    BayesianClassifier,
    CopulaGAN,
    GaussianCopula,
    MCDropoutClassifier,
    TabularGAN,
    TabularVAE,
)


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 3))
    y = (X[:, 0] + 0.5 * rng.normal(size=80) > 0.8).astype(int)
    return X, y


def _scores(search):
    keys = [k for k in search.cv_results_ if k.startswith("split")]
    keys += ["mean_test_score", "rank_test_score"]
    return {k: np.asarray(search.cv_results_[k]) for k in keys}


def _same_search(estimator, grid, X, y, backend="loky", **kwargs):
    searches = []
    for n_jobs in (1, 2):
        with joblib.parallel_backend(backend, n_jobs=n_jobs):
            search = GridSearchCV(estimator, grid, n_jobs=n_jobs, **kwargs)
            searches.append(search.fit(X, y))
    serial, parallel = (_scores(s) for s in searches)
    for key in serial:
        np.testing.assert_array_equal(serial[key], parallel[key], err_msg=key)
    assert searches[0].best_params_ == searches[1].best_params_
    return searches[0]


@pytest.mark.parametrize("backend", ["loky", "threading"])
def test_grid_search_over_alpha_beta_is_the_same_in_parallel(data, backend):
    pipeline = Pipeline(
        [
            (
                "aug",
                UncertaintySampler(
                    estimator=MCDropoutClassifier(max_epochs=2, lr=0.01),
                    generator=TabularVAE(max_epochs=2),
                    n_mc_samples=2,
                    uncertainty_weight=0.0,
                    random_state=0,
                ),
            ),
            ("clf", LogisticRegression()),
        ]
    )
    grid = {"aug__alpha": [0.25, 4.0], "aug__beta": [0.0, 1.0]}
    cv = StratifiedKFold(2, shuffle=True, random_state=0)
    search = _same_search(
        pipeline, grid, *data, backend=backend, cv=cv, scoring="balanced_accuracy"
    )
    assert len(search.cv_results_["params"]) == 4


def _fidelity(generator, X, y=None):
    """Higher is better: minus the mean KS statistic between held-out rows and
    as many generated rows, per column."""
    X_new, _ = generator.sample(len(X), random_state=0)
    X_new = np.asarray(X_new)
    return -np.mean([ks_2samp(X[:, j], X_new[:, j]).statistic for j in range(3)])


def test_grid_search_over_a_generator_is_the_same_in_parallel(data):
    X, _ = data
    vae = TabularVAE(max_epochs=3, batch_size=16, random_state=0)
    grid = {"module__latent_dim": [2, 8], "lr": [1e-3, 1e-2]}
    _same_search(vae, grid, X, None, cv=2, scoring=_fidelity)


# ------------------------------------------------------------ global state


def _global_state():
    return {
        "torch_rng": torch.get_rng_state(),
        "torch_seed": torch.initial_seed(),
        "numpy_rng": np.random.get_state(),
        "python_rng": random.getstate(),
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "dtype": torch.get_default_dtype(),
        "grad": torch.is_grad_enabled(),
        "deterministic": torch.are_deterministic_algorithms_enabled(),
    }


def _assert_state_unchanged(before):
    after = _global_state()
    assert torch.equal(before.pop("torch_rng"), after.pop("torch_rng"))
    numpy_before, numpy_after = before.pop("numpy_rng"), after.pop("numpy_rng")
    assert numpy_before[0] == numpy_after[0]
    np.testing.assert_array_equal(numpy_before[1], numpy_after[1])
    assert numpy_before[2:] == numpy_after[2:]
    assert before == after


def _frame():
    rng = np.random.RandomState(1)
    X = pd.DataFrame({"a": rng.normal(size=60), "b": rng.choice(["x", "y"], size=60)})
    X.loc[::6, "a"] = np.nan
    return X, np.r_[np.zeros(40, dtype=int), np.ones(20, dtype=int)]


def _sampler_run():
    X, y = _frame()
    UncertaintySampler(
        estimator=BayesianClassifier(max_epochs=2),
        generator=TabularVAE(max_epochs=2),
        n_mc_samples=2,
        random_state=0,  # guidance on: MC passes inside the VAE's training
    ).fit_resample(X, y)


def _augmentor_run(generator):
    X, y = _frame()

    def run():
        aug = DriftAugmentor(generator=generator, drift_threshold=0.0, random_state=0)
        aug.fit(X, y).augment(X[~(X["a"] < 0)], y[~(X["a"] < 0).to_numpy()])
        aug.transform(X[~(X["a"] < 0)])

    return run


def _generator_run(make):
    def run():
        X, y = _frame()
        make().fit(X, y).sample(10, random_state=0)

    return run


def _uncertainty_run():
    X, y = _frame()
    X = TabularEncoder().fit_transform(X).astype(np.float32)
    net = MCDropoutClassifier(max_epochs=2, random_state=0).fit(X, y)
    net.predict_uncertainty(X)
    net.predict_proba(X)
    # (uncertainty_tensor is left out: it runs inside the caller's seeded
    # training, drawing from the caller's RNG, as documented)


def _encoder_run():
    X, _ = _frame()
    encoder = TabularEncoder(subsample=20, random_state=0).fit(X)
    encoder.inverse_transform(encoder.transform(X))


RUNS = {
    "UncertaintySampler.fit_resample": _sampler_run,
    "DriftAugmentor(vae)": _augmentor_run(TabularVAE(max_epochs=2)),
    "DriftAugmentor(gaussian_copula)": _augmentor_run("gaussian_copula"),
    "TabularVAE": _generator_run(lambda: TabularVAE(max_epochs=2, random_state=0)),
    "TabularGAN": _generator_run(lambda: TabularGAN(max_epochs=1, random_state=0)),
    "CopulaGAN": _generator_run(lambda: CopulaGAN(max_epochs=1, random_state=0)),
    "GaussianCopula": _generator_run(lambda: GaussianCopula(random_state=0)),
    "MCDropoutClassifier": _uncertainty_run,
    "TabularEncoder": _encoder_run,
}


@pytest.mark.parametrize("name", list(RUNS))
def test_no_global_state_is_changed(name):
    # a moved global RNG, not the default one
    torch.manual_seed(1234)
    np.random.seed(1234)
    random.seed(1234)
    torch.rand(3)
    np.random.rand(3)
    before = _global_state()
    RUNS[name]()
    _assert_state_unchanged(before)


@pytest.mark.parametrize(
    "make", [lambda: TabularGAN(max_epochs=1), lambda: GaussianCopula()]
)
def test_unseeded_fit_draws_its_seed_from_numpy_only(make):
    # random_state=None: like scikit-learn, a seed comes from numpy's global
    # RNG (so np.random.seed makes the run reproducible); torch's is untouched
    X, y = _frame()
    np.random.seed(0)
    first = make().fit(X, y)
    torch_before = torch.get_rng_state()
    np.random.seed(0)
    second = make().fit(X, y)
    assert torch.equal(torch_before, torch.get_rng_state())
    pd.testing.assert_frame_equal(
        first.sample(5, random_state=0)[0], second.sample(5, random_state=0)[0]
    )
