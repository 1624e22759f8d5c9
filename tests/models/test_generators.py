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


# ---- what the front-ends and users need from sample() (issue 15, point 4)

SAMPLERS = {
    "GaussianCopula": lambda: GaussianCopula(random_state=0),
    "TabularVAE": lambda: TabularVAE(max_epochs=2, random_state=0),
    "TabularGAN": lambda: TabularGAN(max_epochs=2, random_state=0),
    "CopulaGAN": lambda: CopulaGAN(max_epochs=2, random_state=0),
}


@pytest.fixture(scope="module")
def labelled_table():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {
            "a": rng.normal(size=60),
            "b": pd.Categorical(rng.choice(["x", "y"], size=60)),
        }
    )
    return X, np.r_[np.zeros(50, int), np.ones(10, int)]


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_exact_counts_per_class_without_repeating_n(labelled_table, name):
    X, y = labelled_table
    model = SAMPLERS[name]().fit(X, y)
    X_new, y_new = model.sample(y={1: 7, 0: 3}, random_state=0)
    assert y_new.tolist() == [1] * 7 + [0] * 3 and len(X_new) == 10
    X_new, y_new = model.sample(y=np.array([0, 1, 1]), random_state=0)
    assert y_new.tolist() == [0, 1, 1] and len(X_new) == 3
    with pytest.raises(ValueError, match="n_samples is required"):
        model.sample()


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_sample_without_a_seed_follows_the_estimators_random_state(
    labelled_table, name
):
    # as GaussianMixture.sample: an int random_state gives the same rows on
    # every call; the call's own random_state still wins
    X, y = labelled_table
    model = SAMPLERS[name]().fit(X, y)
    first, _ = model.sample(20)
    again, _ = model.sample(20)
    pd.testing.assert_frame_equal(first, again)
    other, _ = model.sample(20, random_state=1)
    assert not first.equals(other)


@pytest.mark.parametrize("n_small", [1, 2, 5])
@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_tiny_classes_nan_and_categories_round_trip(name, n_small):
    # a class of 1-5 rows is learnt (not refused), and every generator gives
    # back the columns' kinds: categories from the training levels, missing
    # values only where the training column had some
    rng = np.random.RandomState(n_small)
    n = 40 + n_small
    X = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": pd.Categorical(rng.choice(["x", "y", "z"], size=n)),
            "c": np.where(rng.rand(n) < 0.3, np.nan, rng.normal(size=n)),
        }
    )
    y = np.r_[np.zeros(40, int), np.ones(n_small, int)]
    X_new, y_new = SAMPLERS[name]().fit(X, y).sample(y={1: 30}, random_state=0)
    assert y_new.tolist() == [1] * 30
    assert (X_new.dtypes == X.dtypes).all()
    assert set(X_new["b"].dropna()) <= {"x", "y", "z"}
    assert X_new["a"].notna().all() and np.isfinite(X_new["a"]).all()


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_sample_encoded_is_sample_before_decoding(labelled_table, name):
    # the same draws, one step earlier: decoding them gives sample()'s rows
    X, y = labelled_table
    model = SAMPLERS[name]().fit(X, y)
    Xt, y_enc = model.sample_encoded(y={1: 6, 0: 2}, random_state=3)
    X_new, y_new = model.sample(y={1: 6, 0: 2}, random_state=3)
    assert Xt.shape == (8, model.encoder_.n_encoded_features_)
    assert Xt.dtype == np.float64
    np.testing.assert_array_equal(y_enc, y_new)
    decoded = model.encoder_.inverse_transform(Xt)
    pd.testing.assert_frame_equal(decoded.reset_index(drop=True), X_new)
    assert model.sample_encoded(0, y=1)[0].shape == (0, Xt.shape[1])
