"""The synthetic rows of an ``augment`` call, drawn by the synthesis core.

With ``target="y"`` the regions are the classes: a conditional generator
draws the allocated rows of every class in one labelled call
(:func:`~skaug._synthesis.direct.draw_labelled`). Elsewhere the generator
cannot be conditioned on a region, so candidates are drawn and kept while
their region (and subgroup, with ``preserve_subgroups``) still needs rows
(:func:`~skaug._synthesis.regions.draw_in_regions`).
"""

from functools import partial

import numpy as np

from skaug._augmentor._subgroups import region_quotas, subgroup_key, subgroup_quotas
from skaug._synthesis.direct import draw_labelled
from skaug._synthesis.pool import SyntheticPool
from skaug._synthesis.regions import draw_in_regions


def _draws_labelled(augmentor):
    """Whether rows are drawn for their class directly: the regions are the
    classes and the generator is conditional (and no subgroup quota needs
    rejection sampling)."""
    conditional = getattr(augmentor.generator_, "classes_", None) is not None
    return (
        augmentor._plan.kind == "labels"
        and conditional
        and not augmentor.preserve_subgroups
    )


def _quotas(augmentor, decision, X, y):
    """Rows wanted per region, and per subgroup with ``preserve_subgroups``."""
    if not augmentor.preserve_subgroups:
        return region_quotas(decision.allocation)
    features = augmentor.sensitive_features
    place = partial(augmentor._place, decision.regions)
    reference_X = augmentor.reference_X_
    return subgroup_quotas(
        decision.allocation,
        place(X, y),
        subgroup_key(X, features),
        place(reference_X, augmentor.reference_y_),
        subgroup_key(reference_X, features),
    )


def draw_rows(augmentor, decision, X, y, rng):
    """The synthetic rows of a decision (none when it gave a reason).

    Parameters
    ----------
    augmentor : DriftAugmentor
        Fitted; its generator, settings and region placement are used.
    decision : Decision
    X, y : the test rows and labels
        They set the subgroup shares with ``preserve_subgroups``.
    rng : numpy RandomState
        The call's random numbers.

    Returns
    -------
    SyntheticPool
        ``per_group`` holds the rows added per region.
    """
    if decision.reason is not None:
        return SyntheticPool(X=None)
    if _draws_labelled(augmentor):
        labels = np.repeat(decision.regions.levels_, decision.allocation)
        pool = draw_labelled(augmentor.generator_, labels, random_state=rng)
        pool.per_group = decision.allocation.copy()
        return pool
    key = None
    if augmentor.preserve_subgroups:
        key = partial(subgroup_key, features=augmentor.sensitive_features)
    return draw_in_regions(
        augmentor.generator_,
        _quotas(augmentor, decision, X, y),
        partial(augmentor._place, decision.regions),
        rng,
        n_regions=len(decision.allocation),
        key=key,
        verbose=augmentor.verbose,
    )
