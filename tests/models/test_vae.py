import pickle

import numpy as np
import pandas as pd
import pytest
import torch
from scipy.stats import ks_2samp
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score

from skaug.encoding import TabularEncoder
from skaug.models import TabularVAE


@pytest.fixture(scope="module")
def wine():
    return load_wine(return_X_y=True, as_frame=True)


@pytest.fixture(scope="module")
def fitted_wine_vae(wine):
    X, y = wine
    return TabularVAE(random_state=0).fit(X, y)


def _detection_auc(real, fake, random_state=0):
    """5-fold AUC of a classifier telling real rows from synthetic ones."""
    data = pd.concat([real, fake], ignore_index=True)
    label = np.r_[np.zeros(len(real)), np.ones(len(fake))]
    clf = RandomForestClassifier(n_estimators=100, random_state=random_state)
    cv = StratifiedKFold(5, shuffle=True, random_state=random_state)
    return cross_val_score(clf, data, label, cv=cv, scoring="roc_auc").mean()


def _mean_ks(real, fake):
    return np.mean([ks_2samp(real[c], fake[c]).statistic for c in real.columns])


def test_vae_quality_beats_uniform_noise_on_breast_cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    vae = TabularVAE(random_state=0).fit(X, y)
    X_vae, _ = vae.sample(len(X), random_state=1)

    rng = np.random.default_rng(0)
    X_noise = pd.DataFrame(
        rng.uniform(X.min(), X.max(), size=X.shape), columns=X.columns
    )
    auc_vae, auc_noise = _detection_auc(X, X_vae), _detection_auc(X, X_noise)
    ks_vae, ks_noise = _mean_ks(X, X_vae), _mean_ks(X, X_noise)
    # Uniform noise is separated almost perfectly; VAE rows must be clearly harder
    # to tell apart and have close marginals.
    assert auc_noise > 0.95
    assert auc_vae < auc_noise - 0.1
    assert ks_vae < 0.15
    assert ks_vae < ks_noise / 2


def test_conditional_sampling_gives_rows_of_the_requested_class(wine, fitted_wine_vae):
    X, y = wine
    clf = RandomForestClassifier(random_state=0).fit(X, y)
    for k in fitted_wine_vae.classes_:
        X_k, y_k = fitted_wine_vae.sample(200, y=k, random_state=k)
        assert (y_k == k).all()
        hit_rate = (clf.predict(X_k) == k).mean()
        # chance is 1/3 on wine
        assert hit_rate > 0.85, (k, hit_rate)


def test_sample_draws_labels_from_class_prior(wine, fitted_wine_vae):
    _, y = wine
    _, y_new = fitted_wine_vae.sample(3000, random_state=0)
    expected = y.value_counts(normalize=True).sort_index().to_numpy()
    observed = pd.Series(y_new).value_counts(normalize=True).sort_index().to_numpy()
    np.testing.assert_allclose(observed, expected, atol=0.03)


def test_sample_keeps_dataframe_format(wine, fitted_wine_vae):
    X, _ = wine
    X_new, y_new = fitted_wine_vae.sample(7, y=[0, 1, 2, 0, 1, 2, 0], random_state=0)
    assert isinstance(X_new, pd.DataFrame)
    assert list(X_new.columns) == list(X.columns)
    assert (X_new.dtypes == X.dtypes).all()
    assert X_new.index.tolist() == list(range(7))
    assert y_new.tolist() == [0, 1, 2, 0, 1, 2, 0]


def test_missing_rate_is_reproduced():
    rng = np.random.default_rng(0)
    n = 2000
    X = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "c": rng.choice(["x", "y", "z"], size=n),
        }
    )
    X.loc[rng.random(n) < 0.1, "a"] = np.nan
    vae = TabularVAE(max_epochs=40, random_state=0).fit(X)
    X_new, y_new = vae.sample(4000, random_state=0)
    assert y_new is None
    assert X_new["a"].isna().mean() == pytest.approx(0.1, abs=0.03)
    assert X_new["b"].notna().all()
    assert set(X_new["c"].unique()) <= {"x", "y", "z"}


def test_same_seed_same_samples_and_global_rng_untouched(wine):
    X, y = wine
    state = torch.get_rng_state()
    a = TabularVAE(max_epochs=3, random_state=42).fit(X, y)
    b = TabularVAE(max_epochs=3, random_state=42).fit(X, y)
    assert torch.equal(state, torch.get_rng_state())
    Xa, ya = a.sample(50, random_state=7)
    Xb, yb = b.sample(50, random_state=7)
    pd.testing.assert_frame_equal(Xa, Xb)
    np.testing.assert_array_equal(ya, yb)
    np.testing.assert_array_equal(a.encode(X, y), b.encode(X, y))
    Xc, _ = a.sample(50, random_state=8)
    assert not Xa.equals(Xc)


def test_clone_and_pickle(wine, fitted_wine_vae):
    X, y = wine
    cloned = clone(fitted_wine_vae)
    assert cloned.get_params()["random_state"] == 0
    assert not hasattr(cloned, "encoder_")
    restored = pickle.loads(pickle.dumps(fitted_wine_vae))
    pd.testing.assert_frame_equal(
        restored.sample(20, random_state=3)[0],
        fitted_wine_vae.sample(20, random_state=3)[0],
    )


def test_encode_decode_shapes(wine, fitted_wine_vae):
    X, y = wine
    Z = fitted_wine_vae.encode(X, y)
    assert Z.shape == (len(X), 32)
    X_dec = fitted_wine_vae.decode(Z[:5], y[:5])
    assert X_dec.shape == (5, X.shape[1])
    with pytest.raises(ValueError, match="needs y"):
        fitted_wine_vae.encode(X)


def test_decode_tensor_is_differentiable(wine, fitted_wine_vae):
    z = torch.zeros(4, 32, requires_grad=True)
    c = torch.eye(3)[[0, 1, 2, 0]]
    out = fitted_wine_vae.decode_tensor(z, c)
    assert out.shape == (4, fitted_wine_vae.encoder_.n_encoded_features_)
    out.sum().backward()
    assert torch.isfinite(z.grad).all() and z.grad.abs().sum() > 0


def test_categorical_blocks_of_decode_tensor_are_probabilities():
    X = pd.DataFrame({"n": np.arange(40.0), "c": list("abcd") * 10})
    vae = TabularVAE(max_epochs=2, random_state=0).fit(X)
    out = vae.decode_tensor(torch.randn(5, 32))
    for span in vae.encoder_.spans_:
        if span.kind == "categorical":
            block = out[:, span.start : span.stop]
            torch.testing.assert_close(block.sum(dim=1), torch.ones(5))


def test_label_errors(wine, fitted_wine_vae):
    with pytest.raises(ValueError, match="Unknown class"):
        fitted_wine_vae.sample(3, y=7)
    X, _ = wine
    unconditional = TabularVAE(max_epochs=1, random_state=0).fit(X)
    with pytest.raises(ValueError, match="unconditional"):
        unconditional.sample(3, y=0)
    with pytest.raises(ValueError, match="different numbers of rows"):
        TabularVAE(max_epochs=1).fit(X, [0, 1])
    with pytest.raises(ValueError, match="at least 2 samples"):
        TabularVAE(max_epochs=1).fit(X.iloc[:1])


def test_invalid_parameter_is_named(wine):
    X, y = wine
    with pytest.raises(ValueError, match="max_epochs"):
        TabularVAE(max_epochs=0).fit(X, y)


def test_extra_loss_term_hook_is_added_and_recorded(wine):
    class PenalisedVAE(TabularVAE):
        def get_loss_terms(self, y_pred, X, training=False):
            terms = super().get_loss_terms(y_pred, X, training=training)
            terms["latent_norm"] = y_pred[1].pow(2).mean()
            return terms

    X, y = wine
    vae = PenalisedVAE(max_epochs=2, random_state=0).fit(X, y)
    batch = vae.history[-1, "batches", 0]
    assert {"reconstruction", "kl", "latent_norm"} <= set(batch)
    assert batch["train_loss"] == pytest.approx(
        batch["reconstruction"] + batch["kl"] + batch["latent_norm"], rel=1e-5
    )


def test_declared_categorical_encoder_is_used():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"code": rng.integers(0, 3, 100), "v": rng.normal(size=100)})
    vae = TabularVAE(
        encoder=TabularEncoder(categorical_features=["code"]),
        max_epochs=2,
        random_state=0,
    ).fit(X)
    X_new, _ = vae.sample(30, random_state=0)
    assert set(X_new["code"].unique()) <= {0, 1, 2}
    assert X_new["code"].dtype == X["code"].dtype


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_fit_and_sample(wine):
    X, y = wine
    vae = TabularVAE(max_epochs=3, device="cuda", random_state=0).fit(X, y)
    assert next(vae.module_.parameters()).is_cuda
    X_new, y_new = vae.sample(10, random_state=0)
    assert X_new.shape == (10, X.shape[1])
