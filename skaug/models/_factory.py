"""The one place where the front-ends get their models.

``UncertaintySampler``, ``DriftAugmentor`` and ``AdaptiveSynthesis`` all turn a
``generator`` (a name, ``None`` or an instance) into a model ready to fit, with
the same rules:

* a **name** builds a skaug generator; ``"auto"`` picks the Gaussian copula
  below :data:`AUTO_SMALL_TABLE` training rows and the VAE above
  (``benchmarks/bench_auto_rule.py``);
* an **instance** is cloned, unless it is already fitted and the front-end
  reuses fitted generators (the callback: a generator trained elsewhere);
* the model gets the front-end's **seed** (``random_state``), its **device**
  and its **verbosity** (progress bars at 1, skorch's tables at 2), where it
  has those parameters;
* a generator net that skaug builds itself trains on a **budget of
  optimiser steps**, not a fixed number of passes: a fixed number of epochs
  would make the cost of a default fit grow with the table (300 VAE epochs
  are seconds on 1,000 rows and hours on a million). A net passed by the user
  keeps its ``max_epochs``. The budgets: ``doc/benchmarks.rst`` ("How long the
  default nets train");
* the default **uncertainty model** stops on a validation signal
  (:func:`default_uncertainty_model`).
"""

import math
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted
from skorch.callbacks import EarlyStopping
from skorch.dataset import ValidSplit

from skaug.models._copula_gan import CopulaGAN
from skaug.models._gan import TabularGAN
from skaug.models._gaussian_copula import GaussianCopula
from skaug.models._mc_dropout import MCDropoutClassifier
from skaug.models._sdv import SDVGenerator
from skaug.models._vae import TabularVAE
from skaug.utils._allocation import set_params_if_present
from skaug.utils._progress import configure_net_verbosity
from skaug.utils._random import SEED_MAX

# optimiser steps of a default generator net (VAE, GAN)
GENERATOR_STEPS = 20_000
# generator="auto": below this many training rows the Gaussian copula is used.
# On the 25 real tables of benchmarks/bench_generators_real.py (up to 4,500
# training rows) the copula (a mixture of copulas per class) was harder to
# detect than the default VAE on 23, at under 1/100 of its fit time; above
# the largest table measured the VAE keeps its place until measured.
# (bench_auto_rule.py's 500 came from one generated table, before the mixture.)
AUTO_SMALL_TABLE = 5_000
# The default uncertainty model (default_uncertainty_model): early stopping
# on a held-out fifth, at most MAX_CLASSIFIER_EPOCHS passes. A patience of 3
# epochs instead of 5: the 10k-row fit of bench_sampler_cost.py fell from
# 4.8x to 3.8x a tree's, and one repeat of bench_sampler_real.py ranked the
# same within noise (doc/benchmarks.rst, "UncertaintySampler on real data").
VALIDATION_FRACTION = 0.2
PATIENCE = 3
MAX_CLASSIFIER_EPOCHS = 200
MIN_VALIDATION_CLASS_ROWS = 10

_NETS = {"vae": TabularVAE, "gan": TabularGAN, "copulagan": CopulaGAN}
GENERATOR_NAMES = ("vae", "gan", "copulagan", "gaussian_copula", "sdv")


@dataclass(frozen=True)
class BuiltModel:
    """A model ready for the front-end, and how it was chosen.

    Attributes
    ----------
    model : estimator
        The model (a fresh clone or a net skaug built; the user's own object
        only when ``fitted``).
    description : str
        Its name, with the ``"auto"`` rule's reason where it applied.
    fitted : bool
        True when a fitted instance was reused as it is.
    """

    model: object
    description: str
    fitted: bool = False


def budget_epochs(n_rows, batch_size, max_epochs, steps):
    """Epochs that make about ``steps`` optimiser steps over ``n_rows`` rows.

    At most ``max_epochs`` and at least 1.

    Examples
    --------
    >>> from skaug.models._factory import budget_epochs
    >>> budget_epochs(1_000, 64, 300, 20_000), budget_epochs(100_000, 64, 300, 20_000)
    (300, 13)
    """
    per_epoch = max(1, math.ceil(n_rows / batch_size))
    return int(min(max_epochs, max(1, math.ceil(steps / per_epoch))))


def cap_epochs(net, n_rows, steps):
    """Lower ``net.max_epochs`` to the budget of ``steps`` for ``n_rows`` rows.

    ``net`` is a skorch net built by the caller (never the user's); returns it.
    """
    params = net.get_params(deep=False)
    net.set_params(
        max_epochs=budget_epochs(
            n_rows, params["batch_size"], params["max_epochs"], steps
        )
    )
    return net


def resolve_name(name, n_rows):
    """The generator that ``name`` stands for, and why (for ``"auto"``)."""
    if name != "auto":
        return name, name
    if n_rows < AUTO_SMALL_TABLE:
        return "gaussian_copula", (
            f"gaussian_copula (auto: {n_rows} training rows < {AUTO_SMALL_TABLE}; "
            "on real tables of this size its rows were harder to tell from real "
            "ones than the VAE's, at about a hundredth of its fit time)"
        )
    return "vae", (
        f"vae (auto: {n_rows} training rows >= {AUTO_SMALL_TABLE}; the copula "
        "was not measured on tables this large)"
    )


def named_generator(name, n_rows, *, device="cpu", random_state=None):
    """The skaug generator called ``name``, for a table of ``n_rows`` rows.

    ``"vae"``, ``"gan"`` and ``"copulagan"`` are nets on ``device`` with the
    generator step budget; ``"gaussian_copula"`` and ``"sdv"`` have no epochs.
    """
    if name in _NETS:
        net = _NETS[name](device=device, random_state=random_state)
        return cap_epochs(net, n_rows, GENERATOR_STEPS)
    if name == "gaussian_copula":
        return GaussianCopula(random_state=random_state)
    if name == "sdv":
        return SDVGenerator(random_state=random_state)
    raise ValueError(
        f"Unknown generator name {name!r}; use one of {['auto', *GENERATOR_NAMES]}."
    )


def _is_fitted(model):
    try:
        check_is_fitted(model)
    except NotFittedError:
        return False
    return True


def _configure(model, *, seed, device, verbose, desc):
    if isinstance(seed, np.random.RandomState):
        seed = int(seed.randint(SEED_MAX))
    set_params_if_present(model, random_state=seed, device=device)
    return configure_net_verbosity(model, verbose, desc)


def build_generator(
    spec,
    n_rows,
    *,
    seed,
    device="cpu",
    verbose=0,
    reuse_fitted=False,
    default="vae",
):
    """The generator for ``spec``: a name, ``None`` (the VAE) or an instance.

    Parameters
    ----------
    spec : str, None or generator
        ``"auto"``, one of :data:`GENERATOR_NAMES`, ``None`` for ``default``,
        or an object following the generator protocol.
    n_rows : int
        Training rows (the ``"auto"`` rule and the step budget).
    seed : int or numpy.random.RandomState
        The front-end's seed, set as the model's ``random_state``; a
        ``RandomState`` gives one draw, only when a model is configured (a
        reused fitted generator takes none).
    device, verbose :
        The front-end's parameters, set where the model has them.
    reuse_fitted : bool, default=False
        Return an already fitted instance as it is (nothing set on it)
        instead of a clone to refit.
    default : str, default="vae"
        The name that ``None`` stands for (the front-end's default).

    Returns
    -------
    BuiltModel
    """
    if spec is None:
        spec = default
    if isinstance(spec, str):
        name, description = resolve_name(spec, n_rows)
        model = named_generator(name, n_rows, device=device)
    elif reuse_fitted and _is_fitted(spec):
        return BuiltModel(spec, type(spec).__name__, fitted=True)
    else:
        model, description = clone(spec), type(spec).__name__
    model = _configure(
        model, seed=seed, device=device, verbose=verbose, desc="generator"
    )
    return BuiltModel(model, description)


def build_uncertainty_model(
    spec, n_rows, *, seed, device="cpu", verbose=0, min_class_rows=None
):
    """The uncertainty model: a clone of ``spec``, or for ``None``
    :func:`default_uncertainty_model` (``min_class_rows``: the smallest
    class's rows, ``None`` for "enough")."""
    if isinstance(seed, np.random.RandomState):
        seed = int(seed.randint(SEED_MAX))
    if spec is None:
        model = default_uncertainty_model(n_rows, min_class_rows, seed=seed)
    else:
        model = clone(spec)
    model = _configure(
        model, seed=seed, device=device, verbose=verbose, desc="uncertainty model"
    )
    if spec is None:
        _voice_early_stopping(model, verbose)
    return BuiltModel(model, type(model).__name__)


def default_batch_size(n_rows):
    """A power of two near ``n_rows / 16`` between 64 and 512: about 16 steps
    an epoch on small tables, and full use of a CPU's vector units on large
    ones (an epoch's cost is then set by the rows, not by Python's per-step
    work).

    Examples
    --------
    >>> from skaug.models._factory import default_batch_size
    >>> default_batch_size(100), default_batch_size(1_000), default_batch_size(10**6)
    (64, 64, 512)
    """
    size = 2 ** round(math.log2(max(n_rows, 1) / 16))
    return int(min(512, max(64, size)))


def default_uncertainty_model(n_rows, min_class_rows=None, *, seed=None):
    """The sampler's default :class:`~skaug.models.MCDropoutClassifier`.

    It trains until it has learned rather than for a fixed number of steps:
    a stratified fifth of the rows is held out and training stops when the
    validation loss has not improved for :data:`PATIENCE` epochs, the weights
    of the best epoch restored. When the smallest class has fewer than
    :data:`MIN_VALIDATION_CLASS_ROWS` rows, holding some out would leave it
    with too few to learn from, so the training loss is watched instead.
    ``lr=1e-2`` (Adam: half the epochs of ``3e-3`` for the same ROC AUC on
    1k and 10k rows) and :func:`default_batch_size` keep the fit near a
    gradient-boosting model's time (``benchmarks/bench_sampler_cost.py``);
    skorch's per-epoch ``valid_acc`` (20 Monte Carlo passes over the
    validation rows every epoch) is switched off.
    """
    watch_validation = min_class_rows is None or (
        min_class_rows >= MIN_VALIDATION_CLASS_ROWS
    )
    split = (
        ValidSplit(VALIDATION_FRACTION, stratified=True, random_state=seed)
        if watch_validation
        else None
    )
    stopping = EarlyStopping(
        monitor="valid_loss" if watch_validation else "train_loss",
        patience=PATIENCE,
        load_best=True,
        sink=_silent,
    )
    return MCDropoutClassifier(
        lr=1e-2,
        max_epochs=MAX_CLASSIFIER_EPOCHS,
        batch_size=default_batch_size(n_rows),
        train_split=split,
        callbacks=[("early_stopping", stopping)],
        callbacks__valid_acc=None,
    )


def _silent(*args, **kwargs):
    """EarlyStopping's sink below verbose=2 (module level: it pickles)."""


def _voice_early_stopping(model, verbose):
    if verbose >= 2:
        model.set_params(callbacks__early_stopping__sink=print)
