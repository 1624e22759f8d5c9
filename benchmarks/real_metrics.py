"""Metrics of ``bench_generators_real.py``: synthetic rows against held-out rows.

Every function takes rows already encoded in one fixed numeric space (the
benchmark fits a :class:`skaug.encoding.TabularEncoder` on the real rows:
standardised numeric columns, one-hot categorical ones, missing-value
indicators), so that every generator is judged in the same space.

* :func:`detection_auc`: cross-validated ROC AUC of a gradient-boosting
  classifier telling real from synthetic rows (0.5 = indistinguishable);
* :func:`nn_accuracy`: leave-one-out 1-nearest-neighbour accuracy of the same
  task, for groups too small for the trees (fewer than :data:`SMALL_GROUP`
  rows per side); 0.5 = indistinguishable;
* :func:`reference_band`: both detectors on held-out rows against resamples of
  the *training* rows (real against real), the noise floor of a group;
* :func:`dcr_ratio`: distance to the closest training record, synthetic over
  held-out (below 1 = closer to the training rows than new real rows are);
* :func:`train_on`: balanced accuracy and average precision on the held-out
  rows of a gradient-boosting classifier trained on some rows;
* :func:`mean_ranks`, :func:`paired_tests`: across tables.
"""

import numpy as np
import pandas as pd
from scipy.stats import wilcoxon
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.neighbors import NearestNeighbors

SEED = 0
N_FOLDS = 5
#: Below this many held-out rows in a group (a class, or the whole table), the
#: 1-NN detector and the real-vs-real band are added.
SMALL_GROUP = 40
#: Real-vs-real draws behind a band.
N_REFERENCE = 20
#: Distances below this (in standardised units) are copies, up to rounding.
DISTANCE_TOLERANCE = 1e-6
#: Lower is better for these (the detectors' scores floored at 0.5); higher
#: for the others; ``dcr_ratio`` is ranked by its distance to 1 on a log scale.
LOWER_IS_BETTER = ("det_auc", "det_auc_c0", "det_auc_c1", "nn_acc_c1")
LOWER_IS_BETTER += ("fit_ratio", "sample_ratio")


def classifier(seed=SEED):
    return HistGradientBoostingClassifier(max_iter=100, random_state=seed)


def detection_auc(real, synthetic, seed=SEED):
    """Cross-validated ROC AUC of a classifier telling ``real`` from ``synthetic``.

    ``N_FOLDS``-fold stratified (fewer folds when a side has fewer rows); NaN
    when a side has fewer than 2 rows.
    """
    n_folds = min(N_FOLDS, len(real), len(synthetic))
    if n_folds < 2:
        return np.nan
    data = np.vstack([real, synthetic])
    is_synthetic = np.r_[np.zeros(len(real)), np.ones(len(synthetic))]
    cv = StratifiedKFold(n_folds, shuffle=True, random_state=seed)
    proba = cross_val_predict(
        classifier(seed), data, is_synthetic, cv=cv, method="predict_proba"
    )
    return float(roc_auc_score(is_synthetic, proba[:, 1]))


def nn_accuracy(real, synthetic):
    """Leave-one-out 1-NN accuracy of telling ``real`` from ``synthetic``.

    Each row is called real or synthetic after its nearest other row; 0.5 =
    indistinguishable, 1 = separated. NaN when a side is empty.
    """
    if len(real) == 0 or len(synthetic) == 0:
        return np.nan
    data = np.vstack([real, synthetic])
    is_synthetic = np.r_[np.zeros(len(real)), np.ones(len(synthetic))]
    nearest = NearestNeighbors(n_neighbors=1).fit(data).kneighbors()[1][:, 0]
    return float(np.mean(is_synthetic[nearest] == is_synthetic))


def reference_band(held_out, train, seed=SEED):
    """Both detectors on ``held_out`` against same-size draws of ``train``.

    Returns the 5th, 50th and 95th percentiles over :data:`N_REFERENCE`
    draws (without replacement where ``train`` is large enough) for
    ``"auc"`` and ``"nn"``: what real rows score against real rows.
    """
    rng = np.random.default_rng(seed)
    n = len(held_out)
    scores = {"auc": [], "nn": []}
    for draw in range(N_REFERENCE):
        pick = rng.choice(len(train), n, replace=n > len(train))
        scores["auc"].append(detection_auc(held_out, train[pick], seed + draw))
        scores["nn"].append(nn_accuracy(held_out, train[pick]))
    return {
        key: [float(q) for q in np.nanpercentile(values, [5, 50, 95])]
        if np.isfinite(values).any()
        else [np.nan] * 3
        for key, values in scores.items()
    }


def dcr_ratio(train, held_out, synthetic):
    """Median distance to the closest training row, synthetic over held-out.

    Where half the held-out rows or more repeat a training row (tables with
    many duplicate rows: median distance 0, up to rounding) the means are
    compared instead; NaN if that is 0 too.
    """
    nearest = NearestNeighbors(n_neighbors=1).fit(train)
    d_syn = nearest.kneighbors(synthetic)[0][:, 0]
    d_real = nearest.kneighbors(held_out)[0][:, 0]
    if np.median(d_real) > DISTANCE_TOLERANCE:
        return float(np.median(d_syn) / np.median(d_real))
    if d_real.mean() > DISTANCE_TOLERANCE:
        return float(d_syn.mean() / d_real.mean())
    return np.nan


def train_on(X, y, X_test, y_test, seed=SEED):
    """Balanced accuracy and average precision (class 1) on the test rows."""
    if len(np.unique(y)) < 2:
        return {"bacc": np.nan, "ap": np.nan}
    model = classifier(seed).fit(X, y)
    return {
        "bacc": float(balanced_accuracy_score(y_test, model.predict(X_test))),
        "ap": float(average_precision_score(y_test, model.predict_proba(X_test)[:, 1])),
    }


def _badness(metric, values):
    """Values turned so that lower is better: ``dcr_ratio`` as ``|log r|``,
    the detectors' scores floored at 0.5 (below chance is chance)."""
    values = pd.to_numeric(values, errors="coerce").astype(float)
    if metric == "dcr_ratio":
        return np.abs(np.log(values.where(values > 0)))
    if metric.startswith(("det_auc", "nn_acc")):
        return values.clip(lower=0.5)
    return values if metric in LOWER_IS_BETTER else -values


def mean_ranks(results, metrics):
    """Mean rank (1 = best) of each generator per metric, across tables.

    ``results`` has one row per (table, generator). On each table the
    generators are ranked (ties share the mean rank); a generator that failed
    or has no value where others have one takes the worst rank. Tables where
    no generator has a value are left out of that metric.
    """
    out = {}
    for metric in metrics:
        wide = results.pivot(index="table", columns="generator", values=metric)
        bad = wide.apply(lambda column: _badness(metric, column)).dropna(how="all")
        filled = bad.T.fillna(bad.max(axis=1) + 1.0).T  # failures: worst
        out[metric] = filled.rank(axis=1).mean().to_dict()
        out[metric]["n_tables"] = len(filled)
    return pd.DataFrame(out)


def paired_tests(results, metrics, baseline):
    """Each generator against ``baseline``: paired Wilcoxon test per metric.

    Over the tables where both have a value (failures left out): the number
    of tables, the ones where the generator is better, the median
    difference (generator minus baseline, on the metric's own scale) and the
    two-sided p-value.
    """
    rows = []
    for metric in metrics:
        wide = results.pivot(index="table", columns="generator", values=metric)
        wide = wide.apply(pd.to_numeric, errors="coerce")
        for generator in wide.columns.drop(baseline):
            pair = wide[[generator, baseline]].dropna()
            bad = pair.apply(lambda column: _badness(metric, column))
            diff = bad[generator] - bad[baseline]
            p = wilcoxon(diff).pvalue if (diff != 0).any() else np.nan
            median = (
                np.median(pair[generator] - pair[baseline]) if len(pair) else np.nan
            )
            rows.append(
                {
                    "metric": metric,
                    "generator": generator,
                    "n_tables": len(pair),
                    "better": int((diff < 0).sum()),
                    "median_diff": float(median),
                    "p_value": float(p),
                }
            )
    return pd.DataFrame(rows)
