"""Does AdaptiveSynthesis help a skorch net on imbalanced data, and what does it cost?

A small MLP (one hidden layer of 64 units, dropout 0.2, Adam, batch 64,
``--epochs`` epochs, no validation split) is trained on each training fold of a
stratified 3-fold cross-validation (``--seeds`` repetitions), the features
standardised on that fold. Variants:

* ``plain``: the net alone;
* ``reweight only``: ``AdaptiveSynthesis(beta=0, original_weight="balanced")``:
  no generator, the batches redrawn by class-balancing weights alone (what
  class reweighting does without synthesis);
* ``synthesis (copula)``: ``AdaptiveSynthesis(generator="gaussian_copula")``;
* ``synthesis (vae)``: ``AdaptiveSynthesis()`` (the default ``TabularVAE``);
* ``synthesis + balanced``: the VAE with ``original_weight="balanced"`` (the
  sampler's default; see the callback's docstring for why it is not the
  callback's).

Problems (the minority class is the positive label 1): ``breast_cancer`` (the
ten ``mean ...`` columns, malignant cut down to 40 of 397 rows),
``make_classification`` (1000 rows, 20 features, 5 % minority, 5 % flipped
labels) and ``wine_0`` (cultivar 0 against the rest, 14 of 133 rows); the same
problems as ``bench_sampler.py``.

Columns: mean ± std over the folds of balanced accuracy (threshold 0.5),
minority-class F1 and average precision on the test fold; ``epoch_ms``, the mean
wall time of one training epoch once synthesis runs (epochs after the warm-up,
without the epoch that fits the generator); ``overhead`` = that over the plain
net's epoch time; ``generator_s``, the time of the epoch that fits the
generator minus a plain epoch; ``share``, the synthetic share of the rows seen.

Usage::

    python benchmarks/bench_adaptive_synthesis.py            # ~3 min on 2 cores
    python benchmarks/bench_adaptive_synthesis.py --seeds 3 --json out.json
"""

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.metrics import average_precision_score, balanced_accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from skorch import NeuralNetClassifier

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_sampler import breast_cancer, noisy_classification, wine_0  # noqa: E402

from skaug.callbacks import AdaptiveSynthesis  # noqa: E402

PROBLEMS = {
    "breast_cancer": breast_cancer,
    "make_classification": noisy_classification,
    "wine_0": wine_0,
}
VARIANTS = {
    "plain": None,
    "reweight only": {"beta": 0.0, "original_weight": "balanced"},
    "synthesis (copula)": {"generator": "gaussian_copula"},
    "synthesis (vae)": {},
    "synthesis + balanced": {"original_weight": "balanced"},
}


class MLP(torch.nn.Module):
    def __init__(self, n_features, hidden=64, dropout=0.2):
        super().__init__()
        self.layers = torch.nn.Sequential(
            torch.nn.Linear(n_features, hidden),
            torch.nn.ReLU(),
            torch.nn.Dropout(dropout),
            torch.nn.Linear(hidden, 2),
        )

    def forward(self, X):
        return self.layers(X)


def make_net(n_features, epochs, synthesis, seed):
    callbacks = []
    if synthesis is not None:
        callbacks.append(
            ("synthesis", AdaptiveSynthesis(random_state=seed, **synthesis))
        )
    return NeuralNetClassifier(
        MLP,
        module__n_features=n_features,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=epochs,
        batch_size=64,
        train_split=None,
        verbose=0,
        callbacks=callbacks,
    )


def run(problem, X, y, epochs, seeds):
    rows = []
    for seed in range(seeds):
        folds = StratifiedKFold(3, shuffle=True, random_state=seed)
        for fold, (train, test) in enumerate(folds.split(X, y)):
            scaler = StandardScaler().fit(X[train])
            X_train = scaler.transform(X[train]).astype(np.float32)
            X_test = scaler.transform(X[test]).astype(np.float32)
            plain_epoch = None
            for name, synthesis in VARIANTS.items():
                net = make_net(X.shape[1], epochs, synthesis, seed)
                torch.manual_seed(seed)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    start = time.perf_counter()
                    net.fit(X_train, y[train].astype(np.int64))
                    fit_s = time.perf_counter() - start
                history = net.history
                durations = np.asarray(history[:, "dur"])
                if synthesis is None:
                    epoch_s = durations[1:].mean()
                    plain_epoch = epoch_s
                    generator_s = 0.0
                    share = 0.0
                else:
                    # epoch 1 is the warm-up, epoch 2 fits the generator
                    epoch_s = durations[2:].mean()
                    generator_s = max(durations[1] - plain_epoch, 0.0)
                    share = float(np.mean(history[1:, "synthetic_share"]))
                proba = net.predict_proba(X_test)[:, 1]
                pred = (proba >= 0.5).astype(int)
                rows.append(
                    {
                        "problem": problem,
                        "variant": name,
                        "seed": seed,
                        "fold": fold,
                        "balanced_accuracy": balanced_accuracy_score(y[test], pred),
                        "minority_f1": f1_score(y[test], pred, zero_division=0),
                        "average_precision": average_precision_score(y[test], proba),
                        "epoch_ms": 1e3 * epoch_s,
                        "overhead": epoch_s / plain_epoch,
                        "generator_s": generator_s,
                        "fit_s": fit_s,
                        "share": share,
                    }
                )
    return rows


def summarise(frame):
    metrics = ["balanced_accuracy", "minority_f1", "average_precision"]
    grouped = frame.groupby(["problem", "variant"], sort=False)
    table = pd.DataFrame(index=grouped.size().index)
    for metric in metrics:
        mean, std = grouped[metric].mean(), grouped[metric].std()
        table[metric] = [f"{m:.3f} ± {s:.3f}" for m, s in zip(mean, std)]
    for column, fmt in [
        ("epoch_ms", "{:.1f}"),
        ("overhead", "{:.2f}x"),
        ("generator_s", "{:.2f}"),
        ("share", "{:.2f}"),
    ]:
        table[column] = [fmt.format(v) for v in grouped[column].mean()]
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)

    rows = []
    for problem, load in PROBLEMS.items():
        X, y = load()
        start = time.perf_counter()
        rows.extend(run(problem, np.asarray(X), np.asarray(y), args.epochs, args.seeds))
        print(f"# {problem}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    frame = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(summarise(frame).to_string())
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=1))
    return frame


if __name__ == "__main__":
    main()
