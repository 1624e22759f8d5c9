"""Sampling weights of original and synthetic rows.

The :class:`~skaug.UncertaintySampler` (and the ``AdaptiveSynthesis`` skorch
callback) give every row of ``originals ⊕ synthetic`` the weight::

    weight = alpha * original_weight + beta * synthetic_weight

where ``original_weight`` is 0 for a synthetic row and ``synthetic_weight`` is 0
for an original row, then draw rows in proportion to it. This module holds that
formula as plain functions over numpy arrays, without estimator state, so that
both callers share one implementation.

All functions are vectorised, accept an empty set of rows, and never modify
their inputs.
"""

from skaug._weights._draw import draw_per_class, normalise, weighted_draw
from skaug._weights._schemes import (
    ORIGINAL_WEIGHT_SCHEMES,
    WEIGHT_CONSTRAINTS,
    check_mix,
    combine_weights,
    original_weights,
    sampler_weights,
    synthetic_weights,
)

__all__ = [
    "ORIGINAL_WEIGHT_SCHEMES",
    "WEIGHT_CONSTRAINTS",
    "check_mix",
    "combine_weights",
    "draw_per_class",
    "normalise",
    "original_weights",
    "sampler_weights",
    "synthetic_weights",
    "weighted_draw",
]
