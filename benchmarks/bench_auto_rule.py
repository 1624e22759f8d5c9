"""Which generator should ``DriftAugmentor(generator="auto")`` pick, by table size?

For tables of 250 to 4,000 rows (a mixed table: 8 numeric columns, some of them
skewed or bimodal, and 2 categorical ones, built from ``make_classification``),
each generator is fitted through ``DriftAugmentor`` on the training rows and
judged by the quality the augmentor itself reports, on 30 % held-out training
rows (``generator_quality_``): the real-vs-synthetic classifier ROC AUC
(``detection_auc``, 0.5 = indistinguishable) and the mean per-column KS
statistic, with the fit's wall time. Mean over ``--seeds`` seeds.

The ``generator="auto"`` rule reads this table: the Gaussian copula below the
size where the VAE starts to be clearly better.

Usage::

    python benchmarks/bench_auto_rule.py            # ~5 min on 2 cores
    python benchmarks/bench_auto_rule.py --generators gaussian_copula vae gan
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd
import torch
from sklearn.datasets import make_classification

from skaug import DriftAugmentor

SIZES = (250, 500, 1000, 2000, 4000)


def mixed_table(n_rows, seed):
    X, _ = make_classification(
        n_samples=n_rows,
        n_features=10,
        n_informative=6,
        n_redundant=2,
        n_clusters_per_class=2,
        random_state=seed,
    )
    frame = pd.DataFrame(X[:, :8], columns=[f"x{i}" for i in range(8)])
    frame["x0"] = np.exp(frame["x0"])  # skewed
    frame["x1"] = frame["x1"] + 4 * (frame["x1"] > 0)  # bimodal
    frame["x2"] = np.round(frame["x2"] * 3)  # integer-valued
    levels = np.array(["low", "mid", "high"])
    frame["c0"] = pd.Categorical(levels[np.digitize(X[:, 8], [-0.5, 0.5])])
    frame["c1"] = pd.Categorical(np.where(X[:, 9] > 0.8, "rare", "common"))
    return frame


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--generators", nargs="+", default=["gaussian_copula", "vae"])
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    rows = []
    for n_rows in SIZES:
        for seed in range(args.seeds):
            X = mixed_table(n_rows, seed)
            for generator in args.generators:
                augmentor = DriftAugmentor(
                    generator=generator, validation_fraction=0.3, random_state=seed
                )
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    start = time.perf_counter()
                    augmentor.fit(X)
                    seconds = time.perf_counter() - start
                quality = augmentor.generator_quality_
                rows.append(
                    {
                        "rows": n_rows,
                        "generator": generator,
                        "seed": seed,
                        "detection_auc": quality["detection_auc"],
                        "mean_ks": quality["mean_ks"],
                        "fit_s": seconds,
                    }
                )
        print(f"# {n_rows} rows done", flush=True)
    table = (
        pd.DataFrame(rows)
        .groupby(["rows", "generator"])[["detection_auc", "mean_ks", "fit_s"]]
        .mean()
        .unstack("generator")
    )
    with pd.option_context("display.width", 200, "display.precision", 3):
        print(table.to_string())
    return table


if __name__ == "__main__":
    main()
