"""Time and peak memory of UncertaintySampler and DriftAugmentor as rows grow.

The table is generated: 20 numeric columns (``make_classification``, 8
informative, 4 redundant, a 10 % minority class) and 5 categorical columns
(pandas ``category`` dtype, 2, 3, 5, 8 and 12 levels, each a noisy binning of
one numeric column, so that they depend on the rest of the row).

Each (task, size) runs in a fresh subprocess, so that its peak memory is its
own: the peak resident set size of that process (``ru_maxrss``; it covers
torch's allocations, which ``tracemalloc`` does not see), and ``base_mib``, the
peak before the timed call (interpreter, imports and the data).

Tasks:

* ``fit_resample``: ``UncertaintySampler(...).fit_resample(X, y)`` with the
  default models and settings except the epochs (below): the MC-dropout model,
  the guided conditional VAE, the latent exploration and the support guard of
  a synthetic pool of ``len(X)`` rows, the weights and the draw;
* ``fit_resample_defaults`` (only when asked for with ``--tasks``): the same
  with ``UncertaintySampler(random_state=0)`` as a user gets it: the
  early-stopped MC-dropout net (``epochs`` reports the epochs it ran) and the
  mixture-of-copulas generator fitted on the classes that get rows, so this
  is the cost of a default fit;
* ``augment``: ``DriftAugmentor(target="x0", generator="gaussian_copula")``
  fitted on the table and ``augment`` on a second table of the same size
  whose ``x0`` is shifted by half a standard deviation (KS drift ~0.2, so the
  augmentor adds up to ``0.2 * rows``); ``fit_s`` is reported beside
  ``seconds``, with ``accept``, the share of generated candidates that fell
  in a region that needed them. The Gaussian copula has no epochs, so the
  quality of its rows, and with it the number of candidates the region
  constraint rejects, does not change with the size; a net trained for a
  fixed number of epochs gets better with more rows (more steps per epoch),
  which would make the small sizes look slow.

The networks train for a fixed, small number of epochs (``EPOCHS``): their
time per epoch is linear in the rows by construction (mini-batches), so a few
epochs measure the scaling of everything around them without hours of
training. A default fit trains its nets for a budget of optimiser steps
rather than a fixed number of epochs, so above about 13,000 rows its training
share stops growing with the rows; ``--tasks fit_resample_defaults`` measures
it.

``exponent`` is the slope of log(time) against log(rows) from 10k rows up
(least squares): 1 is linear.

``--quick`` (default): 1k, 10k and 100k rows. ``--full``: up to 1M rows.
Torch runs on one thread; ``--device cuda`` puts the sampler's nets on a GPU
(``peak_mib`` is then host memory only).
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

QUICK_SIZES = [1_000, 10_000, 100_000]
FULL_SIZES = [1_000, 10_000, 100_000, 1_000_000]
TASKS = ["fit_resample", "augment"]
EXTRA_TASKS = ["fit_resample_defaults"]
EPOCHS = 1
LEVELS = [2, 3, 5, 8, 12]


def make_table(n_rows, seed=0):
    """20 numeric + 5 categorical columns and a binary label (10 % minority)."""
    from sklearn.datasets import make_classification

    X_num, y = make_classification(
        n_samples=n_rows,
        n_features=20,
        n_informative=8,
        n_redundant=4,
        weights=[0.9],
        flip_y=0.01,
        random_state=seed,
    )
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(X_num, columns=[f"x{j}" for j in range(20)])
    for j, n_levels in enumerate(LEVELS):
        noisy = X_num[:, j] + 0.5 * rng.standard_normal(n_rows)
        edges = np.quantile(noisy, np.linspace(0, 1, n_levels + 1)[1:-1])
        codes = np.searchsorted(edges, noisy)
        levels = [f"c{j}_{k}" for k in range(n_levels)]
        frame[f"cat{j}"] = pd.Categorical.from_codes(codes, categories=levels)
    return frame, y


def _maxrss_mib():
    # Linux reports KiB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker(task, n_rows, device="cpu"):
    """Run one task at one size in this process; return its measures."""
    import torch

    from skaug import DriftAugmentor, UncertaintySampler
    from skaug.models import MCDropoutClassifier, TabularVAE

    torch.set_num_threads(1)
    X, y = make_table(n_rows)
    out = {"task": task, "rows": n_rows}
    if task.startswith("fit_resample"):
        if task == "fit_resample_defaults":
            sampler = UncertaintySampler(random_state=0, device=device)
        else:
            sampler = UncertaintySampler(
                estimator=MCDropoutClassifier(max_epochs=EPOCHS),
                generator=TabularVAE(max_epochs=EPOCHS),
                random_state=0,
                device=device,
            )
        out["base_mib"] = _maxrss_mib()
        started = time.perf_counter()
        X_res, _ = sampler.fit_resample(X, y)
        out["seconds"] = time.perf_counter() - started
        out["rows_out"] = len(X_res)
        out["pool_rows"] = len(sampler.synthetic_y_)
        out["fit_seconds"] = sampler.synthesis_report_["fit_seconds"]
        # epochs run by the uncertainty net (early-stopped by default) and
        # the generator's (none for the default copula)
        generator_epochs = getattr(sampler.generator_, "max_epochs", 0)
        out["epochs"] = f"{len(sampler.estimator_.history_)}+{generator_epochs}"
    else:
        X_test, y_test = make_table(n_rows, seed=1)
        X_test["x0"] += 0.5 * X["x0"].std()
        augmentor = DriftAugmentor(
            target="x0", generator="gaussian_copula", random_state=0
        )
        out["base_mib"] = _maxrss_mib()
        started = time.perf_counter()
        augmentor.fit(X, y)
        out["fit_s"] = time.perf_counter() - started
        started = time.perf_counter()
        result = augmentor.augment(X_test, y_test)
        out["seconds"] = time.perf_counter() - started
        out["rows_added"] = int(result.report.samples_added)
        out["accept"] = result.report.acceptance_rate
        out["drift_before"] = result.report.drift_before
        out["drift_after"] = result.report.drift_after
    out["peak_mib"] = _maxrss_mib()
    return out


def _run_one(task, n_rows, timeout, device="cpu"):
    cmd = [sys.executable, "-m", "benchmarks.bench_scaling", "--worker", task]
    cmd += [str(n_rows), "--device", str(device)]
    try:
        done = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=Path(__file__).resolve().parent.parent,  # benchmarks/ importable
        )
    except subprocess.TimeoutExpired:
        return {"task": task, "rows": n_rows, "error": f"timeout after {timeout} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"task": task, "rows": n_rows, "error": " | ".join(tail)}
    return json.loads(lines[-1])


def exponent(rows, seconds, min_rows=10_000):
    """Least-squares slope of log(seconds) on log(rows), from ``min_rows`` up."""
    rows, seconds = np.asarray(rows, float), np.asarray(seconds, float)
    keep = (rows >= min_rows) & np.isfinite(seconds)
    if keep.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log(rows[keep]), np.log(seconds[keep]), 1)[0])


def run(full=False, sizes=None, tasks=None, timeout=3600, device="cpu"):
    """Run every (task, size) in its own process; print and return the table."""
    sizes = sizes or (FULL_SIZES if full else QUICK_SIZES)
    tasks = tasks or TASKS
    print(
        f"scaling ({'full' if full else 'quick'}): tasks {tasks}, rows {sizes}, "
        f"{EPOCHS} epoch(s) per net (fit_resample_defaults: the default nets' "
        f"step budget), one subprocess each, device {device}",
        flush=True,
    )
    rows = []
    for task in tasks:
        for n_rows in sizes:
            result = _run_one(task, n_rows, timeout, device)
            rows.append(result)
            shown = (
                result.get("error")
                or f"{result['seconds']:.1f} s, peak {result['peak_mib']:.0f} MiB"
            )
            print(f"  {task:13s} {n_rows:>9,d} rows: {shown}", flush=True)
    table = pd.DataFrame(rows)
    if "seconds" not in table:
        table["seconds"] = np.nan
    table["rows_per_s"] = table["rows"] / table["seconds"]
    summary = []
    for task, group in table.groupby("task", sort=False):
        ok = group.dropna(subset=["seconds"])
        summary.append(
            {
                "task": task,
                "exponent": exponent(ok["rows"], ok["seconds"]),
                "max_rows": int(ok["rows"].max()) if len(ok) else 0,
                "peak_mib_at_max": float(ok["peak_mib"].iloc[-1])
                if len(ok)
                else float("nan"),
            }
        )
    summary = pd.DataFrame(summary)
    columns = [
        c
        for c in [
            "task",
            "rows",
            "seconds",
            "rows_per_s",
            "fit_s",
            "base_mib",
            "peak_mib",
            "pool_rows",
            "epochs",
            "rows_added",
            "accept",
            "error",
        ]
        if c in table
    ]
    print()
    with pd.option_context("display.width", 200):
        print(table[columns].to_string(index=False, float_format="%.1f"))
        print(
            "\nexponent: slope of log(seconds) on log(rows) from 10k rows up "
            "(1 = linear)"
        )
        print(summary.to_string(index=False, float_format="%.2f"))
    return {
        "settings": {
            "full": full,
            "sizes": sizes,
            "epochs": EPOCHS,
            "threads": 1,
            "device": str(device),
        },
        "results": json.loads(table.to_json(orient="records")),
        "summary": json.loads(summary.to_json(orient="records")),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="up to 100k rows (default)")
    mode.add_argument("--full", action="store_true", help="up to 1M rows")
    parser.add_argument(
        "--sizes", type=int, nargs="+", help="row counts (overrides the mode's)"
    )
    parser.add_argument("--tasks", nargs="+", choices=TASKS + EXTRA_TASKS)
    parser.add_argument("--device", default="cpu", help="torch device (e.g. cuda)")
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    parser.add_argument(
        "--worker", nargs=2, metavar=("TASK", "ROWS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.worker:
        out = _worker(args.worker[0], int(args.worker[1]), args.device)
        print(json.dumps(out), flush=True)
    else:
        payload = run(
            full=args.full, sizes=args.sizes, tasks=args.tasks, device=args.device
        )
        if args.json:
            Path(args.json).write_text(json.dumps(payload, indent=2))
