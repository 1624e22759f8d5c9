"""Uncertainty scorers: one protocol, two sources.

A scorer has one method, ``score(X) -> ndarray`` (float64, one value per row,
higher = more uncertain). The sampler scores encoded rows with its uncertainty
model's ``predict_uncertainty``; the callback scores rows with Monte Carlo
dropout passes through the user's own skorch net, which has no such method.
"""

from typing import Protocol

import numpy as np
import torch

from skaug.utils._random import draw_seed, torch_seed

# Rows x passes sent through a user's module in one forward call.
_MAX_ROWS_PER_FORWARD = 2**18


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
    """

    def __init__(self, estimator, n_mc_samples, metric):
        self.estimator = estimator
        self.n_mc_samples = n_mc_samples
        self.metric = metric

    def score(self, X):
        scores = self.estimator.predict_uncertainty(
            X, n_samples=self.n_mc_samples, metric=self.metric
        )
        return np.asarray(scores, dtype=np.float64)


class _MCDropoutMode:
    """Context: the module in eval mode except its dropout layers.

    Monte Carlo dropout needs the dropout masks on, but a batch-norm layer in
    training mode would update its running statistics with the scored rows;
    every module's mode is restored afterwards.
    """

    def __init__(self, module):
        self.module = module

    def __enter__(self):
        self.modes = [(m, m.training) for m in self.module.modules()]
        self.module.eval()
        for m in self.module.modules():
            if isinstance(m, torch.nn.modules.dropout._DropoutNd):
                m.train()
        return self

    def __exit__(self, *exc):
        for m, mode in self.modes:
            m.training = mode
        return False


class NetScorer:
    """Scores with MC-dropout passes through a user's skorch classifier.

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
        from skaug.models._uncertainty import classification_uncertainty

        net = self.net
        nonlinearity = net._get_predict_nonlinearity()
        n_passes = self.n_mc_samples
        chunk = max(1, _MAX_ROWS_PER_FORWARD // n_passes)
        scores = []
        with (
            torch.no_grad(),
            _MCDropoutMode(net.module_),
            torch_seed(draw_seed(self.random_state), net.device),
        ):
            for start in range(0, len(X), chunk):
                part = X[start : start + chunk]
                # all passes in one forward call: the chunk repeated n times
                tiled = part.repeat(n_passes, *([1] * (part.dim() - 1)))
                out = nonlinearity(net.infer(tiled))
                proba = out.reshape(n_passes, len(part), -1).double()
                scores.append(classification_uncertainty(proba, self.metric).cpu())
        if not scores:
            return np.zeros(0)
        return torch.cat(scores).numpy()
