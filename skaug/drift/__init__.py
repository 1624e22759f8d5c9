"""Drift metrics and deviation regions between training and test data.

:func:`drift_per_feature` measures the drift of every feature with one of
:data:`DRIFT_METRICS` (``"ks"``, ``"kl"``, ``"psi"``, ``"js"``,
``"wasserstein"``) or a callable, and :func:`aggregate_drift` makes one number
of it. :class:`HistogramRegions` and :class:`DensityRatioRegions` find where
the test set lacks training mass and split a budget of synthetic rows across
those regions. :class:`~skaug.DriftAugmentor` builds on both.
"""

from skaug.drift._density_ratio import DensityRatioRegions
from skaug.drift._histogram import HistogramRegions
from skaug.drift._metrics import (
    DRIFT_METRICS,
    js_distance,
    kl_divergence,
    ks_statistic,
    psi,
    wasserstein,
)
from skaug.drift._tables import aggregate_drift, drift_per_feature, get_drift_metric

__all__ = [
    "DRIFT_METRICS",
    "DensityRatioRegions",
    "HistogramRegions",
    "aggregate_drift",
    "drift_per_feature",
    "get_drift_metric",
    "js_distance",
    "kl_divergence",
    "ks_statistic",
    "psi",
    "wasserstein",
]
