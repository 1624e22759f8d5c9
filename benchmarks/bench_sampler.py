"""Downstream comparison of UncertaintySampler with imbalanced-learn's over-samplers.

Each resampler is the first step of an :class:`imblearn.pipeline.Pipeline`
before a classifier, so it only sees the training folds of a repeated
stratified cross-validation (``cross_validate``). The minority class is the
positive label 1 everywhere.

Resamplers: no resampling, ``RandomOverSampler``, ``SMOTE``,
``BorderlineSMOTE``, ``ADASYN``, ``UncertaintySampler()`` with default settings,
as an ablation ``UncertaintySampler(uncertainty_weight=0)`` (the same VAE
without the uncertainty term in its loss: an unguided generator; the latent
exploration still prefers uncertain candidates) and
``UncertaintySampler(tuned)``: inside each outer training fold a
``GridSearchCV`` (inner stratified CV, scored on balanced accuracy) over
``aug__alpha`` in {0.25, 1, 4} with ``aug__beta=1`` (only alpha / beta matters:
the weights are normalised within each class) and ``aug__uncertainty_weight``
in {0, 1}. All samplers share one ``memory=`` directory, so the networks are
fitted once per (inner) fold and ``uncertainty_weight``; changing ``alpha``
refits only the classifier, and the refit on the outer fold reuses the models
that the default sampler or the ablation already fitted there.

Classifiers: ``LogisticRegression`` after a ``StandardScaler``, and
``HistGradientBoostingClassifier``.

Problems:

* ``breast_cancer``: the ten ``mean ...`` columns (on all 30 a linear model is
  nearly perfect), malignant tumours cut down to 40 of 397 rows (10 %);
* ``make_classification``: 1000 rows, 20 features (5 informative, 5 redundant),
  ``weights=[0.95]`` and 5 % of the labels flipped at random (``flip_y``);
* ``wine_0``: wine cultivar 0 against the rest, 13 features, cultivar 0 cut
  down to 14 of 133 rows (10.5 %);
* ``make_classification_2pct``: as ``make_classification`` but
  ``weights=[0.98]`` and the default ``flip_y=0.01`` (21 of 1000 rows, 2.1 %);
* ``moons``: ``make_moons`` with ``noise=0.3``, 360 rows of one moon and 40 of
  the other (10 %), 2 features;
* ``digits_9``: digit 9 against the rest, 1797 rows, 64 features (``--full``
  only: it is the slowest for the neural sampler).

Columns: mean ± std over the folds of balanced accuracy, minority-class F1 and
average precision; ``resample_s``, the mean wall time of ``fit_resample`` on a
training fold (empty for the tuned sampler), and ``fit_s``, the mean wall time
of fitting the whole pipeline on a training fold (for the tuned sampler: the
grid search, with the refit). ``UncertaintySampler`` caches its fitted models
per fold (``memory=``), so the second classifier and the tuned variant reuse
them; both timings are those of the first classifier's pass.

A "grid cost" table times, on one problem and the same 3 stratified folds,
``GridSearchCV`` over the 3 x 3 grid ``alpha``, ``beta`` in {0.25, 1, 4}
(``refit=False``, ``memory=`` a fresh temporary directory) against
``cross_validate`` of one default ``UncertaintySampler`` pipeline without
``memory``. Their ratio is the price of the grid (the aim is <= 1.5x).

A paired table gives each resampler's score minus no resampling's on the
same fold, mean ± standard error over the folds. The folds' own spread is
large on the small classes (``make_classification_2pct`` leaves 7 positives
in a test fold: average precision varies by ±0.13 between folds) but mostly
cancels in the difference; ``--repeats 10`` pins a difference down to about
±0.02 there.

A second table describes the synthetic pools of the two ``UncertaintySampler``
variants (mean over folds): ``pool_rows`` (after the support guard; the default
``n_synthetic=2.0`` asks for twice as many rows as the training fold has),
``rejection_rate`` of the guard, the mean uncertainty of the real rows
(``u_real``), of the real minority rows and of the synthetic rows,
``synthetic_share_of_added`` (share of the added rows that are synthetic) and
``minority_share_after`` (0.5 = balanced).

``--quick`` (default): the five problems without ``digits_9``, logistic
regression only, 1 x 3-fold CV; the tuned sampler on the three problems with at
most 400 rows, with an inner 2-fold CV; the grid cost on ``wine_0``.
``--full``: six problems, both classifiers, 3 x 3-fold CV, the tuned sampler
everywhere with an inner 3-fold CV, the grid cost on ``breast_cancer``.
Torch runs on one thread so that timings are steady.
"""

import argparse
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.base import BaseEstimator, clone
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_wine,
    make_classification,
    make_moons,
)
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    RepeatedStratifiedKFold,
    StratifiedKFold,
    cross_validate,
)
from sklearn.preprocessing import StandardScaler

from skaug import UncertaintySampler

SCORING = {
    "balanced_accuracy": "balanced_accuracy",
    "minority_f1": "f1",
    "average_precision": "average_precision",
}


class TimedSampler(BaseEstimator):
    """Run ``sampler.fit_resample`` (or pass the data through) and time it."""

    def __init__(self, sampler=None):
        self.sampler = sampler

    def fit_resample(self, X, y):
        start = time.perf_counter()
        if self.sampler is None:
            self.sampler_ = None
            out = X, y
        else:
            self.sampler_ = clone(self.sampler)
            out = self.sampler_.fit_resample(X, y)
        self.seconds_ = time.perf_counter() - start
        return out


def _subsample_minority(X, y, size):
    rng = np.random.RandomState(0)
    minority = rng.choice(np.flatnonzero(y == 1), size=size, replace=False)
    keep = np.sort(np.r_[np.flatnonzero(y == 0), minority])
    return X[keep], y[keep]


def breast_cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X[[c for c in X.columns if c.startswith("mean ")]].to_numpy()
    y = 1 - y.to_numpy()  # 1 = malignant
    return _subsample_minority(X, y, 40)


def wine_0():
    X, y = load_wine(return_X_y=True)
    return _subsample_minority(X, (y == 0).astype(int), 14)


def rare_classification():
    return make_classification(
        n_samples=1000,
        n_features=20,
        n_informative=5,
        n_redundant=5,
        weights=[0.98],
        random_state=0,
    )


def moons():
    return make_moons(n_samples=(360, 40), noise=0.3, random_state=0)


def noisy_classification():
    return make_classification(
        n_samples=1000,
        n_features=20,
        n_informative=5,
        n_redundant=5,
        weights=[0.95],
        flip_y=0.05,
        random_state=0,
    )


def digits_9():
    X, y = load_digits(return_X_y=True)
    return X, (y == 9).astype(int)


def resamplers(cache):
    return {
        "none": None,
        "RandomOverSampler": RandomOverSampler(random_state=0),
        "SMOTE": SMOTE(random_state=0),
        "BorderlineSMOTE": BorderlineSMOTE(random_state=0),
        "ADASYN": ADASYN(random_state=0),
        "UncertaintySampler": UncertaintySampler(memory=cache, random_state=0),
        "UncertaintySampler(uw=0)": UncertaintySampler(
            uncertainty_weight=0.0, memory=cache, random_state=0
        ),
    }


def classifiers():
    return {
        "logreg": [
            ("scale", StandardScaler()),
            ("clf", LogisticRegression(max_iter=1000)),
        ],
        "hgb": [("clf", HistGradientBoostingClassifier(random_state=0))],
    }


TUNED = "UncertaintySampler(tuned)"
TUNED_GRID = {
    "aug__alpha": [0.25, 1.0, 4.0],
    "aug__beta": [1.0],
    "aug__uncertainty_weight": [0.0, 1.0],
}
INNER_SCORING = "balanced_accuracy"


def tuned_sampler(steps, cache, inner_splits):
    """GridSearchCV over the sampler's alpha and uncertainty_weight."""
    pipe = Pipeline([("aug", UncertaintySampler(memory=cache, random_state=0)), *steps])
    inner = StratifiedKFold(n_splits=inner_splits, shuffle=True, random_state=0)
    return GridSearchCV(pipe, TUNED_GRID, cv=inner, scoring=INNER_SCORING)


def grid_cost(X, y, steps):
    """Seconds of a 3 x 3 alpha / beta grid (cached) vs one fit per fold."""
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    single = Pipeline([("aug", UncertaintySampler(random_state=0)), *steps])
    start = time.perf_counter()
    cross_validate(clone(single), X, y, cv=folds, scoring=INNER_SCORING)
    single_s = time.perf_counter() - start
    grid = {"aug__alpha": [0.25, 1.0, 4.0], "aug__beta": [0.25, 1.0, 4.0]}
    with tempfile.TemporaryDirectory() as cache:
        pipe = clone(single).set_params(aug__memory=cache)
        search = GridSearchCV(pipe, grid, cv=folds, scoring=INNER_SCORING, refit=False)
        start = time.perf_counter()
        search.fit(X, y)
        grid_s = time.perf_counter() - start
    return {
        "one_fit_per_fold_s": single_s,
        "grid_3x3_s": grid_s,
        "ratio": grid_s / single_s,
    }


def _pool_stats(fitted, y_train):
    n_train = len(y_train)
    report = fitted.synthesis_report_
    added = fitted.sample_indices_[n_train:]
    y_out = np.r_[y_train, fitted.synthetic_y_][fitted.sample_indices_]
    return {
        "pool_rows": len(fitted.synthetic_y_),
        "rejection_rate": report["rejection_rate"],
        "u_real": float(fitted.uncertainty_.mean()),
        "u_real_minority": float(fitted.uncertainty_[y_train == 1].mean()),
        "u_synthetic": float(fitted.synthetic_uncertainty_.mean()),
        "synthetic_share_of_added": float(np.mean(added >= n_train)),
        "minority_share_after": float(np.mean(y_out == 1)),
    }


PROBLEMS = {
    "breast_cancer": breast_cancer,
    "make_classification": noisy_classification,
    "wine_0": wine_0,
    "make_classification_2pct": rare_classification,
    "moons": moons,
    "digits_9": digits_9,
}


@dataclass
class _Plan:
    """What one ``main`` run does: the mode's defaults with the caller's
    overrides, worked out once so that the steps below need not re-derive them."""

    full: bool
    datasets: dict
    clfs: dict
    n_repeats: int
    inner_splits: int
    tuned_max_rows: int | None
    tuned_problems: list | None
    grid_task: str
    with_grid: bool

    def tunes(self, data_name, n_rows):
        """Whether the tuned sampler runs on this problem: the caller's list
        wins, else the mode's row limit (none in ``--full``)."""
        if self.tuned_problems is not None:
            return data_name in self.tuned_problems
        return self.tuned_max_rows is None or n_rows <= self.tuned_max_rows

    def tuned_scope(self):
        """Where the tuned sampler runs, in words, for the opening line."""
        if self.tuned_problems is not None:
            return ", ".join(self.tuned_problems)
        if self.tuned_max_rows is None:
            return "every problem"
        return f"<= {self.tuned_max_rows} rows"

    def describe(self):
        """The opening line: the mode and what it runs."""
        return (
            f"mode: {'full' if self.full else 'quick'}: {len(self.datasets)} "
            f"problems, classifiers {list(self.clfs)}, {self.n_repeats} x 3-fold "
            f"outer CV; tuned sampler with inner {self.inner_splits}-fold CV on "
            + self.tuned_scope()
            + (f"; grid cost on {self.grid_task}" if self.with_grid else "")
        )


def _make_plan(full, problems, tuned_problems, with_grid, classifier_names, n_repeats):
    """Fill in the mode's defaults (see the module docstring) where the
    caller passed ``None``."""
    if problems is None:
        problems = [name for name in PROBLEMS if full or name != "digits_9"]
    if n_repeats is None:
        n_repeats = 3 if full else 1
    if classifier_names is None:
        classifier_names = ["logreg", "hgb"] if full else ["logreg"]
    return _Plan(
        full=full,
        datasets={name: PROBLEMS[name] for name in problems},
        clfs={name: classifiers()[name] for name in classifier_names},
        n_repeats=n_repeats,
        inner_splits=3 if full else 2,
        tuned_max_rows=None if full else 400,
        tuned_problems=tuned_problems,
        grid_task="breast_cancer" if full else "wine_0",
        with_grid=with_grid,
    )


def _methods(plan, steps, cache, data_name, n_rows):
    """The pipelines to compare on one problem with one classifier's steps."""
    methods = {
        name: Pipeline([("aug", TimedSampler(sampler)), *steps])
        for name, sampler in resamplers(cache).items()
    }
    if plan.tunes(data_name, n_rows):
        methods[TUNED] = tuned_sampler(steps, cache, plan.inner_splits)
    return methods


def _timings(res, method):
    """Per-fold ``fit_resample`` and pipeline-fit seconds of one method; the
    tuned sampler's search has no single resample step to time."""
    if method == TUNED:
        resample_s = [np.nan] * len(res["fit_time"])
    else:
        resample_s = [est.named_steps["aug"].seconds_ for est in res["estimator"]]
    return resample_s, list(res["fit_time"])


def _tuned_choices(res, data_name, clf_name):
    """The sampler parameters the inner search chose in each outer fold."""
    return [
        {
            "dataset": data_name,
            "classifier": clf_name,
            "fold": k,
            **{p.removeprefix("aug__"): v for p, v in search.best_params_.items()},
        }
        for k, search in enumerate(res["estimator"])
    ]


def _has_pool(method, clf_name):
    """Pool statistics come from the untuned UncertaintySampler variants; the
    pools do not depend on the classifier, so logreg's pass describes them."""
    return (
        method in resamplers(None)
        and method.startswith("UncertaintySampler")
        and clf_name == "logreg"
    )


def _pool_rows(res, y, data_name, method):
    """One row of synthetic-pool statistics per outer fold."""
    return [
        {
            "dataset": data_name,
            "resampler": method,
            "fold": k,
            **_pool_stats(est.named_steps["aug"].sampler_, y[train]),
        }
        for k, (est, train) in enumerate(zip(res["estimator"], res["indices"]["train"]))
    ]


def _evaluate(pipe, X, y, cv, names, seconds):
    """Cross-validate one resampler on one problem with one classifier.

    ``names`` is ``(dataset, classifier, resampler)``; ``seconds`` maps
    ``(dataset, resampler)`` to the timings of the first classifier's pass.
    Returns the fold rows, the pool rows and the tuned sampler's choices.
    """
    data_name, clf_name, method = names
    res = cross_validate(
        pipe,
        X,
        y,
        cv=cv,
        scoring=SCORING,
        return_estimator=True,
        return_indices=True,
    )
    # The first classifier's pass fits the sampler's models; the second reads
    # them from the cache: keep the first timings.
    resample_s, fit_s = seconds.setdefault((data_name, method), _timings(res, method))
    folds = [
        {
            "dataset": data_name,
            "classifier": clf_name,
            "resampler": method,
            "fold": k,
            **{m: float(res[f"test_{m}"][k]) for m in SCORING},
            "resample_s": resample_s[k],
            "fit_s": fit_s[k],
        }
        for k in range(len(res["fit_time"]))
    ]
    pools = _pool_rows(res, y, data_name, method) if _has_pool(method, clf_name) else []
    chosen = _tuned_choices(res, data_name, clf_name) if method == TUNED else []
    return folds, pools, chosen


def _run_problem(plan, data_name, cv, cache, seconds, started):
    """Every method with every classifier on one problem; returns the fold
    rows, pool rows and tuned choices in the order they ran."""
    folds, pools, chosen = [], [], []
    X, y = plan.datasets[data_name]()
    counts = np.bincount(y).tolist()
    print(
        f"{data_name}: {X.shape[0]} rows x {X.shape[1]} features, classes {counts}",
        flush=True,
    )
    for clf_name, steps in plan.clfs.items():
        for method, pipe in _methods(plan, steps, cache, data_name, len(y)).items():
            names = (data_name, clf_name, method)
            new_folds, new_pools, new_chosen = _evaluate(pipe, X, y, cv, names, seconds)
            folds += new_folds
            pools += new_pools
            chosen += new_chosen
        print(f"  {clf_name} done ({time.perf_counter() - started:.0f} s)", flush=True)
    return folds, pools, chosen


def _run_problems(plan, cv, started):
    """All problems, sharing one ``memory=`` cache and one timing record."""
    folds, pools, chosen, seconds = [], [], [], {}
    with tempfile.TemporaryDirectory() as cache:
        for data_name in plan.datasets:
            new_folds, new_pools, new_chosen = _run_problem(
                plan, data_name, cv, cache, seconds, started
            )
            folds += new_folds
            pools += new_pools
            chosen += new_chosen
    return folds, pools, chosen


def _run_grid_cost(plan, started):
    """The grid-cost row on the mode's problem, or ``None`` when skipped."""
    if not plan.with_grid:
        return None
    X, y = PROBLEMS[plan.grid_task]()
    cost = grid_cost(X, y, classifiers()["logreg"])
    print(f"  grid cost done ({time.perf_counter() - started:.0f} s)", flush=True)
    return cost


def _score_table(mean, std):
    """Scores as "mean±std" strings, timings as plain means."""
    table = pd.DataFrame(index=mean.index)
    for m in SCORING:
        table[m] = [f"{a:.3f}±{s:.3f}" for a, s in zip(mean[m], std[m])]
    table["resample_s"] = mean["resample_s"].map("{:.2f}".format)
    table["fit_s"] = mean["fit_s"].map("{:.2f}".format)
    return table


def _pool_table(pools):
    """Mean synthetic-pool statistics per problem and sampler variant."""
    return (
        pd.DataFrame(pools)
        .groupby(["dataset", "resampler"], sort=False)
        .mean(numeric_only=True)
        .drop(columns="fold")
    )


def _chosen_table(chosen):
    """The tuned sampler's choices, one space-separated value per fold."""
    frame = pd.DataFrame(
        chosen, columns=["dataset", "classifier", "alpha", "uncertainty_weight"]
    )
    return frame.groupby(["dataset", "classifier"], sort=False).agg(
        alpha=("alpha", lambda v: " ".join(f"{a:g}" for a in v)),
        uncertainty_weight=(
            "uncertainty_weight",
            lambda v: " ".join(f"{a:g}" for a in v),
        ),
    )


def _best_resamplers(mean):
    """The resampler with the highest mean of each metric, per problem and
    classifier."""
    return (
        mean.reset_index()
        .groupby(["dataset", "classifier"], sort=False)
        .apply(
            lambda g: pd.Series(
                {m: g.loc[g[m].idxmax(), "resampler"] for m in SCORING}
            ),
            include_groups=False,
        )
    )


def _summarise(folds, pools, chosen):
    """Every table that ``main`` prints or returns, by name."""
    frame = pd.DataFrame(folds)
    grouped = frame.drop(columns="fold").groupby(
        ["dataset", "classifier", "resampler"], sort=False
    )
    mean, std = grouped.mean(numeric_only=True), grouped.std(numeric_only=True)
    return {
        "mean": mean,
        "std": std,
        "scores": _score_table(mean, std),
        "pools": _pool_table(pools),
        "chosen": _chosen_table(chosen),
        "paired": paired_differences(frame),
        "rank": _best_resamplers(mean),
    }


def _print_tables(plan, cv, tables, cost):
    """The result tables, in the order the module docstring describes them."""
    print()
    print(
        f"{plan.n_repeats} x 3-fold stratified CV; mean ± std over "
        f"{cv.get_n_splits()} folds"
    )
    print(tables["scores"].to_string())
    print(
        "\nDifference with no resampling on the same fold: mean ± standard "
        "error over the folds"
    )
    print(tables["paired"].to_string())
    print("\nBest resampler per problem (highest mean):")
    print(tables["rank"].to_string())
    print(
        f"\nTuned sampler: alpha and uncertainty_weight chosen per outer fold "
        f"(beta=1, inner {plan.inner_splits}-fold CV on {INNER_SCORING}):"
    )
    print(tables["chosen"].to_string())
    print("\nUncertaintySampler synthetic pools (mean over folds):")
    print(tables["pools"].to_string(float_format="%.4f"))
    if plan.with_grid:
        print(
            f"\nGrid cost on {plan.grid_task} (3 folds, logreg): 3 x 3 alpha/beta "
            "grid with memory= vs one fit per fold without it"
        )
        print(pd.DataFrame([cost]).to_string(index=False, float_format="%.2f"))


def _payload(plan, tables, runs, cost, total):
    """The returned (and ``--json``) record; ``runs`` is (folds, pools, chosen)."""
    folds, _, chosen = runs
    summary = tables["mean"].add_suffix("_mean").join(tables["std"].add_suffix("_std"))
    return {
        "settings": {
            "full": plan.full,
            "problems": list(plan.datasets),
            "n_splits": 3,
            "n_repeats": plan.n_repeats,
            "inner_splits": plan.inner_splits,
            "tuned_max_rows": plan.tuned_max_rows,
            "tuned_problems": plan.tuned_problems,
            "grid_task": plan.grid_task if plan.with_grid else None,
        },
        "summary": summary.reset_index().to_dict(orient="records"),
        "paired_differences": tables["paired"].reset_index().to_dict(orient="records"),
        "synthesis": tables["pools"].reset_index().to_dict(orient="records"),
        "tuned_choices": chosen,
        "grid_cost": cost,
        "folds": folds,
        "total_seconds": total,
    }


def main(
    full=False,
    json_path=None,
    problems=None,
    tuned_problems=None,
    with_grid=True,
    classifier_names=None,
    n_repeats=None,
):
    """Run the benchmark, print its tables and return them as a dict.

    ``problems`` (names of ``PROBLEMS``) and ``tuned_problems`` (where the
    tuned sampler runs) override the mode's choice; ``with_grid=False`` skips
    the grid-cost table (``python -m benchmarks`` runs it as its own part);
    ``classifier_names`` (keys of ``classifiers()``) overrides the mode's
    classifiers (quick: logreg only; full: both); ``n_repeats`` the mode's
    repeats of the 3-fold outer CV (quick 1, full 3).
    """
    torch.set_num_threads(1)
    plan = _make_plan(
        full, problems, tuned_problems, with_grid, classifier_names, n_repeats
    )
    cv = RepeatedStratifiedKFold(n_splits=3, n_repeats=plan.n_repeats, random_state=0)
    print(plan.describe(), flush=True)
    started = time.perf_counter()
    runs = _run_problems(plan, cv, started)
    cost = _run_grid_cost(plan, started)
    tables = _summarise(*runs)
    _print_tables(plan, cv, tables, cost)
    total = time.perf_counter() - started
    print(f"\ntotal wall time: {total:.0f} s")
    payload = _payload(plan, tables, runs, cost, total)
    if json_path is not None:
        Path(json_path).write_text(json.dumps(payload, indent=2, default=float))
    return payload


def paired_differences(frame):
    """Each resampler's score minus no resampling's on the same fold, as
    "mean±standard error" over the folds: the folds' own spread (a 2 % class
    leaves 7 positives in a test fold) mostly cancels in the difference."""
    keys = ["dataset", "classifier", "fold"]
    metrics = list(SCORING)
    base = frame.loc[frame["resampler"] == "none", keys + metrics]
    rest = frame.loc[frame["resampler"] != "none", keys + ["resampler"] + metrics]
    both = rest.merge(base, on=keys, suffixes=("", "_none"))
    diff = both[keys + ["resampler"]].copy()
    for m in metrics:
        diff[m] = both[m] - both[f"{m}_none"]
    grouped = diff.groupby(["dataset", "classifier", "resampler"], sort=False)
    mean, sem = grouped[list(SCORING)].mean(), grouped[list(SCORING)].sem()
    table = pd.DataFrame(index=mean.index)
    for m in SCORING:
        table[m] = [f"{a:+.3f}±{e:.3f}" for a, e in zip(mean[m], sem[m])]
    return table


def run_downstream(full=False):
    """``python -m benchmarks``'s downstream part: as ``main``, without the
    grid cost (the searches part); ``--quick`` keeps two problems and tunes on
    one, to fit the suite's 10-minute budget."""
    if full:
        return main(full=True, with_grid=False)
    return main(
        problems=["breast_cancer", "make_classification"],
        tuned_problems=["breast_cancer"],
        with_grid=False,
    )


def run_searches(full=False):
    """``python -m benchmarks``'s searches part: the grid-cost table alone
    (``wine_0`` for ``--quick``, ``breast_cancer`` for ``--full``)."""
    torch.set_num_threads(1)
    task = "breast_cancer" if full else "wine_0"
    X, y = PROBLEMS[task]()
    print(
        f"searches ({'full' if full else 'quick'}): 3 x 3 alpha/beta grid with "
        f"memory= vs one fit per fold, on {task} ({len(y)} rows), 3 folds",
        flush=True,
    )
    cost = grid_cost(X, y, classifiers()["logreg"])
    print()
    print(pd.DataFrame([cost]).to_string(index=False, float_format="%.2f"))
    return {
        "settings": {"full": full, "problem": task, "folds": 3, "threads": 1},
        "results": [cost],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--quick",
        action="store_true",
        help="five problems, logreg, 1 x 3-fold CV (default)",
    )
    mode.add_argument(
        "--full",
        action="store_true",
        help="six problems, two classifiers, 3 x 3-fold CV",
    )
    parser.add_argument(
        "--classifiers",
        nargs="+",
        choices=["logreg", "hgb"],
        help="override the mode's classifiers (e.g. --quick --classifiers logreg hgb)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        # argparse %-formats help strings: a bare "%" made --help crash.
        help="repeats of the 3-fold outer CV (quick 1, full 3); the 2 %% task's "
        "average precision needs about 10 to tell 0.02 apart",
    )
    parser.add_argument(
        "--problems", nargs="+", choices=list(PROBLEMS), help="a subset of problems"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    args = parser.parse_args()
    main(
        full=args.full,
        json_path=args.json,
        classifier_names=args.classifiers,
        n_repeats=args.repeats,
        problems=args.problems,
    )
