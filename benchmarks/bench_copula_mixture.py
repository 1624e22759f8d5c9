"""GaussianCopula: one copula per class against a mixture of copulas per class.

``GaussianCopula(n_clusters="auto")`` splits each class of at least 200 rows
by k-means into clusters of about 100 rows and fits a copula to each;
``n_clusters=1`` is the single copula per class that skaug had before. This
script measures the two on the real tables of ``benchmarks/datasets.py`` (the
issue-15 development collection and scikit-learn's breast cancer and wine),
over ``--seeds`` stratified 70/30 splits, with the metrics of
``bench_generators_real.py`` (``benchmarks/real_metrics.py``): detection AUC
overall and within each class (lower is better, 0.5 = indistinguishable),
DCR ratio (below 1 = memorising), train-on-synthetic balanced accuracy and
average precision, and the fit time as a ratio to a
``HistGradientBoostingClassifier`` fitted on the same rows in the same run.

Per table the metrics are averaged over the splits; across tables the script
prints the means, the wins of the mixture and a paired Wilcoxon test.

Usage::

    python -m benchmarks.bench_copula_mixture                    # ~3 min
    python -m benchmarks.bench_copula_mixture --seeds 5 --json /tmp/mix.json
"""

import argparse
import json
import time
import warnings

import numpy as np
import pandas as pd
from scipy.stats import wilcoxon
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from benchmarks import real_metrics
from benchmarks.datasets import DEVELOPMENT, SKLEARN, load_collection
from skaug.encoding import TabularEncoder
from skaug.models import GaussianCopula

VARIANTS = {"single": 1, "mixture": "auto"}
METRICS = ("det_auc", "det_auc_c0", "det_auc_c1", "dcr_ratio", "tstr_bacc")
METRICS += ("tstr_ap", "fit_ratio")
LOWER_IS_BETTER = ("det_auc", "det_auc_c0", "det_auc_c1", "fit_ratio")


def _split(table, seed):
    X_train, X_hold, y_train, y_hold = train_test_split(
        table.X, table.y, test_size=0.3, stratify=table.y, random_state=seed
    )
    X_train, X_hold = X_train.reset_index(drop=True), X_hold.reset_index(drop=True)
    # one metric space for both variants, fitted on every real row
    encoder = TabularEncoder(numeric_transform="standard")
    encoder.fit(pd.concat([X_train, X_hold], ignore_index=True))
    return X_train, np.asarray(y_train), X_hold, np.asarray(y_hold), encoder


def _tree_seconds(X, y, seed):
    started = time.perf_counter()
    HistGradientBoostingClassifier(random_state=seed).fit(X, y)
    return time.perf_counter() - started


def _metrics(encoder, X_train, y_train, X_hold, y_hold, X_syn, y_syn):
    T_train, T_hold = encoder.transform(X_train), encoder.transform(X_hold)
    T_syn = encoder.transform(X_syn)
    out = {
        "det_auc": real_metrics.detection_auc(
            np.c_[T_hold, y_hold], np.c_[T_syn, y_syn]
        )
    }
    for label in (0, 1):
        out[f"det_auc_c{label}"] = real_metrics.detection_auc(
            T_hold[y_hold == label], T_syn[y_syn == label]
        )
    out["dcr_ratio"] = real_metrics.dcr_ratio(T_train, T_hold, T_syn)
    tstr = real_metrics.train_on(T_syn, y_syn, T_hold, y_hold)
    out.update({f"tstr_{key}": value for key, value in tstr.items()})
    return out


def run_split(table, seed):
    """Both variants on one split of one table: a row per variant."""
    X_train, y_train, X_hold, y_hold, encoder = _split(table, seed)
    tree_s = min(_tree_seconds(X_train, y_train, seed) for _ in range(3))
    rows = []
    for name, n_clusters in VARIANTS.items():
        model = GaussianCopula(n_clusters=n_clusters, random_state=seed)
        started = time.perf_counter()
        model.fit(X_train, y_train)
        fit_s = time.perf_counter() - started
        X_syn, y_syn = model.sample(y=y_hold, random_state=seed)
        metrics = _metrics(
            encoder, X_train, y_train, X_hold, y_hold, X_syn, np.asarray(y_syn)
        )
        rows.append(
            {
                "table": table.name,
                "seed": seed,
                "variant": name,
                "clusters": int(model.n_clusters_.sum()),
                "fit_ratio": fit_s / tree_s,
                **metrics,
            }
        )
    return rows


def compare(per_table):
    """Across tables: means, wins of the mixture and a Wilcoxon p-value."""
    lines = []
    for metric in METRICS:
        single = per_table[("single", metric)]
        mixture = per_table[("mixture", metric)]
        both = pd.concat([single, mixture], axis=1).dropna()
        a, b = both.iloc[:, 0], both.iloc[:, 1]
        if metric == "dcr_ratio":  # closest to 1 is best
            a, b = (
                np.abs(np.log(a.clip(lower=1e-12))),
                np.abs(np.log(b.clip(lower=1e-12))),
            )
        better = (b < a) if metric in LOWER_IS_BETTER + ("dcr_ratio",) else (b > a)
        differs = (a - b).abs() > 1e-12
        n_differ = int(differs.sum())
        p_value = wilcoxon(a[differs], b[differs]).pvalue if n_differ > 1 else np.nan
        lines.append(
            {
                "metric": metric,
                "single": float(single.mean()),
                "mixture": float(mixture.mean()),
                "mixture better": f"{int((better & differs).sum())}/{n_differ}",
                "tables": len(both),
                "wilcoxon p": float(p_value),
            }
        )
    return pd.DataFrame(lines).set_index("metric")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="splits per table")
    parser.add_argument("--datasets", nargs="*", default=None)
    parser.add_argument("--json", default=None, help="write the results here")
    args = parser.parse_args(argv)
    tables, missing = load_collection(args.datasets or [*DEVELOPMENT, *SKLEARN])
    for name, reason in missing.items():
        print(f"missing: {name}: {reason}")
    rows = []
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for table in tables.values():
            for seed in range(args.seeds):
                rows.extend(run_split(table, seed))
            print(f"{table.name} done", flush=True)
    frame = pd.DataFrame(rows)
    per_table = (
        frame.groupby(["table", "variant"])[list(METRICS)].mean().unstack("variant")
    )
    per_table.columns = per_table.columns.swaplevel()
    clusters = frame[frame.variant == "mixture"].groupby("table")["clusters"].mean()
    pd.set_option("display.width", 200)
    shown = per_table[[("single", "det_auc"), ("mixture", "det_auc")]].copy()
    shown[("mixture", "clusters")] = clusters
    print(shown.round(3).to_string())
    summary = compare(per_table)
    print(summary.round(3).to_string())
    if args.json:
        payload = {
            "rows": rows,
            "summary": summary.reset_index().to_dict(orient="records"),
        }
        with open(args.json, "w") as handle:
            json.dump(payload, handle, indent=1, default=float)
    return summary


if __name__ == "__main__":
    main()
