"""Summaries of ``bench_sampler_real.py``: from per-fold records to tables.

Every function takes the per-fold frame (one row per dataset, classifier,
sampler, repeat and fold) or the per-dataset means built from it.

* :func:`dataset_means`: mean and fold-to-fold std per dataset, classifier
  and sampler;
* :func:`mean_ranks`: per classifier and metric, the samplers ranked on each
  dataset's means (1 = best, ties share the average rank; a missing value
  ranks last), averaged over the datasets;
* :func:`versus`: a reference sampler against each other one, per classifier
  and metric: wins / ties / losses over the dataset means and a Wilcoxon
  signed-rank p-value (``zero_method="zsplit"``; 1.0 where every difference
  is 0);
* :func:`ap_check`: the datasets where the reference's average precision is
  below the baseline's by more than one standard error of the per-fold paired
  difference (std / sqrt(n folds));
* :func:`time_ratios`: per sampler, the median and maximum of
  ``fit_resample`` time over the same fold's reference tree fit;
* :func:`failures`: folds where a sampler raised, or added no rows.
"""

import numpy as np
import pandas as pd
from scipy.stats import wilcoxon

#: Higher is better for all of them.
METRICS = ("roc_auc", "average_precision", "balanced_accuracy", "g_mean", "minority_f1")
KEYS = ["dataset", "classifier", "sampler"]
#: Two dataset means closer than this are a tie.
TIE_TOLERANCE = 1e-9


def dataset_means(folds, metrics=METRICS):
    """(mean, std) frames indexed by dataset, classifier and sampler."""
    grouped = folds.groupby(KEYS, sort=False)[list(metrics)]
    return grouped.mean(), grouped.std(ddof=1)


def score_table(mean, std, metrics=METRICS):
    """The means as "mean±std" strings."""
    table = pd.DataFrame(index=mean.index)
    for metric in metrics:
        table[metric] = [
            "-" if np.isnan(m) else f"{m:.3f}±{0.0 if np.isnan(s) else s:.3f}"
            for m, s in zip(mean[metric], std[metric])
        ]
    return table


def _wide(mean, classifier, metric):
    """Datasets x samplers of one classifier's means of one metric."""
    part = mean.xs(classifier, level="classifier")[metric]
    # means equal up to TIE_TOLERANCE are ties, not an order of rounding noise
    return part.unstack("sampler").round(9)


def mean_ranks(mean, metrics=METRICS):
    """Mean rank of each sampler, columns (classifier, metric), 1 = best."""
    out = {}
    for classifier in mean.index.unique("classifier"):
        for metric in metrics:
            wide = _wide(mean, classifier, metric)
            ranks = wide.rank(
                axis=1, ascending=False, method="average", na_option="bottom"
            )
            out[(classifier, metric)] = ranks.mean()
    frame = pd.DataFrame(out).reindex(mean.index.unique("sampler"))
    frame.columns.names = ["classifier", "metric"]
    return frame


def _signed_rank_p(diff):
    if not np.any(np.abs(diff) > TIE_TOLERANCE):
        return 1.0
    return float(wilcoxon(diff, zero_method="zsplit").pvalue)


def versus(mean, reference="skaug", metrics=METRICS):
    """``reference`` against every other sampler, per classifier and metric.

    Over the datasets where both have a mean: ``wins`` (reference higher by
    more than :data:`TIE_TOLERANCE`), ``ties``, ``losses``, the median
    difference (reference minus competitor) and the two-sided Wilcoxon
    signed-rank p-value of the differences.
    """
    rows = []
    for classifier in mean.index.unique("classifier"):
        for metric in metrics:
            wide = _wide(mean, classifier, metric)
            if reference not in wide:
                continue
            for other in wide.columns.drop(reference):
                pair = wide[[reference, other]].dropna()
                diff = (pair[reference] - pair[other]).to_numpy()
                rows.append(
                    {
                        "classifier": classifier,
                        "metric": metric,
                        "competitor": other,
                        "n_datasets": len(diff),
                        "wins": int(np.sum(diff > TIE_TOLERANCE)),
                        "ties": int(np.sum(np.abs(diff) <= TIE_TOLERANCE)),
                        "losses": int(np.sum(diff < -TIE_TOLERANCE)),
                        "median_diff": float(np.median(diff)) if len(diff) else np.nan,
                        "p_value": _signed_rank_p(diff) if len(diff) else np.nan,
                    }
                )
    return pd.DataFrame(rows)


def versus_table(results):
    """:func:`versus` as one cell per competitor, classifier and metric:
    ``"wins/ties/losses p"``."""
    cells = results.assign(
        cell=[
            f"{w}/{t}/{lo} {p:.2g}"
            for w, t, lo, p in zip(
                results["wins"], results["ties"], results["losses"], results["p_value"]
            )
        ]
    )
    table = cells.pivot_table(
        index="competitor",
        columns=["classifier", "metric"],
        values="cell",
        aggfunc="first",
        sort=False,
    )
    return table.reindex(index=results["competitor"].unique())


def ap_check(folds, reference="skaug", baseline="none", metric="average_precision"):
    """Per dataset and classifier: reference minus baseline on ``metric``.

    The difference is taken fold by fold (same split), then averaged;
    ``se`` is the std of the per-fold differences over sqrt(number of folds);
    ``below`` flags a mean difference below ``-se`` (by more than
    :data:`TIE_TOLERANCE`). ``baseline_se`` is the
    baseline's own fold-to-fold standard error, for scale.
    """
    keys = ["dataset", "classifier", "repeat", "fold"]
    ref = folds.loc[folds["sampler"] == reference, [*keys, metric]]
    base = folds.loc[folds["sampler"] == baseline, [*keys, metric]]
    both = ref.merge(base, on=keys, suffixes=("_ref", "_base"))
    both["diff"] = both[f"{metric}_ref"] - both[f"{metric}_base"]
    grouped = both.groupby(["dataset", "classifier"], sort=False)
    n = grouped["diff"].count()
    out = pd.DataFrame(
        {
            reference: grouped[f"{metric}_ref"].mean(),
            baseline: grouped[f"{metric}_base"].mean(),
            "diff": grouped["diff"].mean(),
            "se": grouped["diff"].std(ddof=1) / np.sqrt(n),
            "baseline_se": grouped[f"{metric}_base"].std(ddof=1) / np.sqrt(n),
            "n_folds": n,
        }
    )
    # rounding noise (AP 1 - 1e-16 against 1, se 0) is not a drop
    out["below"] = out["diff"] < -(out["se"] + TIE_TOLERANCE)
    return out


def time_ratios(folds):
    """Per sampler: median and max of ``fit_resample`` s / tree fit s, and the
    median seconds, over every fold of every dataset (one classifier's pass:
    the sampler runs once per fold)."""
    once = folds.drop_duplicates(["dataset", "sampler", "repeat", "fold"])
    grouped = once.groupby("sampler", sort=False)
    return pd.DataFrame(
        {
            "median_ratio": grouped["time_ratio"].median(),
            "max_ratio": grouped["time_ratio"].max(),
            "median_resample_s": grouped["resample_s"].median(),
        }
    )


def failures(folds, passthrough=("none",)):
    """Per sampler and dataset: folds where the sampler raised (``failed``,
    scored with no resampling), where it added no rows without raising
    (``no_rows_added``; not counted for the ``passthrough`` samplers, which
    add none by design), and the rows where the pipeline itself raised
    (``pipeline_errors``, per classifier: no scores); the first error."""
    broken = folds["error"].fillna("").str.startswith("pipeline:")
    once = folds[~broken].drop_duplicates(["dataset", "sampler", "repeat", "fold"])
    once = once.assign(raised=once["error"].notna())
    once["no_rows"] = (
        ~once["raised"] & (once["n_added"] <= 0) & ~once["sampler"].isin(passthrough)
    )
    keys = ["sampler", "dataset"]
    grouped = once.groupby(keys, sort=False)
    table = pd.DataFrame(
        {
            "folds": grouped.size(),
            "failed": grouped["raised"].sum(),
            "no_rows_added": grouped["no_rows"].sum(),
            "error": grouped["error"].first(),
        }
    )
    pipeline = folds[broken].groupby(keys, sort=False)
    table = table.join(pipeline.size().rename("pipeline_errors"), how="outer")
    table["pipeline_errors"] = table["pipeline_errors"].fillna(0).astype(int)
    table["error"] = table["error"].fillna(pipeline["error"].first())
    bad = (table["failed"] > 0) | (table["no_rows_added"] > 0)
    return table[bad | (table["pipeline_errors"] > 0)]
