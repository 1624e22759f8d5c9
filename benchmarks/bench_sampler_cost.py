"""What a default ``UncertaintySampler().fit_resample`` costs, as a ratio to a tree.

Issue 16 asks that a default ``fit_resample`` cost at most 5x a default
``HistGradientBoostingClassifier`` fit on the same rows, at 1k and at 10k rows
x 20 features. Absolute seconds mean little on a shared machine, so every
timing here is a ratio measured in the same run: for each size the tree, the
sampler and SMOTE (for scale) are fitted in turn, ``--repeats`` times (3 by
default) on the same table, and the ratio is the median of the sampler's times
over the median of the tree's.

The table is ``make_classification`` (20 features, 5 informative, a 10 %
minority class, seeded). Both the tree and the sampler use the threads the
machine gives them (set ``OMP_NUM_THREADS`` to compare at one thread). A
first small fit warms up torch and scikit-learn's imports, so they are not
counted. The scaling of the sampler's time and peak memory to 1M rows is
``bench_scaling.py --tasks fit_resample_defaults``.

``python -m benchmarks.bench_sampler_cost [--sizes 1000 10000] [--repeats 3]
[--json PATH]``; the suite's part ``cost``.
"""

import argparse
import json
import time

import numpy as np
from imblearn.over_sampling import SMOTE
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier

from skaug import UncertaintySampler

SIZES = (1_000, 10_000)
GOAL = 5.0


def make_table(n_rows, seed=0):
    return make_classification(
        n_samples=n_rows,
        n_features=20,
        n_informative=5,
        weights=[0.9],
        random_state=seed,
    )


def _seconds(fit):
    started = time.perf_counter()
    fit()
    return time.perf_counter() - started


def _fits(X, y, seed):
    return {
        "tree": lambda: HistGradientBoostingClassifier(random_state=seed).fit(X, y),
        "sampler": lambda: UncertaintySampler(random_state=seed).fit_resample(X, y),
        "smote": lambda: SMOTE(random_state=seed).fit_resample(X, y),
    }


def measure(n_rows, repeats=3):
    """Median seconds of each fit over ``repeats`` interleaved rounds."""
    X, y = make_table(n_rows)
    times = {name: [] for name in _fits(X, y, 0)}
    for seed in range(repeats):
        for name, fit in _fits(X, y, seed).items():
            times[name].append(_seconds(fit))
    medians = {name: float(np.median(values)) for name, values in times.items()}
    return {
        "rows": n_rows,
        "seconds": medians,
        "sampler_ratio": medians["sampler"] / medians["tree"],
        "smote_ratio": medians["smote"] / medians["tree"],
    }


def _warm_up():
    X, y = make_table(200, seed=1)
    UncertaintySampler(random_state=0).fit_resample(X, y)
    HistGradientBoostingClassifier().fit(X, y)


def run(full=False, sizes=SIZES, repeats=3):
    """The suite's entry point: a list of per-size results."""
    del full  # the same sizes in quick and full runs: it takes about a minute
    _warm_up()
    results = [measure(n, repeats) for n in sizes]
    print_table(results)
    return results


def print_table(results):
    print(
        f"default fit_resample / HistGradientBoostingClassifier fit (goal <= {GOAL}x)"
    )
    print(f"{'rows':>8} {'tree_s':>8} {'sampler_s':>10} {'ratio':>7} {'smote':>7}")
    for r in results:
        s = r["seconds"]
        verdict = "ok" if r["sampler_ratio"] <= GOAL else "over"
        print(
            f"{r['rows']:>8} {s['tree']:>8.3f} {s['sampler']:>10.3f} "
            f"{r['sampler_ratio']:>6.1f}x {r['smote_ratio']:>6.2f}x  {verdict}"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", help="write the results to this path")
    args = parser.parse_args(argv)
    results = run(sizes=args.sizes, repeats=args.repeats)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=1)


if __name__ == "__main__":
    main()
