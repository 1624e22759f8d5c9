"""The AdaptiveSynthesis skorch callback: a thin adapter over the core.

The hooks only say *when*: the first active epoch fits the generator, each
refresh makes a pool (the core's direct labelled draw) and scores it with the
net's own MC-dropout passes (the core's :class:`NetScorer`), each training
batch is redrawn with the shared weights. The *how* lives in
:mod:`skaug._synthesis`, :mod:`skaug._weights` and :mod:`._pool`.
"""

import time
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import is_classifier
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_parameter_constraints,
)
from skorch.callbacks import Callback

from skaug._synthesis.direct import draw_labelled
from skaug._synthesis.quality import ks_by_class, pool_drift
from skaug._synthesis.scorers import NetScorer
from skaug._weights import (
    WEIGHT_CONSTRAINTS,
    check_mix,
    combine_weights,
    original_weights,
    synthetic_weights,
    weighted_draw,
)
from skaug.callbacks._pool import (
    POOL_CLASSES,
    check_pool_rows,
    drift_action,
    next_rows,
    per_step_rows,
    pool_labels,
    pool_length,
    stability_sample,
)
from skaug.callbacks._training_data import (
    replace_batch,
    to_numpy,
    training_arrays,
    unpack_batch,
)
from skaug.models._factory import build_generator
from skaug.models._mc_passes import CLASSIFIER_METRICS
from skaug.utils._random import draw_seed
from skaug.utils._repr import changed_params_repr

GENERATORS = ("vae", "gan", "copulagan", "gaussian_copula")
# Rows of the real data and of the pool compared by the stability check.
_CHECK_ROWS = 2_000


class AdaptiveSynthesis(Callback):
    """Add uncertainty-guided synthetic rows to the training batches of a net.

    A skorch callback for any skorch classifier. Once the net has trained for
    ``warmup_epochs`` epochs, the callback keeps a pool of synthetic rows drawn
    from a generator fitted on the training split (never on the validation
    split), scores the pool with the net's *own* Monte Carlo dropout
    uncertainty, and rebuilds every training batch by a weighted draw from the
    batch's original rows and the next ``n_synthetic_per_step`` pool rows::

        weight = alpha * original_weight + beta * synthetic_weight

    with the same weight schemes, and the same code, as
    :class:`~skaug.UncertaintySampler` (``synthetic_weight`` defaults to
    ``1 / (1 + u)``). The batch keeps its size; validation batches are never
    changed. The pool is regenerated and rescored every ``refresh_every``
    epochs (or batches), so the synthetic rows follow the model as it learns.

    After each refresh a stability check compares the pool with the real
    training rows of its class (mean per-column KS statistic); above
    ``max_pool_ks`` the callback warns and, by default, halves ``beta``.

    Read more in the :ref:`User Guide <adaptive_synthesis>`.

    Parameters
    ----------
    generator : {"vae", "gan", "copulagan", "gaussian_copula"} or object, \
            default="vae"
        The generator of synthetic rows, conditional on the label: a name (a
        net trains on the step budget of :class:`~skaug.UncertaintySampler`),
        or an object with ``fit(X, y)`` and ``sample(n, y=...,
        random_state=...) -> (X, y)``. A name or an unfitted object gets a
        seed drawn from ``random_state`` and the net's ``device`` (as the
        sampler's and the augmentor's generators do) and is fitted on the
        training split when synthesis starts; a fitted object is used as it
        is. It works in the net's input space.
    alpha : float, default=1.0
        Factor of the original rows' weights, ``>= 0``.
    beta : float, default=1.0
        Factor of the synthetic rows' weights, ``>= 0``. ``alpha`` and ``beta``
        may not both be 0. With ``beta=0`` no generator is fitted and training
        sees original rows only (still redrawn by ``original_weight``).
    original_weight : {"uniform", "balanced", "uncertainty"} or callable, \
            default="uniform"
        Weight of each original row of a batch. The default differs from
        :class:`~skaug.UncertaintySampler`'s ``"balanced"``: the callback draws
        one batch over all classes at once (the sampler draws class by class),
        so ``"balanced"`` would rebalance the classes *and* the pool, which
        holds minority rows by default, would add more of them: the minority
        class then outweighs the majority and its F1 drops (see
        ``benchmarks/bench_adaptive_synthesis.py``). ``"balanced"`` uses the class
        frequencies of the whole training split, ``n / (k * n_c)``;
        ``"uncertainty"`` is ``weight_amplitude * (u / mean(u)) **
        weight_power`` over the batch, with ``u`` the net's current MC dropout
        uncertainty of the batch rows (an extra ``n_mc_samples`` forward passes
        per batch); a callable ``f(X_batch, y_batch, u_batch) -> weights`` gets
        numpy arrays.
    synthetic_weight : callable or None, default=None
        ``None``: ``1 / (1 + u)``; or ``f(X_syn, y_syn, u_syn) -> weights``.
    weight_amplitude : float, default=1.0
        Amplitude of ``original_weight="uncertainty"``.
    weight_power : float, default=1.0
        Power of ``original_weight="uncertainty"`` (>= 0).
    n_synthetic_per_step : int or float, default=0.125
        The most synthetic rows offered to one training batch (the cap per
        iteration): an int, or a float in ``(0, 1]``, a fraction of the
        training batch size (rounded up). The drawn batch has the size of the
        original batch. The default, 8 rows for a batch of 64, came out best
        of 8, 16 and 32 on the benchmark's problems.
    pool_size : int or None, default=None
        Synthetic rows generated and scored per refresh. ``None``: enough for
        every batch until the next refresh, ``n_synthetic_per_step`` times the
        number of batches in that period.
    refresh_every : int, default=1
        Regenerate and rescore the pool every ``refresh_every`` units.
    refresh_unit : {"epoch", "batch"}, default="epoch"
        The unit of ``refresh_every``.
    pool_classes : {"deficit", "uniform", "prior"}, default="deficit"
        Labels of the pool's rows, in proportion to: each class's deficit to
        the largest class (``"deficit"``; every class equally when the classes
        are balanced), every class equally, or the training class frequencies.
    uncertainty_metric : {"variance", "entropy", "bald"}, default="variance"
        How the MC dropout passes become one score per row (see
        :class:`~skaug.models.MCDropoutClassifier`).
    n_mc_samples : int, default=10
        Stochastic forward passes per scored row, run in one batched forward.
    warmup_epochs : int, default=1
        Epochs of plain training before synthesis starts: the uncertainty of an
        untrained net says nothing.
    max_pool_ks : float, default=0.3
        Bound on the pool's mean per-column KS statistic against the real
        training rows of the same class (each on at most 2,000 rows). A pool
        too small to tell, whose statistic is below the 1 % critical value of
        the two-sample KS test, is not flagged.
    on_pool_drift : {"shrink", "stop", "warn"}, default="shrink"
        What to do above ``max_pool_ks``: halve the effective ``beta``, stop
        adding synthetic rows for the rest of the fit, or only warn. A warning
        is issued in every case.
    random_state : int, RandomState instance or None, default=None
        Seeds the generator's fit, the pool, the MC passes (in a forked torch
        RNG: the net's own randomness is left as it was) and the draws. With
        an int and ``torch.manual_seed`` before ``fit``, training is
        reproducible on CPU.
    verbose : int, default=0
        0 silent; 1 a progress bar over the generator's fit; 2 its epoch table.

    Attributes
    ----------
    generator_ : object
        The fitted generator (None before synthesis starts or with ``beta=0``).
    classes_ : ndarray
        The class labels of the training split.
    beta_ : float
        The effective ``beta``, after any shrinking by the stability check.
    pool_X_ : torch.Tensor
        The current synthetic pool (CPU, float32), in the net's input space.
    pool_y_ : torch.Tensor
        Its labels.
    pool_uncertainty_ : ndarray
        Its uncertainty scores at the last refresh.
    per_step_ : int
        ``n_synthetic_per_step`` as a number of rows.
    pool_ks_ : float
        Its mean per-column KS statistic against the real rows of its class at
        the last refresh (weighted by the pool's rows per class).

    Notes
    -----
    Each epoch adds these keys to ``net.history`` (epochs before synthesis
    starts carry none):

    - ``synthetic_rows``: synthetic rows in this epoch's training batches,
      counted with repeats (also recorded per batch);
    - ``synthetic_share``: their share of the rows seen;
    - ``pool_uncertainty``: mean uncertainty of the pool at its last refresh;
    - ``pool_ks``: the pool's stability statistic;
    - ``synthetic_beta``: the effective ``beta``;
    - ``synthesis_seconds``: time spent in the callback this epoch (generator
      fit, generation, scoring and drawing).

    Each training batch also gets ``synthetic_offered``: the pool rows it was
    drawn from (at most ``per_step_``). The batch must be ``(X, y)`` with
    tensors (skorch's default for arrays); they are replaced in place.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from sklearn.datasets import make_classification
    >>> from skorch import NeuralNetClassifier
    >>> from skaug.callbacks import AdaptiveSynthesis
    >>> X, y = make_classification(200, n_features=5, weights=[0.8], random_state=0)
    >>> X = X.astype(np.float32)
    >>> module = torch.nn.Sequential(
    ...     torch.nn.Linear(5, 16), torch.nn.ReLU(), torch.nn.Dropout(0.2),
    ...     torch.nn.Linear(16, 2), torch.nn.Softmax(dim=-1))
    >>> synthesis = AdaptiveSynthesis(generator="gaussian_copula", random_state=0)
    >>> net = NeuralNetClassifier(module, max_epochs=3, lr=0.1, verbose=0,
    ...                           callbacks=[("synthesis", synthesis)])
    >>> _ = torch.manual_seed(0)
    >>> net = net.fit(X, y)
    >>> net.history[-1, "synthetic_rows"] > 0
    True
    """

    _parameter_constraints: dict = {
        "generator": [StrOptions(set(GENERATORS)), HasMethods(["fit", "sample"])],
        **WEIGHT_CONSTRAINTS,
        "n_synthetic_per_step": [
            Interval(Integral, 1, None, closed="left"),
            Interval(Real, 0, 1, closed="right"),
        ],
        "pool_size": [Interval(Integral, 1, None, closed="left"), None],
        "refresh_every": [Interval(Integral, 1, None, closed="left")],
        "refresh_unit": [StrOptions({"epoch", "batch"})],
        "pool_classes": [StrOptions(set(POOL_CLASSES))],
        "uncertainty_metric": [StrOptions(set(CLASSIFIER_METRICS))],
        "n_mc_samples": [Interval(Integral, 1, None, closed="left")],
        "warmup_epochs": [Interval(Integral, 0, None, closed="left")],
        "max_pool_ks": [Interval(Real, 0, 1, closed="right")],
        "on_pool_drift": [StrOptions({"shrink", "stop", "warn"})],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        generator="vae",
        alpha=1.0,
        beta=1.0,
        original_weight="uniform",
        synthetic_weight=None,
        weight_amplitude=1.0,
        weight_power=1.0,
        n_synthetic_per_step=0.125,
        pool_size=None,
        refresh_every=1,
        refresh_unit="epoch",
        pool_classes="deficit",
        uncertainty_metric="variance",
        n_mc_samples=10,
        warmup_epochs=1,
        max_pool_ks=0.3,
        on_pool_drift="shrink",
        random_state=None,
        verbose=0,
    ):
        self.generator = generator
        self.alpha = alpha
        self.beta = beta
        self.original_weight = original_weight
        self.synthetic_weight = synthetic_weight
        self.weight_amplitude = weight_amplitude
        self.weight_power = weight_power
        self.n_synthetic_per_step = n_synthetic_per_step
        self.pool_size = pool_size
        self.refresh_every = refresh_every
        self.refresh_unit = refresh_unit
        self.pool_classes = pool_classes
        self.uncertainty_metric = uncertainty_metric
        self.n_mc_samples = n_mc_samples
        self.warmup_epochs = warmup_epochs
        self.max_pool_ks = max_pool_ks
        self.on_pool_drift = on_pool_drift
        self.random_state = random_state
        self.verbose = verbose

    def __repr__(self):
        return changed_params_repr(self)

    # skorch takes attributes without a trailing "_" for parameters: state ends in _

    def initialize(self):
        validate_parameter_constraints(
            self._parameter_constraints,
            self.get_params(deep=False),
            caller_name=type(self).__name__,
        )
        check_mix(self.alpha, self.beta)
        self.generator_ = self.classes_ = self.counts_ = self.class_weight_ = None
        self.beta_ = float(self.beta)
        self.pool_X_ = self.pool_y_ = None
        self.pool_uncertainty_ = self.pool_weights_ = self.pool_ks_ = None
        self.rng_ = self.scorer_ = None
        self.real_sample_ = self.real_labels_ = None
        self.n_train_ = self.per_step_ = None
        self.cursor_ = self.steps_ = 0
        self.stopped_ = False
        self._reset_epoch_counts()
        return self

    # ---- skorch hooks ------------------------------------------------------

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        if not is_classifier(net):
            raise TypeError(
                "AdaptiveSynthesis works with skorch classifiers (e.g. "
                f"NeuralNetClassifier); got {type(net).__name__}."
            )
        if self.rng_ is None:
            # never move the caller's RandomState on: draw from a copy
            self.rng_ = check_random_state(self.random_state)
            if isinstance(self.random_state, np.random.RandomState):
                self.rng_ = np.random.RandomState(draw_seed(self.random_state))

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        self._reset_epoch_counts()
        if not self._active(net):
            return
        start = time.perf_counter()
        if self.classes_ is None:
            self._start(net, dataset_train)
        epoch = len(net.history) - self.warmup_epochs - 1
        if self.refresh_unit == "epoch" and epoch % self.refresh_every == 0:
            self._refresh(net)
        self.epoch_seconds_ += time.perf_counter() - start

    def on_batch_begin(self, net, batch=None, training=None, **kwargs):
        if not training or not self._active(net) or self.classes_ is None:
            return
        start = time.perf_counter()
        Xi, yi = unpack_batch(batch)
        if self._refresh_due_on_batch():
            self._refresh(net)
        self.steps_ += 1
        X_syn, y_syn, w_syn = self._next_pool_rows()
        weights = combine_weights(
            self.alpha, self.beta_, self._batch_weights(Xi, yi), w_syn
        )
        n_syn = 0
        if weights.sum() > 0:  # else (beta shrunk to 0, alpha 0): batch as is
            index = weighted_draw(weights, len(yi), random_state=self.rng_)
            n_syn = int(np.count_nonzero(index >= len(yi)))
            replace_batch(Xi, yi, X_syn, y_syn, index)
        net.history.record_batch("synthetic_rows", n_syn)
        net.history.record_batch("synthetic_offered", len(y_syn))
        self.epoch_rows_ += len(yi)
        self.epoch_synthetic_ += n_syn
        self.epoch_seconds_ += time.perf_counter() - start

    def on_epoch_end(self, net, **kwargs):
        if not self._active(net) or self.classes_ is None:
            return
        history = net.history
        history.record("synthetic_rows", self.epoch_synthetic_)
        share = self.epoch_synthetic_ / self.epoch_rows_ if self.epoch_rows_ else 0.0
        history.record("synthetic_share", share)
        if self.pool_uncertainty_ is not None and len(self.pool_uncertainty_):
            history.record("pool_uncertainty", float(self.pool_uncertainty_.mean()))
        if self.pool_ks_ is not None:
            history.record("pool_ks", self.pool_ks_)
        history.record("synthetic_beta", self.beta_)
        history.record("synthesis_seconds", self.epoch_seconds_)

    # ---- steps ---------------------------------------------------------------

    def _reset_epoch_counts(self):
        self.epoch_rows_ = self.epoch_synthetic_ = 0
        self.epoch_seconds_ = 0.0

    def _active(self, net):
        return len(net.history) > self.warmup_epochs

    def _uses_pool(self):
        return self.beta_ > 0 and not self.stopped_

    def _refresh_due_on_batch(self):
        return (
            self.refresh_unit == "batch"
            and self._uses_pool()
            and self.steps_ % self.refresh_every == 0
        )

    def _start(self, net, dataset_train):
        """First active epoch: read the training split and fit the generator."""
        X, y = training_arrays(dataset_train)
        self.classes_, y_index, self.counts_ = np.unique(
            y, return_inverse=True, return_counts=True
        )
        balanced = original_weights("balanced", None, y, None)
        # per-class weight of the "balanced" scheme, looked up per batch row
        self.class_weight_ = balanced[np.unique(y_index, return_index=True)[1]]
        self.real_sample_, self.real_labels_ = stability_sample(
            X, y, y_index, len(self.classes_), self.rng_, _CHECK_ROWS
        )
        self.n_train_ = len(X)
        self.per_step_ = per_step_rows(self.n_synthetic_per_step, self._batch_size(net))
        self.scorer_ = NetScorer(
            net, self.n_mc_samples, self.uncertainty_metric, self.rng_
        )
        if self.beta == 0:
            return
        built = build_generator(
            self.generator,
            len(X),
            seed=self.rng_,
            device=net.device,
            verbose=self.verbose,
            reuse_fitted=True,
        )
        self.generator_ = built.model if built.fitted else built.model.fit(X, y)

    def _batch_size(self, net):
        batch_size = net.get_params_for("iterator_train").get(
            "batch_size", net.batch_size
        )
        return self.n_train_ if batch_size == -1 else min(batch_size, self.n_train_)

    def _refresh(self, net):
        """Generate a new pool, score it with the net, check its distribution."""
        if not self._uses_pool():
            return
        n_rows = pool_length(
            pool_size=self.pool_size,
            per_step=self.per_step_,
            refresh_every=self.refresh_every,
            refresh_unit=self.refresh_unit,
            n_batches=-(-self.n_train_ // self._batch_size(net)),
        )
        labels = pool_labels(self.classes_, self.counts_, n_rows, self.pool_classes)
        pool = draw_labelled(self.generator_, labels, draw_seed(self.rng_))
        X_syn = check_pool_rows(pool.X, self.real_sample_.shape[1])
        order = self.rng_.permutation(len(X_syn))
        X_syn, y_syn = X_syn[order], to_numpy(pool.y)[order]
        self.pool_X_, self.pool_y_ = torch.as_tensor(X_syn), torch.as_tensor(y_syn)
        self.pool_uncertainty_ = self.scorer_.score(self.pool_X_)
        self.pool_weights_ = synthetic_weights(
            self.synthetic_weight, X_syn, y_syn, self.pool_uncertainty_
        )
        self.cursor_ = 0
        self._check_pool(net)

    def _check_pool(self, net):
        """The stability check: class by class, KS against the real rows."""
        parts = ks_by_class(
            self.real_sample_,
            self.real_labels_,
            self.pool_X_[:_CHECK_ROWS].numpy().astype(np.float64),
            self.pool_y_[:_CHECK_ROWS].numpy(),
        )
        self.pool_ks_, self.pool_ks_bound_ = pool_drift(parts, self.max_pool_ks)
        if self.pool_ks_ <= self.pool_ks_bound_:
            return
        self.beta_, stop, action = drift_action(self.on_pool_drift, self.beta_)
        self.stopped_ = self.stopped_ or stop
        warnings.warn(
            f"AdaptiveSynthesis, epoch {len(net.history)}: the synthetic pool "
            "drifted away from the training data (mean per-column KS "
            f"{self.pool_ks_:.3f} > {self.pool_ks_bound_:.3f}, max_pool_ks="
            f"{self.max_pool_ks} or the sampling noise of the pool if larger); "
            f"{action}. Fit the generator longer, or raise max_pool_ks if this "
            "is expected.",
            UserWarning,
            stacklevel=2,
        )

    def _next_pool_rows(self):
        pool_X = self.pool_X_ if self._uses_pool() else None
        *rows, self.cursor_ = next_rows(
            pool_X, self.pool_y_, self.pool_weights_, self.cursor_, self.per_step_
        )
        return rows

    def _batch_weights(self, Xi, yi):
        y = yi.numpy()
        if self.original_weight == "uniform":
            return np.ones(len(y))
        if self.original_weight == "balanced":
            return self.class_weight_[np.searchsorted(self.classes_, y)]
        return original_weights(
            self.original_weight,
            Xi.numpy(),
            y,
            self.scorer_.score(Xi),
            amplitude=self.weight_amplitude,
            power=self.weight_power,
        )
