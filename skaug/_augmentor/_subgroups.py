"""Subgroups of ``sensitive_features``: their key, per-subgroup quotas and the
report of their shares and drift before and after augmentation."""

import numpy as np
import pandas as pd

from skaug._augmentor._target import overall_drift
from skaug._synthesis.pool import take_rows
from skaug.drift import drift_per_feature
from skaug.utils._allocation import split_proportionally

# A subgroup whose share of the rows moves by more than this is warned about.
SUBGROUP_TOLERANCE = 0.05


def subgroup_key(X, features):
    """The subgroup of every row of DataFrame X: its values of ``features``
    joined as ``"a | b"``."""
    return X[features].astype(str).agg(" | ".join, axis=1).to_numpy()


def region_quotas(allocation):
    """Quotas ``(region, None) -> rows`` when any row of a region will do."""
    return {(r, None): int(q) for r, q in enumerate(allocation) if q}


def subgroup_quotas(allocation, test_regions, test_keys, train_regions, train_keys):
    """Split each region's rows across subgroups in the shares of the test
    rows in that region (of the training rows when it has no test rows).

    Parameters
    ----------
    allocation : ndarray of int
        Rows allocated per region.
    test_regions, train_regions : ndarray of int
        The region of every test / training row.
    test_keys, train_keys : ndarray
        The subgroup of every test / training row.

    Returns
    -------
    dict of (int, str) -> int
        Rows wanted per region and subgroup (zero quotas left out).
    """
    quotas = {}
    for r, total in enumerate(allocation):
        if total == 0:
            continue
        keys = test_keys[test_regions == r]
        if len(keys) == 0:
            keys = train_keys[train_regions == r]
        levels, counts = np.unique(keys, return_counts=True)
        for level, quota in zip(levels, split_proportionally(int(total), counts)):
            if quota:
                quotas[(r, level)] = int(quota)
    return quotas


def _shift_message(level, features, before, after, preserved):
    why = (
        "shares within each region were kept, so the shift comes from where the "
        "test set lacks rows."
        if preserved
        else "consider preserve_subgroups=True."
    )
    return (
        f"Augmentation moved subgroup {level!r} of {features} from {before:.1%} "
        f"to {after:.1%} of the rows (more than {SUBGROUP_TOLERANCE:.0%}); {why}"
    )


def _drift_pair(ref, test, out, metric, how):
    """Overall drift of a subgroup's test rows and augmented rows against its
    training rows (NaN when it has no training or no test rows)."""
    if not (len(ref) and len(test)):
        return float("nan"), float("nan")
    return (
        overall_drift(drift_per_feature(ref, test, metric=metric), how),
        overall_drift(drift_per_feature(ref, out, metric=metric), how),
    )


def subgroup_report(
    reference_X, X_test, X_out, is_synthetic, features, *, metric, how, preserved
):
    """Share and drift of every subgroup before and after augmentation.

    Parameters
    ----------
    reference_X : DataFrame
        The training rows.
    X_test : DataFrame
        The test rows.
    X_out : DataFrame
        The test rows followed by the synthetic rows.
    is_synthetic : ndarray of bool
    features : list of str
        The sensitive features.
    metric : callable
        Per-feature drift metric.
    how : {"mean", "max"}
        How per-feature drifts make the overall drift.
    preserved : bool
        Whether subgroup shares were kept within regions (changes the advice
        of the warnings).

    Returns
    -------
    table : DataFrame
        Indexed by subgroup: ``share_test``, ``share_synthetic``,
        ``share_after``, ``drift_before``, ``drift_after``.
    messages : list of str
        One per subgroup whose share moved by more than the tolerance.
    """
    keys_train = subgroup_key(reference_X, features)
    keys_out = subgroup_key(X_out, features)
    keys_test, keys_syn = keys_out[~is_synthetic], keys_out[is_synthetic]
    rows, messages = [], []
    for level in sorted(set(keys_train) | set(keys_out)):
        share_test = float(np.mean(keys_test == level))
        share_after = float(np.mean(keys_out == level))
        drift_before, drift_after = _drift_pair(
            take_rows(reference_X, np.flatnonzero(keys_train == level)),
            take_rows(X_test, np.flatnonzero(keys_test == level)),
            take_rows(X_out, np.flatnonzero(keys_out == level)),
            metric,
            how,
        )
        rows.append(
            {
                "subgroup": level,
                "share_test": share_test,
                "share_synthetic": (
                    float(np.mean(keys_syn == level)) if len(keys_syn) else 0.0
                ),
                "share_after": share_after,
                "drift_before": drift_before,
                "drift_after": drift_after,
            }
        )
        if abs(share_after - share_test) > SUBGROUP_TOLERANCE:
            messages.append(
                _shift_message(level, features, share_test, share_after, preserved)
            )
    return pd.DataFrame(rows).set_index("subgroup"), messages
