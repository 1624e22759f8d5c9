"""Synthetic-data quality of skaug's generators on scikit-learn datasets.

For each dataset the real rows are split in half: the generator is fitted on the
training half, and its samples are compared with the held-out half.

* ``detection_auc``: 5-fold ROC AUC of a random forest telling held-out real rows
  from synthetic rows (0.5 = indistinguishable, 1.0 = trivially separated);
* ``mean_ks``: mean two-sample Kolmogorov-Smirnov statistic over columns;
* ``tstr_bacc``: balanced accuracy on the held-out real rows of a random forest
  trained on synthetic rows only (train on synthetic, test on real);
* ``fit_s`` and ``sample_rows_per_s``: wall time.

Baselines: ``uniform`` draws each column independently and uniformly over its
range; ``marginals`` draws each column independently from its empirical
distribution (perfect marginals, no correlations), labels drawn likewise.
"""

import argparse
import time

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split

from skaug.models import TabularVAE


class UniformBaseline:
    def fit(self, X, y):
        self.X_, self.y_ = X, np.asarray(y)
        return self

    def sample(self, n, random_state=None):
        rng = np.random.default_rng(random_state)
        X = pd.DataFrame(
            rng.uniform(self.X_.min(), self.X_.max(), size=(n, self.X_.shape[1])),
            columns=self.X_.columns,
        )
        return X, rng.choice(np.unique(self.y_), size=n)


class MarginalsBaseline(UniformBaseline):
    def sample(self, n, random_state=None):
        rng = np.random.default_rng(random_state)
        X = pd.DataFrame(
            {c: rng.choice(self.X_[c].to_numpy(), size=n) for c in self.X_.columns}
        )
        return X, rng.choice(self.y_, size=n)


def _quality(X_real, y_real, X_syn, y_syn, seed):
    data = pd.concat([X_real, X_syn], ignore_index=True)
    label = np.r_[np.zeros(len(X_real)), np.ones(len(X_syn))]
    cv = StratifiedKFold(5, shuffle=True, random_state=seed)
    forest = RandomForestClassifier(n_estimators=100, random_state=seed)
    auc = cross_val_score(forest, data, label, cv=cv, scoring="roc_auc").mean()
    ks = np.mean([ks_2samp(X_real[c], X_syn[c]).statistic for c in X_real.columns])
    tstr = RandomForestClassifier(n_estimators=100, random_state=seed)
    tstr.fit(X_syn, y_syn)
    bacc = balanced_accuracy_score(y_real, tstr.predict(X_real))
    return auc, ks, bacc


def main(full=False):
    datasets = {"breast_cancer": load_breast_cancer, "wine": load_wine}
    seeds = [0, 1, 2] if full else [0]
    epochs = 600 if full else 300
    generators = {
        "uniform": lambda seed: UniformBaseline(),
        "marginals": lambda seed: MarginalsBaseline(),
        "TabularVAE": lambda seed: TabularVAE(max_epochs=epochs, random_state=seed),
    }
    rows = []
    for data_name, loader in datasets.items():
        X, y = loader(return_X_y=True, as_frame=True)
        for seed in seeds:
            X_tr, X_te, y_tr, y_te = train_test_split(
                X, y, test_size=0.5, stratify=y, random_state=seed
            )
            for gen_name, make in generators.items():
                gen = make(seed)
                start = time.perf_counter()
                gen.fit(X_tr, y_tr)
                fit_s = time.perf_counter() - start
                start = time.perf_counter()
                X_syn, y_syn = gen.sample(len(X_te), random_state=seed)
                rate = len(X_te) / max(time.perf_counter() - start, 1e-9)
                auc, ks, bacc = _quality(X_te, y_te, X_syn, y_syn, seed)
                rows.append(
                    {
                        "dataset": data_name,
                        "generator": gen_name,
                        "seed": seed,
                        "fit_s": fit_s,
                        "sample_rows_per_s": rate,
                        "detection_auc": auc,
                        "mean_ks": ks,
                        "tstr_bacc": bacc,
                    }
                )
    table = (
        pd.DataFrame(rows)
        .groupby(["dataset", "generator"], sort=False)
        .mean(numeric_only=True)
        .drop(columns="seed")
    )
    real = {}
    for data_name, loader in datasets.items():
        X, y = loader(return_X_y=True, as_frame=True)
        X_tr, X_te, y_tr, y_te = train_test_split(
            X, y, test_size=0.5, stratify=y, random_state=0
        )
        forest = RandomForestClassifier(n_estimators=100, random_state=0)
        real[data_name] = balanced_accuracy_score(
            y_te, forest.fit(X_tr, y_tr).predict(X_te)
        )
    print(table.round(3).to_string())
    print("\nreference, train on real / test on real balanced accuracy:")
    for name, score in real.items():
        print(f"  {name}: {score:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="more epochs and seeds")
    main(full=parser.parse_args().full)
