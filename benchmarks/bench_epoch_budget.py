"""How many epochs should the default VAE train, by table size?

A ``TabularVAE`` is trained for 300 epochs on tables of growing size (a
``make_classification`` table, 20 numeric columns and a 10 % class, 70 % of
the rows for training). At a few checkpoints the training is paused to sample
as many rows as the held-out 30 % and measure the held-out real-vs-synthetic
classifier ROC AUC (C2ST: 0.5 = indistinguishable, gradient boosting, 3-fold)
and the distance-to-closest-record ratio (below 1 = closer to the training rows
than held-out real rows are). Among the checkpoints is the epoch count that the
estimators' step budget gives (``skaug.models._factory``: about 20,000 optimiser
steps, at most 300 epochs); the time column is the training time up to each
checkpoint, checks excluded.

It also records two cheap quality signals that early stopping could watch,
computed on 1,000 samples against (at most) 1,000 training rows: the RBF-kernel
MMD and the accuracy of a leave-one-out 1-nearest-neighbour classifier telling
samples from training rows (0.5 = indistinguishable).

Usage::

    python benchmarks/bench_epoch_budget.py                  # ~7 min on 2 cores
    python benchmarks/bench_epoch_budget.py --rows 570 5000 14286 50000
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from skorch.callbacks import Callback

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_generator_quality import _features, quality  # noqa: E402

from skaug.models import TabularVAE  # noqa: E402
from skaug.models._factory import GENERATOR_STEPS, budget_epochs  # noqa: E402

MAX_EPOCHS = 300
CHECKPOINTS = (25, 50, 100, 150, 200, 300)


def table(n_rows):
    X, y = make_classification(
        n_samples=n_rows, n_features=20, n_informative=8, weights=[0.9], random_state=0
    )
    X = pd.DataFrame(X, columns=[f"x{i}" for i in range(20)])
    X_train, X_hold, y_train, y_hold = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    return (X_train.reset_index(drop=True), y_train), (
        X_hold.reset_index(drop=True),
        y_hold,
    )


def _signals(real, synthetic):
    """RBF MMD (median-heuristic bandwidth) and leave-one-out 1-NN accuracy."""
    pooled = torch.cat([synthetic, real])
    sq = torch.cdist(pooled, pooled).pow(2)
    gamma = 1.0 / sq[len(synthetic) :, len(synthetic) :].median().clamp_min(1e-12)
    kernel = torch.exp(-gamma * sq)
    n = len(synthetic)
    mmd = kernel[:n, :n].mean() + kernel[n:, n:].mean() - 2 * kernel[:n, n:].mean()
    sq.fill_diagonal_(float("inf"))
    is_syn = torch.arange(len(pooled)) < n
    accuracy = (is_syn[sq.argmin(1)] == is_syn).float().mean()
    return float(mmd), float(accuracy)


class Checkpoints(Callback):
    """Measure the samples at the given epochs; time the training in between."""

    def __init__(self, train, hold, epochs):
        self.train, self.hold, self.epochs = train, hold, epochs

    def on_train_begin(self, net, **kwargs):
        self.rows_ = []
        self.transform_ = _features(self.train[0])
        rng = np.random.RandomState(0)
        encoded = net.encoder_.transform(self.train[0]).astype(np.float32)
        keep = rng.choice(len(encoded), min(1000, len(encoded)), replace=False)
        self.real_ = torch.as_tensor(encoded[keep])
        self.start_, self.paused_ = time.perf_counter(), 0.0

    def on_epoch_end(self, net, **kwargs):
        epoch = len(net.history)
        if epoch not in self.epochs:
            return
        paused = time.perf_counter()
        X_syn, _ = net.sample(1000, random_state=0)
        synthetic = torch.as_tensor(net.encoder_.transform(X_syn).astype(np.float32))
        mmd, nn_accuracy = _signals(self.real_, synthetic)
        X_syn, y_syn = net.sample(len(self.hold[0]), random_state=1)
        scores = quality(*self.transform_, self.hold, (X_syn, y_syn), self.train)
        self.rows_.append(
            {
                "epoch": epoch,
                "train_s": paused - self.start_ - self.paused_,
                "c2st_auc": scores["c2st_auc"],
                "dcr_ratio": scores["dcr_ratio"],
                "mmd": mmd,
                "nn1_accuracy": nn_accuracy,
            }
        )
        self.paused_ += time.perf_counter() - paused


def run(sizes):
    results = []
    for n_rows in sizes:
        train, hold = table(n_rows)
        vae = TabularVAE(max_epochs=MAX_EPOCHS, random_state=0)
        budget = budget_epochs(
            len(train[0]), vae.batch_size, MAX_EPOCHS, GENERATOR_STEPS
        )
        checks = Checkpoints(train, hold, sorted({*CHECKPOINTS, budget}))
        vae.set_params(callbacks=[("checkpoints", checks)]).fit(*train)
        for row in checks.rows_:
            results.append(
                {"train_rows": len(train[0]), "budget_epochs": budget, **row}
            )
        print(f"# {len(train[0])} training rows done", flush=True)
    return pd.DataFrame(results)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[570, 5000, 14286])
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    results = run(args.rows)
    with pd.option_context("display.width", 200, "display.precision", 3):
        print(results.to_string(index=False))
    return results


if __name__ == "__main__":
    main()
