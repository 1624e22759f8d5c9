"""MC-dropout specifics: the layer that stays on, the MLP, the nets' dropout."""

import numpy as np
import pytest
import torch

from skaug.models._mc_dropout import MCDropoutClassifier
from skaug.models._uncertainty_modules import MLP, MCDropout


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    # tiny nets gain nothing from intra-op threads, and on a busy machine
    # OpenMP's spinning threads slow them down by orders of magnitude
    n_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n_threads)


def test_mc_dropout_stays_on_in_eval_mode():
    layer = MCDropout(0.5).eval()
    x = torch.ones(1000, 4)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        out = layer(x)
    assert (out == 0).any() and (out == 2).any()  # dropped and rescaled
    assert torch.nn.Dropout(0.5).eval()(x).eq(1).all()  # the contrast


def test_mc_dropout_shares_one_mask_per_pass():
    layer = MCDropout(0.5)
    x = torch.ones(6, 3, 50)  # 6 passes over 3 rows
    with torch.random.fork_rng():
        torch.manual_seed(0)
        out = layer(x)
    assert torch.equal(out[:, 0], out[:, 1]) and torch.equal(out[:, 0], out[:, 2])
    assert not torch.equal(out[0], out[1])  # passes differ
    with torch.random.fork_rng():
        torch.manual_seed(0)
        rows = layer(torch.ones(3, 50))  # 2-D: one mask per row
    assert not torch.equal(rows[0], rows[1])


def test_mc_dropout_rejects_bad_probability():
    with pytest.raises(ValueError, match="dropout probability"):
        MCDropout(1.0)


def test_mlp_layout():
    mlp = MLP(n_features=5, n_outputs=3, hidden_units=(16, 8), dropout=0.3)
    linear = [m for m in mlp.modules() if isinstance(m, torch.nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linear] == [
        (5, 16),
        (16, 8),
        (8, 3),
    ]
    assert [m.p for m in mlp.modules() if isinstance(m, MCDropout)] == [0.3, 0.3]
    assert mlp(torch.zeros(4, 5)).shape == (4, 3)
    assert mlp(torch.zeros(2, 4, 5)).shape == (2, 4, 3)
    assert len(list(MLP(2, 2, hidden_units=4).modules())) == 6  # an int is a layer
    with pytest.raises(ValueError, match="hidden_units"):
        MLP(2, 2, hidden_units=(0,))


@pytest.mark.parametrize("hidden_units", [(16, 8), ()])
def test_mlp_runs_the_layers_before_dropout_once_for_stacked_passes(hidden_units):
    # an expanded view (the Monte Carlo layout) takes the shortcut; a copy
    # of it runs every layer on every pass: same masks, same outputs
    mlp = MLP(n_features=5, n_outputs=3, hidden_units=hidden_units, dropout=0.3)
    rows = torch.randn(7, 5)
    stacked = rows.expand(4, 7, 5)
    outputs = []
    for x in (stacked, stacked.contiguous()):
        with torch.random.fork_rng():
            torch.manual_seed(0)
            outputs.append(mlp(x))
    assert outputs[0].shape == (4, 7, 3)
    torch.testing.assert_close(outputs[0], outputs[1])
    if hidden_units:
        assert not torch.allclose(outputs[0][0], outputs[0][1])  # passes differ


def test_net_builds_its_module_from_the_data_and_module_params():
    rng = np.random.RandomState(0)
    X, y = rng.randn(40, 3), np.arange(40) % 4
    est = MCDropoutClassifier(
        max_epochs=1, module__hidden_units=(7,), module__dropout=0.25, random_state=0
    ).fit(X, y)
    first, last = est.module_.layers[0], est.module_.layers[-1]
    assert (first.in_features, first.out_features, last.out_features) == (3, 7, 4)
    assert est.module_.layers[2].p == 0.25
    # the data-dependent sizes do not leak into the public parameters
    assert "module__n_features" not in est.get_params()


def test_no_dropout_means_no_uncertainty_and_a_deterministic_net():
    rng = np.random.RandomState(0)
    X, y = rng.randn(40, 3), np.arange(40) % 2
    est = MCDropoutClassifier(
        max_epochs=2, module__dropout=0.0, n_mc_samples=4, random_state=0
    ).fit(X, y)
    for metric in ["variance", "bald"]:
        np.testing.assert_allclose(est.predict_uncertainty(X, metric=metric), 0.0)
    logits = est.module_(torch.tensor(X, dtype=torch.float32))
    np.testing.assert_allclose(
        est.predict_proba(X), torch.softmax(logits, dim=1).detach(), rtol=1e-5
    )
