"""Shared behaviour of skaug's nets (skaug/models/_base.py): training that
diverges is stopped with a clear error, never turned into NaN rows."""

import numpy as np
import pytest
import torch

from skaug import DriftAugmentor, UncertaintySampler
from skaug.exceptions import DivergenceError
from skaug.models import (
    BayesianClassifier,
    CopulaGAN,
    MCDropoutClassifier,
    MCDropoutRegressor,
    TabularGAN,
    TabularVAE,
)

# plain SGD with a learning rate of 1e12 overflows within a few batches
EXPLODE = {"optimizer": torch.optim.SGD, "lr": 1e12, "max_epochs": 20}


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(64, 3)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    return X, y


@pytest.mark.parametrize(
    "net",
    [
        TabularVAE(**EXPLODE),
        TabularGAN(**EXPLODE),
        CopulaGAN(**EXPLODE),
        MCDropoutClassifier(**EXPLODE),
        MCDropoutRegressor(**EXPLODE),
        BayesianClassifier(**EXPLODE),
    ],
    ids=lambda net: type(net).__name__,
)
def test_divergence_is_stopped_with_a_clear_error(net, data):
    X, y = data
    y = y.astype(np.float32) if isinstance(net, MCDropoutRegressor) else y
    torch.manual_seed(0)
    state = torch.get_rng_state()
    with pytest.raises(DivergenceError) as info:
        net.set_params(random_state=0).fit(X, y)
    message = str(info.value)
    name = type(net).__name__
    epoch = len(net.history)
    assert message.startswith(f"{name} diverged in epoch {epoch} of 20: ")
    assert (
        "not finite" in message and f"Lower the learning rate (lr={1e12!r}" in message
    )
    assert "scale the input features" in message
    assert epoch < 20  # stopped at once, not trained on with NaN weights
    assert isinstance(info.value, RuntimeError)
    assert torch.equal(torch.get_rng_state(), state)  # the forked RNG is restored


def test_a_healthy_fit_is_not_stopped(data):
    vae = TabularVAE(max_epochs=3, random_state=0).fit(*data)
    assert np.isfinite(vae.history[:, "train_loss"]).all()


def test_sampling_from_non_finite_weights_is_refused(data):
    vae = TabularVAE(max_epochs=1, random_state=0).fit(*data)
    with torch.no_grad():
        next(vae.module_.parameters()).fill_(float("nan"))
    with pytest.raises(DivergenceError, match="TabularVAE generated non-finite"):
        vae.sample(5, random_state=0)


def test_divergence_inside_the_sampler_names_the_generator(data):
    sampler = UncertaintySampler(
        estimator=MCDropoutClassifier(max_epochs=1),
        generator=TabularVAE(**EXPLODE),
        n_mc_samples=2,
        random_state=0,
    )
    with pytest.raises(DivergenceError, match=r"^TabularVAE diverged in epoch \d+"):
        sampler.fit_resample(*data)
    assert not hasattr(sampler, "synthetic_X_")  # no NaN rows were produced


def test_divergence_inside_the_augmentor_names_the_generator(data):
    aug = DriftAugmentor(generator=TabularGAN(**EXPLODE), random_state=0)
    with pytest.raises(DivergenceError, match=r"^TabularGAN diverged"):
        aug.fit(data[0])
