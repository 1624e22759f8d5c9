"""Uncertainty scorers: one protocol, two sources.

A scorer has one method, ``score(X) -> ndarray`` (float64, one value per row,
higher = more uncertain). The sampler scores encoded rows with its uncertainty
model's ``predict_uncertainty``; the callback scores rows with Monte Carlo
dropout passes through the user's own skorch net, which has no such method.
"""

from typing import Protocol

import numpy as np

from skaug.models._mc_passes import mc_dropout_uncertainty
from skaug.utils._random import draw_seed


class UncertaintyScorer(Protocol):
    """Anything that scores rows by uncertainty."""

    def score(self, X):
        """Uncertainty of each row of ``X`` (ndarray of float64)."""


class EstimatorScorer:
    """Scores with an estimator's ``predict_uncertainty``.

    Parameters
    ----------
    estimator : fitted estimator with ``predict_uncertainty``
    n_mc_samples : int
        Passes per score.
    metric : str
        ``"variance"``, ``"entropy"`` or ``"bald"``.
    class_prior : ndarray or None, default=None
        The share of each class of ``estimator.classes_`` in the rows the
        model learnt from. Given, the label probabilities are those of a
        model trained on balanced classes: each class's probability divided
        by its share, renormalised (Bayes' rule with the priors swapped).
        Without it a minority row can look implausible only because its
        class is rare.
    """

    def __init__(self, estimator, n_mc_samples, metric, class_prior=None):
        self.estimator = estimator
        self.n_mc_samples = n_mc_samples
        self.metric = metric
        self.class_prior = class_prior

    def score(self, X):
        scores = self.estimator.predict_uncertainty(
            X, n_samples=self.n_mc_samples, metric=self.metric
        )
        return np.asarray(scores, dtype=np.float64)

    def label_probability(self, X, label):
        """The model's probability of ``label`` for each row, or ``None``
        when it gives no class probabilities (or does not know the label)."""
        column = self._label_column(label)
        if column is None:
            return None
        return self._balanced(self.estimator.predict_proba(X))[:, column]

    def label_probability_and_score(self, X, label):
        """:meth:`label_probability` and :meth:`score` of the rows, from the
        same passes, where the model computes both at once (skaug's nets:
        ``predict_proba_uncertainty``). Otherwise the scores are ``None``
        (the caller scores the rows it keeps), and so is the probability
        where :meth:`label_probability` gives none."""
        column = self._label_column(label)
        both = getattr(self.estimator, "predict_proba_uncertainty", None)
        if column is None or both is None:
            return self.label_probability(X, label), None
        proba, scores = both(X, n_samples=self.n_mc_samples, metric=self.metric)
        return self._balanced(proba)[:, column], np.asarray(scores, dtype=np.float64)

    def _balanced(self, proba):
        proba = np.asarray(proba, dtype=np.float64)
        if self.class_prior is None:
            return proba
        odds = proba / np.asarray(self.class_prior, dtype=np.float64)
        return odds / np.maximum(odds.sum(axis=1, keepdims=True), 1e-300)

    def _label_column(self, label):
        classes = getattr(self.estimator, "classes_", None)
        if not hasattr(self.estimator, "predict_proba") or classes is None:
            return None
        column = np.flatnonzero(np.asarray(classes) == label)
        return int(column[0]) if len(column) else None


class NetScorer:
    """Scores with MC-dropout passes through a user's skorch classifier
    (:func:`skaug.models._mc_passes.mc_dropout_uncertainty`, the passes that
    skaug's own nets run too).

    Each call draws a fresh seed from ``random_state``, so successive pools
    see different dropout masks, and a run is reproducible.

    Parameters
    ----------
    net : initialized skorch classifier
    n_mc_samples : int
    metric : str
    random_state : numpy RandomState
    """

    def __init__(self, net, n_mc_samples, metric, random_state):
        self.net = net
        self.n_mc_samples = n_mc_samples
        self.metric = metric
        self.random_state = random_state

    def score(self, X):
        return mc_dropout_uncertainty(
            self.net,
            X,
            n_passes=self.n_mc_samples,
            metric=self.metric,
            seed=draw_seed(self.random_state),
        )
