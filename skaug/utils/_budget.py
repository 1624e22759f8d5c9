"""The nets that the estimators build themselves, and their epoch counts.

A fixed number of epochs is a fixed number of passes over the data, so the
cost of a default fit would grow with the table: 300 epochs of the VAE are a
few seconds on 1,000 rows and hours on a million. The estimators that build
their own nets (``UncertaintySampler`` with ``estimator=None`` or
``generator=None``, ``DriftAugmentor`` and ``AdaptiveSynthesis`` with a
generator name) cap them by a budget of optimiser steps instead; a net passed
by the user is never changed.

The budgets come from ``benchmarks/bench_epoch_budget.py``: the VAE's
held-out real-vs-synthetic AUC still improved up to 300 epochs on 400 and
3,500 rows (7 and 55 steps per epoch), so small tables keep their 300
epochs; on 10,000 rows (157 steps per epoch) it moved by less than the
benchmark's noise from about 16,000 steps on. Early stopping is no
substitute here: the validation ELBO, a kernel two-sample statistic (MMD)
and a 1-nearest-neighbour two-sample test between samples and training rows
all flatten while the held-out AUC still improves (see ``TabularVAE``).
"""

import math

# optimiser steps of a default generator (VAE, GAN) and uncertainty model
GENERATOR_STEPS = 20_000
CLASSIFIER_STEPS = 10_000


def budget_epochs(n_rows, batch_size, max_epochs, steps):
    """Epochs that make about ``steps`` optimiser steps over ``n_rows`` rows.

    At most ``max_epochs`` and at least 1.
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


def named_generator(name, n_rows, *, device="cpu", random_state=None):
    """The skaug generator called ``name``, for a table of ``n_rows`` rows.

    ``"vae"``, ``"gan"`` and ``"copulagan"`` are nets on ``device`` with the
    generator step budget; ``"gaussian_copula"`` and ``"sdv"`` have no epochs.
    """
    import skaug.models as models

    nets = {"vae": "TabularVAE", "gan": "TabularGAN", "copulagan": "CopulaGAN"}
    if name in nets:
        net = getattr(models, nets[name])(device=device, random_state=random_state)
        return cap_epochs(net, n_rows, GENERATOR_STEPS)
    if name == "gaussian_copula":
        return models.GaussianCopula(random_state=random_state)
    if name == "sdv":
        return models.SDVGenerator(random_state=random_state)
    raise ValueError(f"Unknown generator name {name!r}.")
