"""UncertaintySampler: uncertainty-guided synthetic over-sampling."""

import warnings
from numbers import Integral, Real

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import Substitution, check_target_type
from imblearn.utils._docstring import _random_state_docstring
from imblearn.utils._validation import _check_X
from scipy import sparse
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_memory, validate_data

from skaug._synthesis.config import SYNTHESIS_CONSTRAINTS, SynthesisConfig
from skaug._synthesis.counts import (
    classes_to_copy,
    copy_message,
    pool_counts,
    rows_to_add,
)
from skaug._synthesis.engine import synthesize
from skaug._synthesis.pool import concat_rows, take_rows
from skaug._weights import (
    WEIGHT_CONSTRAINTS,
    check_mix,
    draw_per_class,
    sampler_weights,
)
from skaug.models._factory import GENERATOR_NAMES
from skaug.utils._persistence import VersionedPickleMixin
from skaug.utils._random import SEED_MAX
from skaug.utils._validation import check_resampling_labels, check_rows_per_class


@Substitution(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    random_state=_random_state_docstring,
)
class UncertaintySampler(VersionedPickleMixin, BaseOverSampler):
    """Over-sample with synthetic rows generated where a model is uncertain.

    ``fit_resample(X, y)`` runs five steps:

    1. an **uncertainty model** (default: an early-stopped
       :class:`~skaug.models.MCDropoutClassifier`) is fitted on ``(X, y)`` and
       scores every row: variance, entropy or BALD mutual information of
       ``n_mc_samples`` stochastic passes;
    2. a conditional **generator** (default: the mixture of Gaussian copulas
       :class:`~skaug.models.GaussianCopula`) is fitted **guided** by those
       scores: the copula samples its regions in proportion to their
       uncertainty (``uncertainty_weight``); a VAE gets the loss
       ``ELBO - lambda(t) * mean u(decode(z))`` with ``lambda`` following a
       **curriculum** from 0. Then an **exploration** draws candidates (for a
       VAE with a latent temperature rising from 1 to ``latent_temperature``)
       and keeps, per round, those the model finds **plausible** for their
       label (see ``selection``);
    3. a **stability guard** drops candidates outside the support of the real
       rows (see ``support_quantile``); they are counted in ``n_rejected_``;
    4. every row, original or synthetic, gets the weight
       ``alpha * original_weight + beta * synthetic_weight``, where an original
       row's synthetic weight and a synthetic row's original weight are 0, and
       ``synthetic_weight = 1 / (1 + u)`` by default;
    5. per class, the rows that ``sampling_strategy`` asks for are **drawn** from
       that class's originals and synthetic rows in proportion to the weights.

    Every original row is kept, first and in order, as in imbalanced-learn's
    over-samplers: the draw decides which rows are *added*.

    The weights are normalised within each class for the draw, so only the
    ratio ``alpha / beta`` matters: ``(1, 1)`` and ``(2, 2)`` draw the same
    rows, and ``beta=0`` with ``"balanced"`` weights is random over-sampling.
    ``sample_indices_ >= len(X)`` marks the synthetic rows of the output.

    As with every imbalanced-learn sampler, ``fit`` only checks the data; the
    fitted attributes below are set by ``fit_resample``. The sampler sets the
    ``random_state`` (from its own) and ``device`` of its clones of
    ``estimator`` and ``generator``, and scores with its own ``n_mc_samples``
    and ``uncertainty_metric``: set those here, not on the inner models.

    Read more in the :ref:`User Guide <uncertainty_sampler>`.

    Parameters
    ----------
    estimator : estimator or None, default=None
        The uncertainty model. It must have ``fit(X, y)`` and
        ``predict_uncertainty(X, n_samples=..., metric=...)``, and it works on
        the encoded data (the encoder's float matrix). ``None`` uses an
        ``MCDropoutClassifier`` that trains until a validation signal says it
        has learned: a stratified fifth of the rows is held out and training
        stops when their loss has not improved for 3 epochs (at most 200),
        the best epoch's weights restored; when the smallest class has fewer
        than 10 rows, none are held out and the training loss is watched
        instead. With an ``uncertainty_tensor`` method (skaug's MC-dropout and
        Bayesian nets) it also guides a generator net's training. Cloned into
        ``estimator_``.

    generator : str, generator or None, default=None
        A name (``"gaussian_copula"``, ``"vae"``, ``"gan"``, ``"copulagan"``,
        ``"sdv"``, or ``"auto"``: the copula below 5,000 rows, the VAE above),
        or an object following the generator protocol: ``fit(X, y)`` and
        ``sample(n, y=None, random_state=None)`` returning ``(X, y)``.
        ``None`` uses :class:`~skaug.models.GaussianCopula` (a mixture of
        copulas per class): on the real tables of the benchmarks page it was
        as good as the guided VAE at a small fraction of its cost, which
        keeps a ``GridSearchCV`` affordable. The guidance then acts where the
        rows are chosen (the latent exploration below), not in a loss. The
        nets ``"vae"``, ``"gan"`` and ``"copulagan"`` train on about 20,000
        optimiser steps at most (``max_epochs = min(300, ceil(20000 /
        ceil(n_samples / 64)))``); a net passed as an object keeps its own
        ``max_epochs``. A generator with a ``guidance`` parameter (the VAE)
        gets the uncertainty term in its loss; with an ``encoder`` parameter
        it shares the sampler's encoding (its own encoder's settings are
        used). Cloned into ``generator_``.

    alpha : float, default=1.0
        Weight of the original rows' adaptive-sampling weight (>= 0).

    beta : float, default=1.0
        Weight of the synthetic rows' weight (>= 0). ``alpha`` and ``beta``
        cannot both be 0.

    original_weight : {{"uniform", "balanced", "uncertainty"}} or callable, \
            default="balanced"
        Weight of each original row, with mean 1 over the originals for the
        named schemes: ``"uniform"`` 1; ``"balanced"`` ``n / (k * n_c)`` for a
        row of class ``c`` (``k`` classes); ``"uncertainty"``
        ``weight_amplitude * (u / mean(u)) ** weight_power``. A callable
        ``f(X, y, uncertainty)`` returns the weights (finite, >= 0).

    synthetic_weight : callable or None, default=None
        Weight of each synthetic row; ``None`` is ``1 / (1 + u)``. A callable
        ``f(X_syn, y_syn, uncertainty_syn)`` returns the weights.

    weight_amplitude : float, default=1.0
        ``amplitude`` of the ``"uncertainty"`` original weight.

    weight_power : float, default=1.0
        ``power`` of the ``"uncertainty"`` original weight (>= 0).

    n_synthetic : float or int, default=1.0
        Size of the synthetic pool: a float is a ratio of ``len(X)``, an int a
        number of rows. It is split across the classes in proportion to the
        rows each class gets added. At 1.0 the pool holds at least as many
        rows as balancing adds, so the draw rarely repeats a synthetic row; a
        larger pool costs scoring time in proportion.

    n_samples : float, int or None, default=None
        Total number of output rows, overriding ``sampling_strategy``'s total
        (a float is a ratio of ``len(X)``). It must be at least ``len(X)``,
        since no original row is dropped; the rows added are split across the
        classes in the proportions ``sampling_strategy`` gives.

    {sampling_strategy}

    uncertainty_metric : {{"variance", "entropy", "bald"}}, default="variance"
        How the MC passes become one score per row.

    n_mc_samples : int, default=20
        Stochastic forward passes per score.

    uncertainty_weight : float, default=1.0
        How strongly the generator is guided toward uncertain rows; 0 fits a
        plain generator. For a net with a ``guidance`` parameter (the VAE) it
        is the final weight ``lambda`` of the loss term
        ``-lambda * sqrt(n_encoded_columns) * log(mean u)`` of decoded prior
        draws (scale-free in the metric). For a generator whose ``fit`` takes
        ``sample_weight`` (the default copula) the rows get the weights
        ``1 + lambda * u / mean(u of their class)``: regions of uncertain rows
        are sampled more, none is dropped. A copula the sampler builds
        (``generator=None`` or a name) gets ``locality=0.5``, so the
        weights also act row by row inside a cluster (most minority classes
        have one); see :class:`~skaug.models.GaussianCopula`. Watch
        ``synthesis_report_["rejection_rate"]`` and ``["mean_ks"]`` when
        raising it.

    guidance_schedule : {{"linear", "cosine", "step", "constant"}} or callable, \
            default="linear"
        Curriculum of ``lambda`` over the generator's epochs.

    latent_temperature : float, default=2.0
        Latent temperature of the last exploration round (the first is 1).

    support_quantile : float or None, default=0.99
        Stability guard: a synthetic row is kept when its distance to the
        nearest real row is at most this quantile of the real rows'
        nearest-neighbour distances (above 2,000 rows, both are measured
        against a random 2,000 of them, so the guard's cost stays linear).
        ``None`` turns the guard off.

    selection : {{"plausible", "uncertain"}}, default="plausible"
        How the exploration keeps a round's rows among the candidates inside
        the guard. ``"plausible"``: it drops the candidates that the
        uncertainty model gives another class once the classes are balanced
        (each class probability divided by the class's share of ``y``, then
        renormalised; below 0.5 for their label) and keeps the rest at
        random. ``"uncertain"``: the most uncertain half, then diverse rows
        among them (greedy farthest-point). On real tables ``"uncertain"``
        raised balanced accuracy but lowered ROC AUC and average precision
        (:ref:`bench_sampler_real`).

    replace : bool, default=True
        Draw with replacement.

    memory : str, joblib.Memory or None, default=None
        Caches the fitted models and the synthetic pool, keyed on the data and
        the parameters that affect them: changing only ``alpha``, ``beta``,
        ``original_weight``, ``synthetic_weight``, ``weight_amplitude``,
        ``weight_power``, ``n_samples``, ``sampling_strategy`` (when the rows
        per class stay the same) or ``replace`` refits nothing. Needs an int
        ``random_state`` to be useful (otherwise every fit has a new seed).

    device : str, default="cpu"
        Passed to the estimator and the generator (``"cuda"`` for a GPU).

    {random_state}

    verbose : int, default=0
        0 silent; 1 progress bars; 2 also the nets' per-epoch tables.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of rows added per class.

    estimator_ : estimator
        The fitted uncertainty model.

    generator_ : generator
        The fitted generator.

    encoder_ : TabularEncoder
        The encoding shared by the uncertainty model and the generator.

    uncertainty_ : ndarray of shape (n_samples,)
        Uncertainty of each original row.

    synthetic_X_ : DataFrame or ndarray of shape (n_synthetic, n_features)
        The synthetic pool (after the guard), in the format of ``X``.

    synthetic_y_ : ndarray of shape (n_synthetic,)
        Labels of the synthetic pool.

    synthetic_uncertainty_ : ndarray of shape (n_synthetic,)
        Uncertainty of each synthetic row.

    weights_ : ndarray of shape (n_samples + n_synthetic,)
        Un-normalised weight of each row of originals ⊕ synthetic pool.

    sample_indices_ : ndarray of shape (n_samples_resampled,)
        Index of each output row into originals ⊕ ``synthetic_X_``.

    n_rejected_ : int
        Candidates dropped by the stability guard.

    synthesis_report_ : dict
        Numbers on the synthetic pool: ``n_candidates``, ``n_rejected``,
        ``rejection_rate``, ``mean_ks`` (mean per-column KS statistic between
        each class's synthetic rows and its real rows, encoded; near 0 = same
        marginals),
        ``mean_uncertainty_original``, ``mean_uncertainty_synthetic``,
        ``guided`` and ``fit_seconds``.

    n_features_in_ : int
        Number of input columns.

    feature_names_in_ : ndarray of str
        Input column names, when ``X`` is a DataFrame with string names.

    See Also
    --------
    imblearn.over_sampling.SMOTE : interpolation between minority neighbours.
    skaug.models.GaussianCopula : the default generator.
    skaug.models.MCDropoutClassifier : the default uncertainty model.

    Notes
    -----
    The models do not depend on ``alpha``, ``beta`` or the weights, so a grid
    over those with ``memory=`` costs about one fit per fold. The defaults and
    their cost are measured on real tables on the :ref:`benchmarks page
    <bench_sampler_real>`. Generation is chunked: memory stays bounded.

    **Input rules.** At least 2 classes of at least 2 rows each; labels, not
    a continuous target. Missing values and categoricals in ``X`` are handled
    (synthetic rows hold missing values only where the column had some);
    ``±inf``, free text and empty input are a ``ValueError``. ``X`` and ``y``
    are never modified.

    **Small classes.** A class with fewer than 5 rows gets no synthetic rows
    (a generator fitted on so few can only echo them): its added rows are
    copies of its rows, drawn uniformly, with a ``UserWarning`` that says so;
    ``synthesis_report_["copied_classes"]`` lists those classes.

    **Persistence.** Fitted samplers pickle with their models; loading under
    another skaug ``major.minor`` raises ``IncompatibleVersionError``. A net
    that diverges raises :class:`~skaug.exceptions.DivergenceError`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from skaug import UncertaintySampler
    >>> X, y = make_classification(n_samples=200, weights=[0.8], random_state=0)
    >>> sampler = UncertaintySampler(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y), np.bincount(y_res)
    (array([160,  40]), array([160, 160]))
    >>> bool((X_res[:200] == X).all())  # the originals come first, unchanged
    True
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict_uncertainty"]), None],
        "generator": [
            StrOptions({"auto", *GENERATOR_NAMES}),
            HasMethods(["fit", "sample"]),
            None,
        ],
        **WEIGHT_CONSTRAINTS,
        **SYNTHESIS_CONSTRAINTS,
        "n_samples": [
            Interval(Real, 0, None, closed="neither"),
            Interval(Integral, 1, None, closed="left"),
            None,
        ],
        "replace": ["boolean"],
        "memory": [None, str, HasMethods(["cache"])],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        estimator=None,
        generator=None,
        alpha=1.0,
        beta=1.0,
        original_weight="balanced",
        synthetic_weight=None,
        weight_amplitude=1.0,
        weight_power=1.0,
        n_synthetic=1.0,
        n_samples=None,
        sampling_strategy="auto",
        uncertainty_metric="variance",
        n_mc_samples=20,
        uncertainty_weight=1.0,
        guidance_schedule="linear",
        latent_temperature=2.0,
        support_quantile=0.99,
        selection="plausible",
        replace=True,
        memory=None,
        device="cpu",
        random_state=None,
        verbose=0,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.estimator = estimator
        self.generator = generator
        self.alpha = alpha
        self.beta = beta
        self.original_weight = original_weight
        self.synthetic_weight = synthetic_weight
        self.weight_amplitude = weight_amplitude
        self.weight_power = weight_power
        self.n_synthetic = n_synthetic
        self.n_samples = n_samples
        self.uncertainty_metric = uncertainty_metric
        self.n_mc_samples = n_mc_samples
        self.uncertainty_weight = uncertainty_weight
        self.guidance_schedule = guidance_schedule
        self.latent_temperature = latent_temperature
        self.support_quantile = support_quantile
        self.selection = selection
        self.replace = replace
        self.memory = memory
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def fit_resample(self, X, y, **params):
        """Resample the dataset: the original rows, then the rows drawn.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The data; mixed types and missing values are handled by the
            encoder.

        y : array-like of shape (n_samples,)
            Class labels: at least 2 classes, each with at least 2 rows.

        **params : dict
            Not used; present for imbalanced-learn's API.

        Returns
        -------
        X_resampled : {ndarray, DataFrame} of shape (n_samples_new, n_features)
            The original rows first, then the rows drawn.

        y_resampled : ndarray of shape (n_samples_new,)
            Their labels.
        """
        # imbalanced-learn checks y first with scikit-learn's generic messages
        # ("Unknown label type", "Input y contains NaN"); these say what to do
        check_resampling_labels(X, y, owner="UncertaintySampler")
        return super().fit_resample(X, y, **params)

    def _check_X_y(self, X, y):
        # Mixed pandas data go to the encoder untouched (as imbalanced-learn's
        # RandomOverSampler does); arrays are checked without forcing a dtype.
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        if sparse.issparse(X):
            raise TypeError(
                "UncertaintySampler does not support sparse input: its neural "
                "models need dense data. Convert it with X.toarray()."
            )
        X = _check_X(X)
        validate_data(self, X=X, y=y, reset=True, skip_check_array=True)
        return X, y, binarize_y

    # -- fit_resample ----------------------------------------------------------

    def _fit_resample(self, X, y):
        self._check_fit_inputs(y)
        model_seed, draw_seed = check_random_state(self.random_state).randint(
            SEED_MAX, size=2
        )
        to_add = rows_to_add(self.sampling_strategy_, self.n_samples, y)
        copied = classes_to_copy(y, to_add)
        if copied:
            warnings.warn(copy_message(copied, to_add), UserWarning, stacklevel=3)
        synthesize_cached = check_memory(self.memory).cache(
            synthesize, ignore=["verbose"]
        )
        state, pool, report = synthesize_cached(
            X,
            y,
            self.estimator,
            self.generator,
            pool_counts(self.n_synthetic, len(y), to_add, skip=copied),
            SynthesisConfig.from_params(self.get_params(deep=False)),
            int(model_seed),
            self.verbose,
        )
        self._store_synthesis(state, pool, report)
        self.synthesis_report_["copied_classes"] = list(copied)
        self.weights_ = self._combined_weights(X, y)
        for label in copied:  # no synthetic rows: the originals, uniformly
            self.weights_[: len(y)][np.asarray(y) == label] = 1.0
        y_all = np.concatenate([np.asarray(y), self.synthetic_y_])
        added = draw_per_class(
            self.weights_,
            y_all,
            to_add,
            replace=self.replace,
            random_state=np.random.RandomState(draw_seed),
            n_original=len(y),
        )
        self.sample_indices_ = np.r_[np.arange(len(y)), added].astype(np.intp)
        X_all = concat_rows([X, self.synthetic_X_], X)
        return take_rows(X_all, self.sample_indices_), y_all[self.sample_indices_]

    def _check_fit_inputs(self, y):
        check_mix(self.alpha, self.beta)
        check_rows_per_class(y, 2)

    def _store_synthesis(self, state, pool, report):
        """The fitted attributes that come from the synthesis core."""
        self.encoder_ = state.encoder
        self.estimator_ = state.estimator
        self.generator_ = state.generator
        self.uncertainty_ = state.uncertainty
        self.synthetic_X_ = pool.X
        self.synthetic_y_ = pool.y
        self.synthetic_uncertainty_ = pool.uncertainty
        self.n_rejected_ = pool.n_rejected
        self.synthesis_report_ = dict(report)

    def _combined_weights(self, X, y):
        return sampler_weights(
            self.get_params(deep=False),
            (X, y, self.uncertainty_),
            (self.synthetic_X_, self.synthetic_y_, self.synthetic_uncertainty_),
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = False
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.sampler_tags.sample_indices = True
        tags.non_deterministic = self.random_state is None
        return tags
