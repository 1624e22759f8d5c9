"""Can a user trust a test set that DriftAugmentor augmented? Real drift scenarios.

Issue 17, point 1. Five drift scenarios built from real tables that ship in
installed packages (``benchmarks/drift_scenarios.py``: covariate shift by a
feature, a shift along an order column (a proxy) and along a real time
column, label shift, and a P(y|x) shift that augmentation cannot fix).
Per scenario, generator and seed:

1. the training pool is split (stratified, 50/50) into a fit half **A** and
   an unseen half **B** of the same distribution;
2. a ``HistGradientBoostingClassifier`` (the *model*) is fitted on A; its
   score on B is the **truth**: what it scores in distribution;
3. ``DriftAugmentor`` is fitted on A (with the labels) and augments the test
   set with its labels (``augment(X_test, y_test)``: the synthetic rows carry
   labels), with ``drift_threshold=0`` (every scenario is augmented unless
   a gate of the augmentor stops it; the default 0.1 on the mean KS would
   return some real drifts unchanged) and ``augmentation_factor=1.0`` (at
   most as many rows as the test set, ``--factor``);
4. the model is scored on five estimates of the truth:

   * ``raw``: the drifted test set as it is;
   * ``aug``: the augmented test set (test rows and synthetic rows);
   * ``copy_a``: the test set plus copies of A rows (which the model was
     fitted on: an inflated score), as many per region as the augmentor
     added;
   * ``copy_b``: the test set plus copies of B rows (real, unseen rows), as
     many per region: the ideal that synthetic rows try to reach;
   * ``iw``: the raw test set weighted by ``p_train(x) / p_test(x)`` from a
     cross-fitted gradient-boosting domain classifier (A against the test
     set; probabilities clipped to [0.01, 0.99]): what practitioners use
     instead of augmenting;

   and ``err_<estimate>_<metric>`` is ``|estimate - truth|`` for balanced
   accuracy (``bacc``), ROC AUC (``auc``) and accuracy (``acc``, in the JSON).

The added rows themselves are measured against real B rows of the same
regions. A detector could tell a sample by its region mix or by repeated rows
(a region may need more rows than B holds there), so the synthetic, A and B
rows compared are matched: region by region, as many rows from each as the
fewest of the three holds there, none repeated (``n_matched`` in all). They
are compared in a ``TabularEncoder`` space (standardised numeric columns,
one-hot categoricals, missing-value indicators) fitted on all the real rows,
the label appended:

* ``det_auc_syn``: 5-fold cross-validated ROC AUC of a gradient-boosting
  detector telling synthetic rows from the B rows (0.5: indistinguishable);
  ``det_auc_copy``: the same detector on the A rows against the same B rows,
  the level of copied real rows; ``nn_syn`` / ``nn_copy``: a leave-one-out
  1-nearest-neighbour detector's accuracy, which still tells something where
  the rows are too few for the trees (fewer than 40 a side);
* label fidelity: ``bacc_syn``, the model's balanced accuracy on the
  synthetic rows (with their labels), against ``bacc_real`` on the B rows;
  beside it, what the augmentor's own report says
  (``generator_quality_["label_agreement"]`` and ``["label_agreement_real"]``
  as ``report_agreement`` and ``report_agreement_real``);
* ``misplaced``: the share of the added rows that went to regions holding
  at least as large a share of the test rows as of the training rows (0 when
  the allocation targets only what the test set lacks);
* ``drift_before``: mean KS drift of the augmentor's target (every feature,
  or the labels) between A and the test set; ``drift_red_aug`` and
  ``drift_red_copy``: how much it drops with the synthetic rows and with the
  copied A rows;
* ``dcr_ratio``: median distance of the synthetic rows to their closest A row
  over that of the B rows (below 1: closer to the training rows than new real
  rows are, memorising);
* ``fit_ratio`` / ``augment_ratio``: the augmentor's ``fit`` and ``augment``
  wall time over the model's fit on A;
* ``concept_detected`` / ``concept_shortfall``: whether the report's
  ``concept_shift`` check said that P(y|x) changed, and the shortfall it
  measured (it speaks from 0.1). The goal on ``concept`` is that it says so
  on every seed (``says_cannot_fix``); on the other scenarios that it never
  does (``no_false_alarm``).

Tables give the mean and the standard deviation over ``--seeds`` (each seed
redraws the drifted split, A and B, the model and the augmentor), then the
goals of issue 17 point 2 on the means, judged on balanced accuracy (which
does not move with the class shares: under pure label shift the raw test set
estimates it without bias, and ``acc`` shows what augmentation corrects).
Importance weighting is not asked to lose on ``covariate`` (overlapping
supports: its home ground); on ``order`` and ``time`` the supports of the
order column do not overlap, where no weight can recover the missing rows.

Generators: the augmentor's default (``DriftAugmentor().generator``,
``"auto"``: the Gaussian copula on every scenario here, whose fit halves A
hold 92 to about 1,770 rows, below the rule's 5,000); ``--full`` adds
``"vae"``, which trains on its default step budget: minutes per fit on two
cores. ``generator_used`` in the records says what ``"auto"`` picked.

Usage::

    python -m benchmarks.bench_drift_real                       # 3 seeds
    python -m benchmarks.bench_drift_real --generators gaussian_copula \\
        --scenarios covariate label --seeds 0 1 --json /tmp/drift_real.json

Everything runs on one thread (torch, OpenMP, BLAS).
"""

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from benchmarks import real_metrics
from benchmarks.drift_measures import (
    METRICS,
    copies_by_region,
    goals,
    importance_weights,
    matched_by_region,
    scores,
    target_drift,
)
from benchmarks.drift_scenarios import SCENARIOS
from skaug import DriftAugmentor
from skaug.encoding import TabularEncoder

ESTIMATES = ("raw", "aug", "copy_a", "copy_b", "iw")
GENERATORS = ("default", "gaussian_copula", "vae", "gan", "copulagan", "auto")
FACTOR = 1.0
SEEDS = (0, 1, 2)


def generator_names(full=False):
    """The default generator; ``full`` adds the VAE."""
    names = ["default"] + (["vae"] if full else [])
    return list(dict.fromkeys(resolve(name) for name in names))


def resolve(name):
    """``"default"`` as ``DriftAugmentor`` has it; other names as given."""
    return DriftAugmentor().generator if name == "default" else name


def _concat(X, y, X_more, y_more):
    return (
        pd.concat([X, X_more], ignore_index=True),
        np.r_[np.asarray(y), np.asarray(y_more)],
    )


class Run:
    """One scenario, generator and seed: the data, the model, the augmentor."""

    def __init__(self, scenario, generator, seed, factor):
        self.scenario, self.seed = scenario, seed
        drifted = scenario.split(seed)
        a, b = train_test_split(
            np.arange(len(drifted.y_pool)),
            test_size=0.5,
            stratify=drifted.y_pool,
            random_state=seed,
        )
        X, y = drifted.X_pool, drifted.y_pool
        self.A = (X.iloc[a].reset_index(drop=True), y[a])
        self.B = (X.iloc[b].reset_index(drop=True), y[b])
        self.test = (drifted.X_test, drifted.y_test)
        self.encoder = TabularEncoder(numeric_transform="standard").fit(
            pd.concat([X, drifted.X_test], ignore_index=True)
        )
        started = time.perf_counter()
        self.model = HistGradientBoostingClassifier(random_state=seed).fit(*self.A)
        self.model_seconds = time.perf_counter() - started
        self.augmentor = DriftAugmentor(
            target=scenario.target,
            generator=generator,
            drift_threshold=0.0,
            augmentation_factor=factor,
            random_state=seed,
        )

    def encode(self, X, y):
        """Encoded rows with the label appended."""
        return np.c_[self.encoder.transform(X), np.asarray(y)]

    def augment(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            self.augmentor.fit(*self.A)
            return self.augmentor.augment(*self.test)

    def copies(self, report):
        """Copied A rows and B rows, as many per region as were added."""
        if not report.augmented:
            empty = (self.A[0].iloc[:0], self.A[1][:0])
            return empty, empty
        added = report.regions["added"].to_numpy()
        rng = np.random.RandomState(self.seed)
        return [
            _rows(sample, copies_by_region(self.regions(report, *sample), added, rng))
            for sample in (self.A, self.B)
        ]

    def regions(self, report, X, y):
        """The region of every row (X, y) in the report's regions."""
        return report.region_of(X, y)

    def matched(self, report, synthetic):
        """Synthetic, A and B rows with the same count per region, none
        repeated (:func:`~benchmarks.drift_measures.matched_by_region`)."""
        samples = (synthetic, self.A, self.B)
        regions = [self.regions(report, *sample) for sample in samples]
        rng = np.random.RandomState(self.seed + 1)
        picked = matched_by_region(regions, rng)
        return [_rows(s, p) for s, p in zip(samples, picked, strict=True)]


def _rows(sample, positions):
    X, y = sample
    return X.iloc[positions].reset_index(drop=True), np.asarray(y)[positions]


def _estimates(run, result, copy_a, copy_b):
    """Scores of the model on the truth and on the five estimates."""
    model, test = run.model, run.test
    weight = importance_weights(
        run.encoder.transform(run.A[0]), run.encoder.transform(test[0]), run.seed
    )
    sets = {
        "truth": scores(model, *run.B),
        "raw": scores(model, *test),
        "aug": scores(model, result.X, result.y),
        "copy_a": scores(model, *_concat(*test, *copy_a)),
        "copy_b": scores(model, *_concat(*test, *copy_b)),
        "iw": scores(model, *test, weight=weight),
    }
    out = {f"truth_{m}": sets["truth"][m] for m in METRICS}
    for name in ESTIMATES:
        for m in METRICS:
            out[f"{name}_{m}"] = sets[name][m]
            out[f"err_{name}_{m}"] = abs(sets[name][m] - sets["truth"][m])
    return out


def _misplaced(report):
    """Share of the added rows that went to regions holding at least as large
    a share of the test rows as of the training rows (NaN without rows)."""
    table = report.regions
    if not report.augmented or table.empty:
        return np.nan
    full = (table["test_share"] >= table["train_share"]).to_numpy()
    added = table["added"].to_numpy()
    return float(added[full].sum() / added.sum())


def _added_rows(run, result, copy_a):
    """Drift reduction of the added rows and of copied A rows."""
    syn = result.is_synthetic
    target = run.scenario.target
    before = target_drift(target, *run.A, *run.test)
    after_copy = target_drift(target, *run.A, *_concat(*run.test, *copy_a))
    return {
        "added": int(syn.sum()),
        "misplaced": _misplaced(result.report),
        "drift_before": before,
        "drift_red_aug": before - target_drift(target, *run.A, result.X, result.y),
        "drift_red_copy": before - after_copy,
    }


def _realism(run, result):
    """Detection, label fidelity and DCR of the added rows, against B rows of
    the same regions (none without added rows)."""
    syn = result.is_synthetic
    if not syn.any():
        return {}
    synthetic = (result.X[syn].reset_index(drop=True), np.asarray(result.y)[syn])
    m_syn, m_a, m_b = run.matched(result.report, synthetic)
    T_syn, T_a, T_b = run.encode(*m_syn), run.encode(*m_a), run.encode(*m_b)
    return {
        "n_matched": len(m_syn[1]),
        "det_auc_syn": real_metrics.detection_auc(T_b, T_syn, run.seed),
        "det_auc_copy": real_metrics.detection_auc(T_b, T_a, run.seed),
        "nn_syn": real_metrics.nn_accuracy(T_b, T_syn),
        "nn_copy": real_metrics.nn_accuracy(T_b, T_a),
        "bacc_syn": scores(run.model, *m_syn)["bacc"],
        "bacc_real": scores(run.model, *m_b)["bacc"],
        "dcr_ratio": real_metrics.dcr_ratio(
            run.encoder.transform(run.A[0]), T_b[:, :-1], T_syn[:, :-1]
        ),
    }


def _concept(report):
    """What the report's P(y|x) check found (``concept_shift``)."""
    check = report.concept_shift
    return {
        "concept_detected": float(check.get("detected", False)),
        "concept_shortfall": check.get("shortfall", np.nan),
        "concept_p": check.get("p_value", np.nan),
    }


def run_once(scenario, generator, seed, factor=FACTOR):
    """Every measurement of one scenario, generator and seed (one record)."""
    run = Run(scenario, generator, seed, factor)
    result = run.augment()
    report = result.report
    quality = run.augmentor.generator_quality_
    copy_a, copy_b = run.copies(report)
    return {
        "scenario": scenario.name,
        "table": scenario.table,
        "generator": generator,
        "generator_used": run.augmentor.generator_name_.split(" ")[0],
        "seed": seed,
        "n_a": len(run.A[1]),
        "n_test": len(run.test[1]),
        "augmented": bool(report.augmented),
        "reason": report.reason,
        "limited_by": report.limited_by,
        **_estimates(run, result, copy_a, copy_b),
        **_added_rows(run, result, copy_a),
        **_realism(run, result),
        **_concept(report),
        "report_agreement": quality.get("label_agreement", np.nan),
        "report_agreement_real": quality.get("label_agreement_real", np.nan),
        "fit_ratio": run.augmentor.fit_seconds_ / run.model_seconds,
        "augment_ratio": report.augment_seconds / run.model_seconds,
    }


def _safe_run(scenario, generator, seed, factor):
    try:
        return run_once(scenario, generator, seed, factor)
    except Exception as exc:  # recorded; the run goes on
        return {
            "scenario": scenario.name,
            "generator": generator,
            "seed": seed,
            "failed": f"{type(exc).__name__}: {exc}"[:300],
        }


#: Columns of the printed tables (mean ± std over the seeds).
ESTIMATE_COLUMNS = [f"err_{name}" for name in ESTIMATES]
ROW_COLUMNS = [
    "added",
    "misplaced",
    "n_matched",
    "det_auc_syn",
    "det_auc_copy",
    "nn_syn",
    "nn_copy",
    "bacc_syn",
    "bacc_real",
    "report_agreement",
    "report_agreement_real",
    "drift_before",
    "drift_red_aug",
    "drift_red_copy",
    "dcr_ratio",
    "fit_ratio",
    "augment_ratio",
    "concept_detected",
    "concept_shortfall",
]


def summarise(records):
    """Mean and standard deviation over the seeds, per scenario and
    generator (failed runs left out, counted in ``n_runs``)."""
    frame = pd.DataFrame([r for r in records if "failed" not in r])
    if frame.empty:
        return pd.DataFrame(), pd.DataFrame()
    frame["augmented"] = frame["augmented"].astype(float)
    keys = ["scenario", "generator"]
    numeric = frame.drop(columns=keys).select_dtypes("number").columns
    grouped = frame.groupby(keys, sort=False)[list(numeric)]
    mean, std = grouped.mean(), grouped.std(ddof=1)
    mean["n_runs"] = frame.groupby(keys, sort=False).size()
    return mean, std


def _cells(mean, std, columns):
    """``mean±std`` strings (the mean alone for a single seed)."""
    out = pd.DataFrame(index=mean.index)
    for column in columns:
        if column not in mean:
            continue
        values = []
        for m, s in zip(mean[column], std[column], strict=True):
            cell = "nan" if not np.isfinite(m) else f"{m:.3f}"
            if np.isfinite(m) and np.isfinite(s):
                cell += f"±{s:.3f}"
            values.append(cell)
        out[column] = values
    return out


def goal_table(mean):
    """Issue 17 point 2's goals per scenario and generator: ``yes``/``NO``
    (``-`` where not required or not measurable) with the numbers."""
    rows = {}
    for (scenario, generator), row in mean.iterrows():
        spec = SCENARIOS[scenario]
        checks = goals(
            row.to_dict(), fixable=spec.fixable, covariate=spec.kind == "covariate"
        )
        rows[(scenario, generator)] = {
            name: {True: "yes", False: "NO", None: "-"}[check["pass"]]
            + f" ({check['detail']})"
            for name, check in checks.items()
        }
    table = pd.DataFrame.from_dict(rows, orient="index").fillna("")
    return table.rename_axis(["scenario", "generator"])


def print_tables(mean, std):
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        for metric in METRICS:
            columns = [f"truth_{metric}"] + [f"{c}_{metric}" for c in ESTIMATE_COLUMNS]
            table = _cells(mean, std, columns)
            table.columns = [c.removesuffix(f"_{metric}") for c in table.columns]
            print(f"\n|estimate - truth| of the model's {metric} (truth: on B)")
            print(table.to_string())
        print("\nthe added rows (matched rows against real B rows of their regions)")
        print(_cells(mean, std, ROW_COLUMNS[:11]).to_string())
        print(_cells(mean, std, ["augmented"] + ROW_COLUMNS[11:]).to_string())
        print("\ngoals of issue 17 point 2 (on the means)")
        print(goal_table(mean).to_string())


def main(scenarios=None, generators=None, seeds=SEEDS, factor=FACTOR, full=False):
    """Run the benchmark, print its tables and return the JSON payload."""
    torch.set_num_threads(1)
    started = time.perf_counter()
    scenarios = list(scenarios or SCENARIOS)
    generators = [resolve(g) for g in generators] if generators else None
    generators = list(dict.fromkeys(generators or generator_names(full)))
    print(
        f"scenarios {', '.join(scenarios)}; generators {', '.join(generators)}; "
        f"seeds {', '.join(map(str, seeds))}; augmentation_factor={factor}, "
        "drift_threshold=0",
        flush=True,
    )
    records = []
    with threadpool_limits(1):
        for name in scenarios:
            for generator in generators:
                for seed in seeds:
                    record = _safe_run(SCENARIOS[name], generator, seed, factor)
                    records.append(record)
                    print(
                        f"  {name} {generator} seed {seed}: "
                        + record.get("failed", record.get("reason", "")),
                        flush=True,
                    )
    mean, std = summarise(records)
    if not mean.empty:
        print_tables(mean, std)
    total = time.perf_counter() - started
    print(f"\ntotal wall time: {total:.0f} s")
    return {
        "settings": {
            "scenarios": scenarios,
            "generators": generators,
            "seeds": list(seeds),
            "augmentation_factor": factor,
            "drift_threshold": 0.0,
        },
        "results": json.loads(pd.DataFrame(records).to_json(orient="records")),
        "goals": json.loads(goal_table(mean).reset_index().to_json(orient="records"))
        if not mean.empty
        else [],
        "total_seconds": total,
    }


def run(full=False):
    """``python -m benchmarks --parts drift_real``."""
    return main(full=full)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenarios", nargs="+", choices=list(SCENARIOS), help="default: all"
    )
    parser.add_argument(
        "--generators",
        nargs="+",
        choices=list(GENERATORS),
        help='default: "default" (the augmentor\'s, "auto")',
    )
    parser.add_argument(
        "--seeds", nargs="+", type=int, default=list(SEEDS), help="default: 0 1 2"
    )
    parser.add_argument(
        "--factor", type=float, default=FACTOR, help="augmentation_factor (1.0)"
    )
    parser.add_argument("--full", action="store_true", help="also the VAE")
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    payload = main(args.scenarios, args.generators, args.seeds, args.factor, args.full)
    if args.json:
        Path(args.json).write_text(json.dumps(payload, indent=2))
