"""What an ``augment`` call says besides its rows: the subgroup table, the
warnings, and whether the test labels given x changed (:mod:`._concept`)."""

from dataclasses import dataclass, field

from skaug._augmentor._checks import unseen_label_note
from skaug._augmentor._concept import concept_message, concept_shift
from skaug._augmentor._report import shortfall_message
from skaug._augmentor._subgroups import subgroup_report
from skaug.drift import get_drift_metric


@dataclass
class Review:
    """The subgroup table (None without ``sensitive_features`` or rows), the
    warnings in the order they are issued, and the P(y|x) check (empty
    without test labels)."""

    subgroups: object = None
    messages: list = field(default_factory=list)
    concept: dict = field(default_factory=dict)


def _concept(augmentor, X, y, seed):
    """The P(y|x) check of the test rows, when there are labels on both
    sides."""
    if y is None or augmentor.reference_y_ is None:
        return {}
    encoder = augmentor.encoder_
    return concept_shift(
        encoder.transform(augmentor.reference_X_),
        augmentor.reference_y_,
        encoder.transform(X),
        y,
        seed,
    )


def review(augmentor, decision, X, y, merged, pool, seed):
    """The review of one call.

    Parameters
    ----------
    augmentor : DriftAugmentor
        Fitted; its settings and training data are used.
    decision : Decision
    X, y : the test rows and labels
    merged : Merged
        The test rows then the synthetic rows.
    pool : SyntheticPool
        The rows drawn.
    seed : int
        Seeds the P(y|x) check (not the call's random numbers, which the
        draws use).

    Returns
    -------
    Review
        The warnings: unseen test labels, a P(y|x) shift, then (when rows
        were drawn) subgroup shifts and a shortfall of generated rows.
    """
    note = unseen_label_note(augmentor, y)
    found = Review(messages=[note] if note else [])
    found.concept = _concept(augmentor, X, y, seed)
    concept = concept_message(found.concept)
    if concept:
        found.messages.append(concept)
    if decision.reason is not None:
        return found
    if augmentor.sensitive_features:
        found.subgroups, shifts = subgroup_report(
            augmentor.reference_X_,
            X,
            merged.X,
            merged.is_synthetic,
            augmentor.sensitive_features,
            metric=get_drift_metric(augmentor.drift_metric),
            how=augmentor.aggregate,
            preserved=augmentor.preserve_subgroups,
        )
        found.messages += shifts
    shortfall = shortfall_message(decision, pool)
    if shortfall:
        found.messages.append(shortfall)
    return found
