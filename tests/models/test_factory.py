"""The default nets' epochs follow a budget of optimiser steps; the user's
nets are never changed."""

import math

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.datasets import make_classification
from skorch import NeuralNetClassifier

import skaug._sampler
import skaug.models._factory
from skaug import DriftAugmentor, UncertaintySampler
from skaug.callbacks import AdaptiveSynthesis
from skaug.models import GaussianCopula, MCDropoutClassifier, TabularGAN, TabularVAE
from skaug.models._factory import PATIENCE, budget_epochs, cap_epochs


@pytest.mark.parametrize(
    "n_rows, batch_size, max_epochs, steps, expected",
    [
        (1_000, 64, 300, 20_000, 300),  # 16 steps an epoch: the cap holds
        (10_000, 64, 300, 20_000, 128),  # 157 steps an epoch
        (100_000, 64, 300, 20_000, 13),
        (1_000_000, 64, 300, 20_000, 2),
        (1_000_000, 128, 100, 10_000, 2),
        (10**9, 64, 300, 20_000, 1),  # never 0 epochs
        (1, 64, 300, 20_000, 300),
    ],
)
def test_budget_epochs(n_rows, batch_size, max_epochs, steps, expected):
    epochs = budget_epochs(n_rows, batch_size, max_epochs, steps)
    assert epochs == expected
    if expected < max_epochs:
        # about the budget: one epoch fewer would fall short of it
        per_epoch = math.ceil(n_rows / batch_size)
        assert (epochs - 1) * per_epoch < steps <= max(epochs * per_epoch, steps)


def test_cap_epochs_reads_the_nets_own_batch_size():
    net = cap_epochs(TabularGAN(batch_size=500, max_epochs=300), 100_000, 20_000)
    assert net.max_epochs == 100  # 200 steps an epoch
    net = cap_epochs(TabularVAE(max_epochs=7), 100, 20_000)
    assert net.max_epochs == 7  # never raised


@pytest.fixture
def small_budget(monkeypatch):
    # a budget small enough to bind on 300 rows, so the test stays fast
    # every front-end builds its default nets in the factory
    monkeypatch.setattr(skaug.models._factory, "GENERATOR_STEPS", 30)


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=300, n_features=5, weights=[0.8], random_state=0
    )


def test_sampler_defaults_copula_and_early_stopped_net(data):
    X, y = data
    sampler = UncertaintySampler(n_mc_samples=5, random_state=0)
    sampler.fit_resample(X, y)
    assert isinstance(sampler.generator_, GaussianCopula)
    net = sampler.estimator_
    # stopped by the validation loss, long before its 200-epoch cap
    assert len(net.history_) < net.max_epochs == 200
    assert "valid_loss" in net.history_[-1]
    assert "valid_acc" not in net.history_[-1]
    best = int(np.argmin(net.history_[:, "valid_loss"]))
    assert len(net.history_) - 1 - best == PATIENCE
    assert sampler.generator is None and sampler.estimator is None


def test_default_net_watches_the_training_loss_for_tiny_classes():
    X, y = make_classification(
        n_samples=60, n_features=4, weights=[0.9], random_state=0
    )
    assert np.bincount(y).min() < 10
    sampler = UncertaintySampler(n_mc_samples=5, random_state=0)
    sampler.fit_resample(X, y)
    last = sampler.estimator_.history_[-1]
    assert "valid_loss" not in last and "train_loss" in last
    assert len(sampler.estimator_.history_) < 200


def test_sampler_generator_by_name(small_budget, data):
    X, y = data
    sampler = UncertaintySampler(generator="vae", n_mc_samples=5, random_state=0)
    sampler.fit_resample(X, y)
    assert isinstance(sampler.generator_, TabularVAE)
    assert sampler.generator_.max_epochs == 6  # the named net's budget
    with pytest.raises(ValueError, match="generator"):
        UncertaintySampler(generator="smote").fit_resample(X, y)


def test_default_copula_is_fitted_on_the_classes_it_samples(data):
    X, y = data
    sampler = UncertaintySampler(n_mc_samples=5, random_state=0)
    sampler.fit_resample(X, y)
    minority = np.argmin(np.bincount(y))
    assert sampler.generator_.classes_.tolist() == [minority]


def test_sampler_leaves_the_users_nets_alone(small_budget, data):
    X, y = data
    sampler = UncertaintySampler(
        estimator=MCDropoutClassifier(max_epochs=4),
        generator=TabularVAE(max_epochs=8),
        n_mc_samples=5,
        random_state=0,
    )
    sampler.fit_resample(X, y)
    assert len(sampler.generator_.history_) == 8
    assert len(sampler.estimator_.history_) == 4
    assert sampler.generator.max_epochs == 8


@pytest.mark.parametrize("name", ["vae", "gan"])
def test_augmentor_named_nets_follow_the_budget(small_budget, data, name):
    X = pd.DataFrame(data[0], columns=[f"x{i}" for i in range(5)])
    augmentor = DriftAugmentor(generator=name, random_state=0).fit(X)
    # 300 rows, batch 64: 5 steps an epoch
    assert augmentor.generator_.max_epochs == 6
    assert len(augmentor.generator_.history_) == 6


def test_augmentor_leaves_a_users_net_alone(small_budget, data):
    X = np.asarray(data[0])
    augmentor = DriftAugmentor(generator=TabularVAE(max_epochs=3), random_state=0)
    augmentor.fit(X)
    assert len(augmentor.generator_.history_) == 3


# a 6-epoch VAE's pool is far from the data: the callback says so
@pytest.mark.filterwarnings("ignore:AdaptiveSynthesis.*drifted:UserWarning")
def test_callback_named_net_follows_the_budget(small_budget, data):
    X, y = data
    module = torch.nn.Sequential(
        torch.nn.Linear(5, 8),
        torch.nn.Dropout(0.2),
        torch.nn.Linear(8, 2),
        torch.nn.Softmax(dim=-1),
    )
    synthesis = AdaptiveSynthesis(generator="vae", random_state=0)
    net = NeuralNetClassifier(
        module, max_epochs=2, train_split=None, callbacks=[("synthesis", synthesis)]
    )
    net.fit(X.astype(np.float32), y.astype(np.int64))
    # fitted on the 300 training rows: 5 steps an epoch
    assert synthesis.generator_.max_epochs == 6


def test_auto_rule_takes_the_copula_below_5000_rows():
    from skaug.models._factory import resolve_name

    name, reason = resolve_name("auto", 4_999)
    assert name == "gaussian_copula" and "4999 training rows < 5000" in reason
    assert resolve_name("auto", 5_000)[0] == "vae"
    assert resolve_name("gan", 10) == ("gan", "gan")
