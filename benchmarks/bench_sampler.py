"""Downstream comparison of UncertaintySampler with imbalanced-learn's over-samplers.

Each resampler is the first step of an :class:`imblearn.pipeline.Pipeline`
before a classifier, so it only sees the training folds of a repeated
stratified cross-validation (``cross_validate``). The minority class is the
positive label 1 everywhere.

Resamplers: no resampling, ``RandomOverSampler``, ``SMOTE``, ``ADASYN``,
``UncertaintySampler()`` with default settings and, as an ablation,
``UncertaintySampler(uncertainty_weight=0)``: the same VAE without the
uncertainty term in its loss (an unguided generator; the latent exploration
still prefers uncertain candidates).

Classifiers: ``LogisticRegression`` after a ``StandardScaler``, and
``HistGradientBoostingClassifier``.

Problems:

* ``breast_cancer``: the ten ``mean ...`` columns (on all 30 a linear model is
  nearly perfect), malignant tumours cut down to 40 of 397 rows (10 %);
* ``make_classification``: 1000 rows, 20 features (5 informative, 5 redundant),
  ``weights=[0.95]`` and 5 % of the labels flipped at random (``flip_y``);
* ``digits_9``: digit 9 against the rest, 1797 rows, 64 features (``--full``
  only: it is the slowest for the neural sampler).

Columns: mean ± std over the folds of balanced accuracy, minority-class F1 and
average precision, and ``resample_s``, the mean wall time of ``fit_resample``
on a training fold. ``UncertaintySampler`` caches its fitted models per fold
(``memory=``), so the second classifier reuses them; ``resample_s`` is the time
measured in the first classifier's pass, the one that fitted them.

A second table describes the synthetic pools of the two ``UncertaintySampler``
variants (mean over folds): ``pool_rows`` (after the support guard; the default
``n_synthetic=1.0`` asks for as many rows as the training fold has),
``rejection_rate`` of the guard, the mean uncertainty of the real rows
(``u_real``), of the real minority rows and of the synthetic rows,
``synthetic_share_of_added`` (share of the added rows that are synthetic) and
``minority_share_after`` (0.5 = balanced).

``--quick`` (default): two problems, 1 x 3-fold CV. ``--full``: three problems,
3 x 3-fold CV. Torch runs on one thread so that timings are steady.
"""

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from imblearn.over_sampling import ADASYN, SMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.base import BaseEstimator, clone
from sklearn.datasets import load_breast_cancer, load_digits, make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold, cross_validate
from sklearn.preprocessing import StandardScaler

from skaug import UncertaintySampler

SCORING = {
    "balanced_accuracy": "balanced_accuracy",
    "minority_f1": "f1",
    "average_precision": "average_precision",
}


class TimedSampler(BaseEstimator):
    """Run ``sampler.fit_resample`` (or pass the data through) and time it."""

    def __init__(self, sampler=None):
        self.sampler = sampler

    def fit_resample(self, X, y):
        start = time.perf_counter()
        if self.sampler is None:
            self.sampler_ = None
            out = X, y
        else:
            self.sampler_ = clone(self.sampler)
            out = self.sampler_.fit_resample(X, y)
        self.seconds_ = time.perf_counter() - start
        return out


def breast_cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X[[c for c in X.columns if c.startswith("mean ")]].to_numpy()
    y = 1 - y.to_numpy()  # 1 = malignant
    rng = np.random.RandomState(0)
    minority = rng.choice(np.flatnonzero(y == 1), size=40, replace=False)
    keep = np.sort(np.r_[np.flatnonzero(y == 0), minority])
    return X[keep], y[keep]


def noisy_classification():
    return make_classification(
        n_samples=1000,
        n_features=20,
        n_informative=5,
        n_redundant=5,
        weights=[0.95],
        flip_y=0.05,
        random_state=0,
    )


def digits_9():
    X, y = load_digits(return_X_y=True)
    return X, (y == 9).astype(int)


def resamplers(cache):
    return {
        "none": None,
        "RandomOverSampler": RandomOverSampler(random_state=0),
        "SMOTE": SMOTE(random_state=0),
        "ADASYN": ADASYN(random_state=0),
        "UncertaintySampler": UncertaintySampler(memory=cache, random_state=0),
        "UncertaintySampler(uw=0)": UncertaintySampler(
            uncertainty_weight=0.0, memory=cache, random_state=0
        ),
    }


def classifiers():
    return {
        "logreg": [
            ("scale", StandardScaler()),
            ("clf", LogisticRegression(max_iter=1000)),
        ],
        "hgb": [("clf", HistGradientBoostingClassifier(random_state=0))],
    }


def _pool_stats(fitted, y_train):
    n_train = len(y_train)
    report = fitted.synthesis_report_
    added = fitted.sample_indices_[n_train:]
    y_out = np.r_[y_train, fitted.synthetic_y_][fitted.sample_indices_]
    return {
        "pool_rows": len(fitted.synthetic_y_),
        "rejection_rate": report["rejection_rate"],
        "u_real": float(fitted.uncertainty_.mean()),
        "u_real_minority": float(fitted.uncertainty_[y_train == 1].mean()),
        "u_synthetic": float(fitted.synthetic_uncertainty_.mean()),
        "synthetic_share_of_added": float(np.mean(added >= n_train)),
        "minority_share_after": float(np.mean(y_out == 1)),
    }


def main(full=False, json_path=None):
    torch.set_num_threads(1)
    datasets = {
        "breast_cancer": breast_cancer,
        "make_classification": noisy_classification,
    }
    if full:
        datasets["digits_9"] = digits_9
    n_repeats = 3 if full else 1
    cv = RepeatedStratifiedKFold(n_splits=3, n_repeats=n_repeats, random_state=0)

    folds, pools, seconds = [], [], {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as cache:
        for data_name, load in datasets.items():
            X, y = load()
            counts = np.bincount(y).tolist()
            print(
                f"{data_name}: {X.shape[0]} rows x {X.shape[1]} features, "
                f"classes {counts}",
                flush=True,
            )
            for clf_name, steps in classifiers().items():
                for method, sampler in resamplers(cache).items():
                    pipe = Pipeline([("aug", TimedSampler(sampler)), *steps])
                    res = cross_validate(
                        pipe,
                        X,
                        y,
                        cv=cv,
                        scoring=SCORING,
                        return_estimator=True,
                        return_indices=True,
                    )
                    fitted = [est.named_steps["aug"] for est in res["estimator"]]
                    # The first classifier's pass fits the sampler's models; the
                    # second reads them from the cache: keep the first timing.
                    key = (data_name, method)
                    seconds.setdefault(key, [aug.seconds_ for aug in fitted])
                    for k in range(len(fitted)):
                        folds.append(
                            {
                                "dataset": data_name,
                                "classifier": clf_name,
                                "resampler": method,
                                "fold": k,
                                **{m: float(res[f"test_{m}"][k]) for m in SCORING},
                                "resample_s": seconds[key][k],
                            }
                        )
                    if method.startswith("UncertaintySampler") and clf_name == "logreg":
                        for k, aug in enumerate(fitted):
                            train = res["indices"]["train"][k]
                            pools.append(
                                {
                                    "dataset": data_name,
                                    "resampler": method,
                                    "fold": k,
                                    **_pool_stats(aug.sampler_, y[train]),
                                }
                            )
                print(
                    f"  {clf_name} done ({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )

    frame = pd.DataFrame(folds)
    grouped = frame.drop(columns="fold").groupby(
        ["dataset", "classifier", "resampler"], sort=False
    )
    mean, std = grouped.mean(numeric_only=True), grouped.std(numeric_only=True)
    table = pd.DataFrame(index=mean.index)
    for m in SCORING:
        table[m] = [f"{a:.3f}±{s:.3f}" for a, s in zip(mean[m], std[m])]
    table["resample_s"] = mean["resample_s"].map("{:.2f}".format)
    pool_frame = pd.DataFrame(pools)
    pool_table = (
        pool_frame.groupby(["dataset", "resampler"], sort=False)
        .mean(numeric_only=True)
        .drop(columns="fold")
    )

    print()
    print(
        f"{n_repeats} x 3-fold stratified CV; mean ± std over {cv.get_n_splits()} folds"
    )
    print(table.to_string())
    print("\nUncertaintySampler synthetic pools (mean over folds):")
    print(pool_table.to_string(float_format="%.4f"))
    total = time.perf_counter() - started
    print(f"\ntotal wall time: {total:.0f} s")

    if json_path is not None:
        summary = mean.add_suffix("_mean").join(std.add_suffix("_std"))
        summary = summary.reset_index()
        payload = {
            "settings": {"full": full, "n_splits": 3, "n_repeats": n_repeats},
            "summary": summary.to_dict(orient="records"),
            "synthesis": pool_table.reset_index().to_dict(orient="records"),
            "folds": folds,
            "total_seconds": total,
        }
        Path(json_path).write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--quick", action="store_true", help="two problems, 1 x 3-fold CV (default)"
    )
    mode.add_argument(
        "--full", action="store_true", help="three problems, 3 x 3-fold CV"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    args = parser.parse_args()
    main(full=args.full, json_path=args.json)
