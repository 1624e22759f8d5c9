"""How close synthetic rows are to real ones: the checks every front-end uses.

* :func:`ks_by_class` -- per-column KS statistics, class by class: a pool of
  minority rows is compared with the real minority rows, not with the whole
  (mostly majority) table;
* :func:`mean_ks` -- their mean, weighted by the synthetic rows of each class
  (the sampler's ``synthesis_report_["mean_ks"]``);
* :func:`pool_drift` -- the same mean against a bound that is never below the
  sampling noise of a small pool (the callback's stability check);
* :func:`detection_auc` -- how well a gradient-boosting detector tells
  synthetic rows from real ones (0.5: indistinguishable). A linear detector
  is blind to joint structure (independent marginals score 0.5), trees are not;
* :func:`label_agreement` -- whether the labels of synthetic rows are the
  ones real rows like them carry: a classifier fitted on real rows predicts
  the synthetic rows' classes, class by class, beside its (cross-fitted)
  agreement with the real rows' own labels;
* :func:`generator_quality` -- detection AUC and mean KS of a fitted
  generator against held-out rows, and the label agreement when the rows
  have labels (the augmentor's ``generator_quality_``).
"""

from collections import namedtuple

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from skaug.drift import ks_statistic

#: One class of :func:`ks_by_class`.
ClassKS = namedtuple("ClassKS", ["label", "n_real", "n_synthetic", "ks"])

# c(alpha) of the two-sample KS test at the 1 % level.
KS_C_ALPHA = 1.628
#: Folds of :func:`label_agreement` (fewer when a class has fewer rows).
LABEL_FOLDS = 5
#: :func:`generator_quality` checks the labels on this many rows at most (a
#: random subset of the real and of the synthetic rows): the forests' cost
#: grows with the rows, and 2,000 rows pin the agreement down to about 0.01.
LABEL_MAX_ROWS = 2_000


def ks_by_class(real, real_y, synthetic, synthetic_y):
    """Mean per-column KS statistic of synthetic rows against the real rows of
    their class.

    Parameters
    ----------
    real, synthetic : ndarray of shape (n_rows, n_columns)
        Numeric (e.g. encoded) rows.
    real_y, synthetic_y : ndarray of shape (n_rows,)

    Returns
    -------
    list of ClassKS
        One per class of the synthetic rows that has real rows too.

    Examples
    --------
    >>> import numpy as np
    >>> from skaug._synthesis.quality import ks_by_class
    >>> real = np.arange(8.0).reshape(-1, 1)
    >>> ks_by_class(real, [0, 0, 0, 0, 1, 1, 1, 1], real[:4], [0, 0, 0, 0])
    [ClassKS(label=0, n_real=4, n_synthetic=4, ks=0.0)]
    """
    real, synthetic = np.asarray(real), np.asarray(synthetic)
    real_y, synthetic_y = np.asarray(real_y), np.asarray(synthetic_y)
    out = []
    for label in np.unique(synthetic_y):
        r, f = real[real_y == label], synthetic[synthetic_y == label]
        if len(r) == 0:
            continue
        ks = np.mean(
            [
                ks_statistic(r[:, j], f[:, j], categorical=False)
                for j in range(real.shape[1])
            ]
        )
        label = label.item() if isinstance(label, np.generic) else label
        out.append(ClassKS(label, len(r), len(f), float(ks)))
    return out


def mean_ks(real, real_y, synthetic, synthetic_y):
    """Mean of :func:`ks_by_class`, weighted by the synthetic rows per class
    (NaN when no class can be compared)."""
    parts = ks_by_class(real, real_y, synthetic, synthetic_y)
    if not parts:
        return float("nan")
    n_rows = sum(p.n_synthetic for p in parts)
    return sum(p.n_synthetic * p.ks for p in parts) / n_rows


def pool_drift(parts, max_ks):
    """Weighted mean KS of a pool, and the bound it is held to.

    Each class's bound is ``max_ks`` or, when larger, the 1 % critical value
    of the two-sample KS test: below it, a small pool's gap is sampling noise,
    not evidence of drift.

    Parameters
    ----------
    parts : list of ClassKS
    max_ks : float

    Returns
    -------
    ks, bound : float
        Both weighted by the pool's rows per class; ``(0.0, max_ks)`` for an
        empty list.
    """
    total = bound = 0.0
    n_rows = 0
    for part in parts:
        n_real, n_pool = part.n_real, part.n_synthetic
        critical = KS_C_ALPHA * np.sqrt((n_real + n_pool) / (n_real * n_pool))
        total += part.ks * n_pool
        bound += max(max_ks, critical) * n_pool
        n_rows += n_pool
    if not n_rows:
        return 0.0, float(max_ks)
    return float(total / n_rows), float(bound / n_rows)


def detection_auc(real, synthetic, *, random_state=0, n_splits=5):
    """Cross-validated ROC AUC of a gradient-boosting real-vs-synthetic
    detector (0.5: the detector cannot tell them apart).

    Parameters
    ----------
    real, synthetic : ndarray of shape (n_rows, n_columns)
        Numeric (e.g. encoded) rows.
    random_state : int, default=0
        Seed of the folds and of the detector.
    n_splits : int, default=5
        Folds (fewer when a side has fewer rows).

    Returns
    -------
    float
    """
    data = np.vstack([real, synthetic])
    label = np.r_[np.zeros(len(real)), np.ones(len(synthetic))]
    folds = StratifiedKFold(
        n_splits=max(2, min(n_splits, len(real), len(synthetic))),
        shuffle=True,
        random_state=random_state,
    )
    proba = cross_val_predict(
        HistGradientBoostingClassifier(random_state=random_state),
        data,
        label,
        cv=folds,
        method="predict_proba",
    )[:, 1]
    return float(roc_auc_score(label, proba))


def _python(label):
    return label.item() if isinstance(label, np.generic) else label


def _label_index(real_y, synthetic_y):
    """Every label of both samples, sorted where they can be."""
    both = pd.Series(
        np.r_[np.asarray(real_y, dtype=object), np.asarray(synthetic_y, dtype=object)]
    )
    found = list(pd.unique(both))
    try:
        found = sorted(found)
    except TypeError:  # labels of several kinds: in order of appearance
        pass
    return pd.Index(found, dtype=object)


def _share(hits):
    return float(np.mean(hits)) if len(hits) else float("nan")


def _label_checker(random_state):
    return RandomForestClassifier(
        n_estimators=50,
        min_samples_leaf=2,
        class_weight="balanced",
        random_state=random_state,
    )


def label_agreement(real, real_y, synthetic, synthetic_y, *, random_state=0):
    """How often a classifier fitted on real rows agrees with the labels of
    synthetic rows, class by class, against the same check on real rows.

    The real rows are split into stratified folds (up to
    :data:`LABEL_FOLDS`, no more than the smallest class has rows); the
    synthetic rows are dealt to the same folds at random. For each fold, a
    classifier fitted on the real rows of the other folds predicts the real
    and the synthetic rows of that fold, so no row, real or synthetic, is
    judged by a model that saw it, and both sides are judged by the same
    models. The classifier is a class-balanced random forest (50 trees,
    leaves of 2 rows at least): the held-out rows are often few (46 rows for
    230 training rows at ``validation_fraction=0.2``), where gradient
    boosting's leaves of 20 rows cannot split and every row gets the
    majority class, which tells nothing; the class weights keep a minority
    class's agreement informative.

    Parameters
    ----------
    real, synthetic : ndarray of shape (n_rows, n_columns)
        Numeric (e.g. encoded) rows.
    real_y, synthetic_y : array-like of shape (n_rows,)
    random_state : int, default=0
        Seeds the folds, the dealing and the classifiers.

    Returns
    -------
    dict or None
        ``synthetic`` and ``real``: the agreement averaged over the classes
        of the synthetic rows (balanced: each class counts once);
        ``per_class``: for each class, ``synthetic`` and ``real`` (the share
        of its rows that the classifier calls that class) and their
        ``n_synthetic`` and ``n_real`` rows. A synthetic class that the real
        rows lack has agreement 0 (the classifier never predicts it) and
        ``real`` NaN. None when the real rows have fewer than two classes or
        a class with a single row.

    Examples
    --------
    >>> import numpy as np
    >>> from skaug._synthesis.quality import label_agreement
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(200, 1))
    >>> real_y = (real[:, 0] > 0).astype(int)
    >>> wrong = label_agreement(real, real_y, real, 1 - real_y)
    >>> wrong["synthetic"] < 0.1 < 0.9 < wrong["real"]
    True
    """
    # labels as codes: object arrays (e.g. of ints) are no target type to
    # scikit-learn's splitters
    labels = _label_index(real_y, synthetic_y)
    real_y, synthetic_y = labels.get_indexer(real_y), labels.get_indexer(synthetic_y)
    counts = np.bincount(real_y)
    counts = counts[counts > 0]
    n_folds = min(LABEL_FOLDS, int(counts.min()))
    if len(counts) < 2 or n_folds < 2:
        return None
    rng = np.random.RandomState(random_state)
    folds = StratifiedKFold(n_folds, shuffle=True, random_state=random_state)
    dealt = rng.permutation(len(synthetic_y)) % n_folds
    real_pred = np.empty_like(real_y)
    syn_pred = np.empty_like(synthetic_y)
    for fold, (train, test) in enumerate(folds.split(real, real_y)):
        model = _label_checker(random_state).fit(real[train], real_y[train])
        real_pred[test] = model.predict(real[test])
        if (dealt == fold).any():
            syn_pred[dealt == fold] = model.predict(synthetic[dealt == fold])
    per_class = {}
    for code in np.unique(synthetic_y):
        mine, theirs = synthetic_y == code, real_y == code
        per_class[_python(labels[code])] = {
            "synthetic": _share(syn_pred[mine] == code),
            "real": _share(real_pred[theirs] == code),
            "n_synthetic": int(mine.sum()),
            "n_real": int(theirs.sum()),
        }
    real_shares = [c["real"] for c in per_class.values() if c["n_real"]]
    return {
        "synthetic": float(np.mean([c["synthetic"] for c in per_class.values()])),
        "real": float(np.mean(real_shares)) if real_shares else float("nan"),
        "per_class": per_class,
    }


def generator_quality(generator, encoder, X_hold, *, seed, y_hold=None):
    """Detection AUC and mean numeric-column KS of a fitted generator's rows
    against held-out real rows ``X_hold`` (as many of each), in the
    encoder's space; with the held-out labels ``y_hold`` and a generator that
    returns labels, also the :func:`label_agreement` (``label_agreement``,
    ``label_agreement_real`` and ``label_agreement_per_class``) on
    :data:`LABEL_MAX_ROWS` rows of each at most."""
    n = X_hold.shape[0]
    X_syn, y_syn = generator.sample(n, random_state=seed)
    real = encoder.transform(X_hold)
    fake = encoder.transform(X_syn)
    spans = [s for s in encoder.spans_ if s.kind == "numeric"]
    ks = [
        ks_statistic(real[:, s.start], fake[:, s.start], categorical=False)
        for s in spans
    ]
    quality = {
        "detection_auc": detection_auc(real, fake),
        "mean_ks": float(np.mean(ks)) if ks else float("nan"),
        "n_holdout": int(n),
    }
    if y_hold is not None and y_syn is not None:
        keep = np.arange(n)
        if n > LABEL_MAX_ROWS:
            keep = np.random.RandomState(seed).choice(n, LABEL_MAX_ROWS, replace=False)
        y_hold, y_syn = np.asarray(y_hold)[keep], np.asarray(y_syn)[keep]
        labels = label_agreement(
            real[keep], y_hold, fake[keep], y_syn, random_state=seed
        )
        if labels is not None:
            quality["label_agreement"] = labels["synthetic"]
            quality["label_agreement_real"] = labels["real"]
            quality["label_agreement_per_class"] = labels["per_class"]
    return quality
