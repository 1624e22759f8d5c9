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
* a net that skaug builds itself trains on a **budget of optimiser steps**,
  not a fixed number of passes: a fixed number of epochs would make the cost
  of a default fit grow with the table (300 VAE epochs are seconds on 1,000
  rows and hours on a million). A net passed by the user keeps its
  ``max_epochs``. The budgets and why early stopping is no substitute:
  ``doc/benchmarks.rst`` ("How long the default nets train").
"""

import math
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from skaug.models._copula_gan import CopulaGAN
from skaug.models._gan import TabularGAN
from skaug.models._gaussian_copula import GaussianCopula
from skaug.models._mc_dropout import MCDropoutClassifier
from skaug.models._sdv import SDVGenerator
from skaug.models._vae import TabularVAE
from skaug.utils._allocation import set_params_if_present
from skaug.utils._progress import configure_net_verbosity
from skaug.utils._random import SEED_MAX

# optimiser steps of a default generator (VAE, GAN) and uncertainty model
GENERATOR_STEPS = 20_000
CLASSIFIER_STEPS = 10_000
# generator="auto": below this many training rows the Gaussian copula is used.
# On the 25 real tables of benchmarks/bench_generators_real.py (up to 4,500
# training rows) the copula (a mixture of copulas per class) was harder to
# detect than the default VAE on 23, at under 1/100 of its fit time; above
# the largest table measured the VAE keeps its place until measured.
# (bench_auto_rule.py's 500 came from one generated table, before the mixture.)
AUTO_SMALL_TABLE = 5_000
# max_epochs of the default uncertainty model before the step budget
DEFAULT_CLASSIFIER_EPOCHS = 100

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
            "a copula needs no training and does not overfit a small table)"
        )
    return "vae", f"vae (auto: {n_rows} training rows >= {AUTO_SMALL_TABLE})"


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


def build_generator(spec, n_rows, *, seed, device="cpu", verbose=0, reuse_fitted=False):
    """The generator for ``spec``: a name, ``None`` (the VAE) or an instance.

    Parameters
    ----------
    spec : str, None or generator
        ``"auto"``, one of :data:`GENERATOR_NAMES`, ``None`` for ``"vae"``, or
        an object following the generator protocol.
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

    Returns
    -------
    BuiltModel
    """
    if spec is None:
        spec = "vae"
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


def build_uncertainty_model(spec, n_rows, *, seed, device="cpu", verbose=0):
    """The uncertainty model: a clone of ``spec``, or for ``None`` an
    :class:`~skaug.models.MCDropoutClassifier` on the step budget."""
    if spec is None:
        model = cap_epochs(
            MCDropoutClassifier(max_epochs=DEFAULT_CLASSIFIER_EPOCHS),
            n_rows,
            CLASSIFIER_STEPS,
        )
    else:
        model = clone(spec)
    model = _configure(
        model, seed=seed, device=device, verbose=verbose, desc="uncertainty model"
    )
    return BuiltModel(model, type(model).__name__)
