"""The Monte Carlo passes, and MC-dropout uncertainty of any skorch classifier."""

import numpy as np
import pytest
import torch
from skorch import NeuralNetClassifier

import skaug.models._mc_passes as mc_passes_module
from skaug.models._mc_passes import (
    CLASSIFIER_METRICS,
    MCDropoutMode,
    mc_dropout_uncertainty,
    run_mc_passes,
)


class DropoutNet(torch.nn.Module):
    """A user's module: batch norm (must stay in eval mode) and nn.Dropout."""

    def __init__(self, n_features=4, n_classes=3):
        super().__init__()
        self.layers = torch.nn.Sequential(
            torch.nn.Linear(n_features, 16),
            torch.nn.BatchNorm1d(16),
            torch.nn.ReLU(),
            torch.nn.Dropout(0.3),
            torch.nn.Linear(16, n_classes),
        )

    def forward(self, X):
        return self.layers(X)


@pytest.fixture(scope="module")
def net():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 4)).astype(np.float32)
    y = rng.randint(0, 3, size=60)
    torch.manual_seed(0)
    return NeuralNetClassifier(
        DropoutNet,
        criterion=torch.nn.CrossEntropyLoss,
        max_epochs=2,
        train_split=None,
        verbose=0,
    ).fit(X, y)


@pytest.fixture(scope="module")
def X():
    return torch.as_tensor(
        np.random.RandomState(1).normal(size=(25, 4)), dtype=torch.float32
    )


def _entropy(p):
    return -(p * np.log(np.where(p > 0, p, 1.0))).sum(axis=-1)


def reference_uncertainty(net, X, n_passes, metric, seed):
    """The computation written out: dropout on, everything else in eval mode,
    all passes in one forward call over the tiled rows, scored in numpy."""
    module = net.module_
    with torch.random.fork_rng(), torch.no_grad():
        torch.manual_seed(seed)
        module.eval()
        module.layers[3].train()  # the dropout layer
        logits = module(X.repeat(n_passes, 1))
        module.train()
    proba = torch.softmax(logits, dim=-1).double().numpy()
    proba = proba.reshape(n_passes, len(X), -1)
    if metric == "variance":
        return proba.var(axis=0).mean(axis=-1)
    entropy_of_mean = _entropy(proba.mean(axis=0))
    if metric == "entropy":
        return entropy_of_mean
    return np.maximum(entropy_of_mean - _entropy(proba).mean(axis=0), 0.0)


@pytest.mark.parametrize("metric", CLASSIFIER_METRICS)
@pytest.mark.parametrize("n_passes", [1, 7])
def test_mc_dropout_uncertainty_matches_reference(net, X, metric, n_passes):
    got = mc_dropout_uncertainty(net, X, n_passes=n_passes, metric=metric, seed=5)
    expected = reference_uncertainty(net, X, n_passes, metric, seed=5)
    assert got.dtype == np.float64 and got.shape == (len(X),)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_mc_dropout_uncertainty_is_seeded_and_leaves_the_rng(net, X):
    state = torch.get_rng_state()
    a = mc_dropout_uncertainty(net, X, n_passes=10, metric="bald", seed=3)
    assert torch.equal(torch.get_rng_state(), state)
    b = mc_dropout_uncertainty(net, X, n_passes=10, metric="bald", seed=3)
    c = mc_dropout_uncertainty(net, X, n_passes=10, metric="bald", seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert (a >= 0).all() and a.max() > 0


def test_mc_dropout_uncertainty_restores_the_modes(net, X):
    net.module_.train()
    net.module_.layers[1].eval()
    mc_dropout_uncertainty(net, X, n_passes=3, metric="variance", seed=0)
    modes = [m.training for m in net.module_.modules()]
    assert modes == [True, True, True, False, True, True, True]
    net.module_.train()


def test_mc_dropout_uncertainty_reseeds_every_chunk(net, X, monkeypatch):
    # 5 passes x 10 rows per forward call: chunks of rows 0-9, 10-19, 20-24,
    # each scored as if it were the whole input
    monkeypatch.setattr(mc_passes_module, "_MAX_ROWS_PER_USER_FORWARD", 50)
    got = mc_dropout_uncertainty(net, X, n_passes=5, metric="entropy", seed=2)
    parts = [
        reference_uncertainty(net, X[start : start + 10], 5, "entropy", seed=2)
        for start in (0, 10, 20)
    ]
    np.testing.assert_allclose(got, np.concatenate(parts), rtol=1e-12, atol=1e-15)


def test_mc_dropout_uncertainty_of_no_rows(net):
    got = mc_dropout_uncertainty(
        net, torch.zeros((0, 4)), n_passes=5, metric="variance", seed=0
    )
    assert got.dtype == np.float64 and got.shape == (0,)


def test_mc_dropout_mode():
    module = DropoutNet()
    module.layers[1].eval()
    with MCDropoutMode(module):
        assert not module.training and not module.layers[1].training
        assert module.layers[3].training
    assert module.training and not module.layers[1].training


def test_run_mc_passes_layouts(net, X):
    # the tiled layout hands the module 2-D input; an unknown layout is refused
    shapes = []
    hook = net.module_.register_forward_hook(lambda m, i, o: shapes.append(i[0].shape))
    try:
        with MCDropoutMode(net.module_), torch.no_grad():
            out = run_mc_passes(
                net, X, n_passes=4, seed=0, reduce=lambda p: p, layout="tiled"
            )
    finally:
        hook.remove()
    assert shapes == [(4 * len(X), 4)]
    assert [tuple(part.shape) for part in out] == [(4, len(X), 3)]
    with pytest.raises(ValueError, match="layout"):
        run_mc_passes(net, X, n_passes=4, seed=0, reduce=len, layout="flat")
