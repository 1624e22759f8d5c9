"""The measurements of ``bench_drift_real.py``, on plain inputs.

* :func:`scores`: balanced accuracy, ROC AUC and accuracy of a fitted model
  on some rows, optionally weighted;
* :func:`importance_weights`: the practitioners' alternative to augmenting,
  ``p_train(x) / p_test(x)`` of each test row from a cross-fitted domain
  classifier;
* :func:`copies_by_region`: rows of a real sample drawn to match the
  synthetic rows' count in every region;
* :func:`matched_by_region`: the same number of rows per region from
  several samples, none repeated (what the detectors compare);
* :func:`target_drift`: the mean KS drift of the augmentor's target, for any
  merged test set (augmented or copied);
* :func:`goals`: the goals of issue 17, point 2, checked on a summary.
"""

import warnings

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score, balanced_accuracy_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from skaug.drift import aggregate_drift, drift_per_feature

#: Domain-classifier probabilities are clipped to this range before they
#: become weights, so no test row weighs more than 99 times another.
PROBABILITY_CLIP = (0.01, 0.99)
#: The metrics of :func:`scores`.
METRICS = ("bacc", "auc", "acc")


def scores(model, X, y, weight=None):
    """``bacc``, ``auc`` and ``acc`` of a fitted binary classifier on (X, y).

    ``auc`` is NaN when y holds one class only; every score is NaN without
    rows.
    """
    y = np.asarray(y)
    if len(y) == 0:
        return dict.fromkeys(METRICS, np.nan)
    proba = model.predict_proba(X)[:, 1]
    predicted = (proba >= 0.5).astype(y.dtype)
    with warnings.catch_warnings():
        # one class: "y_pred contains classes not in y_true"
        warnings.simplefilter("ignore", UserWarning)
        bacc = balanced_accuracy_score(y, predicted, sample_weight=weight)
    auc = np.nan
    if len(np.unique(y)) == 2:
        auc = roc_auc_score(y, proba, sample_weight=weight)
    acc = accuracy_score(y, predicted, sample_weight=weight)
    return {"bacc": float(bacc), "auc": float(auc), "acc": float(acc)}


def importance_weights(train, test, seed=0, n_splits=5):
    """``p_train(x) / p_test(x)`` of every test row, up to a constant.

    A gradient-boosting domain classifier tells training rows (0) from test
    rows (1); its cross-fitted probability ``p`` of each test row (each row
    scored by a model that did not see it) gives the ratio ``(1 - p) / p``,
    with ``p`` clipped to :data:`PROBABILITY_CLIP`. Weighted by it, the test
    rows estimate a score under the training distribution (importance
    weighting under covariate shift).

    Parameters
    ----------
    train, test : ndarray of shape (n_rows, n_columns)
        Encoded rows.

    Returns
    -------
    ndarray of shape (len(test),)
        Mean 1.
    """
    data = np.vstack([train, test])
    is_test = np.r_[np.zeros(len(train)), np.ones(len(test))]
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    proba = cross_val_predict(
        HistGradientBoostingClassifier(random_state=seed),
        data,
        is_test,
        cv=folds,
        method="predict_proba",
    )[len(train) :, 1]
    proba = np.clip(proba, *PROBABILITY_CLIP)
    weight = (1 - proba) / proba
    return weight / weight.mean()


def copies_by_region(regions, counts, rng):
    """Positions of rows drawn so that region ``r`` gets ``counts[r]`` rows.

    Parameters
    ----------
    regions : ndarray of int
        The region of every row of the sample drawn from.
    counts : array-like of int
        Rows wanted per region.
    rng : numpy RandomState

    Returns
    -------
    ndarray of int
        Positions into ``regions``: without replacement where a region holds
        enough rows, with replacement where it holds fewer; a region without
        rows gives none (so fewer rows than ``sum(counts)`` may come back).
    """
    regions = np.asarray(regions)
    chosen = []
    for region, wanted in enumerate(np.asarray(counts, dtype=int)):
        members = np.flatnonzero(regions == region)
        if wanted == 0 or len(members) == 0:
            continue
        chosen.append(rng.choice(members, wanted, replace=wanted > len(members)))
    return np.concatenate(chosen) if chosen else np.empty(0, dtype=int)


def matched_by_region(regions, rng):
    """Positions drawn from several samples with the same count per region.

    Region ``r`` gets ``m_r`` rows from every sample, ``m_r`` the fewest rows
    any sample holds in ``r``, drawn without replacement: the samples then
    share their region mix and hold no repeated row, so a detector cannot
    tell them apart by where they are or by duplicates.

    Parameters
    ----------
    regions : list of ndarray of int
        The region of every row, one array per sample.
    rng : numpy RandomState

    Returns
    -------
    list of ndarray of int
        Positions into each sample, region by region.
    """
    regions = [np.asarray(r) for r in regions]
    labels = np.unique(np.concatenate(regions))
    out = [[] for _ in regions]
    for label in labels:
        members = [np.flatnonzero(r == label) for r in regions]
        m = min(len(rows) for rows in members)
        for picked, rows in zip(out, members, strict=True):
            picked.append(rng.choice(rows, m, replace=False))
    return [np.concatenate(p) if p else np.empty(0, dtype=int) for p in out]


def target_drift(target, X_train, y_train, X, y):
    """Mean KS drift between the training rows and rows X (labels y), on the
    augmentor's ``target``: the labels for ``"y"``, every feature for None."""
    if target == "y":
        table = drift_per_feature(
            np.asarray(y_train), np.asarray(y), metric="ks", categorical=True
        )
    else:
        columns = None if target is None else [target]
        table = drift_per_feature(X_train, X, metric="ks", columns=columns)
    return float(aggregate_drift(table, how="mean"))


_GOAL_KEYS = (
    "augmented",
    "err_aug_bacc",
    "err_copy_b_bacc",
    "err_raw_bacc",
    "err_iw_bacc",
    "bacc_syn",
    "bacc_real",
    "det_auc_syn",
    "det_auc_copy",
    "drift_red_aug",
    "drift_red_copy",
    "dcr_ratio",
    "concept_detected",
)


def _goal(passed, detail):
    return {"pass": None if passed is None else bool(passed), "detail": detail}


def goals(row, *, fixable, covariate, tolerance=0.02, fidelity=0.05):
    """The goals of issue 17 point 2 for one scenario's mean results.

    Parameters
    ----------
    row : mapping
        Mean results of one scenario and generator: ``err_<estimate>_bacc``
        for ``raw``, ``aug``, ``copy_a``, ``copy_b``, ``iw``; ``bacc_syn``,
        ``bacc_real``, ``det_auc_syn``, ``det_auc_copy``,
        ``drift_red_aug``, ``drift_red_copy``, ``dcr_ratio``, ``augmented``
        (share of the runs that added rows), ``concept_detected`` (share of
        the runs whose report said that P(y|x) changed).
    fixable : bool
        False for a P(y|x) shift: the only goal is that the report says
        augmentation cannot help (``concept_detected`` in every run), rather
        than claiming a gain. For the other scenarios it must never say so
        (``no_false_alarm``).
    covariate : bool
        Pure covariate shift, importance weighting's home ground: beating it
        is not required.

    Returns
    -------
    dict of name -> {"pass": bool or None, "detail": str}
        ``pass`` is None where a goal cannot be judged (nothing added).
    """
    row = {key: row.get(key, np.nan) for key in _GOAL_KEYS}
    said = row["concept_detected"]
    if not fixable:
        detail = f"said in {said:.0%}, augmented in {row['augmented']:.0%}"
        return {"says_cannot_fix": _goal(_judge(said == 1, said), detail)}
    aug, ideal = row["err_aug_bacc"], row["err_copy_b_bacc"]
    raw, iw = row["err_raw_bacc"], row["err_iw_bacc"]
    out = {
        "vs_ideal": _goal(aug <= ideal + tolerance, f"{aug:.3f} vs {ideal:.3f}+.02"),
        "vs_raw": _goal(aug < raw, f"{aug:.3f} vs {raw:.3f}"),
        "vs_iw": _goal(None if covariate else aug < iw, f"{aug:.3f} vs {iw:.3f}"),
    }
    gap = abs(row["bacc_syn"] - row["bacc_real"])
    out["fidelity"] = _goal(_judge(gap <= fidelity, gap), f"|diff| {gap:.3f}")
    syn, copy = row["det_auc_syn"], row["det_auc_copy"]
    out["detection"] = _goal(
        _judge(syn <= copy + tolerance, syn - copy), f"{syn:.3f} vs {copy:.3f}"
    )
    red_aug, red_copy = row["drift_red_aug"], row["drift_red_copy"]
    out["drift"] = _goal(
        _judge(red_aug >= red_copy, red_aug - red_copy),
        f"{red_aug:.3f} vs {red_copy:.3f}",
    )
    dcr = row["dcr_ratio"]
    out["dcr"] = _goal(_judge(dcr >= 0.9, dcr), f"{dcr:.2f}")
    out["no_false_alarm"] = _goal(_judge(said == 0, said), f"said in {said:.0%}")
    return out


def _judge(passed, value):
    """None when the value behind a goal is missing (NaN)."""
    return None if not np.isfinite(value) else passed
