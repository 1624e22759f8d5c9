import pickle

import numpy as np
import pandas as pd
import pytest
import torch
from scipy.stats import ks_2samp
from sklearn.base import clone
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score
from skorch.dataset import ValidSplit

from skaug.encoding import TabularEncoder
from skaug.models import CopulaGAN, TabularGAN

# Wine has 178 rows: 3 mini-batches an epoch. A larger learning rate than the
# default 2e-4 reaches the quality bars in 100 epochs (a few seconds).
FAST = {"lr": 1e-3, "max_epochs": 100, "random_state": 0}


@pytest.fixture(scope="module")
def wine():
    return load_wine(return_X_y=True, as_frame=True)


@pytest.fixture(scope="module")
def fitted(wine):
    X, y = wine
    return {
        "TabularGAN": TabularGAN(**FAST).fit(X, y),
        "CopulaGAN": CopulaGAN(**FAST).fit(X, y),
    }


def _detection_auc(real, fake, random_state=0):
    """5-fold AUC of a classifier telling real rows from synthetic ones."""
    data = pd.concat([real, fake], ignore_index=True)
    label = np.r_[np.zeros(len(real)), np.ones(len(fake))]
    clf = RandomForestClassifier(n_estimators=100, random_state=random_state)
    cv = StratifiedKFold(5, shuffle=True, random_state=random_state)
    return cross_val_score(clf, data, label, cv=cv, scoring="roc_auc").mean()


def _mean_ks(real, fake):
    return np.mean([ks_2samp(real[c], fake[c]).statistic for c in real.columns])


@pytest.fixture(scope="module")
def noise_scores(wine):
    X, _ = wine
    rng = np.random.default_rng(0)
    X_noise = pd.DataFrame(
        rng.uniform(X.min(), X.max(), size=X.shape), columns=X.columns
    )
    return _detection_auc(X, X_noise), _mean_ks(X, X_noise)


@pytest.mark.parametrize("name", ["TabularGAN", "CopulaGAN"])
def test_quality_beats_uniform_noise_on_wine(wine, fitted, noise_scores, name):
    X, _ = wine
    X_gan, _ = fitted[name].sample(len(X), random_state=1)
    auc_gan, ks_gan = _detection_auc(X, X_gan), _mean_ks(X, X_gan)
    auc_noise, ks_noise = noise_scores
    # Uniform noise is separated almost perfectly (AUC ~0.97, KS ~0.27); the
    # GANs reach AUC 0.5-0.75 and KS 0.07-0.12 over seeds.
    assert auc_noise > 0.95
    assert auc_gan < auc_noise - 0.15, (auc_gan, auc_noise)
    assert ks_gan < 0.6 * ks_noise, (ks_gan, ks_noise)


@pytest.mark.parametrize("name", ["TabularGAN", "CopulaGAN"])
def test_conditional_sampling_gives_rows_of_the_requested_class(wine, fitted, name):
    X, y = wine
    clf = RandomForestClassifier(random_state=0).fit(X, y)
    gan = fitted[name]
    for k in gan.classes_:
        X_k, y_k = gan.sample(200, y=k, random_state=k)
        assert (y_k == k).all()
        hit_rate = (clf.predict(X_k) == k).mean()
        # chance is 1/3 on wine
        assert hit_rate > 0.85, (k, hit_rate)


def test_sample_draws_labels_from_class_prior_and_keeps_format(wine, fitted):
    X, y = wine
    gan = fitted["TabularGAN"]
    X_new, y_new = gan.sample(3000, random_state=0)
    expected = y.value_counts(normalize=True).sort_index().to_numpy()
    observed = pd.Series(y_new).value_counts(normalize=True).sort_index().to_numpy()
    np.testing.assert_allclose(observed, expected, atol=0.03)
    assert list(X_new.columns) == list(X.columns)
    assert (X_new.dtypes == X.dtypes).all()
    assert X_new.index.tolist() == list(range(3000))
    X_few, y_few = gan.sample(3, y=[2, 0, 1], random_state=0)
    assert X_few.shape == (3, X.shape[1]) and y_few.tolist() == [2, 0, 1]
    X_none, y_none = gan.sample(0, random_state=0)
    assert X_none.shape == (0, X.shape[1]) and len(y_none) == 0


def test_default_encoders():
    assert TabularGAN()._default_encoder().numeric_transform == "quantile"
    assert CopulaGAN()._default_encoder().numeric_transform == "quantile"


def test_copula_gan_stays_in_the_training_range(wine, fitted):
    X, _ = wine
    X_new, _ = fitted["CopulaGAN"].sample(1000, random_state=0)
    assert (X_new >= X.min()).all(axis=None) and (X_new <= X.max()).all(axis=None)


def _mixed_frame(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "f": rng.normal(size=n),
            "i": rng.integers(0, 10, n),
            "b": rng.random(n) < 0.3,
            "cat": pd.Categorical(
                rng.choice(["lo", "mid", "hi"], n, p=[0.6, 0.3, 0.1])
            ),
            "s": pd.Series(rng.choice(["x", "y"], n), dtype="string"),
        }
    )
    X.loc[rng.random(n) < 0.2, "f"] = np.nan
    return X


@pytest.mark.parametrize("Model", [TabularGAN, CopulaGAN])
def test_mixed_dataframe_round_trip_of_dtypes(Model):
    X = _mixed_frame()
    gan = Model(max_epochs=2, random_state=0).fit(X)
    X_new, y_new = gan.sample(500, random_state=0)
    assert y_new is None
    assert list(X_new.columns) == list(X.columns)
    pd.testing.assert_series_equal(X_new.dtypes, X.dtypes)
    assert X_new["cat"].cat.categories.equals(X["cat"].cat.categories)
    assert set(X_new["s"].unique()) <= {"x", "y"}
    assert X_new["i"].between(X["i"].min(), X["i"].max()).all()


def test_rates_of_levels_and_missing_values_are_reproduced():
    X = _mixed_frame()
    gan = TabularGAN(lr=1e-3, max_epochs=60, random_state=0).fit(X)
    X_new, _ = gan.sample(4000, random_state=0)
    # levels and missing values are drawn from the softmax of the generator's
    # logits; over seeds the rates land within 0.07 of the data's
    assert X_new["f"].isna().mean() == pytest.approx(X["f"].isna().mean(), abs=0.1)
    assert X_new["b"].mean() == pytest.approx(X["b"].mean(), abs=0.1)
    for column, level in [("cat", "hi"), ("cat", "lo"), ("s", "x")]:
        expected = (X[column] == level).mean()
        assert (X_new[column] == level).mean() == pytest.approx(expected, abs=0.1)


def test_same_seed_same_samples_and_global_rng_untouched(wine):
    X, y = wine
    torch_state = torch.get_rng_state()
    np_state = np.random.get_state()[1].copy()
    a = TabularGAN(max_epochs=2, random_state=42).fit(X, y)
    b = TabularGAN(max_epochs=2, random_state=42).fit(X, y)
    assert torch.equal(torch_state, torch.get_rng_state())
    np.testing.assert_array_equal(np_state, np.random.get_state()[1])
    assert a.history[:, "train_loss"] == b.history[:, "train_loss"]
    Xa, ya = a.sample(50, random_state=7)
    Xb, yb = b.sample(50, random_state=7)
    pd.testing.assert_frame_equal(Xa, Xb)
    np.testing.assert_array_equal(ya, yb)
    assert torch.equal(torch_state, torch.get_rng_state())
    Xc, _ = a.sample(50, random_state=8)
    assert not Xa.equals(Xc)
    c = TabularGAN(max_epochs=2, random_state=43).fit(X, y)
    assert not Xa.equals(c.sample(50, random_state=7)[0])


def test_clone_and_pickle(wine, fitted):
    gan = fitted["CopulaGAN"]
    cloned = clone(gan)
    assert type(cloned) is CopulaGAN
    assert cloned.get_params()["lr"] == FAST["lr"]
    assert not hasattr(cloned, "encoder_") and not hasattr(cloned, "critic_")
    restored = pickle.loads(pickle.dumps(gan))
    pd.testing.assert_frame_equal(
        restored.sample(20, random_state=3)[0], gan.sample(20, random_state=3)[0]
    )


def test_loss_history_and_modules(wine, fitted):
    gan = fitted["TabularGAN"]
    batch = gan.history[-1, "batches", 0]
    assert {"critic_loss", "gradient_penalty", "wasserstein", "generator_loss"} <= set(
        batch
    )
    assert batch["train_loss"] == batch["generator_loss"]
    losses = np.array(gan.history[:, "batches", :, "critic_loss"], dtype=float)
    assert np.isfinite(losses).all()
    # each optimizer owns its own module's parameters
    generator_params = {id(p) for p in gan.module_.parameters()}
    critic_params = {id(p) for p in gan.critic_.parameters()}
    assert {id(p) for p in gan.optimizer_.param_groups[0]["params"]} == (
        generator_params
    )
    assert {id(p) for p in gan.critic_optimizer_.param_groups[0]["params"]} == (
        critic_params
    )
    assert gan.optimizer_.param_groups[0]["betas"] == (0.5, 0.9)
    assert gan.critic_optimizer_.param_groups[0]["betas"] == (0.5, 0.9)
    # 13 features + 3 one-hot classes into the critic
    assert gan.critic_.layers[0].in_features == 16
    assert not hasattr(gan, "predict") and not hasattr(gan, "predict_proba")


def test_module_and_optimizer_arguments(wine):
    X, y = wine
    gan = TabularGAN(
        max_epochs=1,
        random_state=0,
        module__latent_dim=8,
        critic__hidden_units=(16,),
        critic__pac=4,
        optimizer__betas=(0.0, 0.99),
        critic_optimizer__lr=1e-3,
        train_split=ValidSplit(5),
    ).fit(X, y)
    assert gan.module_.latent_dim == 8
    assert gan.critic_.layers[0].out_features == 16
    assert gan.optimizer_.param_groups[0]["betas"] == (0.0, 0.99)
    assert gan.critic_optimizer_.param_groups[0]["betas"] == (0.0, 0.99)
    assert gan.critic_optimizer_.param_groups[0]["lr"] == 1e-3
    assert gan.optimizer_.param_groups[0]["lr"] == 2e-4
    assert np.isfinite(gan.history[-1, "valid_loss"])
    gan.set_params(critic__hidden_units=(8, 8))
    assert gan.critic_.layers[0].out_features == 8
    sgd = TabularGAN(max_epochs=1, optimizer=torch.optim.SGD, random_state=0)
    assert isinstance(sgd.fit(X).critic_optimizer_, torch.optim.SGD)


def test_declared_categorical_encoder_is_used():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"code": rng.integers(0, 3, 100), "v": rng.normal(size=100)})
    gan = TabularGAN(
        encoder=TabularEncoder(categorical_features=["code"]),
        max_epochs=2,
        random_state=0,
    ).fit(X)
    X_new, _ = gan.sample(30, random_state=0)
    assert set(X_new["code"].unique()) <= {0, 1, 2}
    assert X_new["code"].dtype == X["code"].dtype


def test_errors(wine, fitted):
    X, y = wine
    gan = fitted["TabularGAN"]
    with pytest.raises(ValueError, match="Unknown class"):
        gan.sample(3, y=7)
    with pytest.raises(ValueError, match="one label or 3 labels"):
        gan.sample(3, y=[0, 1])
    with pytest.raises(ValueError, match="n_samples"):
        gan.sample(-1)
    unconditional = TabularGAN(max_epochs=1, random_state=0).fit(X)
    with pytest.raises(ValueError, match="unconditional"):
        unconditional.sample(3, y=0)
    with pytest.raises(ValueError, match="needs y"):
        gan.partial_fit(X)
    with pytest.raises(ValueError, match="different numbers of rows"):
        TabularGAN(max_epochs=1).fit(X, [0, 1])
    with pytest.raises(ValueError, match="at least 2 samples"):
        TabularGAN(max_epochs=1).fit(X.iloc[:1])
    with pytest.raises(ValueError, match="n_critic"):
        TabularGAN(n_critic=0).fit(X, y)
    with pytest.raises(ValueError, match="gradient_penalty"):
        CopulaGAN(gradient_penalty=-1.0).fit(X, y)
    with pytest.raises(AttributeError, match="call fit"):
        TabularGAN().initialize()


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_fit_and_sample(wine):
    X, y = wine
    gan = TabularGAN(max_epochs=3, device="cuda", random_state=0).fit(X, y)
    assert next(gan.module_.parameters()).is_cuda
    assert next(gan.critic_.parameters()).is_cuda
    X_new, y_new = gan.sample(10, random_state=0)
    assert X_new.shape == (10, X.shape[1])
    # the sampling noise is drawn on the CPU: the same seed, the same noise
    again = gan.sample(10, random_state=0)[0]
    pd.testing.assert_frame_equal(X_new, again)
