"""DriftAugmentor: bridge a drifted test set with constrained synthetic rows.

The estimator reads as its steps; the parts live beside it: input checks
(:mod:`._checks`), the target plan (:mod:`._target`), the hold-out and the
generator's quality (:mod:`._holdout`), the rows drawn through the shared
synthesis core (:mod:`._draw`), subgroups (:mod:`._subgroups`), and the
merged rows and the report (:mod:`._report`).
"""

import time
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import (
    BaseEstimator,
    OneToOneFeatureMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils._set_output import _get_output_config
from sklearn.utils.validation import check_is_fitted

from skaug._augmentor._checks import (
    check_fit_params,
    check_table,
    check_test_set,
    check_training_labels,
)
from skaug._augmentor._draw import draw_rows
from skaug._augmentor._gates import decide, limit
from skaug._augmentor._holdout import holdout_quality, split_holdout
from skaug._augmentor._lookup import RegionLookup
from skaug._augmentor._report import build_report, merge
from skaug._augmentor._review import review
from skaug._augmentor._target import TargetPlan, overall_drift
from skaug.drift import DRIFT_METRICS, get_drift_metric
from skaug.encoding import TabularEncoder
from skaug.models._factory import build_generator
from skaug.report import Augmentation
from skaug.utils._persistence import VersionedPickleMixin
from skaug.utils._random import SEED_MAX
from skaug.utils._validation import tabular_input_tags

GENERATORS = ("auto", "vae", "gan", "copulagan", "gaussian_copula", "sdv")


class DriftAugmentor(
    VersionedPickleMixin, OneToOneFeatureMixin, TransformerMixin, BaseEstimator
):
    """Measure drift between training and test data, and bridge it with synthetic rows.

    ``fit`` records the training data and trains a generator on it (jointly
    with ``y`` when given). ``augment(X_test)`` measures the drift of the
    ``target`` between training and test data; above ``drift_threshold`` it
    finds the regions where the test set lacks training mass, generates at most
    ``int(augmentation_factor * len(X_test))`` rows constrained to those
    regions (allocated in proportion to each region's deficit
    ``max(0, p_train - p_test)``), appends them after the test rows and
    measures the drift again.

    A transformer that adds rows is unusual, so plainly: use it on its own —
    fit on training data, then ``augment``/``transform`` a test set — and
    never as an inner step of a ``Pipeline`` before a predictor. Augmenting a
    test set changes what an evaluation measures; report the score on the
    original test rows as well.

    Read more in the :ref:`User Guide <drift_augmentor>`.

    Parameters
    ----------
    target : str, int or None, default=None
        What to compare: ``None`` every feature (overall drift is their mean,
        or max, see ``aggregate``), a column name or position, or ``"y"`` for
        the labels (then ``fit`` and ``augment`` need ``y``).
    drift_metric : {"ks", "kl", "psi", "js", "wasserstein"} or callable, \
            default="ks"
        Per-feature drift metric (see :mod:`skaug.drift`); a callable
        ``f(reference, current) -> float``.
    drift_threshold : float, default=0.05
        Augment only when the overall drift is above this value: the
        smallest drift worth bridging, in the units of ``drift_metric`` (the
        default suits ``"ks"``, ``"js"`` and total variation, which live in
        [0, 1]; choose it for ``"kl"``, ``"psi"`` or ``"wasserstein"``). It
        does not tell drift from sampling noise, ``significance`` does: the
        mean KS of a random split of a few hundred rows reaches 0.1 with no
        drift at all, while a real covariate shift of several thousand rows
        measured 0.09 (:ref:`bench_drift_noise`); 0.05 lets that shift
        through and leaves the noise of small tables to the test.
    significance : float in (0, 1) or None, default=0.05
        Level of the test that tells a drift from sampling noise: a Pearson
        chi-squared test of homogeneity of the counts of training and test
        rows per deviation region. Rows are added only when its p-value is
        below ``significance``; otherwise the test set comes back unchanged,
        the report's ``limited_by`` is ``"significance"`` and its
        ``shortfall`` gives the p-value. ``None`` switches the test off:
        every deficit above ``drift_threshold`` gets rows, sampling noise
        included. On random splits of real tables (no drift) the default
        added rows on 4 % of them (:ref:`bench_drift_noise`).
    augmentation_factor : float in (0, 1], default=0.2
        At most ``int(augmentation_factor * len(X_test))`` rows are added.
    generator : {"auto", "vae", "gan", "copulagan", "gaussian_copula", "sdv"} \
            or generator, default="auto"
        The generator trained on the training data, or an instance following
        the protocol ``fit(X, y=None)`` / ``sample(n, y=None,
        random_state=None)``; an instance is cloned, and its ``random_state``
        and ``device`` (when it has them) are set from this augmentor's.
        ``"auto"`` takes the Gaussian copula
        (:class:`~skaug.models.GaussianCopula`, a mixture of copulas per
        class) for tables under 5,000 training rows and the VAE from 5,000
        rows on; the report says which and why. It is the default because it
        measured best: on real tables and on real drift scenarios the
        copula's rows were harder to tell from real rows than the VAE's, and
        its fit costs about as much as a gradient-boosting fit where the VAE's
        costs about a hundred (:ref:`bench_generators_real`,
        :ref:`bench_drift_real`). Above 5,000 rows the copula has not been
        measured, so the VAE keeps its place there.
        A named net (``"vae"``, ``"gan"``, ``"copulagan"``) trains for at most
        about 20,000 optimiser steps: 300 epochs up to about 4,200 rows of
        ``X``, fewer above (13 at 100,000), as ``UncertaintySampler``'s
        default generator does.
        ``"sdv"`` needs the optional SDV library.
    region_method : {"density_ratio", "histogram"}, default="density_ratio"
        How the deviation regions are found: clusters of the training rows
        scored by a train-vs-test classifier (the density ratio), or quantile
        bins (levels for a categorical target) of a 1-D target. With
        ``target="y"`` the regions are always the classes and this parameter
        is not used (no warning, since the default would then always warn).
    n_regions : int, default=10
        Number of regions (clusters or bins).
    validation_fraction : float in [0, 1), default=0.2
        Share of the training rows held out to measure the generator's quality
        (the generator is fitted on the rest); 0 skips the measurement.
    sensitive_features : list of str or None, default=None
        Columns whose subgroups the report follows (share of rows, drift
        before and after); a warning is issued when augmentation moves a
        subgroup's share by more than 0.05.
    preserve_subgroups : bool, default=False
        Allocate each region's synthetic rows across the subgroups of
        ``sensitive_features`` in the proportions of the test rows in that
        region, so subgroup shares within a region are kept.
    aggregate : {"mean", "max"}, default="mean"
        How per-feature drifts become the overall drift.
    device : str, default="cpu"
        Passed to neural generators.
    random_state : int, RandomState instance or None, default=None
        Seeds the generator, the regions and the draws. ``augment`` and
        ``transform`` derive a fresh generator of random numbers from it on
        every call, so they are deterministic for an int.
    verbose : int, default=0
        0 silent; 1 progress bars (the generator's fit, the generation); 2
        also the nets' per-epoch tables.

    Attributes
    ----------
    generator_ : generator
        The fitted generator.
    generator_name_ : str
        Which generator was used, and why for ``"auto"``.
    generator_quality_ : dict
        ``detection_auc`` (of a gradient-boosting real-vs-synthetic
        detector) and ``mean_ks`` of generated rows against the held-out
        training rows (a random 5,000 of them at most), and ``n_holdout``,
        the rows compared (empty when ``validation_fraction=0``). With
        labels at ``fit``, also the label fidelity of the generated rows:
        ``label_agreement`` (how often a classifier fitted on the held-out
        real rows predicts their labels, averaged over the classes),
        ``label_agreement_real`` (the same check on the real held-out rows,
        cross-fitted) and ``label_agreement_per_class``; the report shows it
        as :attr:`~skaug.report.AugmentationReport.label_fidelity`.
    encoder_ : TabularEncoder
        Encoding of the training data used by the density-ratio regions.
    reference_X_ : DataFrame or ndarray
        The training data (drift is measured against it).
    reference_y_ : ndarray or None
        The training labels.
    fit_seconds_ : float
        Wall time of ``fit``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only for DataFrames with string column names.

    See Also
    --------
    skaug.drift.drift_per_feature : the drift table on its own.

    Notes
    -----
    **Input rules.** A category of the test set that the training data never
    had is a ``ValueError`` at ``augment``/``transform`` naming the column and
    the values, whether or not the drift is above the threshold (as
    :class:`~sklearn.preprocessing.OneHotEncoder`'s default
    ``handle_unknown="error"``): the generator cannot produce it. Missing
    values are supported: test rows come back unchanged, NaN included, and
    synthetic rows hold missing values only in columns that had some in the
    training data. ``y`` holds class labels: one class is fine (the generator
    is conditional on a single class), a class with one row is fine,
    integral floats (``0.0``, ``1.0``) are labels, and non-integral floats,
    NaN or inf are a ``ValueError``. ``±inf`` in ``X``, free-text columns,
    wrong columns and empty input are a ``ValueError``; a constant column
    stays constant. Inputs are never modified.

    **Too few rows.** ``fit`` refuses fewer training rows than its parts
    need, with a ``ValueError`` saying how many and why: the generator fits
    on at least 2 rows; with ``validation_fraction > 0`` the hold-out takes
    at least 2 rows to measure the generator and leaves 2 to fit it (10 rows
    at the default 0.2); and each of the ``n_regions`` regions needs a
    training row (not with ``target="y"``, whose regions are the classes).
    The minimum is the largest of these: 10 rows with the defaults.

    **Test columns and labels.** A DataFrame test set with columns the
    training data lacked, or lacking some of its columns, is a
    ``ValueError`` naming them. Test labels that the training labels never
    had are warned about (and listed in the report's ``warnings``): their
    rows are kept, no synthetic row carries them, and with ``target="y"``
    the label drift they cause cannot be reduced. When none of the test
    labels is a training label (e.g. strings against integers), ``augment``
    raises a ``ValueError``.

    **Persistence.** A fitted augmentor pickles (pickle, joblib) with its
    generator; the pickle records the skaug version and loading it under
    another ``major.minor`` raises
    :class:`~skaug.exceptions.IncompatibleVersionError` (re-fit, or install
    that version).

    Examples
    --------
    >>> import numpy as np
    >>> from skaug import DriftAugmentor
    >>> rng = np.random.default_rng(0)
    >>> X_train = rng.normal(size=(500, 2))
    >>> X_test = rng.normal(size=(200, 2))
    >>> X_test = X_test[X_test[:, 0] > -0.5]  # the test set lacks low values
    >>> aug = DriftAugmentor(random_state=0)  # a Gaussian copula on 500 rows
    >>> result = aug.fit(X_train).augment(X_test)
    >>> result.report.augmented, result.report.drift_reduction > 0
    (True, True)
    >>> int(result.is_synthetic.sum()) <= int(0.2 * len(X_test))
    True
    """

    _parameter_constraints: dict = {
        "target": [str, Integral, None],
        "drift_metric": [StrOptions(set(DRIFT_METRICS)), callable],
        "drift_threshold": [Interval(Real, 0, None, closed="left")],
        "significance": [Interval(Real, 0, 1, closed="neither"), None],
        "augmentation_factor": [Interval(Real, 0, 1, closed="right")],
        "generator": [StrOptions(set(GENERATORS)), HasMethods(["fit", "sample"])],
        "region_method": [StrOptions({"density_ratio", "histogram"})],
        "n_regions": [Interval(Integral, 1, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "sensitive_features": [list, None],
        "preserve_subgroups": ["boolean"],
        "aggregate": [StrOptions({"mean", "max"})],
        "device": [str, object],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        target=None,
        drift_metric="ks",
        drift_threshold=0.05,
        significance=0.05,
        augmentation_factor=0.2,
        generator="auto",
        region_method="density_ratio",
        n_regions=10,
        validation_fraction=0.2,
        sensitive_features=None,
        preserve_subgroups=False,
        aggregate="mean",
        device="cpu",
        random_state=None,
        verbose=0,
    ):
        self.target = target
        self.drift_metric = drift_metric
        self.drift_threshold = drift_threshold
        self.significance = significance
        self.augmentation_factor = augmentation_factor
        self.generator = generator
        self.region_method = region_method
        self.n_regions = n_regions
        self.validation_fraction = validation_fraction
        self.sensitive_features = sensitive_features
        self.preserve_subgroups = preserve_subgroups
        self.aggregate = aggregate
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # -- fit -----------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the training data and train the generator on it.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,), default=None
            Training labels: the generator becomes conditional on them.
            Required when ``target="y"``.

        Returns
        -------
        self : DriftAugmentor
        """
        started = time.perf_counter()
        X = check_table(self, X, reset=True)
        y = check_training_labels(self, X, y)
        self._plan = TargetPlan.from_target(self.target, X)  # fails on a bad target
        check_fit_params(self, X)
        seeds = check_random_state(self.random_state).randint(SEED_MAX, size=3)
        self.reference_X_ = X.copy()
        self.reference_y_ = None if y is None else np.asarray(y).copy()
        self.encoder_ = TabularEncoder().fit(X)
        self._fit_generator(X, y, seeds)
        self.fit_seconds_ = time.perf_counter() - started
        return self

    def _fit_generator(self, X, y, seeds):
        """Fit the generator on the training rows that are not held out, and
        measure it on those that are."""
        built = build_generator(
            self.generator,
            X.shape[0],
            seed=int(seeds[0]),
            device=self.device,
            verbose=self.verbose,
        )
        X_fit, y_fit, X_hold, y_hold = split_holdout(
            X, y, self.validation_fraction, int(seeds[1])
        )
        self.generator_ = built.model.fit(X_fit, y_fit)
        self.generator_name_ = built.description
        self.generator_quality_ = holdout_quality(
            self.generator_, self.encoder_, X_hold, int(seeds[2]), y_hold
        )

    # -- the target plan, with the settings read at each call ---------------

    def _drift_table(self, X, y):
        """Per-feature drift of rows X (labels y) against the training data."""
        return self._plan.drift_table(
            self.reference_X_,
            self.reference_y_,
            X,
            y,
            metric=get_drift_metric(self.drift_metric),
        )

    def _overall(self, table):
        return overall_drift(table, self.aggregate)

    def _make_regions(self, rng):
        return self._plan.make_regions(
            region_method=self.region_method,
            n_regions=self.n_regions,
            significance=self.significance,
            rng=rng,
        )

    def _region_inputs(self, X, y):
        return self._plan.region_inputs(
            X, y, region_method=self.region_method, encoder=self.encoder_
        )

    def _place(self, regions, X, y):
        """The region of every row of X (labels y)."""
        return np.asarray(regions.assign(self._region_inputs(X, y)))

    # -- augment ---------------------------------------------------------------

    def augment(self, X, y=None):
        """Augment a test set: the test rows, then synthetic rows.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_test, n_features)
            The test set (same columns as the training data).
        y : array-like of shape (n_test,), default=None
            Test labels; required when ``target="y"``. The synthetic rows get
            the labels the generator conditioned them on. With labels, the
            report's ``concept_shift`` says whether the labels given the
            features changed (P(y|x), which augmentation cannot fix), with
            a warning when they did; this check fits five random forests on
            at most 2,000 training rows on every call.

        Returns
        -------
        Augmentation
            ``X``, ``y``, ``is_synthetic`` and ``report``. ``X`` is a DataFrame
            for DataFrame input: the test rows keep their index, the synthetic
            rows get a fresh one (integers after the largest integer label, or
            ``"synthetic_<i>"`` for other indexes); ``is_synthetic`` tells them
            apart.
        """
        check_is_fitted(self, "generator_")
        started = time.perf_counter()
        X, y = check_test_set(self, X, y)
        seed = check_random_state(self.random_state).randint(SEED_MAX)
        rng = np.random.RandomState(seed)  # fresh on each call
        before = self._drift_table(X, y)
        decision = decide(self, X, y, before, rng)
        pool = draw_rows(self, decision, X, y, rng)
        merged = merge(X, y, pool)
        after = before if decision.reason else self._drift_table(merged.X, merged.y)
        found = review(self, decision, X, y, merged, pool, seed)
        for message in found.messages:
            warnings.warn(message, UserWarning, stacklevel=2)
        report = build_report(
            decision,
            pool,
            before,
            after,
            drift_after=self._overall(after),
            threshold=self.drift_threshold,
            subgroups=found.subgroups,
            warnings=found.messages,
            concept_shift=found.concept,
            augment_seconds=time.perf_counter() - started,
            limits=limit(decision, len(pool), self.augmentation_factor),
            **self._report_fields(decision),
        )
        return Augmentation(merged.X, merged.y, merged.is_synthetic, report)

    def _report_fields(self, decision):
        """The report's fields that describe the call, not its outcome."""
        lookup = RegionLookup(
            self._plan,
            self.region_method,
            self.encoder_,
            decision.regions,
            getattr(self, "feature_names_in_", None),
            self.n_features_in_,
        )
        return {
            "region_lookup": lookup,
            "metric": (
                self.drift_metric if isinstance(self.drift_metric, str) else "custom"
            ),
            "target": self._plan.name,
            "max_samples": decision.max_samples,
            "generator": self.generator_name_,
            "generator_quality": dict(self.generator_quality_),
            "fit_seconds": self.fit_seconds_,
        }

    # -- transform -----------------------------------------------------------

    def transform(self, X):
        """The augmented test features (test rows first, then synthetic rows).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_test, n_features)

        Returns
        -------
        X_augmented : DataFrame or ndarray
            A DataFrame when ``X`` is one or when ``set_output(transform=
            "pandas")`` is set (with a fresh index), else an ndarray.
        """
        X_out = self.augment(X).X
        if _get_output_config("transform", self)["dense"] == "pandas":
            if not isinstance(X_out, pd.DataFrame):
                X_out = pd.DataFrame(X_out, columns=self.get_feature_names_out())
            X_out = X_out.reset_index(drop=True)
        return X_out

    def __sklearn_tags__(self):
        return tabular_input_tags(super().__sklearn_tags__(), self.random_state)
