"""Reproducibility and persistence of fitted estimators.

- the same ``random_state`` gives bit-identical output on the CPU, in this
  process and in a fresh one (the root conftest runs torch on one thread; the
  fresh process does the same, since the thread count may change the order of
  floating-point sums);
- pickle and joblib round trips of fitted estimators give identical outputs;
- skorch's ``save_params``/``load_params`` round trip for the nets;
- a pickle from another skaug ``major.minor`` is refused with a clear message.
"""

import copy
import io
import pickle
import subprocess
import sys
import textwrap

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone

import skaug
import skaug._version
from skaug import DriftAugmentor, TabularEncoder, UncertaintySampler
from skaug.exceptions import IncompatibleVersionError
from skaug.models import (
    BayesianClassifier,
    CopulaGAN,
    GaussianCopula,
    MCDropoutClassifier,
    MCDropoutRegressor,
    TabularGAN,
    TabularVAE,
)
from skaug.utils._persistence import VERSION_KEY, major_minor


def _table(X):
    """A frame as one string (repr of every float: exact), NaN included."""
    return np.array(X.to_csv(index=False))


def make_data():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {
            "num": rng.normal(size=60),
            "count": rng.randint(0, 9, size=60),
            "cat": rng.choice(["red", "green", "blue"], size=60),
        }
    )
    X.loc[::7, "num"] = np.nan
    y = np.r_[np.zeros(45, dtype=int), np.ones(15, dtype=int)]
    return X, y


def make_sampler():
    return UncertaintySampler(
        estimator=MCDropoutClassifier(max_epochs=3, lr=0.01),
        generator=TabularVAE(max_epochs=3),
        n_mc_samples=3,
        random_state=0,
    )


def make_augmentor():
    return DriftAugmentor(
        generator=TabularVAE(max_epochs=3), drift_threshold=0.0, random_state=0
    )


def outputs():
    """Every output, as arrays for exact comparison (also run in a subprocess)."""
    X, y = make_data()
    X_res, y_res = make_sampler().fit_resample(X, y)
    keep = ~(X["num"] < 0)
    result = make_augmentor().fit(X, y).augment(X[keep], y[keep.to_numpy()])
    gan = TabularGAN(max_epochs=2, random_state=0).fit(X, y)
    copula = GaussianCopula(random_state=0).fit(X, y)
    return {
        "sampler_X": _table(X_res),
        "sampler_y": y_res,
        "augmentor_X": _table(result.X),
        "gan_X": _table(gan.sample(30, random_state=1)[0]),
        "copula_X": _table(copula.sample(30, random_state=1)[0]),
    }


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


# --------------------------------------------------------- reproducibility


@pytest.fixture(scope="module")
def first_run():
    return outputs()


def test_same_random_state_gives_identical_output_across_runs(first_run):
    _assert_same(first_run, outputs())


def test_same_random_state_gives_identical_output_across_processes(first_run, tmp_path):
    # a fresh interpreter imports this file and runs the same outputs()
    script = textwrap.dedent(
        f"""
        import importlib.util

        import numpy as np
        import torch

        torch.set_num_threads(1)  # as the root conftest does for the session
        spec = importlib.util.spec_from_file_location("same", {__file__!r})
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        np.savez({str(tmp_path / "out.npz")!r}, **module.outputs())
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=300)
    with np.load(tmp_path / "out.npz", allow_pickle=False) as saved:
        other = {key: saved[key] for key in saved.files}
    _assert_same(first_run, other)


# ---------------------------------------------------- pickle / joblib trips


def _dumps_pickle(obj):
    return pickle.loads(pickle.dumps(obj))


def _dumps_joblib(obj):
    buffer = io.BytesIO()
    joblib.dump(obj, buffer)
    buffer.seek(0)
    return joblib.load(buffer)


@pytest.fixture(scope="module")
def data():
    return make_data()


@pytest.fixture(scope="module")
def numeric(data):
    X, y = data
    return np.nan_to_num(X[["num", "count"]].to_numpy(np.float32)), y


def _fitted_sampler(data):
    sampler = make_sampler()
    sampler.fit_resample(*data)
    return sampler


def _sampler_outputs(sampler, data):
    X, y = data
    X_new, y_new = sampler.generator_.sample(20, y=1, random_state=0)
    Xt = sampler.encoder_.transform(X).astype(np.float32)
    return {
        "synthetic": _table(sampler.synthetic_X_),
        "weights": sampler.weights_,
        "indices": sampler.sample_indices_,
        "sample": _table(X_new),
        "uncertainty": sampler.estimator_.predict_uncertainty(Xt),
    }


def _augmentor_outputs(aug, data):
    X, y = data
    keep = ~(X["num"] < 0)
    result = aug.augment(X[keep], y[keep.to_numpy()])
    return {"X": _table(result.X), "y": result.y}


def _generator_outputs(generator, data):
    X_new, y_new = generator.sample(25, random_state=3)
    return {"X": _table(X_new), "y": y_new}


def _uncertainty_outputs(net, numeric):
    X, _ = numeric
    return {
        "proba": net.predict_proba(X),
        "uncertainty": net.predict_uncertainty(X, metric="bald"),
    }


FITTED = {
    "UncertaintySampler": (_fitted_sampler, _sampler_outputs, "data"),
    "DriftAugmentor": (
        lambda data: make_augmentor().fit(*data),
        _augmentor_outputs,
        "data",
    ),
    "TabularVAE": (
        lambda data: TabularVAE(max_epochs=2, random_state=0).fit(*data),
        _generator_outputs,
        "data",
    ),
    "TabularGAN": (
        lambda data: TabularGAN(max_epochs=2, random_state=0).fit(*data),
        _generator_outputs,
        "data",
    ),
    "CopulaGAN": (
        lambda data: CopulaGAN(max_epochs=2, random_state=0).fit(*data),
        _generator_outputs,
        "data",
    ),
    "GaussianCopula": (
        lambda data: GaussianCopula(random_state=0).fit(*data),
        _generator_outputs,
        "data",
    ),
    "TabularEncoder": (
        lambda data: TabularEncoder().fit(data[0]),
        lambda enc, data: {"Xt": enc.transform(data[0])},
        "data",
    ),
    "MCDropoutClassifier": (
        lambda numeric: MCDropoutClassifier(max_epochs=2, random_state=0).fit(*numeric),
        _uncertainty_outputs,
        "numeric",
    ),
    "BayesianClassifier": (
        lambda numeric: BayesianClassifier(max_epochs=2, random_state=0).fit(*numeric),
        _uncertainty_outputs,
        "numeric",
    ),
}


@pytest.fixture(scope="module")
def fitted(data, numeric):
    """Each estimator of FITTED, fitted once, with its outputs."""
    inputs = {"data": data, "numeric": numeric}
    out = {}
    for name, (fit, use, which) in FITTED.items():
        estimator = fit(inputs[which])
        out[name] = (estimator, use(estimator, inputs[which]), inputs[which])
    return out


@pytest.mark.parametrize("round_trip", [_dumps_pickle, _dumps_joblib, copy.deepcopy])
@pytest.mark.parametrize("name", list(FITTED))
def test_round_trip_gives_identical_outputs(fitted, name, round_trip):
    estimator, expected, inputs = fitted[name]
    restored = round_trip(estimator)
    assert type(restored) is type(estimator)
    _assert_same(expected, FITTED[name][1](restored, inputs))


def test_round_trip_keeps_the_sampler_refittable(fitted, data):
    sampler = _dumps_pickle(fitted["UncertaintySampler"][0])
    X_res, _ = clone(sampler).fit_resample(*data)
    X_ref, _ = make_sampler().fit_resample(*data)
    pd.testing.assert_frame_equal(X_res, X_ref)


# ------------------------------------------------- skorch save/load_params


def _save_load(net, X, y, tmp_path):
    """save_params of ``net``; a clone with other weights (fitted for its data
    layout, as skaug's nets read their sizes off the data) loads them."""
    files = {f"f_{name}": tmp_path / f"{name}.pt" for name in net._modules}
    files.update({f"f_{name}": tmp_path / f"{name}.pt" for name in net._optimizers})
    files["f_history"] = tmp_path / "history.json"
    net.save_params(**files)
    other = clone(net).set_params(random_state=123, max_epochs=1)
    other.fit(X, y)
    other.load_params(**files)
    # the uncertainty nets seed their Monte Carlo passes from random_state
    other.set_params(random_state=net.random_state)
    return other


@pytest.mark.parametrize(
    "name", ["TabularVAE", "TabularGAN", "MCDropoutClassifier", "BayesianClassifier"]
)
def test_skorch_save_params_load_params_round_trip(fitted, name, tmp_path):
    net, expected, inputs = fitted[name]
    loaded = _save_load(net, *inputs, tmp_path)
    _assert_same(expected, FITTED[name][1](loaded, inputs))
    assert len(loaded.history) == len(net.history)


def test_regressor_save_load_params(numeric, tmp_path):
    X, y = numeric
    net = MCDropoutRegressor(max_epochs=2, random_state=0).fit(X, y.astype(np.float32))
    loaded = _save_load(net, X, y.astype(np.float32), tmp_path)
    np.testing.assert_array_equal(
        loaded.predict(X, return_std=True), net.predict(X, return_std=True)
    )


# ------------------------------------------------------------ versions


@pytest.mark.parametrize("name", list(FITTED))
def test_pickle_from_another_minor_version_is_refused(fitted, name, monkeypatch):
    estimator = fitted[name][0]
    assert estimator.__getstate__()[VERSION_KEY] == skaug.__version__
    saved = skaug.__version__
    data = pickle.dumps(estimator)
    installed = "0.2.0" if major_minor(saved) != (0, 2) else "0.3.0"
    monkeypatch.setattr(skaug._version, "__version__", installed)
    with pytest.raises(IncompatibleVersionError) as info:
        pickle.loads(data)
    message = str(info.value)
    assert f"pickled by skaug {saved}" in message
    assert f"skaug {installed} is installed" in message
    assert "Re-fit" in message and f"skaug=={saved}" in message
    assert isinstance(info.value, ValueError)


def test_pickle_from_another_patch_version_loads(fitted, monkeypatch):
    estimator, expected, inputs = fitted["GaussianCopula"]
    real = skaug.__version__
    major, minor = major_minor(real)
    monkeypatch.setattr(skaug._version, "__version__", f"{major}.{minor}.99")
    data = pickle.dumps(estimator)  # saved by x.y.99
    monkeypatch.setattr(skaug._version, "__version__", real)
    _assert_same(expected, _generator_outputs(pickle.loads(data), inputs))


def test_pickle_without_a_version_is_refused(fitted):
    estimator = fitted["TabularEncoder"][0]
    state = estimator.__getstate__()
    del state[VERSION_KEY]
    restored = TabularEncoder.__new__(TabularEncoder)
    with pytest.raises(IncompatibleVersionError, match="unknown skaug version"):
        restored.__setstate__(state)


def test_major_minor():
    assert major_minor("0.1.0.dev0") == (0, 1)
    assert major_minor("2.10.3") == (2, 10)
    assert major_minor("garbage") is None


def test_fit_leaves_the_global_rngs_alone(data):
    # same seed, same rows, whatever the global torch/numpy state
    torch.manual_seed(1)
    np.random.seed(1)
    first = (
        TabularVAE(max_epochs=2, random_state=0).fit(*data).sample(5, random_state=0)
    )
    torch.manual_seed(2)
    np.random.seed(2)
    second = (
        TabularVAE(max_epochs=2, random_state=0).fit(*data).sample(5, random_state=0)
    )
    pd.testing.assert_frame_equal(first[0], second[0])
