"""Tests of the AdaptiveSynthesis skorch callback."""

import pickle
import warnings

import numpy as np
import pytest
import torch
from imblearn.datasets import make_imbalance
from sklearn.base import BaseEstimator
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV
from skorch import NeuralNetClassifier, NeuralNetRegressor
from skorch.callbacks import Callback
from skorch.dataset import ValidSplit

from skaug.callbacks import AdaptiveSynthesis
from skaug.models import GaussianCopula

N_FEATURES = 4
HISTORY_KEYS = (
    "synthetic_rows",
    "synthetic_share",
    "pool_uncertainty",
    "pool_ks",
    "synthetic_beta",
    "synthesis_seconds",
)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=300,
        n_features=N_FEATURES,
        n_informative=3,
        n_redundant=0,
        weights=[0.8],
        random_state=0,
    )
    return X.astype(np.float32), y.astype(np.int64)


def _module(dropout=0.2):
    return torch.nn.Sequential(
        torch.nn.Linear(N_FEATURES, 16),
        torch.nn.ReLU(),
        torch.nn.Dropout(dropout),
        torch.nn.Linear(16, 2),
        torch.nn.Softmax(dim=-1),
    )


class BatchSpy(Callback):
    """Keeps a copy of every batch as the training step sees it."""

    def initialize(self):
        self.train_batches_ = []
        self.valid_batches_ = []
        self.valid_X_ = None
        return self

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        if dataset_valid is not None and self.valid_X_ is None:
            self.valid_X_ = np.asarray(
                dataset_valid.dataset.X[dataset_valid.indices], dtype=np.float32
            )

    def on_batch_begin(self, net, batch=None, training=None, **kwargs):
        Xi, yi = batch
        target = self.train_batches_ if training else self.valid_batches_
        target.append((len(net.history), Xi.clone().numpy(), yi.clone().numpy()))


def _rows(X):
    return {row.tobytes() for row in np.ascontiguousarray(X, dtype=np.float32)}


def _net(callback, *, spy=None, max_epochs=4, **params):
    callbacks = [("synthesis", callback)]
    if spy is not None:
        callbacks.append(("spy", spy))
    params.setdefault("train_split", ValidSplit(4, stratified=True))
    return NeuralNetClassifier(
        _module(),
        max_epochs=max_epochs,
        lr=0.1,
        batch_size=32,
        verbose=0,
        callbacks=callbacks,
        **params,
    )


def _fit(net, X, y, seed=0):
    torch.manual_seed(seed)
    return net.fit(X, y)


def _copula():
    return GaussianCopula(random_state=0)


def test_synthetic_rows_in_training_batches_never_in_validation(data):
    X, y = data
    spy = BatchSpy()
    callback = AdaptiveSynthesis(generator=_copula(), random_state=0)
    _fit(_net(callback, spy=spy), X, y)
    originals = _rows(X)
    valid = _rows(spy.valid_X_)
    train_original = originals - valid

    for epoch, Xb, _ in spy.valid_batches_:
        assert _rows(Xb) <= valid
    warmup = [b for b in spy.train_batches_ if b[0] <= callback.warmup_epochs]
    active = [b for b in spy.train_batches_ if b[0] > callback.warmup_epochs]
    for _, Xb, _ in warmup:
        assert _rows(Xb) <= train_original
    n_synthetic = 0
    for _, Xb, _ in active:
        rows = _rows(Xb)
        # a validation row never enters training, even by the weighted draw
        assert not rows & valid
        n_synthetic += len(rows - originals)
    assert n_synthetic > 0


def test_beta_zero_trains_on_originals_only(data):
    X, y = data
    spy = BatchSpy()
    callback = AdaptiveSynthesis(generator=_copula(), beta=0.0, random_state=0)
    net = _fit(_net(callback, spy=spy), X, y)
    originals = _rows(X)
    for _, Xb, _ in spy.train_batches_:
        assert _rows(Xb) <= originals
    assert callback.generator_ is None
    assert all(row["synthetic_rows"] == 0 for row in net.history[2:])


@pytest.mark.parametrize("cap", [1, 5])
def test_synthetic_rows_per_step_never_exceed_the_cap(data, cap):
    X, y = data
    spy = BatchSpy()
    callback = AdaptiveSynthesis(
        generator=_copula(), n_synthetic_per_step=cap, alpha=0.01, random_state=0
    )
    net = _fit(_net(callback, spy=spy), X, y)
    originals = _rows(X)
    offered = [
        b["synthetic_offered"]
        for row in net.history[2:]
        for b in row["batches"]
        if "train_loss" in b
    ]
    assert max(offered) == cap
    assert net.history[-1, "synthetic_rows"] > 0
    for _, Xb, _ in spy.train_batches_:
        # distinct synthetic rows in a drawn batch come from <= cap pool rows
        assert len(_rows(Xb) - originals) <= cap


def test_history_keys(data):
    X, y = data
    callback = AdaptiveSynthesis(generator=_copula(), warmup_epochs=2, random_state=0)
    net = _fit(_net(callback, max_epochs=4), X, y)
    for row in net.history[:2]:
        assert not set(HISTORY_KEYS) & set(row)
    for row in net.history[2:]:
        assert set(HISTORY_KEYS) <= set(row)
        train = [b for b in row["batches"] if "train_loss" in b]
        assert row["synthetic_rows"] == sum(b["synthetic_rows"] for b in train)
        seen = sum(b["train_batch_size"] for b in train)
        assert row["synthetic_share"] == pytest.approx(row["synthetic_rows"] / seen)
        assert 0 <= row["pool_ks"] <= 1
        assert row["pool_uncertainty"] >= 0
        assert row["synthesis_seconds"] >= 0
        assert row["synthetic_beta"] == 1.0


def test_same_seed_same_training(data):
    X, y = data

    def run(seed):
        callback = AdaptiveSynthesis(
            generator=_copula(), original_weight="uncertainty", random_state=seed
        )
        net = _fit(_net(callback), X, y)
        params = [p.detach().clone() for p in net.module_.parameters()]
        return net.history[:, "train_loss"], params, callback.pool_X_.clone()

    loss_a, params_a, pool_a = run(0)
    loss_b, params_b, pool_b = run(0)
    loss_c, _, pool_c = run(1)
    assert loss_a == loss_b
    assert all(torch.equal(a, b) for a, b in zip(params_a, params_b))
    assert torch.equal(pool_a, pool_b)
    assert not torch.equal(pool_a, pool_c)


def test_global_torch_rng_left_alone(data):
    X, y = data
    callback = AdaptiveSynthesis(generator=_copula(), random_state=0)
    net = _net(callback, max_epochs=2)
    _fit(net, X, y)
    state = torch.get_rng_state()
    Xt = torch.as_tensor(X[:50])
    callback.scorer_.score(Xt)
    assert torch.equal(torch.get_rng_state(), state)


def test_pool_labels_follow_the_deficit(data):
    X, y = data
    callback = AdaptiveSynthesis(generator=_copula(), random_state=0)
    _fit(_net(callback, max_epochs=2), X, y)
    # one majority class: the deficit rule puts every pool row in the minority
    minority = np.argmin(np.bincount(y))
    assert set(callback.pool_y_.numpy().tolist()) == {minority}

    callback = AdaptiveSynthesis(
        generator=_copula(), pool_classes="uniform", random_state=0
    )
    _fit(_net(callback, max_epochs=2), X, y)
    counts = np.bincount(callback.pool_y_.numpy())
    assert abs(counts[0] - counts[1]) <= 1


def test_pool_size_default_covers_one_refresh_period(data):
    X, y = data
    callback = AdaptiveSynthesis(
        generator=_copula(), n_synthetic_per_step=3, random_state=0
    )
    _fit(_net(callback, max_epochs=2), X, y)
    n_train = len(X) - len(X) // 4
    assert len(callback.pool_X_) == 3 * int(np.ceil(n_train / 32))

    callback = AdaptiveSynthesis(
        generator=_copula(),
        pool_size=10,
        refresh_every=2,
        refresh_unit="batch",
        random_state=0,
    )
    _fit(_net(callback, max_epochs=2), X, y)
    assert len(callback.pool_X_) == 10


def test_refresh_every_batch_regenerates_the_pool(data):
    X, y = data
    pools = []

    class PoolSpy(Callback):
        def on_batch_end(self, net, training=None, **kwargs):
            if training and callback.pool_X_ is not None:
                pools.append(callback.pool_X_.clone())

    callback = AdaptiveSynthesis(
        generator=_copula(), refresh_unit="batch", refresh_every=2, random_state=0
    )
    net = _net(callback, max_epochs=2)
    net.set_params(callbacks=[("synthesis", callback), ("pool_spy", PoolSpy())])
    _fit(net, X, y)
    assert torch.equal(pools[0], pools[1])
    assert not torch.equal(pools[1], pools[2])


def test_fitted_generator_is_used_as_is(data):
    X, y = data
    generator = GaussianCopula(random_state=0).fit(X, y)
    callback = AdaptiveSynthesis(generator=generator, random_state=0)
    _fit(_net(callback, max_epochs=2), X, y)
    assert callback.generator_ is generator

    unfitted = GaussianCopula()
    callback = AdaptiveSynthesis(generator=unfitted, random_state=0)
    _fit(_net(callback, max_epochs=2), X, y)
    assert callback.generator_ is not unfitted
    assert not hasattr(unfitted, "n_features_in_")


class ShiftedGenerator(BaseEstimator):
    """A generator whose rows lie far from the data: the pool always drifts."""

    def __init__(self, shift=5.0):
        self.shift = shift

    def fit(self, X, y):
        self.copula_ = GaussianCopula(random_state=0).fit(X, y)
        return self

    def sample(self, n_samples, y=None, random_state=None):
        X, y = self.copula_.sample(n_samples, y=y, random_state=random_state)
        return X + self.shift, y


def test_pool_drift_shrinks_beta_or_stops(data):
    X, y = data
    callback = AdaptiveSynthesis(generator=ShiftedGenerator(), random_state=0)
    with pytest.warns(UserWarning, match="drifted away.*beta is halved"):
        net = _fit(_net(callback, max_epochs=4), X, y)
    assert net.history[:, "synthetic_beta"][-3:] == [0.5, 0.25, 0.125]

    callback = AdaptiveSynthesis(
        generator=ShiftedGenerator(), on_pool_drift="stop", random_state=0
    )
    with pytest.warns(UserWarning, match="no more synthetic rows"):
        net = _fit(_net(callback, max_epochs=4), X, y)
    assert net.history[-1, "synthetic_rows"] == 0

    # a faithful generator raises no alarm
    callback = AdaptiveSynthesis(generator=_copula(), random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net = _fit(_net(callback, max_epochs=4), X, y)
    assert 0 < net.history[-1, "pool_ks"] < 0.3


@pytest.mark.parametrize(
    "params, match",
    [
        ({"alpha": -1.0}, "'alpha' parameter"),
        ({"beta": float("nan")}, "'beta' parameter"),
        ({"alpha": 0.0, "beta": 0.0}, "alpha and beta are both 0"),
        ({"n_synthetic_per_step": 0}, "'n_synthetic_per_step' parameter"),
        ({"n_mc_samples": 0}, "'n_mc_samples' parameter"),
        ({"generator": "nope"}, "'generator' parameter"),
        ({"refresh_unit": "week"}, "'refresh_unit' parameter"),
    ],
)
def test_bad_parameters(data, params, match):
    X, y = data
    callback = AdaptiveSynthesis(**{"generator": _copula(), **params})
    with pytest.raises(ValueError, match=match):
        _fit(_net(callback, max_epochs=1), X, y)


def test_callable_weight_checked_like_the_sampler(data):
    X, y = data
    callback = AdaptiveSynthesis(
        generator=_copula(),
        original_weight=lambda X, y, u: -np.ones(len(y)),
        random_state=0,
    )
    with pytest.raises(ValueError, match="original_weight callable must return"):
        _fit(_net(callback, max_epochs=2), X, y)


def test_regressor_is_refused(data):
    X, y = data
    net = NeuralNetRegressor(
        torch.nn.Linear(N_FEATURES, 1),
        max_epochs=1,
        verbose=0,
        callbacks=[("synthesis", AdaptiveSynthesis(generator=_copula()))],
    )
    with pytest.raises(TypeError, match="skorch classifiers"):
        net.fit(X, y.astype(np.float32).reshape(-1, 1))


def test_grid_search_over_alpha_beta(data):
    X, y = data
    callback = AdaptiveSynthesis(generator=_copula(), random_state=0)
    net = _net(callback, max_epochs=3, train_split=None)
    grid = GridSearchCV(
        net,
        {
            "callbacks__synthesis__alpha": [0.5, 1.0],
            "callbacks__synthesis__beta": [0.0, 2.0],
        },
        cv=2,
        scoring="balanced_accuracy",
    )
    torch.manual_seed(0)
    grid.fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    best = grid.best_estimator_.callbacks_
    synthesis = dict(best)["synthesis"]
    assert synthesis.alpha == grid.best_params_["callbacks__synthesis__alpha"]
    # the template callback is never fitted by the search
    assert callback.get_params()["alpha"] == 1.0
    assert not hasattr(callback, "generator_")


def test_works_on_an_imbalanced_problem_with_the_vae(data):
    X, y = make_imbalance(
        *data, sampling_strategy={0: 200, 1: 20}, random_state=0
    )  # 10 % minority
    callback = AdaptiveSynthesis(random_state=0)
    callback.set_params(generator="vae")
    net = _net(callback, max_epochs=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        _fit(net, X, y)
    assert callback.generator_.__class__.__name__ == "TabularVAE"
    assert net.history[-1, "synthetic_rows"] > 0
    assert net.predict(X).shape == y.shape


def test_repr_shows_changed_parameters_only():
    assert repr(AdaptiveSynthesis()) == "AdaptiveSynthesis()"
    callback = AdaptiveSynthesis(beta=2.0, refresh_unit="batch")
    assert repr(callback) == "AdaptiveSynthesis(beta=2.0, refresh_unit='batch')"


def test_pickle_after_fit(data):
    X, y = data
    callback = AdaptiveSynthesis(generator=_copula(), random_state=0)
    net = _fit(_net(callback, max_epochs=2), X, y)
    clone = pickle.loads(pickle.dumps(net))
    np.testing.assert_array_equal(clone.predict_proba(X), net.predict_proba(X))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda(data):
    X, y = data
    callback = AdaptiveSynthesis(generator="vae", random_state=0)
    net = _net(callback, max_epochs=3, device="cuda")
    _fit(net, X, y)
    assert callback.generator_.device == "cuda"
    assert net.history[-1, "synthetic_rows"] > 0


@pytest.mark.parametrize("power", [-1.0, float("nan")])
def test_weight_power_has_the_same_rule_in_the_sampler_and_the_callback(data, power):
    # one set of weight constraints for every front-end (the sampler took a
    # negative power that its weight function then refused)
    from skaug import UncertaintySampler

    X, y = data
    with pytest.raises(ValueError, match="'weight_power' parameter"):
        UncertaintySampler(weight_power=power).fit_resample(X, y)
    net = _net(AdaptiveSynthesis(weight_power=power), max_epochs=1)
    with pytest.raises(ValueError, match="'weight_power' parameter"):
        _fit(net, X, y)


def test_the_generator_gets_the_callbacks_seed_like_the_samplers(data):
    X, y = data
    runs = []
    for _ in range(2):
        callback = AdaptiveSynthesis(generator=GaussianCopula(), random_state=3)
        _fit(_net(callback, max_epochs=2), X, y)
        runs.append(callback)
    assert runs[0].generator_.random_state == runs[1].generator_.random_state
    assert runs[0].generator_.random_state is not None
    assert torch.equal(runs[0].pool_X_, runs[1].pool_X_)
