"""Bayes-by-backprop specifics: the layers, their KL, the loss of the nets."""

import numpy as np
import pytest
import torch
from skorch.dataset import ValidSplit
from torch.distributions import Normal, kl_divergence

from skaug.models._bayesian import BayesianClassifier, BayesianRegressor
from skaug.models._uncertainty_modules import MLP, BayesLinear, BayesMLP


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    # tiny nets gain nothing from intra-op threads, and on a busy machine
    # OpenMP's spinning threads slow them down by orders of magnitude
    n_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n_threads)


def seeded(fn, seed=0):
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return fn()


def test_kl_is_the_closed_form_gaussian_kl():
    layer = BayesLinear(3, 2, prior_sigma=0.7)
    with torch.no_grad():
        layer.weight_mu.normal_()
        layer.weight_rho.normal_()
        layer.bias_rho.fill_(0.3)
    expected = sum(
        kl_divergence(Normal(mu, sigma), Normal(0.0, 0.7)).sum()
        for mu, sigma in [
            (layer.weight_mu, layer.weight_sigma),
            (layer.bias_mu, layer.bias_sigma),
        ]
    )
    torch.testing.assert_close(layer.kl(), expected)
    mlp = BayesMLP(3, 2, hidden_units=(4,))
    layers = [m for m in mlp.modules() if isinstance(m, BayesLinear)]
    torch.testing.assert_close(mlp.kl(), layers[0].kl() + layers[1].kl())


def test_posterior_starts_narrow():
    layer = BayesLinear(3, 2, posterior_sigma_init=0.01)
    torch.testing.assert_close(layer.weight_sigma, torch.full((2, 3), 0.01))


def test_passes_share_one_weight_sample_rows_do_not():
    layer = BayesLinear(1, 1, posterior_sigma_init=0.5)
    x = torch.tensor([[0.0], [1.0], [2.0]])
    # 3-D: in each pass, one (w, b), so the three outputs lie on a line
    out = seeded(lambda: layer(x.expand(5, 3, 1)))[..., 0]
    torch.testing.assert_close(out[:, 2] - out[:, 1], out[:, 1] - out[:, 0])
    assert out[:, 0].std() > 0.1  # and the passes differ
    # 2-D (training): local reparameterisation, independent per row
    out = seeded(lambda: layer(x.repeat(4, 1)))[:, 0].reshape(4, 3)
    assert not torch.allclose(out[:, 2] - out[:, 1], out[:, 1] - out[:, 0])


def test_local_reparameterisation_has_the_posterior_moments():
    layer = BayesLinear(2, 1, posterior_sigma_init=0.3)
    x = torch.tensor([[1.0, -2.0]]).repeat(20000, 1)
    out = seeded(lambda: layer(x)).detach()[:, 0]
    mean = (x[0] @ layer.weight_mu[0] + layer.bias_mu[0]).item()
    var = 0.09 * (1 + 4 + 1)
    assert abs(out.mean().item() - mean) < 0.02
    assert abs(out.var().item() - var) < 0.03
    with pytest.raises(ValueError, match="shape"):
        layer(torch.zeros(2, 2, 2, 2))


def fit_small(Est, **params):
    rng = np.random.RandomState(0)
    X = rng.randn(50, 3)
    y = np.arange(50) % 2 if Est is BayesianClassifier else X[:, 0]
    defaults = {"max_epochs": 2, "module__hidden_units": (8,), "random_state": 0}
    return Est(**{**defaults, **params}).fit(X, y), X, y


@pytest.mark.parametrize("Est", [BayesianClassifier, BayesianRegressor])
def test_kl_term_is_added_in_training_only(Est):
    est, X, y = fit_small(Est, kl_weight=0.5)
    assert est.n_train_samples_ == 50
    Xt = torch.tensor(X, dtype=torch.float32)
    yt = torch.as_tensor(est._check_y(y, reset=False))  # encoded as in fit
    y_pred = est.module_(Xt)
    data = est.get_loss(y_pred, yt, X=Xt, training=False)
    total = est.get_loss(y_pred, yt, X=Xt, training=True)
    torch.testing.assert_close(total - data, 0.5 * est.module_.kl() / 50)
    assert data.item() == pytest.approx(est.criterion_(y_pred, yt).item())


def test_kl_is_scaled_by_the_rows_trained_on():
    est, _, _ = fit_small(BayesianClassifier, train_split=ValidSplit(5))
    assert est.n_train_samples_ == 40
    assert "valid_loss" in est.history[-1]


def test_kl_weight_zero_and_prior_pull():
    # without KL the posterior is free; with a strong KL it is pulled to the prior
    free, _, _ = fit_small(BayesianClassifier, kl_weight=0.0, max_epochs=20)
    pulled, _, _ = fit_small(BayesianClassifier, kl_weight=50.0, max_epochs=20)
    assert pulled.module_.kl() < free.module_.kl()


def test_module_without_kl_is_a_clear_error():
    with pytest.raises(TypeError, match="kl\\(\\) method"):
        fit_small(BayesianClassifier, module=MLP)
