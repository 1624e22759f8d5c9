"""Whether the labels given the features changed: a shift augmentation cannot fix.

Synthetic rows are drawn from the training distribution with its labels, so
they can stand in for test rows the test set lacks only when the relation
between features and labels, P(y|x), is the training data's. When the test
labels follow another relation (concept shift), adding training-like rows
mixes two answers to the same question, and no augmentation brings the
estimate back. :func:`concept_shift` checks it whenever ``augment`` gets test
labels.

The check. A random forest fitted on the training rows, cross-fitted
(:data:`FOLDS` folds, so no row is judged by a model that saw it; test rows
are dealt to the folds at random), gives every training and test row its
class probabilities. On held-out training rows its accuracy falls short of
its confidence (mean top probability) by some amount, the *gap*. If only the
features drifted (covariate shift, P(y|x) unchanged), the test rows show the
same gap, wherever they lie: a model is less sure where it is less right. If
only the class shares changed (label shift, P(x|y) unchanged), they show it
once the probabilities are reweighted by the test class shares over the
training ones. The *shortfall* under each explanation is the test rows' gap
minus the training rows' gap: how much less often the model agrees with the
test labels than its confidence and its held-out accuracy predict. When both
shortfalls are at least :data:`MIN_SHORTFALL` and significant (one-sided
normal test, p-value below :data:`LEVEL` for each), neither explanation
holds: the labels given x changed.

The forests (100 trees, 5 folds) and the thresholds were chosen on
``benchmarks/bench_drift_real.py``'s scenarios and on random splits of real
tables; the measurements are in ``doc/benchmarks.rst`` (``bench_drift_real``).
"""

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold

#: Cross-fitting folds of the check (fewer when a class has fewer rows).
FOLDS = 5
#: Training rows the forests are fitted on (a random subset above it).
MAX_TRAIN_ROWS = 2_000
#: The shortfall (in accuracy) that both explanations must leave.
MIN_SHORTFALL = 0.1
#: The one-sided p-value that both shortfalls must be below.
LEVEL = 0.01


def _forest(seed):
    return RandomForestClassifier(
        n_estimators=100, min_samples_leaf=2, random_state=seed
    )


def cross_fitted_proba(train, train_codes, test, n_classes, seed):
    """Class probabilities of training rows (out of fold) and of test rows
    (by the model of the fold each was dealt to), or None when a class has a
    single row."""
    n_folds = min(FOLDS, int(np.bincount(train_codes).min()))
    if n_folds < 2:
        return None
    folds = StratifiedKFold(n_folds, shuffle=True, random_state=seed)
    dealt = np.random.RandomState(seed).permutation(len(test)) % n_folds
    p_train = np.zeros((len(train_codes), n_classes))
    p_test = np.zeros((len(test), n_classes))
    for fold, (fit, held) in enumerate(folds.split(train, train_codes)):
        model = _forest(seed).fit(train[fit], train_codes[fit])
        columns = model.classes_
        p_train[np.ix_(held, columns)] = model.predict_proba(train[held])
        mine = dealt == fold
        if mine.any():
            p_test[np.ix_(mine, columns)] = model.predict_proba(test[mine])
    return p_train, p_test


def _gaps(proba, codes):
    """Per row: top probability minus whether the top class is the label."""
    return proba.max(axis=1) - (proba.argmax(axis=1) == codes)


def _shortfall(gap_test, gap_train):
    """Mean test gap minus mean training gap, and its one-sided p-value."""
    excess = float(gap_test.mean() - gap_train.mean())
    se = np.sqrt(gap_test.var() / len(gap_test) + gap_train.var() / len(gap_train))
    if se == 0:
        return excess, 0.0 if excess > 0 else 1.0
    return excess, float(norm.sf(excess / se))


def _label_shift_view(p_test, train_codes, test_codes, n_classes):
    """Test probabilities reweighted by the test class shares over the
    training ones (what a pure label shift does to P(y|x))."""
    share_train = np.bincount(train_codes, minlength=n_classes) / len(train_codes)
    share_test = np.bincount(test_codes, minlength=n_classes) / len(test_codes)
    weighted = p_test * (share_test / share_train)
    total = weighted.sum(axis=1, keepdims=True)
    return np.divide(weighted, total, out=p_test.copy(), where=total > 0)


def _codes(reference_y, y):
    """Training labels as codes 0..k-1, and the test labels' codes (-1 for a
    label the training data never had)."""
    classes = pd.Index(pd.unique(pd.Series(np.asarray(reference_y, dtype=object))))
    return (
        classes.get_indexer(np.asarray(reference_y, dtype=object)),
        classes.get_indexer(np.asarray(y, dtype=object)),
        len(classes),
    )


def concept_shift(train, reference_y, test, y, seed):
    """Whether the test labels given x follow another relation than the
    training labels (see the module docstring).

    Parameters
    ----------
    train, test : ndarray of shape (n_rows, n_columns)
        Encoded training and test rows.
    reference_y, y : array-like of shape (n_rows,)
        Their labels.
    seed : int
        Seeds the subset, the folds, the dealing and the forests.

    Returns
    -------
    dict
        ``detected`` (bool); ``agreement`` (how often the model agrees with
        the test labels) and ``expected_agreement`` (its held-out accuracy
        on training rows, moved by how much more or less confident it is on
        the test rows): both under the covariate-shift explanation;
        ``shortfall_covariate`` and ``shortfall_label`` (expected minus
        observed agreement under each explanation), ``shortfall`` (the
        smaller) and ``p_value`` (the larger of their p-values);
        ``n_train`` and ``n_test``, the rows compared. Empty when the check
        cannot run: fewer than two training classes, a class with a single
        row, or no test row with a training label.
    """
    train_codes, test_codes, n_classes = _codes(reference_y, y)
    known = test_codes >= 0
    if n_classes < 2 or not known.any():
        return {}
    rng = np.random.RandomState(seed)
    if len(train_codes) > MAX_TRAIN_ROWS:
        keep = np.sort(rng.choice(len(train_codes), MAX_TRAIN_ROWS, replace=False))
        train, train_codes = train[keep], train_codes[keep]
        if len(np.unique(train_codes)) < n_classes:
            return {}
    test, test_codes = test[known], test_codes[known]
    probas = cross_fitted_proba(train, train_codes, test, n_classes, seed)
    if probas is None:
        return {}
    p_train, p_test = probas
    gap_train = _gaps(p_train, train_codes)
    covariate = _shortfall(_gaps(p_test, test_codes), gap_train)
    relabelled = _label_shift_view(p_test, train_codes, test_codes, n_classes)
    label = _shortfall(_gaps(relabelled, test_codes), gap_train)
    shortfall, p_value = min(covariate[0], label[0]), max(covariate[1], label[1])
    agreement = float(np.mean(p_test.argmax(axis=1) == test_codes))
    return {
        "detected": bool(shortfall >= MIN_SHORTFALL and p_value < LEVEL),
        "agreement": agreement,
        "expected_agreement": agreement + covariate[0],
        "shortfall_covariate": covariate[0],
        "shortfall_label": label[0],
        "shortfall": shortfall,
        "p_value": p_value,
        "n_train": int(len(train_codes)),
        "n_test": int(len(test_codes)),
    }


def concept_message(check):
    """The warning of a detected P(y|x) shift (None otherwise)."""
    if not check.get("detected"):
        return None
    return (
        "The test labels given the features differ from the training data's "
        "(a change in P(y|x), concept shift): a model fitted on the training "
        f"rows agrees with {check['agreement']:.0%} of the test labels where "
        f"{check['expected_agreement']:.0%} was expected, and neither a "
        "covariate shift nor a label shift explains the gap (shortfall "
        f"{check['shortfall']:.2f} at best, p={check['p_value']:.2g}). "
        "Synthetic rows carry the training data's labels, so augmentation "
        "cannot fix this: a score on the augmented set mixes two relations. "
        "Evaluate on the test rows alone, and consider relabelling or "
        "retraining."
    )
