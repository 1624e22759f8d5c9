"""The generator protocol shared by skaug's generators (models/_generators.py)."""

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.exceptions import NotFittedError

from skaug.encoding import TabularEncoder
from skaug.models import CopulaGAN, GaussianCopula, TabularGAN, TabularVAE
from skaug.models._generators import fit_encoder


class _Owner:
    """The attributes fit_encoder reads and writes."""

    def __init__(self, encoder=None):
        self.encoder = encoder


def test_fit_encoder_sets_the_input_attributes():
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "x"]})
    owner = _Owner(TabularEncoder())
    Xt = fit_encoder(owner, X, default=None)
    assert owner.encoder_ is not owner.encoder  # a clone
    assert Xt.shape == (3, owner.encoder_.n_encoded_features_)
    assert owner.n_features_in_ == 2
    assert list(owner.feature_names_in_) == ["a", "b"]
    # refitted on an array: no stale column names
    fit_encoder(owner, np.arange(6.0).reshape(3, 2), default=None)
    assert not hasattr(owner, "feature_names_in_")


def test_fit_encoder_default_and_row_check():
    default = TabularEncoder()
    owner = _Owner()
    fit_encoder(owner, np.ones((2, 1)), default=default)
    assert owner.encoder_ is default
    with pytest.raises(ValueError, match="_Owner needs at least 2 samples"):
        fit_encoder(owner, np.ones((1, 1)), default=TabularEncoder())


def test_tabular_generator_sample():
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=40), "b": rng.choice(["u", "v"], 40)})
    y = np.repeat(["p", "q"], [30, 10])
    copula = GaussianCopula(random_state=0)
    with pytest.raises(NotFittedError):
        copula.sample(3)
    copula.fit(X, y)
    X_a, y_a = copula.sample(200, random_state=1)
    X_b, y_b = copula.sample(200, random_state=1)
    pd.testing.assert_frame_equal(X_a, X_b)
    np.testing.assert_array_equal(y_a, y_b)
    assert 0.6 < np.mean(y_a == "p") < 0.9  # drawn from class_prior_ (0.75)
    assert list(copula.sample(4, y="q", random_state=0)[1]) == ["q"] * 4
    with pytest.raises(ValueError, match="Unknown class"):
        copula.sample(2, y="r")


@pytest.mark.parametrize(
    "Net, lr", [(TabularVAE, 2e-3), (TabularGAN, 2e-4), (CopulaGAN, 2e-4)]
)
def test_generative_nets_defaults(Net, lr):
    params = Net().get_params(deep=False)
    expected = {
        "encoder": None,
        "optimizer": torch.optim.Adam,
        "lr": lr,
        "max_epochs": 300,
        "batch_size": 64,
        "train_split": None,
        "verbose": 0,
        "device": "cpu",
        "random_state": None,
    }
    assert {name: params[name] for name in expected} == expected
    assert Net(random_state=3, max_epochs=2).get_params()["random_state"] == 3
