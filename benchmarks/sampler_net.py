"""The skorch MLPs of ``bench_sampler_real.py --net`` (issue 16, point 7).

On every fold of the main run, with the same preprocessing, a small skorch
MLP (one hidden layer of 64 units with ReLU and dropout 0.2, two logits,
cross-entropy, Adam at 1e-3, batches of 64, no validation split) is trained
four ways; its rows in the results have ``classifier="mlp"`` and these
``sampler`` names:

* ``none``: the net alone, on the training fold;
* ``class_weight``: the loss weighted by balanced class weights
  ``n / (2 n_c)`` of the training fold;
* ``skaug``: the net on ``UncertaintySampler``'s output, the same
  ``skaug`` sampler as the main run (the pipeline's cache gives back that
  fold's resampled rows: nothing is fitted twice);
* ``adaptive_synthesis``: the net with the
  :class:`skaug.callbacks.AdaptiveSynthesis` callback at its defaults (the
  default VAE, uniform original weights), seeded.

Every net trains for the epochs that make about :data:`NET_STEPS`
optimiser steps over the training fold (at most :data:`NET_MAX_EPOCHS`), the
same count for the four, inside a forked torch RNG seeded with 0.
``net_times`` reports the fit's wall time over the fold's tree fit.
"""

import numpy as np
import pandas as pd
import torch
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.class_weight import compute_class_weight
from skorch import NeuralNetClassifier

from benchmarks.bench_adaptive_synthesis import MLP
from benchmarks.sampler_variants import FoldSampler, make_sampler
from skaug.callbacks import AdaptiveSynthesis
from skaug.models._factory import budget_epochs

SEED = 0
NET_VARIANTS = ("none", "class_weight", "skaug", "adaptive_synthesis")
BATCH_SIZE = 64
NET_STEPS = 2_000
NET_MAX_EPOCHS = 100


def to_float32(X):
    """The nets' input type (a module-level function: the cache pickles it)."""
    return np.asarray(X, dtype=np.float32)


def make_net(variant, n_features, y_train, skaug_params=None):
    """The unfitted net of one variant, for a training fold with ``y_train``."""
    params = {}
    if variant == "class_weight":
        weights = compute_class_weight(
            "balanced", classes=np.unique(y_train), y=y_train
        )
        params["criterion__weight"] = torch.as_tensor(weights, dtype=torch.float32)
    callbacks = []
    if variant == "adaptive_synthesis":
        generator = (skaug_params or {}).get("generator", "vae")
        synthesis = AdaptiveSynthesis(generator=generator, random_state=SEED)
        callbacks.append(("synthesis", synthesis))
    return NeuralNetClassifier(
        MLP,
        module__n_features=n_features,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=budget_epochs(len(y_train), BATCH_SIZE, NET_MAX_EPOCHS, NET_STEPS),
        batch_size=BATCH_SIZE,
        train_split=None,
        verbose=0,
        callbacks=callbacks,
        **params,
    )


def run_nets(split, prep, n_features, plan, memory, score_row):
    """The four nets on one fold; ``score_row(sampler, classifier, pipe)``
    fits and scores a pipeline into a result row (the main run's)."""
    rows = []
    for variant in NET_VARIANTS:
        sampler = None
        if variant == "skaug":
            sampler = make_sampler("skaug", SEED, plan["skaug_params"])
        net = make_net(variant, n_features, split[1], plan["skaug_params"])
        pipe = Pipeline(
            [
                ("prep", clone(prep)),
                ("sampler", FoldSampler(sampler)),
                ("float32", FunctionTransformer(to_float32)),
                ("clf", net),
            ],
            memory=memory,
        )
        with torch.random.fork_rng():
            torch.manual_seed(SEED)
            rows.append(score_row(variant, "mlp", pipe))
    return rows


def net_times(folds):
    """Per net variant: median fit seconds and fit / tree fit (all folds)."""
    nets = folds[folds["classifier"] == "mlp"]
    grouped = nets.assign(fit_ratio=nets["fit_s"] / nets["tree_s"]).groupby(
        "sampler", sort=False
    )
    return pd.DataFrame(
        {
            "median_fit_s": grouped["fit_s"].median(),
            "median_fit_ratio": grouped["fit_ratio"].median(),
        }
    )
