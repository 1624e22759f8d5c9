"""Monte Carlo passes through a skorch net, and the uncertainty of their stack.

One implementation of the passes serves two kinds of nets:

* skaug's own uncertainty nets (:mod:`skaug.models._uncertainty`), whose
  stochastic layers take the *stacked* layout ``(n_passes, n_rows,
  n_features)`` and draw one network per pass (see
  :mod:`skaug.models._uncertainty_modules`);
* any skorch classifier with ordinary dropout layers, scored by
  :func:`mc_dropout_uncertainty` (for the
  :class:`~skaug.callbacks.AdaptiveSynthesis` callback): its module receives
  the *tiled* layout ``(n_passes * n_rows, n_features)``, the input it was
  built for, and every replica of a row draws its own dropout mask.

In both, a chunk of rows is replicated ``n_passes`` times and sent through the
module in *one* forward call, so that the passes are vectorised.

The uncertainty metrics are written once as torch functions: they run under
:func:`torch.no_grad` in ``predict_uncertainty`` and inside the autograd graph
in ``uncertainty_tensor``.
"""

import math

import numpy as np
import torch

from skaug.utils._random import manual_seed, torch_seed

#: Upper bound on rows x passes sent through the module in one forward call.
MAX_ROWS_PER_FORWARD = 2**20

# The same bound for a user's net scored by mc_dropout_uncertainty: its width
# is unknown and it is scored during training, beside the optimiser's state.
_MAX_ROWS_PER_USER_FORWARD = 2**18

CLASSIFIER_METRICS = ("variance", "entropy", "bald")
REGRESSOR_METRICS = ("variance", "entropy")

# Floor of the predictive variance in the Gaussian entropy (a net with no
# dropout, or a single pass, has zero variance).
_VAR_FLOOR = 1e-12

LAYOUTS = ("stacked", "tiled")


# --------------------------------------------------------------------------
# uncertainty metrics on a stack of passes, shape (n_passes, n_rows, n_outputs)
# --------------------------------------------------------------------------


def _entropy(proba):
    """Entropy (nats) over the last axis; ``0 * log 0`` counts as 0."""
    tiny = torch.finfo(proba.dtype).tiny
    return -(proba * torch.log(proba.clamp_min(tiny))).sum(dim=-1)


def classification_uncertainty(proba, metric):
    """Per-row uncertainty from stacked class probabilities.

    Parameters
    ----------
    proba : torch.Tensor of shape (n_passes, n_rows, n_classes)
        Class probabilities of each stochastic pass.
    metric : {"variance", "entropy", "bald"}
        ``"variance"``: mean over classes of the variance across passes;
        ``"entropy"``: entropy of the mean prediction;
        ``"bald"``: entropy of the mean minus the mean entropy (mutual
        information between the prediction and the weights).

    Returns
    -------
    torch.Tensor of shape (n_rows,)
    """
    if metric == "variance":
        return proba.var(dim=0, correction=0).mean(dim=-1)
    entropy_of_mean = _entropy(proba.mean(dim=0))
    if metric == "entropy":
        return entropy_of_mean
    # Jensen makes it >= 0; clamp the rounding error.
    return (entropy_of_mean - _entropy(proba).mean(dim=0)).clamp_min(0.0)


def regression_uncertainty(pred, metric):
    """Per-row uncertainty from stacked regression outputs.

    Parameters
    ----------
    pred : torch.Tensor of shape (n_passes, n_rows, n_outputs)
        Predictions of each stochastic pass.
    metric : {"variance", "entropy"}
        ``"variance"``: variance across passes (averaged over outputs);
        ``"entropy"``: entropy of a Gaussian with that variance,
        ``0.5 * log(2 * pi * e * var)`` (the variance floored at 1e-12).

    Returns
    -------
    torch.Tensor of shape (n_rows,)
    """
    var = pred.var(dim=0, correction=0).mean(dim=-1)
    if metric == "variance":
        return var
    return 0.5 * torch.log((2 * math.pi * math.e) * var.clamp_min(_VAR_FLOOR))


# --------------------------------------------------------------------------
# the passes
# --------------------------------------------------------------------------


def _replicate(rows, n_passes, layout):
    if layout == "stacked":
        return rows.expand(n_passes, *rows.shape)
    return rows.repeat(n_passes, *([1] * (rows.dim() - 1)))


def run_mc_passes(net, X, *, n_passes, seed, reduce, layout, max_rows=None):
    """Run ``n_passes`` stochastic passes of ``net`` over ``X``, chunk by chunk.

    Each chunk of rows is moved to ``net.device``, replicated ``n_passes``
    times in ``layout`` and sent through ``net.infer`` in one forward call.
    The net's predict nonlinearity (the softmax of a classifier) is applied to
    every pass (the first output of a module returning a tuple, as skorch
    does), and ``reduce`` gets the stack ``(n_passes, n_chunk, n_outputs)``.

    The chunks run in a forked torch RNG, each reseeded from ``seed``: the
    caller's RNG is left as it was, and every chunk draws the same noise. The
    caller sets the module's mode and, where no gradient is needed,
    :func:`torch.no_grad`.

    Parameters
    ----------
    net : skorch.NeuralNet
        An initialised net.
    X : torch.Tensor of shape (n_rows, n_features)
        The rows, on any device.
    n_passes : int
        Number of passes.
    seed : int
        Seed of torch's RNG for every chunk.
    reduce : callable
        Maps the stack of one chunk to its result.
    layout : {"stacked", "tiled"}
        ``"stacked"``: the module gets ``(n_passes, n_chunk, n_features)``
        (skaug's stochastic layers draw one network per pass, shared by the
        rows: a row's result does not depend on the other rows nor on the
        chunking). ``"tiled"``: it gets the ``n_passes`` copies of the chunk
        one after the other, ``(n_passes * n_chunk, n_features)``, the 2-D
        input any module takes (a dropout layer then draws a mask per copy of
        a row, so a row's result depends on its position in its chunk).
    max_rows : int, default=None
        Most rows x passes per forward call; ``None`` reads
        :data:`MAX_ROWS_PER_FORWARD` at call time.

    Returns
    -------
    list
        The result of ``reduce`` for each chunk, in order; one chunk of no
        rows for an empty ``X``.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {list(LAYOUTS)}; got {layout!r}.")
    max_rows = MAX_ROWS_PER_FORWARD if max_rows is None else max_rows
    nonlinearity = net._get_predict_nonlinearity()
    chunk = max(1, max_rows // n_passes)
    results = []
    with torch_seed(seed, net.device):
        for start in range(0, max(len(X), 1), chunk):
            manual_seed(seed, net.device)
            rows = X[start : start + chunk].to(net.device)
            out = net.infer(_replicate(rows, n_passes, layout))
            out = out[0] if isinstance(out, tuple) else out
            results.append(reduce(nonlinearity(out).reshape(n_passes, len(rows), -1)))
    return results


class MCDropoutMode:
    """Context manager: a module in evaluation mode except its dropout layers.

    Monte Carlo dropout needs the dropout masks on, but a batch-norm layer in
    training mode would update its running statistics with the scored rows.
    On exit, every submodule gets back the mode it had.

    Parameters
    ----------
    module : torch.nn.Module
        The module, e.g. a skorch net's ``module_``.
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


def mc_dropout_uncertainty(net, X, *, n_passes, metric, seed):
    """MC-dropout uncertainty of each row under a skorch classifier.

    The net's module runs in evaluation mode except its dropout layers
    (:class:`MCDropoutMode`), without gradients; each chunk of at most
    ``2**18 // n_passes`` rows is tiled ``n_passes`` times into one forward
    call, and the class probabilities of the passes (in float64) are scored
    by :func:`classification_uncertainty`.

    Every chunk is run with torch's RNG reseeded from ``seed``, as the Monte
    Carlo passes of skaug's own nets are, in a forked RNG: the result is
    reproducible and the caller's RNG is left as it was. A dropout layer
    draws a mask for every copy of every row, so a row's score depends on its
    position within its chunk: an input of fewer than ``2**18 / n_passes``
    rows is scored in one seeded forward call, and a longer one chunk by
    chunk, each chunk scored as if it were the whole input.

    Parameters
    ----------
    net : skorch.NeuralNetClassifier
        An initialised classifier whose module has dropout layers (any
        :class:`torch.nn.Dropout` kind) and returns logits.
    X : torch.Tensor of shape (n_rows, n_features)
        Float rows on the CPU.
    n_passes : int
        Number of stochastic forward passes (>= 1).
    metric : {"variance", "entropy", "bald"}
        See :func:`classification_uncertainty`.
    seed : int
        Seed of torch's RNG for the passes.

    Returns
    -------
    ndarray of shape (n_rows,), dtype float64
        Higher means more uncertain.
    """
    if len(X) == 0:
        return np.zeros(0)

    def reduce(proba):
        return classification_uncertainty(proba.double(), metric).cpu()

    with torch.no_grad(), MCDropoutMode(net.module_):
        scores = run_mc_passes(
            net,
            X,
            n_passes=n_passes,
            seed=seed,
            reduce=reduce,
            layout="tiled",
            max_rows=_MAX_ROWS_PER_USER_FORWARD,
        )
    return torch.cat(scores).numpy()
