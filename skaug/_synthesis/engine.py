"""The engine: fit the models once, then generate pools on demand.

:func:`fit_synthesis` fits the encoder, the uncertainty model and the
(guided) generator and returns a :class:`SynthesisState`;
``state.generate(counts, rng)`` runs the latent exploration and returns a
:class:`~skaug._synthesis.pool.SyntheticPool`. :func:`synthesize` does both and
is what the sampler caches with ``memory=``: nothing in it depends on
``alpha``, ``beta``, the weights or the draw.
"""

import inspect
import time
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator

from skaug._synthesis.exploration import SupportGuard, explore_classes
from skaug._synthesis.guidance import UncertaintyGuidance, uncertainty_tilt
from skaug._synthesis.pool import take_rows
from skaug._synthesis.quality import mean_ks
from skaug._synthesis.scorers import EstimatorScorer
from skaug.encoding import TabularEncoder
from skaug.models._factory import build_generator, build_uncertainty_model
from skaug.utils._random import SEED_MAX

# What generator=None stands for in the sampler: skaug's Gaussian copula (a
# mixture of copulas per class). On the real tables of
# benchmarks/bench_sampler_real.py it was as good as the guided VAE at a
# small fraction of its cost; see "UncertaintySampler on real data" in
# doc/benchmarks.rst.
DEFAULT_GENERATOR = "gaussian_copula"
# The locality of a copula the sampler builds itself (generator=None or a
# name): the uncertainty tilt then acts row by row, also in a class too small
# for several clusters. On the 23 tables of benchmarks/bench_sampler_real.py
# (one repeat), 0.8 ranked better on G-mean and worse on the gradient-boosting
# model's ROC AUC and AP than 0.5; 0.5 keeps the rows further from the rows
# that seed them. See "UncertaintySampler on real data" in doc/benchmarks.rst.
DEFAULT_LOCALITY = 0.5
# A pool below this share of the rows asked is warned about.
_LOW_POOL_SHARE = 0.5


@dataclass
class SynthesisState:
    """Fitted models and what generation needs from the fit.

    Attributes
    ----------
    config : SynthesisConfig
    encoder : TabularEncoder
        Fitted on the training rows; shared with the generator.
    estimator : fitted uncertainty model
    generator : fitted generator
    uncertainty : ndarray of shape (n_rows,)
        Uncertainty of the training rows.
    guided : bool
        Whether the generator was trained with the uncertainty term.
    guard : SupportGuard or None
    like_X, like_y
        Zero-row templates of the training rows and labels (their formats).
    n_encoded : int
        Width of the encoded rows.
    encoded : ndarray
        The training rows, encoded (the pool's quality is measured on them).
    y : ndarray
        The training labels.
    fit_seconds : float
        Wall time of the fit and, after :func:`synthesize`, of the generation.
    """

    config: object
    encoder: object
    estimator: object
    generator: object
    uncertainty: np.ndarray
    guided: bool
    guard: object
    like_X: object
    like_y: np.ndarray
    n_encoded: int
    encoded: np.ndarray
    y: np.ndarray
    fit_seconds: float = 0.0

    @property
    def scorer(self):
        return EstimatorScorer(
            self.estimator,
            self.config.n_mc_samples,
            self.config.uncertainty_metric,
            class_prior=class_shares(self.estimator, self.y),
        )

    def generate(self, counts, rng, verbose=0):
        """Explore the generator's latent space for ``counts`` rows per class.

        Parameters
        ----------
        counts : dict of label -> int
        rng : numpy RandomState
        verbose : int, default=0

        Returns
        -------
        SyntheticPool
        """
        return explore_classes(
            self.generator,
            self.scorer,
            self.encoder.transform,
            counts,
            like_X=self.like_X,
            like_y=self.like_y,
            n_encoded=self.n_encoded,
            config=self.config,
            guard=self.guard,
            rng=rng,
            verbose=verbose,
            decode=self._shared_decoder(),
        )

    def _shared_decoder(self):
        """The encoder's ``inverse_transform`` when the generator works in
        the same encoding (its ``encoder`` is the shared one), else ``None``."""
        own = self.generator.get_params(deep=False).get("encoder")
        if getattr(own, "estimator", None) is not self.encoder:
            return None
        return self.encoder.inverse_transform

    def report(self, pool):
        """The pool's quality and the fit's cost, as a dict."""
        u = pool.uncertainty
        return {
            "n_candidates": pool.n_candidates,
            "n_rejected": pool.n_rejected,
            "rejection_rate": pool.rejection_rate,
            "mean_ks": mean_ks(self.encoded, self.y, pool.encoded, pool.y),
            "mean_uncertainty_original": float(self.uncertainty.mean()),
            "mean_uncertainty_synthetic": float(u.mean()) if len(u) else float("nan"),
            "guided": self.guided,
            "fit_seconds": self.fit_seconds,
        }


def class_shares(estimator, y):
    """The share of each of ``estimator.classes_`` in ``y`` (the rows it
    learnt from), or ``None`` when it has no classes or one is absent."""
    classes = getattr(estimator, "classes_", None)
    if classes is None:
        return None
    labels, counts = np.unique(y, return_counts=True)
    if len(labels) != len(classes) or not np.array_equal(labels, np.asarray(classes)):
        return None
    return counts / counts.sum()


def _guide(generator, estimator, config):
    """Give the generator the uncertainty term when both sides support it."""
    guided = (
        hasattr(estimator, "uncertainty_tensor")
        and "guidance" in generator.get_params(deep=False)
        and config.uncertainty_weight > 0
    )
    if guided:
        generator.set_params(
            guidance=UncertaintyGuidance(
                estimator,
                weight=config.uncertainty_weight,
                schedule=config.guidance_schedule,
                n_mc_samples=config.n_mc_samples,
                metric=config.uncertainty_metric,
            )
        )
    return guided


def fit_synthesis(X, y, estimator, generator, config, rng, verbose=0, classes=None):
    """Fit the encoder, the uncertainty model and the generator.

    Parameters
    ----------
    X : DataFrame or ndarray
    y : ndarray
    estimator, generator : the front-end's parameters (``None``: defaults)
    config : SynthesisConfig
    rng : numpy RandomState
        Seeds the models (three draws), then picks the guard's reference rows.
    verbose : int, default=0
    classes : sequence or None, default=None
        The classes that rows will be generated for (``None``: all). A
        generator that models each class on its own (``models_classes_
        independently``, the Gaussian copula) is fitted on their rows only:
        the others would cost time and never be sampled.

    Returns
    -------
    state : SynthesisState
    explore_rng : numpy RandomState
        Seeded from ``rng`` for the generation that follows.
    """
    started = time.perf_counter()
    seeds = rng.randint(SEED_MAX, size=3)
    n_rows, device = len(y), config.device
    _, class_rows = np.unique(y, return_counts=True)
    estimator = build_uncertainty_model(
        estimator,
        n_rows,
        seed=int(seeds[0]),
        device=device,
        verbose=verbose,
        min_class_rows=int(class_rows.min()),
    ).model
    built = build_generator(
        generator,
        n_rows,
        seed=int(seeds[1]),
        device=device,
        verbose=verbose,
        default=DEFAULT_GENERATOR,
    ).model
    generator = _with_sampler_defaults(built, generator)
    own_encoder = generator.get_params(deep=False).get("encoder")
    encoder = clone(own_encoder if own_encoder is not None else TabularEncoder())
    encoder.fit(X)
    Xt = encoder.transform(X).astype(np.float32)

    estimator.fit(Xt, y)
    scorer = EstimatorScorer(estimator, config.n_mc_samples, config.uncertainty_metric)
    uncertainty = scorer.score(Xt)
    # the generator shares the encoding, so its rows live in the scorer's space
    generator.set_params(**_encoder_param(generator, encoder))
    guided = _guide(generator, estimator, config)
    rows = _rows_to_model(generator, y, classes)
    fit_params = {}
    if not guided and _takes_sample_weight(generator) and config.uncertainty_weight > 0:
        weight = uncertainty_tilt(uncertainty, y, config.uncertainty_weight)
        fit_params["sample_weight"] = weight[rows]
        guided = True
    generator.fit(take_rows(X, rows), np.asarray(y)[rows], **fit_params)
    guard = None
    if config.support_quantile is not None:
        guard = SupportGuard(config.support_quantile, rng).fit(Xt)
    return SynthesisState(
        config=config,
        encoder=encoder,
        estimator=estimator,
        generator=generator,
        uncertainty=uncertainty,
        guided=guided,
        guard=guard,
        like_X=take_rows(X, np.zeros(0, dtype=np.intp)),
        like_y=np.asarray(y)[:0],
        n_encoded=Xt.shape[1],
        encoded=Xt,
        y=np.asarray(y),
        fit_seconds=time.perf_counter() - started,
    ), np.random.RandomState(seeds[2])


def _with_sampler_defaults(model, spec):
    """A generator the sampler built from a name (or ``None``) gets the
    sampler's settings; an instance passed in keeps its own."""
    if (spec is None or isinstance(spec, str)) and "locality" in model.get_params(
        deep=False
    ):
        model.set_params(locality=DEFAULT_LOCALITY)
    return model


def _takes_sample_weight(generator):
    try:
        return "sample_weight" in inspect.signature(generator.fit).parameters
    except (TypeError, ValueError):
        return False


def _rows_to_model(generator, y, classes):
    y = np.asarray(y)
    # no class to generate for (all copied): fit on every row, so that the
    # generator is still a usable fitted model
    if not classes or not getattr(generator, "models_classes_independently", False):
        return np.arange(len(y))
    return np.flatnonzero(np.isin(y, list(classes)))


def _encoder_param(generator, encoder):
    if "encoder" in generator.get_params(deep=False):
        return {"encoder": FrozenEstimator(encoder)}
    return {}


def synthesize(X, y, estimator, generator, counts, config, seed, verbose=0):
    """Fit the models and generate a pool of ``counts`` rows per class.

    A module-level function of plain arguments, so that ``memory`` can cache
    it (``verbose`` is left out of the key).

    Returns
    -------
    state : SynthesisState
    pool : SyntheticPool
    report : dict
        ``state.report(pool)``, computed here so that a cache hit (an
        ``alpha``/``beta`` grid) does not measure the pool again.
    """
    started = time.perf_counter()
    state, explore_rng = fit_synthesis(
        X,
        y,
        estimator,
        generator,
        config,
        np.random.RandomState(seed),
        verbose,
        classes=[label for label, n in counts.items() if n > 0],
    )
    pool = state.generate(counts, explore_rng, verbose)
    state.fit_seconds = time.perf_counter() - started
    _warn_if_small(pool, int(sum(counts.values())))
    return state, pool, state.report(pool)


def _warn_if_small(pool, asked):
    if asked and len(pool) < _LOW_POOL_SHARE * asked:
        warnings.warn(
            f"The synthetic pool has {len(pool)} rows of the {asked} asked: the "
            f"stability guard rejected {pool.n_rejected} of {pool.n_candidates} "
            "candidates. The draw leans on the original rows. Lower "
            "uncertainty_weight or latent_temperature, raise support_quantile, or "
            "train the generator longer.",
            UserWarning,
            stacklevel=4,
        )
