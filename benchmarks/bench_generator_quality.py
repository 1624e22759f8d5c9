"""Fit time, sampling speed and synthetic quality of skaug's generators vs SDV's.

Generators: skaug's ``TabularVAE``, ``TabularGAN``, ``CopulaGAN`` and
``GaussianCopula``; SDV's ``TVAESynthesizer``, ``CTGANSynthesizer`` and
``GaussianCopulaSynthesizer`` (through ``skaug.models.SDVGenerator``) when the
``sdv`` package is importable (this script installs nothing; see the README
for a side environment). The neural ones train for the same number of epochs
with the same batch size (500, SDV's default); everything else is each
library's default (e.g. ``TabularGAN`` takes 5 critic steps per generator
step, CTGAN 1). Every generator is fitted on the features *and* the label:
skaug's are conditional on it, SDV's learn it as one more column.
Two references: ``real`` (held-in real training rows passed off as synthetic:
what a perfect copy scores) and ``marginals`` (each column drawn
independently from its empirical distribution: right marginals, no
dependence).

Tables (each split 70 % train / 30 % held out, stratified; the generators see
only the training part):

* ``numeric``: ``make_classification``, 10,000 rows, 20 numeric columns (6
  informative, 4 redundant), a 6 % minority class;
* ``mixed``: ``bench_scaling.make_table``, 5,000 rows, 20 numeric and 5
  categorical columns, a 10 % minority class.

Columns, all measured against the held-out rows with as many synthetic rows
(drawn without conditions):

* ``fit_s``; ``sample_rows_s``: rows per second of one unconditioned
  ``sample`` call;
* ``c2st_auc``: classifier two-sample test, the cross-validated ROC AUC of a
  gradient-boosting classifier telling real from synthetic rows (label
  included); 0.5 = indistinguishable, 1.0 = trivially told apart;
* ``mean_ks``: mean two-sample Kolmogorov-Smirnov statistic over the numeric
  columns; ``mean_tvd``: mean total-variation distance between the level
  frequencies of the categorical columns (lower is better for both);
* ``tstr_bacc`` and ``tstr_ap``: balanced accuracy and average precision on
  the held-out rows of a gradient-boosting classifier trained on synthetic
  rows only (train on synthetic, test on real); the ``real`` row is train on
  real, test on real;
* ``dcr_ratio``: median distance of synthetic rows to their nearest training
  row divided by the same for held-out real rows (standardised numeric, one-hot
  categorical columns): about 1 = as close to the training rows as new real
  rows are; near 0 = copies of training rows (privacy risk); well above 1 =
  rows off the data;
* ``minority_share``: share of the minority class in the unconditioned
  sample (the training share is printed above the table); skaug's
  conditional generators draw the labels from the training frequencies, so
  their share is right by construction, SDV's learn the label column;
* ``minority_fidelity``: rows generated *conditioned* on the minority class,
  classified by a gradient-boosting model trained on the real training rows:
  the share it calls minority (the ``real`` row: its recall on held-out real
  minority rows). NaN when the generator could not produce them (SDV's TVAE
  conditions by rejection and gives up on rare classes).

``--quick`` (default): 30 epochs (enough to rank the generators, not to
reach their best); ``--full``: 300 epochs (both libraries' default). Torch
runs on one thread; a warm-up fit runs first (the first optimizer step in a
process loads part of torch).
"""

import argparse
import importlib.util
import json
import time
import warnings

import numpy as np
import pandas as pd
import torch
from scipy.stats import ks_2samp
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skaug.models import CopulaGAN, GaussianCopula, TabularGAN, TabularVAE

try:  # python -m benchmarks... or python benchmarks/this_script.py
    from benchmarks.bench_scaling import make_table
except ImportError:
    from bench_scaling import make_table

BATCH_SIZE = 500
SEED = 0


def numeric_table():
    X, y = make_classification(
        n_samples=10_000,
        n_features=20,
        n_informative=6,
        n_redundant=4,
        weights=[0.94],
        flip_y=0.01,
        random_state=SEED,
    )
    return pd.DataFrame(X, columns=[f"x{j}" for j in range(20)]), y


def mixed_table():
    return make_table(5_000, seed=SEED)


TABLES = {"numeric": numeric_table, "mixed": mixed_table}


class RealRows:
    """Reference: sample held-in training rows (a perfect copy)."""

    def fit(self, X, y):
        self.X_, self.y_ = X.reset_index(drop=True), np.asarray(y)
        return self

    def sample(self, n, y=None, random_state=None):
        rng = np.random.default_rng(random_state)
        pool = np.arange(len(self.y_)) if y is None else np.flatnonzero(self.y_ == y)
        pick = rng.choice(pool, n, replace=n > len(pool))
        return self.X_.iloc[pick].reset_index(drop=True), self.y_[pick]


class Marginals(RealRows):
    """Reference: each column (and the label) drawn independently."""

    def sample(self, n, y=None, random_state=None):
        rng = np.random.default_rng(random_state)
        X = pd.DataFrame(
            {
                c: self.X_[c].to_numpy()[rng.integers(0, len(self.X_), n)]
                for c in self.X_.columns
            }
        )
        for c in self.X_.columns:
            if isinstance(self.X_[c].dtype, pd.CategoricalDtype):
                X[c] = pd.Categorical(X[c], dtype=self.X_[c].dtype)
        labels = self.y_[rng.integers(0, len(self.y_), n)] if y is None else y
        return X, np.broadcast_to(labels, (n,)).copy()


class SDVRaw:
    """SDV synthesizer through ``skaug.models.SDVGenerator``; unconditioned
    rows come straight from SDV (the label is one of its columns), conditioned
    ones through the adapter (``sample_from_conditions``)."""

    def __init__(self, synthesizer, epochs):
        from skaug.models import SDVGenerator

        params = {}
        if synthesizer != "gaussian_copula":
            params = {"epochs": epochs, "batch_size": BATCH_SIZE, "enable_gpu": False}
        self.gen = SDVGenerator(
            synthesizer=synthesizer, synthesizer_params=params, random_state=SEED
        )

    def fit(self, X, y):
        self.columns_, self.dtypes_ = list(X.columns), X.dtypes
        self.gen.fit(X, y)
        return self

    def sample(self, n, y=None, random_state=None):
        if y is not None:
            return self.gen.sample(n, y=y, random_state=random_state)
        table = self.gen.synthesizer_.sample(num_rows=n)
        if isinstance(table, dict):
            (table,) = table.values()
        X = pd.DataFrame(
            {c: table[f"x{j}"].to_numpy() for j, c in enumerate(self.columns_)}
        )
        X = X.astype(dict(self.dtypes_))
        labels = self.gen.classes_[table["y"].astype(int).to_numpy()]
        return X, labels


def generators(epochs, with_sdv):
    common = {"max_epochs": epochs, "batch_size": BATCH_SIZE, "random_state": SEED}
    gens = {
        "real": lambda: RealRows(),
        "marginals": lambda: Marginals(),
        "skaug TabularVAE": lambda: TabularVAE(**common),
        "skaug TabularGAN": lambda: TabularGAN(**common),
        "skaug CopulaGAN": lambda: CopulaGAN(**common),
        "skaug GaussianCopula": lambda: GaussianCopula(random_state=SEED),
    }
    if with_sdv:
        gens["SDV TVAE"] = lambda: SDVRaw("tvae", epochs)
        gens["SDV CTGAN"] = lambda: SDVRaw("ctgan", epochs)
        gens["SDV GaussianCopula"] = lambda: SDVRaw("gaussian_copula", epochs)
    return gens


def _features(X_train):
    numeric = [c for c in X_train.columns if X_train[c].dtype.kind in "fiub"]
    categorical = [c for c in X_train.columns if c not in numeric]
    transform = ColumnTransformer(
        [
            ("num", StandardScaler(), numeric),
            ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
        ],
        sparse_threshold=0.0,
    )
    return transform.fit(X_train), numeric, categorical


def _classifier():
    return HistGradientBoostingClassifier(max_iter=100, random_state=SEED)


def quality(transform, numeric, categorical, real, synthetic, train):
    """The quality columns (see the module docstring)."""
    (X_hold, y_hold), (X_syn, y_syn), (X_train, _) = real, synthetic, train
    T_hold, T_syn = transform.transform(X_hold), transform.transform(X_syn)
    data = np.vstack(
        [np.c_[T_hold, np.asarray(y_hold)], np.c_[T_syn, np.asarray(y_syn)]]
    )
    is_syn = np.r_[np.zeros(len(T_hold)), np.ones(len(T_syn))]
    cv = StratifiedKFold(3, shuffle=True, random_state=SEED)
    proba = cross_val_predict(
        _classifier(), data, is_syn, cv=cv, method="predict_proba"
    )
    ks = [ks_2samp(X_hold[c], X_syn[c]).statistic for c in numeric]
    tvd = []
    for c in categorical:
        p = X_hold[c].astype(object).value_counts(normalize=True)
        q = X_syn[c].astype(object).value_counts(normalize=True)
        tvd.append(0.5 * p.sub(q, fill_value=0.0).abs().sum())
    out = {
        "c2st_auc": roc_auc_score(is_syn, proba[:, 1]),
        "mean_ks": float(np.mean(ks)) if ks else np.nan,
        "mean_tvd": float(np.mean(tvd)) if tvd else np.nan,
    }
    if len(np.unique(y_syn)) > 1:
        clf = _classifier().fit(T_syn, y_syn)
        out["tstr_bacc"] = balanced_accuracy_score(y_hold, clf.predict(T_hold))
        out["tstr_ap"] = average_precision_score(
            y_hold, clf.predict_proba(T_hold)[:, 1]
        )
    else:
        out["tstr_bacc"] = out["tstr_ap"] = np.nan
    nn = NearestNeighbors(n_neighbors=1).fit(transform.transform(X_train))
    d_syn = np.median(nn.kneighbors(T_syn)[0])
    d_real = np.median(nn.kneighbors(T_hold)[0])
    out["dcr_ratio"] = d_syn / d_real
    return out


def run(full=False, epochs=None, tables=None):
    torch.set_num_threads(1)
    epochs = epochs or (300 if full else 30)
    with_sdv = importlib.util.find_spec("sdv") is not None
    print(
        f"generators ({'full' if full else 'quick'}): {epochs} epochs, batch size "
        f"{BATCH_SIZE}; SDV: "
        + (
            f"{__import__('sdv').__version__}"
            if with_sdv
            else "not installed, skipped (see benchmarks/README.md)"
        ),
        flush=True,
    )
    X_warm, y_warm = numeric_table()
    TabularVAE(max_epochs=1, random_state=SEED).fit(X_warm[:200], y_warm[:200])
    rows = []
    for table_name in tables or TABLES:
        X, y = TABLES[table_name]()
        X_train, X_hold, y_train, y_hold = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=SEED
        )
        X_train, X_hold = X_train.reset_index(drop=True), X_hold.reset_index(drop=True)
        transform, numeric, categorical = _features(X_train)
        oracle = _classifier().fit(transform.transform(X_train), y_train)
        hold_minority = X_hold[y_hold == 1]
        n_hold = len(y_hold)
        print(
            f"{table_name}: {len(y_train)} training rows, {n_hold} held out, "
            f"minority share {np.mean(y_train == 1):.3f}",
            flush=True,
        )
        for gen_name, make in generators(epochs, with_sdv).items():
            row = {"table": table_name, "generator": gen_name}
            gen = make()
            started = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    gen.fit(X_train, y_train)
                except Exception as exc:  # report and go on
                    row["error"] = f"fit: {type(exc).__name__}: {exc}"[:200]
                    rows.append(row)
                    print(f"  {gen_name}: {row['error']}", flush=True)
                    continue
                row["fit_s"] = time.perf_counter() - started
                started = time.perf_counter()
                X_syn, y_syn = gen.sample(n_hold, random_state=SEED)
                row["sample_rows_s"] = n_hold / (time.perf_counter() - started)
                row["minority_share"] = float(np.mean(np.asarray(y_syn) == 1))
                row.update(
                    quality(
                        transform,
                        numeric,
                        categorical,
                        (X_hold, y_hold),
                        (X_syn, y_syn),
                        (X_train, y_train),
                    )
                )
                if gen_name == "real":
                    X_cond = hold_minority
                else:
                    try:
                        X_cond, _ = gen.sample(
                            len(hold_minority), y=1, random_state=SEED
                        )
                    except Exception as exc:
                        X_cond = None
                        row["note"] = f"conditioned: {type(exc).__name__}: {exc}"[:90]
                row["minority_fidelity"] = (
                    np.nan
                    if X_cond is None
                    else float(
                        np.mean(oracle.predict(transform.transform(X_cond)) == 1)
                    )
                )
            rows.append(row)
            print(
                f"  {gen_name}: fit {row['fit_s']:.1f} s, C2ST AUC "
                f"{row['c2st_auc']:.3f}",
                flush=True,
            )
    table = pd.DataFrame(rows)
    columns = [
        c
        for c in [
            "fit_s",
            "sample_rows_s",
            "c2st_auc",
            "mean_ks",
            "mean_tvd",
            "tstr_bacc",
            "tstr_ap",
            "dcr_ratio",
            "minority_share",
            "minority_fidelity",
            "note",
            "error",
        ]
        if c in table
    ]
    print()
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        shown = table.set_index(["table", "generator"])[columns]
        print(shown.to_string(float_format="%.3f"))
    return {
        "settings": {
            "full": full,
            "epochs": epochs,
            "batch_size": BATCH_SIZE,
            "sdv": with_sdv,
            "threads": 1,
        },
        "results": json.loads(table.to_json(orient="records")),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="30 epochs (default)")
    mode.add_argument("--full", action="store_true", help="300 epochs")
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    args = parser.parse_args()
    payload = run(full=args.full)
    if args.json:
        from pathlib import Path

        Path(args.json).write_text(json.dumps(payload, indent=2))
