"""The uncertainty guidance of a generator, and its curriculum.

While the conditional VAE of :class:`~skaug.UncertaintySampler` learns, every
training batch also decodes latent draws from the prior and asks the (frozen)
uncertainty model how uncertain it is about them. The loss gets the term
``-lambda(t) * sqrt(d) * log(mean u(decode(z)))`` (the design's
``-lambda * mean u`` on a log scale, see :class:`UncertaintyGuidance`), so the
decoder is pushed toward rows that the model finds uncertain. ``lambda(t)``
follows a curriculum that starts at 0 (a plain VAE learns realistic rows first)
and rises to ``weight``.
"""

import math

import numpy as np
import torch

SCHEDULES = ("linear", "cosine", "step", "constant")


def uncertainty_tilt(uncertainty, y, weight):
    """Row weights ``1 + weight * u / mean(u of the row's class)``.

    The guidance of a generator without a loss to add a term to (the Gaussian
    copula, through its ``sample_weight``): a region is sampled more the more
    uncertain its rows are, relative to the class, while no region of the
    class is dropped (every weight is at least 1). ``weight=0`` is no
    guidance; a class whose rows all score 0 keeps weight 1.

    Examples
    --------
    >>> import numpy as np
    >>> from skaug._synthesis.guidance import uncertainty_tilt
    >>> uncertainty_tilt(np.array([0.0, 0.2, 0.6, 0.0]), np.array([0, 0, 1, 1]), 1.0)
    array([1., 3., 3., 1.])
    """
    uncertainty = np.asarray(uncertainty, dtype=float)
    y = np.asarray(y)
    tilt = np.ones(len(y))
    for label in np.unique(y):
        rows = y == label
        mean = uncertainty[rows].mean()
        if mean > 0:
            tilt[rows] += weight * uncertainty[rows] / mean
    return tilt


def curriculum(progress, schedule="linear"):
    """Fraction of the full guidance weight at ``progress`` in [0, 1].

    Parameters
    ----------
    progress : float
        Share of training done: 0 at the first epoch, 1 at the last.
    schedule : {"linear", "cosine", "step", "constant"} or callable
        ``"linear"``: ``progress``; ``"cosine"``: ``(1 - cos(pi p)) / 2`` (slow
        start and finish); ``"step"``: 0 for the first half, then 1;
        ``"constant"``: always 1 (no curriculum). A callable gets ``progress``
        and returns the fraction.

    Returns
    -------
    float

    Examples
    --------
    >>> from skaug._synthesis.guidance import curriculum
    >>> [round(curriculum(p, "cosine"), 2) for p in (0.0, 0.5, 1.0)]
    [0.0, 0.5, 1.0]
    """
    progress = min(max(float(progress), 0.0), 1.0)
    if callable(schedule):
        return float(schedule(progress))
    if schedule == "linear":
        return progress
    if schedule == "cosine":
        return 0.5 * (1.0 - math.cos(math.pi * progress))
    if schedule == "step":
        return float(progress >= 0.5)
    if schedule == "constant":
        return 1.0
    raise ValueError(f"Unknown schedule {schedule!r}; use one of {SCHEDULES}.")


class UncertaintyGuidance:
    """Loss term pushing a :class:`~skaug.models.TabularVAE` toward uncertain rows.

    Pass an instance as the VAE's ``guidance``. On each training batch it draws
    ``z`` from the VAE's prior for the batch's labels, decodes it with the
    differentiable :meth:`~skaug.models.TabularVAE.decode_tensor` and returns
    ``{"uncertainty_guidance": -lambda(t) * scale * mean u(decode(z))}``, with
    ``u`` the ``uncertainty_tensor`` of a fitted uncertainty model that works on
    the VAE's encoded space. The model's weights are frozen (they get no
    gradient); only the VAE learns.

    The term is ``-lambda(t) * sqrt(d) * log(mean u)`` over the batch's decoded
    draws, with ``d`` the number of encoded columns. The logarithm makes it
    independent of the metric's scale (variance of a confident model is
    ~1e-3, entropy up to ``log(n_classes)``) and lets the push fade as the
    uncertainty grows; ``sqrt(d)`` was chosen empirically: on tasks with 6 to
    30 encoded columns, ``weight=1`` raised the mean uncertainty of the
    synthetic pool 1.2 to 2 times with no more rows rejected by the sampler's
    support guard, while ``d * log`` with the same weight pushed most draws out
    of the data's support.

    Parameters
    ----------
    estimator : fitted estimator with ``uncertainty_tensor``
        E.g. a fitted :class:`~skaug.models.MCDropoutClassifier`, on the same
        device as the VAE.
    weight : float, default=1.0
        The final value of ``lambda``.
    schedule : str or callable, default="linear"
        Curriculum of ``lambda`` over the epochs (see :func:`curriculum`).
    n_mc_samples : int or None, default=None
        MC passes per decoded row (the model's own default when None).
    metric : str or None, default=None
        Uncertainty metric (the model's own default when None).
    """

    def __init__(
        self,
        estimator,
        *,
        weight=1.0,
        schedule="linear",
        n_mc_samples=None,
        metric=None,
    ):
        self.estimator = estimator
        self.weight = weight
        self.schedule = schedule
        self.n_mc_samples = n_mc_samples
        self.metric = metric

    def lambda_at(self, epoch, max_epochs):
        """Guidance weight at the 1-based ``epoch`` of ``max_epochs``."""
        progress = (epoch - 1) / max(max_epochs - 1, 1)
        return self.weight * curriculum(progress, self.schedule)

    def __call__(self, net, X):
        lam = self.lambda_at(len(net.history), net.max_epochs)
        x = X["x"]
        if lam == 0.0:
            return {"uncertainty_guidance": x.new_zeros((), device=net.device)}
        module = self.estimator.module_
        for param in module.parameters():
            param.requires_grad_(False)
        c = X.get("c")
        c = None if c is None else c.to(net.device)
        n = len(x)
        z = net.module_.prior(c, n) + torch.randn(
            n, net.module_.latent_dim, device=net.device
        )
        decoded = net.decode_tensor(z, c)
        u = self.estimator.uncertainty_tensor(
            decoded, n_samples=self.n_mc_samples, metric=self.metric
        )
        scale = math.sqrt(decoded.shape[1])
        return {"uncertainty_guidance": -lam * scale * torch.log(u.mean() + 1e-8)}
