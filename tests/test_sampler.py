import pickle

import numpy as np
import pandas as pd
import pytest
import torch
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

from skaug import UncertaintySampler
from skaug.models import MCDropoutClassifier, TabularVAE


@pytest.fixture(autouse=True)
def _one_thread():
    # small nets: two threads only add contention on a 2-core machine
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def _sampler(**params):
    defaults = {
        "estimator": MCDropoutClassifier(max_epochs=30, lr=0.01),
        "generator": TabularVAE(max_epochs=30),
        "n_mc_samples": 10,
        "random_state": 0,
    }
    return UncertaintySampler(**{**defaults, **params})


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=240, n_features=6, n_informative=4, weights=[0.8], random_state=0
    )
    return X, y


@pytest.fixture(scope="module")
def fitted(data):
    torch.set_num_threads(1)
    X, y = data
    sampler = _sampler()
    X_res, y_res = sampler.fit_resample(X, y)
    return sampler, X_res, y_res


def test_originals_kept_first_and_classes_balanced(data, fitted):
    X, y = data
    sampler, X_res, y_res = fitted
    assert isinstance(X_res, np.ndarray) and isinstance(y_res, np.ndarray)
    assert X_res.dtype == X.dtype
    assert set(np.unique(y_res)) <= set(np.unique(y))
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    counts = np.bincount(y_res)
    assert counts[0] == counts[1] == np.bincount(y).max()


def test_sample_indices_point_into_originals_and_pool(data, fitted):
    X, y = data
    sampler, X_res, y_res = fitted
    X_all = np.vstack([X, sampler.synthetic_X_])
    y_all = np.concatenate([y, sampler.synthetic_y_])
    np.testing.assert_array_equal(X_all[sampler.sample_indices_], X_res)
    np.testing.assert_array_equal(y_all[sampler.sample_indices_], y_res)
    assert len(sampler.weights_) == len(X_all)


def test_weights_follow_the_formula(data, fitted):
    X, y = data
    sampler = fitted[0]
    n, k = len(y), 2
    balanced = n / (k * np.bincount(y)[y])
    expected = np.concatenate(
        [1.0 * balanced, 1.0 / (1.0 + sampler.synthetic_uncertainty_)]
    )
    np.testing.assert_allclose(sampler.weights_, expected)


def test_synthetic_pool_is_labelled_sized_and_more_uncertain(data, fitted):
    X, y = data
    sampler = fitted[0]
    # "auto" adds rows to the minority class only, and the pool goes there too
    assert set(np.unique(sampler.synthetic_y_)) == {1}
    assert len(sampler.synthetic_X_) + sampler.n_rejected_ >= 1
    assert len(sampler.synthetic_X_) <= 2 * len(X)  # n_synthetic=2.0
    assert sampler.synthetic_uncertainty_.shape == (len(sampler.synthetic_X_),)
    assert sampler.uncertainty_.shape == (len(X),)
    report = sampler.synthesis_report_
    assert report["guided"] is True
    assert report["mean_uncertainty_synthetic"] > report["mean_uncertainty_original"]


def test_guidance_follows_the_curriculum(fitted):
    history = fitted[0].generator_.history
    first = [b["uncertainty_guidance"] for b in history[0, "batches"]]
    last = [b["uncertainty_guidance"] for b in history[-1, "batches"]]
    assert all(v == 0.0 for v in first)  # lambda starts at 0
    assert any(v != 0.0 for v in last)


def test_beta_zero_draws_only_originals_alpha_zero_only_synthetic(data):
    X, y = data
    counts = np.bincount(y)
    only_originals = _sampler(beta=0.0).fit(X, y)  # fit checks only
    assert dict(only_originals.sampling_strategy_) == {1: counts[0] - counts[1]}
    s = _sampler(beta=0.0)
    s.fit_resample(X, y)
    assert (s.sample_indices_ < len(X)).all()
    s = _sampler(alpha=0.0)
    s.fit_resample(X, y)
    assert (s.sample_indices_[len(X) :] >= len(X)).all()


def test_alpha_beta_errors(data):
    X, y = data
    with pytest.raises(ValueError, match="alpha"):
        _sampler(alpha="high").fit_resample(X, y)
    with pytest.raises(ValueError, match="alpha and beta are both 0"):
        _sampler(alpha=0.0, beta=0.0).fit_resample(X, y)
    with pytest.raises(ValueError, match="alpha"):
        _sampler(alpha=-1.0).fit_resample(X, y)
    with pytest.raises(ValueError, match="beta"):
        _sampler(beta=float("nan")).fit_resample(X, y)


def test_n_samples_overrides_the_total(data):
    X, y = data
    X_res, y_res = _sampler(n_samples=300).fit_resample(X, y)
    assert len(y_res) == 300
    X_res, y_res = _sampler(n_samples=1.5).fit_resample(X, y)
    assert len(y_res) == 360
    with pytest.raises(ValueError, match="never drops an original row"):
        _sampler(n_samples=100).fit_resample(X, y)


def test_one_row_class_is_refused_by_name(data):
    X, y = data
    y = y.copy()
    y[0] = 7
    with pytest.raises(ValueError, match=r"\[7\]"):
        _sampler().fit_resample(X, y)


def test_same_seed_same_output_and_rng_untouched(data):
    X, y = data
    torch_state, np_state = torch.get_rng_state(), np.random.get_state()
    X1, y1 = _sampler(random_state=3).fit_resample(X, y)
    X2, y2 = _sampler(random_state=3).fit_resample(X, y)
    assert torch.equal(torch_state, torch.get_rng_state())
    assert np.array_equal(np_state[1], np.random.get_state()[1])
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


def test_inputs_are_not_modified(data):
    X, y = data
    X_copy, y_copy = X.copy(), y.copy()
    _sampler().fit_resample(X, y)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)


def test_dataframe_round_trip_with_categoricals_and_missing_values():
    rng = np.random.default_rng(0)
    n = 200
    X = pd.DataFrame(
        {
            "age": rng.integers(18, 80, n),
            "income": rng.lognormal(10, 1, n),
            "city": pd.Categorical(rng.choice(["a", "b", "c"], n)),
            "member": rng.random(n) < 0.3,
        }
    )
    X.loc[rng.random(n) < 0.1, "income"] = np.nan
    y = pd.Series((X["age"] > 60).astype(int), name="target")
    X_res, y_res = _sampler().fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(X.columns)
    pd.testing.assert_series_equal(X_res.dtypes, X.dtypes)
    assert X_res["city"].cat.categories.tolist() == ["a", "b", "c"]
    pd.testing.assert_frame_equal(X_res.iloc[:n], X)
    assert y_res.value_counts().nunique() == 1


def test_memory_skips_refitting_when_only_weights_change(data, tmp_path):
    X, y = data
    a = _sampler(memory=str(tmp_path))
    a.fit_resample(X, y)
    b = _sampler(memory=str(tmp_path), alpha=0.3, beta=2.0, original_weight="uniform")
    b.fit_resample(X, y)
    # the report holds a measured wall time: equal floats mean one fit, reused
    assert a.synthesis_report_["fit_seconds"] == b.synthesis_report_["fit_seconds"]
    np.testing.assert_array_equal(a.synthetic_X_, b.synthetic_X_)
    assert not np.array_equal(a.weights_, b.weights_)
    c = _sampler(memory=str(tmp_path), n_mc_samples=5)
    c.fit_resample(X, y)
    assert c.synthesis_report_["fit_seconds"] != a.synthesis_report_["fit_seconds"]


def test_grid_search_3x3_over_alpha_beta_fits_the_models_once_per_fold(data, tmp_path):
    X, y = data
    pipe = Pipeline(
        [("aug", _sampler(memory=str(tmp_path))), ("clf", LogisticRegression())]
    )
    grid = GridSearchCV(
        pipe,
        {"aug__alpha": [0.0, 0.5, 1.0], "aug__beta": [0.5, 1.0, 2.0]},
        cv=2,
        scoring="balanced_accuracy",
    )
    grid.fit(X, y)
    assert set(grid.best_params_) == {"aug__alpha", "aug__beta"}
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()
    # joblib keeps one entry per distinct model fit: the 2 folds and the refit on
    # all rows -- not one per grid point (9 x 2 + 1 = 19).
    entries = list(tmp_path.rglob("output.pkl"))
    assert len(entries) == 3


def test_support_guard_counts_rejections(data):
    X, y = data
    strict = _sampler(support_quantile=0.05, latent_temperature=4.0)
    with pytest.warns(UserWarning, match="stability guard rejected"):
        strict.fit_resample(X, y)
    loose = _sampler(support_quantile=None)
    loose.fit_resample(X, y)
    assert strict.n_rejected_ > 0
    assert loose.n_rejected_ == 0
    assert strict.synthesis_report_["rejection_rate"] > 0


def test_callable_weights_are_used(data):
    X, y = data
    first = {c: int(np.flatnonzero(y == c)[0]) for c in (0, 1)}
    chosen = list(first.values())
    s = _sampler(
        original_weight=lambda X, y, u: np.isin(np.arange(len(y)), chosen) * 1.0,
        beta=0.0,
        sampling_strategy={0: 200, 1: 100},
    )
    s.fit_resample(X, y)
    added = s.sample_indices_[len(X) :]
    # one original row per class has weight: only those are drawn
    assert set(added.tolist()) == set(chosen)


def test_negative_callable_weight_is_refused(data):
    X, y = data
    with pytest.raises(ValueError, match="original_weight"):
        _sampler(original_weight=lambda X, y, u: -np.ones(len(y))).fit_resample(X, y)


def test_clone_and_pickle_of_fitted_sampler(fitted):
    sampler = fitted[0]
    assert not hasattr(clone(sampler), "estimator_")
    restored = pickle.loads(pickle.dumps(sampler))
    np.testing.assert_array_equal(restored.weights_, sampler.weights_)
    np.testing.assert_allclose(
        restored.estimator_.predict_uncertainty(
            sampler.encoder_.transform(sampler.synthetic_X_)
        ),
        sampler.estimator_.predict_uncertainty(
            sampler.encoder_.transform(sampler.synthetic_X_)
        ),
    )


def test_verbose_shows_progress(data, capsys):
    X, y = data
    _sampler(verbose=1).fit_resample(X, y)
    err = capsys.readouterr().err
    assert "generator" in err and "uncertainty model" in err


@pytest.mark.parametrize("seed", [0, 1])
def test_guidance_makes_synthetic_rows_more_uncertain(data, seed):
    X, y = data
    pools = {}
    for weight in (0.0, 1.0):
        s = _sampler(
            generator=TabularVAE(max_epochs=60),
            uncertainty_weight=weight,
            random_state=seed,
        )
        s.fit_resample(X, y)
        pools[weight] = s.synthetic_uncertainty_.mean()
        assert s.synthesis_report_["guided"] is (weight > 0)
    assert pools[1.0] > pools[0.0]
