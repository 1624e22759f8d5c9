"""Same ``random_state``, same output: the front-ends against recorded values.

The values in ``data/same_outputs.json`` were recorded before the synthesis core
was shared by the three front-ends (issue 14), on small fixed inputs, so any
refactoring that changes what a seeded fit returns fails here. Where an output
changes on purpose, re-record it with ``python tests/test_same_outputs.py``
and say why in the commit.

Floats are compared to 1e-6 (relative), not bit for bit: the file is read on
other CPUs, whose vector paths may round the last digits differently.
"""

import json
import pathlib
import sys

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.datasets import make_classification
from skorch import NeuralNetClassifier

from skaug import DriftAugmentor, UncertaintySampler
from skaug.callbacks import AdaptiveSynthesis
from skaug.models import GaussianCopula, MCDropoutClassifier, TabularVAE

RECORD = pathlib.Path(__file__).parent / "data" / "same_outputs.json"


def _table(n=120, seed=0):
    X, y = make_classification(
        n_samples=n,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        weights=[0.75],
        random_state=seed,
    )
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    frame["colour"] = pd.Categorical(np.where(X[:, 0] > 0, "red", "blue"))
    return frame, y


def _summary(values):
    values = np.asarray(values, dtype=np.float64)
    return [float(values.sum()), float(np.abs(values).sum()), list(values.shape)]


def _frame_summary(frame):
    numeric = frame.select_dtypes("number")
    out = {"shape": list(frame.shape), "numeric": _summary(numeric.to_numpy())}
    for column in frame.columns.difference(numeric.columns):
        out[column] = frame[column].astype(str).value_counts().sort_index().to_dict()
    return out


def sampler_outputs():
    X, y = _table()
    sampler = UncertaintySampler(
        estimator=MCDropoutClassifier(max_epochs=5),
        generator=TabularVAE(max_epochs=5),
        n_mc_samples=5,
        random_state=0,
    )
    X_res, y_res = sampler.fit_resample(X, y)
    return {
        "X": _frame_summary(X_res),
        "y": np.bincount(y_res).tolist(),
        "sample_indices": sampler.sample_indices_.tolist(),
        "uncertainty": _summary(sampler.uncertainty_),
        "synthetic_uncertainty": _summary(sampler.synthetic_uncertainty_),
        "weights": _summary(sampler.weights_),
        "n_rejected": int(sampler.n_rejected_),
    }


def sampler_copula_outputs():
    X, y = _table(seed=1)
    sampler = UncertaintySampler(
        estimator=MCDropoutClassifier(max_epochs=5),
        generator=GaussianCopula(),
        original_weight="uncertainty",
        n_mc_samples=4,
        uncertainty_metric="entropy",
        random_state=3,
    )
    X_res, y_res = sampler.fit_resample(X.to_numpy()[:, :4].astype(float), y)
    return {
        "X": _summary(X_res),
        "sample_indices": sampler.sample_indices_.tolist(),
        "synthetic_uncertainty": _summary(sampler.synthetic_uncertainty_),
    }


def _drifted():
    X, y = _table(n=400, seed=2)
    keep = X["a"].to_numpy()[200:] > 0.3
    return X.iloc[:200], y[:200], X.iloc[200:][keep], y[200:][keep]


def augmentor_outputs():
    train, y_train, test, y_test = _drifted()
    results = {}
    for name, params in {
        "copula": {"generator": "gaussian_copula"},
        "vae_histogram": {
            "generator": TabularVAE(max_epochs=5),
            "target": "a",
            "region_method": "histogram",
        },
        "labels": {"generator": "gaussian_copula", "target": "y"},
    }.items():
        augmentor = DriftAugmentor(
            drift_threshold=0.0, augmentation_factor=0.5, random_state=0, **params
        )
        augmentor.fit(train, y_train)
        result = augmentor.augment(test, y_test)
        report = result.report
        results[name] = {
            "X": _frame_summary(result.X),
            "y": np.bincount(result.y).tolist(),
            "n_synthetic": int(result.is_synthetic.sum()),
            "drift_before": report.drift_before,
            "drift_after": report.drift_after,
            "added_per_region": report.regions["added"].tolist(),
            "mean_ks": augmentor.generator_quality_.get("mean_ks"),
        }
    return results


def callback_outputs():
    X, y = make_classification(
        n_samples=200, n_features=4, n_redundant=0, weights=[0.8], random_state=0
    )
    X, y = X.astype(np.float32), y.astype(np.int64)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        return _fit_callback_net(X, y)


def _fit_callback_net(X, y):
    module = torch.nn.Sequential(
        torch.nn.Linear(4, 16),
        torch.nn.ReLU(),
        torch.nn.Dropout(0.2),
        torch.nn.Linear(16, 2),
        torch.nn.Softmax(dim=-1),
    )
    net = NeuralNetClassifier(
        module,
        max_epochs=4,
        batch_size=32,
        train_split=None,
        verbose=0,
        callbacks=[
            (
                "synthesis",
                AdaptiveSynthesis(
                    generator=GaussianCopula(),
                    original_weight="uncertainty",
                    n_mc_samples=4,
                    random_state=0,
                ),
            )
        ],
    )
    net.fit(X, y)
    history = net.history
    return {
        "train_loss": [float(v) for v in history[:, "train_loss"]],
        "synthetic_rows": [int(v) for v in history[1:, "synthetic_rows"]],
        "pool_uncertainty": [float(v) for v in history[1:, "pool_uncertainty"]],
        "pool_ks": [float(v) for v in history[1:, "pool_ks"]],
        "proba": _summary(net.predict_proba(X)[:, 1]),
    }


CASES = {
    "sampler": sampler_outputs,
    "sampler_copula": sampler_copula_outputs,
    "augmentor": augmentor_outputs,
    "callback": callback_outputs,
}


def _assert_same(actual, expected, where):
    if isinstance(expected, dict):
        assert sorted(actual) == sorted(expected), where
        for key in expected:
            _assert_same(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), where
        for i, (a, e) in enumerate(zip(actual, expected)):
            _assert_same(a, e, f"{where}[{i}]")
    elif isinstance(expected, float):
        np.testing.assert_allclose(
            actual, expected, rtol=1e-6, atol=1e-9, err_msg=where
        )
    else:
        assert actual == expected, where


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_output_as_recorded(case):
    torch.set_num_threads(1)
    expected = json.loads(RECORD.read_text())[case]
    actual = json.loads(json.dumps(CASES[case]()))
    _assert_same(actual, expected, case)


if __name__ == "__main__":
    torch.set_num_threads(1)
    names = sys.argv[1:] or sorted(CASES)
    record = json.loads(RECORD.read_text()) if RECORD.exists() else {}
    for name in names:
        record[name] = CASES[name]()
    RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
