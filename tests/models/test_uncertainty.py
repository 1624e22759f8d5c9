"""Behaviour shared by the four uncertainty nets (MC dropout and Bayesian)."""

import pickle

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.utils._param_validation import InvalidParameterError
from skorch.dataset import ValidSplit

import skaug.models._mc_passes as mc_passes_module
from skaug.models._bayesian import BayesianClassifier, BayesianRegressor
from skaug.models._mc_dropout import MCDropoutClassifier, MCDropoutRegressor
from skaug.models._mc_passes import (
    classification_uncertainty,
    regression_uncertainty,
)

CLASSIFIERS = [MCDropoutClassifier, BayesianClassifier]
REGRESSORS = [MCDropoutRegressor, BayesianRegressor]
ALL = CLASSIFIERS + REGRESSORS

# small, fast settings; enough to learn the 2-D blobs and the 1-D sine
FAST = {
    "max_epochs": 30,
    "lr": 1e-2,
    "batch_size": 64,
    "module__hidden_units": (32, 32),
    "n_mc_samples": 20,
}
TINY = {"max_epochs": 3, "lr": 1e-2, "module__hidden_units": (8,), "n_mc_samples": 5}


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    # tiny nets gain nothing from intra-op threads, and on a busy machine
    # OpenMP's spinning threads slow them down by orders of magnitude
    n_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n_threads)


def make(Est, settings=FAST, **params):
    extra = {"module__dropout": 0.2} if Est.__name__.startswith("MCDropout") else {}
    return Est(**{**settings, **extra, **params})


def blobs(seed=0, n=100):
    rng = np.random.RandomState(seed)
    X = np.vstack(
        [rng.normal([-2.0, 0.0], 0.5, (n, 2)), rng.normal([2.0, 0.0], 0.5, (n, 2))]
    )
    return X, np.repeat([0, 1], n)


def sine(seed=0, n=200):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-2, 2, (n, 1))
    return X, np.sin(X[:, 0]) + 0.1 * rng.randn(n)


def data_for(Est, seed=0):
    return blobs(seed) if Est in CLASSIFIERS else sine(seed)


@pytest.fixture(scope="module")
def fitted_classifiers():
    X, y = blobs()
    return {Est: make(Est, random_state=0).fit(X, y) for Est in CLASSIFIERS}


@pytest.fixture(scope="module")
def fitted_regressors():
    X, y = sine()
    return {Est: make(Est, random_state=0).fit(X, y) for Est in REGRESSORS}


@pytest.fixture(scope="module")
def fitted(fitted_classifiers, fitted_regressors):
    return {**fitted_classifiers, **fitted_regressors}


# --------------------------------------------------------------------------
# the uncertainty is where it should be
# --------------------------------------------------------------------------

angles = np.linspace(0, 2 * np.pi, 24, endpoint=False)
FAR = 12 * np.c_[np.cos(angles), np.sin(angles)]
INSIDE = np.array([[-2.0, 0.0], [2.0, 0.0], [-2.3, 0.2], [2.3, -0.2]])
BOUNDARY = np.c_[np.zeros(5), np.linspace(-1, 1, 5)]


@pytest.mark.parametrize("metric", ["variance", "entropy", "bald"])
@pytest.mark.parametrize("Est", CLASSIFIERS)
def test_classifier_uncertainty_high_off_data_and_on_boundary(
    fitted_classifiers, Est, metric
):
    est = fitted_classifiers[Est]
    inside, boundary, far = (
        est.predict_uncertainty(P, metric=metric).mean()
        for P in (INSIDE, BOUNDARY, FAR)
    )
    # checked over 12 seeds: the smallest ratio is ~2.2 (BNN, entropy, far)
    assert far > 1.5 * inside
    assert boundary > 1.5 * inside
    X, y = blobs()
    assert est.score(X, y) > 0.95


@pytest.mark.parametrize("metric", ["variance", "entropy"])
@pytest.mark.parametrize("Est", REGRESSORS)
def test_regressor_uncertainty_higher_far_from_data(fitted_regressors, Est, metric):
    est = fitted_regressors[Est]
    inside = np.linspace(-1.5, 1.5, 7)[:, None]
    far = np.array([[-12.0], [-10.0], [10.0], [12.0]])
    u_inside = est.predict_uncertainty(inside, metric=metric)
    u_far = est.predict_uncertainty(far, metric=metric)
    assert u_far.mean() > u_inside.mean()
    assert u_far.min() > u_inside.max()
    X, y = sine()
    assert est.score(X, y) > 0.8


def test_metrics_on_known_passes():
    # two passes, one row, two classes: certain but disagreeing passes
    proba = torch.tensor([[[1.0, 0.0]], [[0.0, 1.0]]], dtype=torch.float64)
    np.testing.assert_allclose(classification_uncertainty(proba, "variance"), [0.25])
    np.testing.assert_allclose(
        classification_uncertainty(proba, "entropy"), [np.log(2)]
    )
    np.testing.assert_allclose(classification_uncertainty(proba, "bald"), [np.log(2)])
    # agreeing but uncertain passes: entropy high, BALD zero
    proba = torch.full((3, 1, 2), 0.5, dtype=torch.float64)
    np.testing.assert_allclose(classification_uncertainty(proba, "variance"), [0.0])
    np.testing.assert_allclose(classification_uncertainty(proba, "bald"), [0.0])
    pred = torch.tensor([[[1.0]], [[3.0]]], dtype=torch.float64)
    np.testing.assert_allclose(regression_uncertainty(pred, "variance"), [1.0])
    np.testing.assert_allclose(
        regression_uncertainty(pred, "entropy"), [0.5 * np.log(2 * np.pi * np.e)]
    )


# --------------------------------------------------------------------------
# outputs
# --------------------------------------------------------------------------


@pytest.mark.parametrize("Est", CLASSIFIERS)
def test_classifier_outputs(fitted, Est):
    est = fitted[Est]
    X, _ = blobs()
    proba = est.predict_proba(X[:7])
    assert proba.shape == (7, 2) and proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert set(est.predict(X)) <= {0, 1}
    for metric in ["variance", "entropy", "bald"]:
        u = est.predict_uncertainty(X[:7], metric=metric)
        assert u.shape == (7,) and u.dtype == np.float64 and (u >= 0).all()
    assert is_classifier(est) and est.__sklearn_tags__().estimator_type == "classifier"


@pytest.mark.parametrize("Est", REGRESSORS)
def test_regressor_outputs(fitted, Est):
    est = fitted[Est]
    X, _ = sine()
    pred = est.predict(X[:7])
    assert pred.shape == (7,) and pred.dtype == np.float64
    mean, std = est.predict(X[:7], return_std=True)
    np.testing.assert_array_equal(mean, pred)
    assert std.shape == (7,) and (std >= 0).all()
    var = est.predict_uncertainty(X[:7], metric="variance")
    np.testing.assert_allclose(var, std**2, rtol=1e-4, atol=1e-9)
    assert is_regressor(est) and not hasattr(est, "predict_proba")


@pytest.mark.parametrize("Est", ALL)
def test_uncertainty_tensor_is_differentiable_wrt_input(fitted, Est):
    est = fitted[Est]
    X, _ = data_for(Est)
    for param in est.module_.parameters():  # frozen, as the VAE does
        param.requires_grad_(False)
    try:
        Xt = torch.tensor(X[:16], dtype=torch.float32, requires_grad=True)
        metrics = ["variance", "entropy"] + (["bald"] if Est in CLASSIFIERS else [])
        for metric in metrics:
            Xt.grad = None
            u = est.uncertainty_tensor(Xt, metric=metric)
            assert u.shape == (16,) and u.requires_grad
            u.mean().backward()
            assert torch.isfinite(Xt.grad).all()
            assert Xt.grad.abs().sum() > 0
    finally:
        for param in est.module_.parameters():
            param.requires_grad_(True)


@pytest.mark.parametrize("Est", ALL)
def test_uncertainty_tensor_matches_predict_uncertainty(fitted, Est):
    est = fitted[Est]
    X, _ = data_for(Est)
    expected = est.predict_uncertainty(X[:20], metric="entropy")
    with est._seeded():  # the same seed as predict_uncertainty draws
        got = est.uncertainty_tensor(
            torch.tensor(X[:20], dtype=torch.float32), metric="entropy"
        )
    np.testing.assert_allclose(got.detach().numpy(), expected, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("Est", ALL)
def test_row_results_do_not_depend_on_the_batch(fitted, Est, monkeypatch):
    # every pass draws one network shared by all rows, and every chunk sees
    # the same networks: subsets, permutations and chunking change nothing
    # (up to float32 rounding: batched matrix products may sum in another
    # order for another number of rows)
    est = fitted[Est]
    X, _ = data_for(Est)
    full = est.predict_uncertainty(X)
    close = {"rtol": 1e-5, "atol": 1e-9}
    perm = np.random.RandomState(0).permutation(len(X))
    np.testing.assert_allclose(est.predict_uncertainty(X[perm]), full[perm], **close)
    np.testing.assert_allclose(est.predict_uncertainty(X[5:9]), full[5:9], **close)

    calls = []
    hook = est.module_.register_forward_hook(lambda m, i, o: calls.append(i[0].shape))
    try:
        # 20 passes x 50 rows per forward call -> 4 chunks for 200 rows
        monkeypatch.setattr(mc_passes_module, "MAX_ROWS_PER_FORWARD", 1000)
        np.testing.assert_allclose(est.predict_uncertainty(X), full, **close)
    finally:
        hook.remove()
    assert calls == [(20, 50, X.shape[1])] * 4


# --------------------------------------------------------------------------
# randomness
# --------------------------------------------------------------------------


@pytest.mark.parametrize("Est", ALL)
def test_same_random_state_same_outputs(Est):
    X, y = data_for(Est)
    a = make(Est, TINY, random_state=3).fit(X, y)
    b = make(Est, TINY, random_state=3).fit(X, y)
    c = make(Est, TINY, random_state=4).fit(X, y)
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    np.testing.assert_array_equal(a.predict_uncertainty(X), b.predict_uncertainty(X))
    np.testing.assert_array_equal(a.predict_uncertainty(X), a.predict_uncertainty(X))
    if Est in CLASSIFIERS:
        np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert not np.array_equal(a.predict_uncertainty(X), c.predict_uncertainty(X))


@pytest.mark.parametrize("Est", ALL)
def test_global_rngs_untouched(Est):
    X, y = data_for(Est)
    torch_state, np_state = torch.get_rng_state(), np.random.get_state()
    est = make(Est, TINY, random_state=0).fit(X, y)
    est.predict(X)
    est.predict_uncertainty(X)
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert np.array_equal(np.random.get_state()[1], np_state[1])


@pytest.mark.parametrize("Est", ALL)
def test_uncertainty_tensor_follows_the_callers_rng(fitted, Est):
    est = fitted[Est]
    X, _ = data_for(Est)
    Xt = torch.tensor(X, dtype=torch.float32)
    results = []
    for _ in range(2):
        with torch.random.fork_rng():
            torch.manual_seed(0)
            results.append(est.uncertainty_tensor(Xt))
    torch.testing.assert_close(results[0], results[1], rtol=0, atol=0)


def test_random_state_instance_moves_on():
    X, y = blobs()
    est = make(MCDropoutClassifier, TINY, random_state=np.random.RandomState(0)).fit(
        X, y
    )
    assert not np.array_equal(est.predict_uncertainty(X), est.predict_uncertainty(X))


# --------------------------------------------------------------------------
# scikit-learn API
# --------------------------------------------------------------------------


@pytest.mark.parametrize("Est", ALL)
def test_defaults(Est):
    # a net's __init__ names its module and criterion; the shared defaults
    # come from UncertaintyNetMixin and SkaugNetMixin
    params = Est().get_params(deep=False)
    expected = {
        "optimizer": torch.optim.Adam,
        "lr": 1e-3,
        "max_epochs": 100,
        "batch_size": 128,
        "train_split": None,
        "verbose": 0,
        "device": "cpu",
        "n_mc_samples": 20,
        "uncertainty_metric": "variance",
        "random_state": None,
    }
    assert {name: params[name] for name in expected} == expected
    criterion = torch.nn.CrossEntropyLoss if is_classifier(Est()) else torch.nn.MSELoss
    assert params["criterion"] is criterion
    bayesian = Est.__name__.startswith("Bayesian")
    assert params.get("kl_weight") == (1.0 if bayesian else None)
    assert Est(random_state=3, lr=0.1).get_params()["random_state"] == 3


@pytest.mark.parametrize("Est", ALL)
def test_clone_and_pickle_reproduce_outputs(Est):
    X, y = data_for(Est)
    est = make(Est, TINY, random_state=0).fit(X, y)
    params = est.get_params(deep=False)
    assert "_params_to_validate" not in params

    restored = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(restored.predict(X), est.predict(X))
    np.testing.assert_array_equal(
        restored.predict_uncertainty(X), est.predict_uncertainty(X)
    )

    cloned = clone(est)
    assert not hasattr(cloned, "n_features_in_")
    assert cloned.get_params(deep=False).keys() == params.keys()
    assert cloned.module__hidden_units == TINY["module__hidden_units"]
    cloned.fit(X, y)
    np.testing.assert_array_equal(
        cloned.predict_uncertainty(X), est.predict_uncertainty(X)
    )


def test_grid_search_and_cross_val_score():
    X, y = blobs(n=40)
    search = GridSearchCV(
        make(MCDropoutClassifier, TINY, random_state=0),
        {"module__hidden_units": [(4,), (8,)], "lr": [1e-2, 5e-2]},
        cv=2,
    ).fit(X, y)
    assert search.best_params_["module__hidden_units"] in [(4,), (8,)]
    assert search.best_estimator_.predict_uncertainty(X).shape == (80,)

    X, y = sine(n=60)
    scores = cross_val_score(make(BayesianRegressor, TINY, random_state=0), X, y, cv=2)
    assert scores.shape == (2,)


@pytest.mark.parametrize("Est", [MCDropoutClassifier, MCDropoutRegressor])
def test_set_params_module_dropout(Est):
    X, y = data_for(Est)
    est = make(Est, TINY, random_state=0).fit(X, y)
    assert est.predict_uncertainty(X).max() > 0
    # on a fitted net, skorch re-initialises the module
    est.set_params(module__dropout=0.0)
    assert est.get_params()["module__dropout"] == 0.0
    est.fit(X, y)
    np.testing.assert_allclose(est.predict_uncertainty(X, metric="variance"), 0.0)


def test_set_params_module_prior_sigma():
    X, y = blobs(n=30)
    est = make(BayesianClassifier, TINY, random_state=0)
    est.set_params(module__prior_sigma=0.5, kl_weight=0.1).fit(X, y)
    assert all(
        layer.prior_sigma == 0.5
        for layer in est.module_.modules()
        if hasattr(layer, "prior_sigma")
    )


def test_labels_round_trip():
    X, y = blobs(n=30)
    labels = np.array(["cat", "dog"])[y]
    for y_in in (labels, pd.Series(labels), labels.astype(object)):
        est = make(MCDropoutClassifier, TINY, random_state=0).fit(X, y_in)
        assert list(est.classes_) == ["cat", "dog"]
        assert set(est.predict(X)) <= {"cat", "dog"}
    est = make(MCDropoutClassifier, random_state=0).fit(X, pd.Series(labels))
    np.testing.assert_array_equal(est.predict(X), labels)

    est = make(BayesianClassifier, TINY, random_state=0).fit(X, y.astype(float) + 1)
    assert est.classes_.dtype == np.float64
    assert set(est.predict(X)) <= {1.0, 2.0}

    three = np.where(np.arange(len(y)) % 3 == 0, 7, y)
    est = make(MCDropoutClassifier, TINY, random_state=0).fit(X, three)
    assert list(est.classes_) == [0, 1, 7]
    assert est.predict_proba(X).shape == (len(X), 3)


def test_internal_validation_split_scores_original_labels():
    X, y = blobs(n=40)
    labels = np.array(["cat", "dog"])[y]
    est = make(MCDropoutClassifier, train_split=ValidSplit(4, stratified=True))
    est.set_params(random_state=0).fit(X, labels)
    assert est.history[-1, "valid_acc"] > 0.9


def test_partial_fit_keeps_declared_classes():
    X, y = blobs(n=30)
    est = make(MCDropoutClassifier, TINY, random_state=0)
    est.partial_fit(X[y == 0], y[y == 0], classes=[0, 1, 2])
    est.partial_fit(X, y)
    assert list(est.classes_) == [0, 1, 2]
    with pytest.raises(ValueError, match="not among the classes"):
        est.partial_fit(X, y + 5)
    with pytest.raises(ValueError, match="features"):
        est.partial_fit(X[:, :1], y)


def test_dataframe_input():
    X, y = blobs(n=30)
    df = pd.DataFrame(X, columns=["a", "b"])
    est = make(MCDropoutClassifier, TINY, random_state=0).fit(df, y)
    assert list(est.feature_names_in_) == ["a", "b"]
    with pytest.warns(UserWarning, match="feature names"):
        from_array = est.predict_proba(df.values)
    np.testing.assert_array_equal(est.predict_proba(df), from_array)
    with pytest.raises(ValueError, match="not numeric.*TabularEncoder"):
        est.fit(df.assign(c=["x"] * len(df)), y)
    with pytest.raises(ValueError, match="feature names should match"):
        est.predict(df[["a"]])


# --------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize("Est", CLASSIFIERS)
def test_one_class_raises(Est):
    X, _ = blobs(n=10)
    with pytest.raises(ValueError, match="at least 2 classes.*only one class"):
        make(Est, TINY).fit(X, np.zeros(len(X)))


@pytest.mark.parametrize("Est", ALL)
def test_bad_input_raises(Est):
    X, y = data_for(Est)
    est = make(Est, TINY)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        est.fit(X, y[:-1])
    X_nan = X.copy()
    X_nan[3, 0] = np.nan
    with pytest.raises(ValueError, match="NaN.*TabularEncoder"):
        est.fit(X_nan, y)
    X_inf = X.copy()
    X_inf[3, 0] = -np.inf
    with pytest.raises(ValueError, match="inf"):
        est.fit(X_inf, y)
    est.fit(X, y)
    with pytest.raises(ValueError, match="NaN"):
        est.predict(X_nan)
    assert not np.isnan(X).any()  # inputs are not modified


def test_continuous_labels_raise():
    X, _ = blobs(n=10)
    with pytest.raises(ValueError, match="Unknown label type"):
        make(MCDropoutClassifier, TINY).fit(X, np.linspace(0, 1, len(X)))


@pytest.mark.parametrize("Est", ALL)
@pytest.mark.parametrize(
    "params, name",
    [
        ({"n_mc_samples": 0}, "n_mc_samples"),
        ({"n_mc_samples": 2.5}, "n_mc_samples"),
        ({"uncertainty_metric": "mutual"}, "uncertainty_metric"),
        ({"random_state": "zero"}, "random_state"),
    ],
)
def test_invalid_params_name_the_parameter(Est, params, name):
    X, y = data_for(Est)
    with pytest.raises(InvalidParameterError, match=name):
        make(Est, TINY, **params).fit(X, y)


@pytest.mark.parametrize("Est", [BayesianClassifier, BayesianRegressor])
def test_invalid_kl_weight(Est):
    X, y = data_for(Est)
    with pytest.raises(InvalidParameterError, match="kl_weight"):
        make(Est, TINY, kl_weight=-1.0).fit(X, y)


@pytest.mark.parametrize("Est", REGRESSORS)
def test_bald_is_for_classifiers(fitted, Est):
    X, y = sine()
    with pytest.raises(ValueError, match="uncertainty_metric.*classifiers"):
        make(Est, TINY, uncertainty_metric="bald").fit(X, y)
    with pytest.raises(ValueError, match="metric='bald'.*classifiers"):
        fitted[Est].predict_uncertainty(X, metric="bald")


@pytest.mark.parametrize("Est", ALL)
def test_invalid_prediction_arguments(fitted, Est):
    est = fitted[Est]
    X, _ = data_for(Est)
    with pytest.raises(ValueError, match="n_samples"):
        est.predict_uncertainty(X, n_samples=0)
    with pytest.raises(ValueError, match="metric must be one of"):
        est.predict_uncertainty(X, metric="mutual")
    with pytest.raises(TypeError, match="torch.Tensor"):
        est.uncertainty_tensor(X)
    with pytest.raises(ValueError, match="shape"):
        est.uncertainty_tensor(torch.zeros(3, X.shape[1] + 1))


@pytest.mark.parametrize("Est", ALL)
def test_unfitted_raises_not_fitted(Est):
    X, _ = data_for(Est)
    with pytest.raises(NotFittedError):
        make(Est, TINY).predict(X)
    with pytest.raises(NotFittedError):
        make(Est, TINY).predict_uncertainty(X)


# --------------------------------------------------------------------------
# GPU
# --------------------------------------------------------------------------


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("Est", ALL)
def test_cuda(Est):
    X, y = data_for(Est)
    est = make(Est, TINY, random_state=0, device="cuda").fit(X, y)
    assert next(est.module_.parameters()).is_cuda
    u = est.predict_uncertainty(X)
    assert u.shape == (len(X),) and u.dtype == np.float64
    np.testing.assert_array_equal(u, est.predict_uncertainty(X))
    assert est.predict(X).shape == (len(X),)
    Xt = torch.tensor(X[:8], dtype=torch.float32, device="cuda", requires_grad=True)
    est.uncertainty_tensor(Xt).sum().backward()
    assert Xt.grad.is_cuda and torch.isfinite(Xt.grad).all()
    again = make(Est, TINY, random_state=0, device="cuda").fit(X, y)
    np.testing.assert_allclose(again.predict_uncertainty(X), u, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("Est", CLASSIFIERS)
@pytest.mark.parametrize("metric", ["variance", "bald"])
def test_predict_proba_uncertainty_is_both_methods_at_once(fitted, Est, metric):
    # the same seeded passes: each half equals the method it stands for
    est = fitted[Est]
    X, _ = data_for(Est)
    proba, u = est.predict_proba_uncertainty(X[:15], metric=metric)
    np.testing.assert_allclose(proba, est.predict_proba(X[:15]))
    np.testing.assert_allclose(u, est.predict_uncertainty(X[:15], metric=metric))
    assert proba.shape == (15, len(est.classes_)) and u.shape == (15,)
