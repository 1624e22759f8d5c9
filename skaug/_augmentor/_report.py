"""What one ``augment`` call returns: the merged rows and their report."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from skaug.report import AugmentationReport


@dataclass
class Decision:
    """Whether an ``augment`` call adds rows, and where.

    Attributes
    ----------
    drift_before : float
        The overall drift of the test set.
    max_samples : int
        The most rows ``augmentation_factor`` allows.
    reason : str or None
        Why nothing is added; None when rows are drawn.
    regions : fitted region finder or None
        Set when rows are drawn.
    allocation : ndarray of int or None
        Rows allocated per region, when rows are drawn.
    gate : str or None
        The gate that stopped the call (see :mod:`._gates`); None when rows
        are drawn.
    """

    drift_before: float
    max_samples: int
    reason: str | None = None
    regions: object = None
    allocation: np.ndarray | None = None
    gate: str | None = None


@dataclass
class Merged:
    """The test rows followed by the synthetic rows."""

    X: object
    y: object
    is_synthetic: np.ndarray


def _synthetic_index(index, n_rows):
    """A fresh index for synthetic rows: integers after the largest integer
    label, else ``"synthetic_<i>"``."""
    if pd.api.types.is_integer_dtype(index.dtype):
        start = int(index.max()) + 1 if len(index) else 0
        return pd.RangeIndex(start, start + n_rows)
    return pd.Index([f"synthetic_{i}" for i in range(n_rows)])


def merge(X_test, y_test, pool):
    """Test rows (a DataFrame keeps its index) then the pool's rows; the test
    set itself when the pool is empty."""
    n_test, n_syn = X_test.shape[0], len(pool)
    is_synthetic = np.r_[np.zeros(n_test, bool), np.ones(n_syn, bool)]
    if n_syn == 0:
        return Merged(X_test, y_test, is_synthetic)
    if isinstance(X_test, pd.DataFrame):
        X_syn = pool.X.set_axis(_synthetic_index(X_test.index, n_syn), axis=0)
        X_out = pd.concat([X_test, X_syn])
    else:
        X_out = np.concatenate([np.asarray(X_test), np.asarray(pool.X)])
    y_out = None if y_test is None else np.concatenate([np.asarray(y_test), pool.y])
    return Merged(X_out, y_out, is_synthetic)


def region_table(regions, allocation, added):
    """One row per deviation region: where it is, the shares of training and
    test rows in it, its deficit and the synthetic rows allocated and added."""
    table = pd.DataFrame(
        {
            "train_share": np.asarray(regions.train_share_, dtype=float),
            "test_share": np.asarray(regions.test_share_, dtype=float),
            "deficit": np.asarray(regions.deficits_, dtype=float),
            "allocated": allocation,
            "added": added,
        }
    )
    table.index.name = "region"
    if getattr(regions, "kind_", None) == "numeric":
        # region i holds [edges[i-1], edges[i]); the outer ones are open-ended
        edges = np.asarray(regions.edges_, dtype=float)
        n_bins = len(edges) + 1
        lower = np.full(len(table), np.nan)
        upper = np.full(len(table), np.nan)
        lower[1:n_bins] = edges
        upper[: n_bins - 1] = edges
        table.insert(0, "lower", lower)
        table.insert(1, "upper", upper)
    elif getattr(regions, "kind_", None) == "categorical":
        table.insert(0, "level", [str(level) for level in regions.levels_])
    return table


def shortfall_message(decision, pool):
    """The warning when the regions got fewer rows than allocated, else None."""
    wanted = int(decision.allocation.sum())
    if len(pool) >= wanted:
        return None
    return (
        f"Only {len(pool)} of the {wanted} allocated rows could be generated "
        f"inside their regions ({pool.n_candidates} candidates drawn)."
    )


def build_report(
    decision, pool, before, after, *, drift_after, threshold, limits, **fields
):
    """The report of an ``augment`` call, whether rows were added or not.

    Parameters
    ----------
    decision : Decision
    pool : SyntheticPool
        The rows drawn (empty when the decision gave a reason).
    before, after : DataFrame
        The drift tables of the test set and of the merged rows.
    drift_after : float
        The overall drift of the merged rows.
    threshold : float
        ``drift_threshold``, quoted in the reason.
    limits : (str, str)
        ``limited_by`` and ``shortfall`` (:func:`._gates.limit`).
    **fields
        The other fields of :class:`~skaug.report.AugmentationReport`.
    """
    per_feature = pd.DataFrame({"before": before["drift"], "after": after["drift"]})
    fields["limited_by"], fields["shortfall"] = limits
    cannot_fix = ""
    if fields.get("concept_shift", {}).get("detected"):
        cannot_fix = (
            " The test labels given the features changed (P(y|x), see "
            "concept_shift): augmentation cannot fix that."
        )
    if decision.reason is not None:
        fields.pop("region_lookup", None)
        return AugmentationReport(
            augmented=False,
            reason=decision.reason + cannot_fix,
            drift_before=decision.drift_before,
            drift_after=drift_after,
            samples_added=0,
            per_feature=per_feature,
            **fields,
        )
    n_syn, added = len(pool), np.asarray(pool.per_group)
    return AugmentationReport(
        augmented=n_syn > 0,
        reason=(
            f"Drift {decision.drift_before:.4f} > drift_threshold={threshold}: "
            f"{n_syn} synthetic rows added in {int((added > 0).sum())} "
            "deficit region(s)." + cannot_fix
        ),
        drift_before=decision.drift_before,
        drift_after=drift_after,
        samples_added=n_syn,
        per_feature=per_feature,
        regions=region_table(decision.regions, decision.allocation, added),
        region_model=decision.regions,
        acceptance_rate=(n_syn / pool.n_candidates) if pool.n_candidates else 1.0,
        **fields,
    )
