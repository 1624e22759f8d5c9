"""The gates of an ``augment`` call: whether rows are added, and what set how
many.

Rows pass, in order: the drift threshold (``drift_threshold``), the cap
(``augmentation_factor``), the regions' significance test (a chi-squared test
of the region counts of training and test rows at level ``significance``;
none with ``significance=None``), the deficit (some region lacks test rows),
the rows the regions need (enough to bring the test set's mass up to the
training mass where it lacks it), and the generation (rows found inside
their regions). :func:`decide` applies the first four and :func:`limit` names
the one that set the count, for the report's ``limited_by`` and
``shortfall``.
"""

import numpy as np

from skaug._augmentor._report import Decision

#: The values of the report's ``limited_by``.
GATES = (
    "drift_threshold",
    "augmentation_factor",
    "significance",
    "no_deficit",
    "rows_needed",
    "generation",
)


def _nothing(drift, max_samples, gate, reason):
    return Decision(drift, max_samples, reason=reason, gate=gate)


def _empty_allocation(drift, max_samples, regions):
    """The decision when the regions allocate no row: which gate, and why."""
    level = regions.significance
    if level is not None and regions.p_value_ >= level:
        return _nothing(
            drift,
            max_samples,
            "significance",
            f"Drift {drift:.4f} is above drift_threshold, but no region of the "
            "training distribution lacks test rows beyond sampling noise "
            f"(chi-squared p-value {regions.p_value_:.3g} >= significance="
            f"{level}): nothing added. significance=None switches the test "
            "off.",
        )
    if np.sum(regions.deficits_) <= 1e-9:
        return _nothing(
            drift,
            max_samples,
            "no_deficit",
            f"Drift {drift:.4f} is above drift_threshold, but no region of the "
            "training distribution has fewer test rows than training rows "
            "(the test set has more where it differs): nothing to add.",
        )
    return _nothing(
        drift,
        max_samples,
        "rows_needed",
        f"Drift {drift:.4f} is above drift_threshold, but the regions that "
        f"lack test rows need {regions.rows_needed_:.2f} rows, which rounds to "
        "none: nothing added.",
    )


def decide(augmentor, X, y, before, rng):
    """Fit the regions and allocate the rows of one call, or say which gate
    stops it (``Decision.gate`` and ``Decision.reason``).

    Parameters
    ----------
    augmentor : DriftAugmentor
        Fitted; its settings, regions and training data are used.
    X, y : the test rows and labels
    before : DataFrame
        The drift table of the test set.
    rng : numpy RandomState
        Seeds the regions.
    """
    drift = augmentor._overall(before)
    n_test = X.shape[0]
    max_samples = int(augmentor.augmentation_factor * n_test)
    if drift <= augmentor.drift_threshold:
        return _nothing(
            drift,
            max_samples,
            "drift_threshold",
            f"Drift {drift:.4f} is at or below drift_threshold="
            f"{augmentor.drift_threshold}: the test set is returned unchanged.",
        )
    if max_samples == 0:
        return _nothing(
            drift,
            max_samples,
            "augmentation_factor",
            f"augmentation_factor={augmentor.augmentation_factor} allows 0 "
            f"rows for {n_test} test rows: nothing added.",
        )
    regions = augmentor._make_regions(rng)
    regions.fit(
        augmentor._region_inputs(augmentor.reference_X_, augmentor.reference_y_),
        augmentor._region_inputs(X, y),
    )
    allocation = np.asarray(regions.allocate(max_samples), dtype=int)
    if allocation.sum() == 0:
        return _empty_allocation(drift, max_samples, regions)
    return Decision(drift, max_samples, regions=regions, allocation=allocation)


def limit(decision, n_added, factor):
    """What set the number of rows added, and why it is below the cap.

    Parameters
    ----------
    decision : Decision
    n_added : int
        The rows added.
    factor : float
        ``augmentation_factor``, quoted.

    Returns
    -------
    limited_by : str
        One of :data:`GATES`.
    shortfall : str
        Why fewer rows than the cap came, in words ("" when the cap was
        reached).
    """
    if decision.reason is not None:
        return decision.gate, decision.reason
    allocated, cap = int(decision.allocation.sum()), decision.max_samples
    if n_added < allocated:
        return "generation", (
            f"Only {n_added} of the {allocated} allocated rows could be "
            "generated inside their regions (the generator rarely produces "
            "rows there)."
        )
    if allocated < cap:
        return "rows_needed", (
            f"The regions that lack test rows needed "
            f"{decision.regions.rows_needed_:.0f} rows to bring the test set's "
            "mass there up to the training mass, fewer than the cap of "
            f"{cap} (augmentation_factor={factor})."
        )
    return "augmentation_factor", ""
