"""The samplers of ``bench_sampler_real.py``: wrappers and the skaug ablation.

* :class:`FoldSampler`: the pipeline step that runs a sampler on a training
  fold, times ``fit_resample`` and, when the sampler raises, records the error
  and passes the fold through unchanged (scored as no resampling);
* :class:`SmoteVariantsSampler`: an oversampler of the ``smote_variants``
  package (``polynom_fit_SMOTE_star``, ``ProWSyn``, ``SMOTE_IPF``) as an
  imbalanced-learn sampler;
* the ablation of ``UncertaintySampler`` (issue 16, point 3), defined here,
  with no change to skaug:

  - ``skaug``: ``UncertaintySampler()`` with its defaults (the copula tilted
    toward uncertain regions, candidates the model gives another class
    dropped, the rest kept at random; ``selection="plausible"``);
  - ``skaug_no_term``: ``uncertainty_weight=0``: the generator is fitted
    without the uncertainty guidance (no tilt of the copula, no loss term of
    a VAE); the selection and the weights still use the model;
  - ``skaug_random_select``: the uncertainty model is wrapped in
    :class:`ShuffledUncertainty`, whose scores are the real model's scores of
    the same rows in a random (seeded) order: random values with the real
    scores' scale and distribution, so that the tilt, the guard and the
    ``1 / (1 + u)`` weights see the same numbers, only no longer tied to the
    rows; it gives no class probabilities, so no candidate is dropped as
    implausible (candidates are kept at random), and it has no
    ``uncertainty_tensor``, so a VAE would get no loss term either;
  - ``skaug_no_model``: :class:`GeneratorOnlySampler`: the generator that the
    default sampler builds (the same class and seed), fitted on the fold and
    sampled for exactly the rows per class that ``sampling_strategy`` asks;
    no uncertainty model, exploration, stability guard or weighted draw;
  - ``skaug_uncertain_select``: ``selection="uncertain"``: the most uncertain
    half of the candidates, then diverse rows among them (the design's rule,
    the default before issue 16).
"""

import logging
import time
import warnings

import numpy as np
from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.base import BaseEstimator, clone
from sklearn.frozen import FrozenEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from skaug import UncertaintySampler
from skaug._synthesis.engine import DEFAULT_GENERATOR
from skaug.encoding import TabularEncoder
from skaug.models import GaussianCopula
from skaug.models._factory import build_generator, build_uncertainty_model
from skaug.utils._random import SEED_MAX

#: The classical over-samplers of imbalanced-learn.
IMBLEARN = ("RandomOverSampler", "SMOTE", "BorderlineSMOTE", "ADASYN")
#: The oversamplers taken from ``smote_variants`` (when importable).
SMOTE_VARIANTS = ("polynom_fit_SMOTE_star", "ProWSyn", "SMOTE_IPF")
#: The ablation of issue 16, point 3.
SKAUG = (
    "skaug",
    "skaug_no_term",
    "skaug_random_select",
    "skaug_no_model",
    "skaug_uncertain_select",
)
SAMPLERS = ("none", *IMBLEARN, *SMOTE_VARIANTS, *SKAUG)
#: Variants of the default tried in issue 16's later rounds, run only when
#: named (``--samplers``): the copula's locality (the default 0.5), the
#: uncertainty metric of the tilt and its weight, and the share of copies of
#: real rows among the rows added (``alpha``, ``original_weight``,
#: ``replace``; by default about a third are copies). Parameters of
#: ``UncertaintySampler``; a ``locality`` goes to the ``GaussianCopula``.
TRIED = {
    "skaug_locality_0": {"locality": 0.0},
    "skaug_locality_0.8": {"locality": 0.8},
    "skaug_locality_0.8_lambda_0.5": {"locality": 0.8, "uncertainty_weight": 0.5},
    "skaug_bald": {"uncertainty_metric": "bald"},
    "skaug_locality_0.8_bald": {"locality": 0.8, "uncertainty_metric": "bald"},
    # session 7: how much of the added rows are copies of real rows
    "skaug_locality_0.9": {"locality": 0.9},
    "skaug_alpha_0": {"alpha": 0.0},
    "skaug_alpha_0_no_replace": {"alpha": 0.0, "replace": False},
    "skaug_uniform_no_replace": {"original_weight": "uniform", "replace": False},
}
KNOWN = (*SAMPLERS, *TRIED)


def smote_variants_available():
    """Whether ``smote_variants`` imports (its log is quietened if so)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import smote_variants  # noqa: F401
    except ImportError:
        return False
    logging.getLogger("smote_variants").setLevel(logging.ERROR)
    return True


class FoldSampler(BaseEstimator):
    """Run ``sampler.fit_resample`` on a training fold, timed and guarded.

    ``sampler=None`` passes the fold through (no resampling). When the
    sampler raises, the error is recorded in ``error_`` and the fold passes
    through unchanged, so that the fold is scored as no resampling.

    Attributes
    ----------
    sampler_ : sampler or None
        The fitted clone.
    seconds_ : float
        Wall time of ``fit_resample``.
    error_ : str or None
        ``"ExceptionType: message"`` when the sampler raised.
    n_added_ : int
        Output rows minus input rows (0 on failure; negative for a sampler
        that also removes rows).
    """

    def __init__(self, sampler=None):
        self.sampler = sampler

    def fit_resample(self, X, y):
        self.sampler_, self.error_ = None, None
        started = time.perf_counter()
        out = X, y
        if self.sampler is not None:
            try:
                self.sampler_ = clone(self.sampler)
                out = self.sampler_.fit_resample(X, y)
            except Exception as exc:  # recorded; scored as no resampling
                self.error_ = f"{type(exc).__name__}: {exc}"[:300]
                out = X, y
        self.seconds_ = time.perf_counter() - started
        self.n_added_ = len(out[1]) - len(y)
        return out


class SmoteVariantsSampler(BaseOverSampler):
    """An oversampler of ``smote_variants``, called ``method``, seeded.

    Binary targets only (the package's own limit). The number of rows to
    add comes from ``sampling_strategy`` (imbalanced-learn semantics) and is
    passed on as the package's ``proportion``; the package's other
    parameters keep their defaults.

    Attributes
    ----------
    oversampler_ : object
        The ``smote_variants`` object that sampled.
    """

    _parameter_constraints = {
        **BaseOverSampler._parameter_constraints,
        "method": [str],
        "random_state": ["random_state"],
    }

    def __init__(
        self, *, method="ProWSyn", sampling_strategy="auto", random_state=None
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.method = method
        self.random_state = random_state

    def _fit_resample(self, X, y):
        import smote_variants

        labels, counts = np.unique(y, return_counts=True)
        if len(labels) != 2:
            raise ValueError(f"{self.method}: binary targets only, got {labels}")
        minority = labels[np.argmin(counts)]
        gap = counts.max() - counts.min()
        proportion = self.sampling_strategy_.get(minority, 0) / gap if gap else 0.0
        seed = int(check_random_state(self.random_state).randint(SEED_MAX))
        self.oversampler_ = getattr(smote_variants, self.method)(
            proportion=proportion, random_state=seed
        )
        X_res, y_res = self.oversampler_.sample(np.asarray(X), np.asarray(y))
        return X_res, np.asarray(y_res).astype(y.dtype)


class ShuffledUncertainty(BaseEstimator):
    """An uncertainty model whose scores are shuffled (the random selection).

    ``fit`` fits ``estimator`` (``None``: the default uncertainty model of
    ``UncertaintySampler``, built by the same factory with this object's
    ``random_state`` and ``device``, which the sampler sets);
    ``predict_uncertainty`` returns that model's scores of the rows in a
    random order, seeded from ``random_state``: random values with the real
    scores' distribution. No ``uncertainty_tensor``: a generator gets no
    uncertainty term from it.

    Attributes
    ----------
    estimator_ : estimator
        The fitted inner model.
    classes_ : ndarray
        Its classes.
    """

    def __init__(self, *, estimator=None, device="cpu", random_state=None):
        self.estimator = estimator
        self.device = device
        self.random_state = random_state

    def fit(self, X, y):
        rng = check_random_state(self.random_state)
        model_seed, shuffle_seed = rng.randint(SEED_MAX, size=2)
        self.estimator_ = build_uncertainty_model(
            self.estimator, len(y), seed=int(model_seed), device=self.device
        ).model.fit(X, y)
        self.classes_ = self.estimator_.classes_
        self._shuffle_rng = np.random.RandomState(shuffle_seed)
        return self

    def predict_uncertainty(self, X, *, n_samples=None, metric=None):
        check_is_fitted(self)
        scores = self.estimator_.predict_uncertainty(
            X, n_samples=n_samples, metric=metric
        )
        return self._shuffle_rng.permutation(np.asarray(scores, dtype=np.float64))


def sampler_seeds(random_state):
    """The uncertainty model's and the generator's seeds that
    ``UncertaintySampler(random_state=random_state)`` gives its models
    (its ``_fit_resample``, then ``fit_synthesis``), and one more."""
    model_seed = check_random_state(random_state).randint(SEED_MAX, size=2)[0]
    return np.random.RandomState(model_seed).randint(SEED_MAX, size=3)


class GeneratorOnlySampler(BaseOverSampler):
    """The default sampler's generator alone: fit, then sample per class.

    ``build_generator(generator, n_rows)`` with the seed that
    ``UncertaintySampler(random_state=random_state)`` gives its generator,
    and, like the sampler, a ``TabularEncoder`` fitted on ``X`` shared as
    the generator's ``encoder`` where it takes one. Each class gets the rows
    that ``sampling_strategy`` asks, from ``sample(n, y=label)``; the
    original rows come first.

    Attributes
    ----------
    generator_ : generator
        The fitted generator.
    """

    _parameter_constraints = {
        **BaseOverSampler._parameter_constraints,
        "generator": [None, object],
        "device": [str, object],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        generator=None,
        sampling_strategy="auto",
        device="cpu",
        random_state=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.generator = generator
        self.device = device
        self.random_state = random_state

    def _fit_resample(self, X, y):
        seeds = sampler_seeds(self.random_state)
        generator = build_generator(
            self.generator,
            len(y),
            seed=int(seeds[1]),
            device=self.device,
            default=DEFAULT_GENERATOR,
        ).model
        params = generator.get_params(deep=False)
        if "encoder" in params:
            own = params["encoder"]
            encoder = clone(own if own is not None else TabularEncoder()).fit(X)
            generator.set_params(encoder=FrozenEstimator(encoder))
        self.generator_ = generator.fit(X, y)
        rng = np.random.RandomState(seeds[2])
        parts_X, parts_y = [np.asarray(X)], [np.asarray(y)]
        for label, n_rows in self.sampling_strategy_.items():
            if n_rows > 0:
                X_new, _ = self.generator_.sample(n_rows, y=label, random_state=rng)
                parts_X.append(np.asarray(X_new, dtype=parts_X[0].dtype))
                parts_y.append(np.full(n_rows, label, dtype=parts_y[0].dtype))
        return np.concatenate(parts_X), np.concatenate(parts_y)


def _skaug_variant(name, seed, params):
    """One variant of the ablation; ``params`` go to every
    ``UncertaintySampler`` (``estimator`` and ``generator`` to the wrapper and
    to the generator-only sampler)."""
    if name == "skaug":
        return UncertaintySampler(random_state=seed, **params)
    if name == "skaug_uncertain_select":
        return UncertaintySampler(
            random_state=seed, **{**params, "selection": "uncertain"}
        )
    if name == "skaug_no_term":
        return UncertaintySampler(
            random_state=seed, **{**params, "uncertainty_weight": 0.0}
        )
    if name == "skaug_random_select":
        rest = {k: v for k, v in params.items() if k != "estimator"}
        wrapper = ShuffledUncertainty(estimator=params.get("estimator"))
        return UncertaintySampler(estimator=wrapper, random_state=seed, **rest)
    return GeneratorOnlySampler(generator=params.get("generator"), random_state=seed)


def make_sampler(name, seed=0, skaug_params=None):
    """A fresh sampler called ``name`` (``None`` for ``"none"``).

    ``skaug_params``: extra parameters of the skaug variants (a test hook:
    small nets for a fast run).
    """
    if name == "none":
        return None
    if name in IMBLEARN:
        classes = {
            "RandomOverSampler": RandomOverSampler,
            "SMOTE": SMOTE,
            "BorderlineSMOTE": BorderlineSMOTE,
            "ADASYN": ADASYN,
        }
        return classes[name](random_state=seed)
    if name in SMOTE_VARIANTS:
        return SmoteVariantsSampler(method=name, random_state=seed)
    if name in SKAUG:
        return _skaug_variant(name, seed, dict(skaug_params or {}))
    if name in TRIED:
        return _tried_variant(TRIED[name], seed, dict(skaug_params or {}))
    raise ValueError(f"unknown sampler {name!r}; use some of {list(KNOWN)}")


def _tried_variant(variant, seed, params):
    """``UncertaintySampler`` with a variant's parameters; a ``locality``
    builds the default generator with it."""
    variant = dict(variant)
    locality = variant.pop("locality", None)
    if locality is not None:
        variant["generator"] = GaussianCopula(locality=locality)
    return UncertaintySampler(random_state=seed, **{**params, **variant})


def available_samplers(names=None):
    """``names`` (default: all) without the ``smote_variants`` ones when that
    package is missing; returns (names kept, note or None)."""
    names = list(SAMPLERS if names is None else names)
    unknown = [name for name in names if name not in KNOWN]
    if unknown:
        raise ValueError(f"unknown samplers {unknown}; use some of {list(KNOWN)}")
    if smote_variants_available():
        return names, None
    dropped = [name for name in names if name in SMOTE_VARIANTS]
    kept = [name for name in names if name not in SMOTE_VARIANTS]
    note = None
    if dropped:
        note = (
            f"smote_variants is not importable: skipping {', '.join(dropped)} "
            "(pip install --no-deps smote-variants; see benchmarks/README.md)"
        )
    return kept, note
