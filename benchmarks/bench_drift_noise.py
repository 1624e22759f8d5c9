"""How large is a drift that is only sampling noise? DriftAugmentor's gates on
random splits.

Issue 17, point 4: the gates as documented parameters with defaults chosen by
measurement. Every table of ``bench_drift_real.py``'s scenarios (and
scikit-learn's breast cancer) is split at random, as the scenarios split it
but without any drift: 60 % training pool, of which a random half is the fit
half A, and 40 % test rows (stratified on the label). ``DriftAugmentor`` is
fitted on A (``validation_fraction=0``: the generator's quality is not
measured) and augments the test set, with its labels, at
``drift_threshold=0``, so that only the significance test
(``significance``, 0.05 by default) can stop it.

Per table, over ``--seeds`` splits: the rows of A and of the test set, the
mean KS drift of every feature between them (``drift_threshold``'s measure:
its mean, 95th percentile and maximum over the splits), the share of splits
whose drift is above 0.05 and above 0.1 (what the threshold alone would let
through), the share of splits where rows were added (the significance
test's false positives; about ``significance`` if the test holds its level),
and, since the test labels are given, the share of splits where the report
said that P(y|x) changed (``concept_said``, false alarms of its
``concept_shift`` check) and the largest shortfall that check measured
(``concept_max``; it speaks from 0.1).
A split whose test set holds a category that A lacks cannot be augmented
(``augment`` refuses it) and is left out (``n_splits``).

Usage::

    python -m benchmarks.bench_drift_noise              # 50 splits a table
    python -m benchmarks.bench_drift_noise --seeds 5 --tables pima haberman

About 4 minutes on two cores with the defaults (most of it the
``concept_shift`` check's forests); everything on one thread.
"""

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from benchmarks.datasets import load_table
from skaug import DriftAugmentor

#: The tables of bench_drift_real.py's scenarios, and scikit-learn's.
TABLES = ("breast_cancer", "haberman", "pima", "vehicle0", "german", "page-blocks0")
TEST_SHARE = 0.4


def one_split(table, seed, significance=0.05):
    """Drift and outcome of one random split of a table, or None when the
    test set holds a category that the fit half lacks."""
    X, y = table.X, np.asarray(table.y)
    pool, test = train_test_split(
        np.arange(len(y)), test_size=TEST_SHARE, stratify=y, random_state=seed
    )
    fit, _ = train_test_split(pool, test_size=0.5, stratify=y[pool], random_state=seed)
    augmentor = DriftAugmentor(
        drift_threshold=0.0,
        significance=significance,
        validation_fraction=0.0,
        random_state=seed,
    ).fit(X.iloc[fit], y[fit])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            report = augmentor.augment(X.iloc[test], y[test]).report
    except ValueError:  # a category of the test rows that A never had
        return None
    return {
        "n_fit": len(fit),
        "n_test": len(test),
        "drift": report.drift_before,
        "augmented": bool(report.augmented),
        "concept": bool(report.concept_shift.get("detected", False)),
        "concept_shortfall": report.concept_shift.get("shortfall", np.nan),
    }


def summarise(name, runs):
    """One row of the table from the splits of one table."""
    frame = pd.DataFrame([r for r in runs if r is not None])
    drift = frame["drift"]
    return {
        "table": name,
        "n_fit": int(frame["n_fit"].iloc[0]),
        "n_test": int(frame["n_test"].iloc[0]),
        "n_splits": len(frame),
        "drift_mean": drift.mean(),
        "drift_p95": drift.quantile(0.95),
        "drift_max": drift.max(),
        "above_0.05": (drift > 0.05).mean(),
        "above_0.1": (drift > 0.1).mean(),
        "augmented": frame["augmented"].mean(),
        "concept_said": frame["concept"].mean(),
        "concept_max": frame["concept_shortfall"].max(),
    }


def main(tables=TABLES, seeds=50, significance=0.05):
    """Run every split, print the table and return it as records."""
    torch.set_num_threads(1)
    started = time.perf_counter()
    rows = []
    with threadpool_limits(1):
        for name in tables:
            table = load_table(name)
            runs = [one_split(table, seed, significance) for seed in range(seeds)]
            rows.append(summarise(name, runs))
            print(f"  {name}: done", flush=True)
    frame = pd.DataFrame(rows).set_index("table")
    with pd.option_context("display.width", 200, "display.precision", 3):
        print(
            f"\nmean KS of random splits (no drift), drift_threshold=0, "
            f"significance={significance}"
        )
        print(frame.to_string())
    print(f"\ntotal wall time: {time.perf_counter() - started:.0f} s")
    return json.loads(frame.reset_index().to_json(orient="records"))


def run(full=False):
    """``python -m benchmarks --parts drift_noise``."""
    return main()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", default=list(TABLES))
    parser.add_argument("--seeds", type=int, default=50, help="splits a table")
    parser.add_argument("--significance", type=float, default=0.05)
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    records = main(args.tables, args.seeds, args.significance)
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=2))
