"""DriftAugmentor: bridge a drifted test set with constrained synthetic rows."""

import time
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp
from sklearn.base import (
    BaseEstimator,
    OneToOneFeatureMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_predict, train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils._set_output import _get_output_config
from sklearn.utils.validation import check_is_fitted, validate_data

from skaug.drift import (
    DRIFT_METRICS,
    DensityRatioRegions,
    HistogramRegions,
    aggregate_drift,
    drift_per_feature,
    get_drift_metric,
)
from skaug.encoding import TabularEncoder
from skaug.models._factory import build_generator
from skaug.report import Augmentation, AugmentationReport
from skaug.utils._allocation import split_proportionally
from skaug.utils._persistence import VersionedPickleMixin
from skaug.utils._validation import check_labels, tabular_input_tags

GENERATORS = ("auto", "vae", "gan", "copulagan", "gaussian_copula", "sdv")
# A subgroup whose share of the rows moves by more than this is warned about.
SUBGROUP_TOLERANCE = 0.05
# Rejection sampling: rounds, and the smallest batch drawn per round.
_MAX_ROUNDS = 20
_MIN_BATCH = 256
_SEED_MAX = np.iinfo(np.int32).max
# Held-out rows (at most) that the generator's quality is measured on: the
# detection forest's cost grows faster than linearly, and a few thousand rows
# pin its AUC down to about +-0.01.
_QUALITY_MAX_ROWS = 5_000


def _region_table(regions, allocation, accepted):
    """One row per deviation region: where it is, the shares of training and
    test rows in it, its deficit and the synthetic rows allocated and added."""
    table = pd.DataFrame(
        {
            "train_share": np.asarray(regions.train_share_, dtype=float),
            "test_share": np.asarray(regions.test_share_, dtype=float),
            "deficit": np.asarray(regions.deficits_, dtype=float),
            "allocated": allocation,
            "added": accepted,
        }
    )
    table.index.name = "region"
    if getattr(regions, "kind_", None) == "numeric":
        # region i holds [edges[i-1], edges[i]); the outer ones are open-ended
        edges = np.asarray(regions.edges_, dtype=float)
        n_bins = len(edges) + 1
        lower = np.full(len(table), np.nan)
        upper = np.full(len(table), np.nan)
        lower[1:n_bins] = edges
        upper[: n_bins - 1] = edges
        table.insert(0, "lower", lower)
        table.insert(1, "upper", upper)
    elif getattr(regions, "kind_", None) == "categorical":
        table.insert(0, "level", [str(level) for level in regions.levels_])
    return table


def _n_rows(X):
    return X.shape[0]


def _take(X, index):
    if isinstance(X, pd.DataFrame):
        return X.iloc[index]
    return np.asarray(X)[index]


def _concat(parts):
    if isinstance(parts[0], pd.DataFrame):
        return pd.concat(parts, ignore_index=True)
    return np.concatenate([np.asarray(p) for p in parts])


def _append_synthetic(X_test, X_syn):
    """Test rows (their index kept) followed by synthetic rows with a fresh index:
    integers after the largest integer label, else ``"synthetic_<i>"``."""
    if not isinstance(X_test, pd.DataFrame):
        return np.concatenate([np.asarray(X_test), np.asarray(X_syn)])
    index = X_test.index
    m = len(X_syn)
    if pd.api.types.is_integer_dtype(index.dtype):
        start = int(index.max()) + 1 if len(index) else 0
        new_index = pd.RangeIndex(start, start + m)
    else:
        new_index = pd.Index([f"synthetic_{i}" for i in range(m)])
    X_syn = X_syn.set_axis(new_index, axis=0)
    return pd.concat([X_test, X_syn])


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
    drift_threshold : float, default=0.1
        Augment only when the overall drift is above this value.
    augmentation_factor : float in (0, 1], default=0.2
        At most ``int(augmentation_factor * len(X_test))`` rows are added.
    generator : {"auto", "vae", "gan", "copulagan", "gaussian_copula", "sdv"} \
            or generator, default="vae"
        The generator trained on the training data, or an instance following
        the protocol ``fit(X, y=None)`` / ``sample(n, y=None,
        random_state=None)``; an instance is cloned, and its ``random_state``
        and ``device`` (when it has them) are set from this augmentor's.
        A named net (``"vae"``, ``"gan"``, ``"copulagan"``) trains for at most
        about 20,000 optimiser steps: 300 epochs up to about 4,200 rows of
        ``X``, fewer above (13 at 100,000), as ``UncertaintySampler``'s
        default generator does.
        ``"auto"`` takes the Gaussian copula for tables under 500 rows and
        the VAE otherwise; the report says which. The rule comes from
        ``benchmarks/bench_auto_rule.py`` (a mixed table of 8 numeric and 2
        categorical columns, 2 seeds): held-out real-vs-synthetic AUC of the
        copula / the VAE was 0.556 / 0.607 at 250 rows, 0.633 / 0.598 at 500,
        0.627 / 0.569 at 1,000 and 0.688 / 0.557 at 4,000, with about equal
        per-column KS; the copula fits in about a second, the VAE in 5-40 s.
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
        0 silent; 1 progress bars; 2 also the nets' per-epoch tables.

    Attributes
    ----------
    generator_ : generator
        The fitted generator.
    generator_name_ : str
        Which generator was used, and why for ``"auto"``.
    generator_quality_ : dict
        ``detection_auc`` and ``mean_ks`` of generated rows against the
        held-out training rows (a random 5,000 of them at most), and
        ``n_holdout``, the rows compared (empty when
        ``validation_fraction=0``).
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
    >>> aug = DriftAugmentor(generator="gaussian_copula", random_state=0)
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
        drift_threshold=0.1,
        augmentation_factor=0.2,
        generator="vae",
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

    # -- input checks ------------------------------------------------------------

    def _check_X(self, X, *, reset):
        if not isinstance(X, pd.DataFrame):
            # infinite values are refused by the encoder, naming the column
            X = validate_data(self, X, reset=reset, dtype=None, ensure_all_finite=False)
            return X
        validate_data(self, X, reset=reset, skip_check_array=True)
        return X

    def _target_column(self, X):
        """Position of the target column in X (None for all features or y)."""
        if self.target is None or self.target == "y":
            return None
        if isinstance(X, pd.DataFrame):
            if self.target in X.columns:
                return X.columns.get_loc(self.target)
            if isinstance(self.target, Integral) and 0 <= self.target < X.shape[1]:
                return int(self.target)
            raise ValueError(
                f"target={self.target!r} is not a column of X (columns: "
                f"{list(X.columns)[:10]}...). Pass a column name, a position, "
                '"y" for the labels, or None for every feature.'
            )
        if isinstance(self.target, Integral) and 0 <= self.target < X.shape[1]:
            return int(self.target)
        raise ValueError(
            f"target={self.target!r} does not name a column of a {X.shape[1]}-column "
            'array: use a position 0..n_features-1, "y" or None.'
        )

    def _target_values(self, X, y):
        if self.target == "y":
            return np.asarray(y)
        column = self._target_column(X)
        if column is None:
            return None
        if isinstance(X, pd.DataFrame):
            return X.iloc[:, column]
        return np.asarray(X)[:, column]

    # -- fit -----------------------------------------------------------------------

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
        X = self._check_X(X, reset=True)
        if self.target == "y" and y is None:
            raise ValueError('target="y" compares labels: fit(X, y) needs y.')
        if y is not None:
            y = check_labels(y)
            if len(y) != _n_rows(X):
                raise ValueError(
                    f"X and y have different numbers of rows: {_n_rows(X)} and "
                    f"{len(y)}."
                )
        self._target_column(X)  # fails early on a bad target
        if self.region_method == "histogram" and self.target is None:
            raise ValueError(
                'region_method="histogram" bins a single target: set target to a '
                'column or "y", or use region_method="density_ratio" for every '
                "feature."
            )
        if self.preserve_subgroups and not self.sensitive_features:
            raise ValueError(
                "preserve_subgroups=True needs sensitive_features (column names)."
            )
        for column in self.sensitive_features or []:
            if not isinstance(X, pd.DataFrame) or column not in X.columns:
                raise ValueError(
                    f"sensitive feature {column!r} is not a column of X; "
                    "sensitive_features takes DataFrame column names."
                )
        rng = check_random_state(self.random_state)
        self._seeds = rng.randint(_SEED_MAX, size=3)

        self.reference_X_ = X.copy()
        self.reference_y_ = None if y is None else np.asarray(y).copy()
        self.encoder_ = TabularEncoder().fit(X)

        built = build_generator(
            self.generator,
            _n_rows(X),
            seed=int(self._seeds[0]),
            device=self.device,
            verbose=self.verbose,
        )
        gen, self.generator_name_ = built.model, built.description
        self.generator_quality_ = {}
        X_fit, y_fit, X_hold = X, y, None
        n = _n_rows(X)
        if self.validation_fraction > 0 and n * self.validation_fraction >= 2:
            index = np.arange(n)
            n_hold = int(np.ceil(n * self.validation_fraction))
            strat = None
            if y is not None:
                _, counts = np.unique(y, return_counts=True)
                # stratify only when every class can appear on both sides
                if counts.min() >= 2 and n_hold >= len(counts):
                    strat = y
            fit_idx, hold_idx = train_test_split(
                index,
                test_size=self.validation_fraction,
                random_state=int(self._seeds[1]),
                stratify=strat,
            )
            X_fit, X_hold = _take(X, fit_idx), _take(X, hold_idx)
            y_fit = None if y is None else y[fit_idx]
        self.generator_ = gen.fit(X_fit, y_fit)
        if X_hold is not None:
            self.generator_quality_ = self._generator_quality(X_hold)
        self.fit_seconds_ = time.perf_counter() - started
        return self

    def _generator_quality(self, X_hold):
        n = _n_rows(X_hold)
        if n > _QUALITY_MAX_ROWS:
            keep = np.random.RandomState(int(self._seeds[2])).choice(
                n, _QUALITY_MAX_ROWS, replace=False
            )
            X_hold, n = _take(X_hold, np.sort(keep)), _QUALITY_MAX_ROWS
        X_syn, _ = self.generator_.sample(n, random_state=int(self._seeds[2]))
        real = self.encoder_.transform(X_hold)
        fake = self.encoder_.transform(X_syn)
        data = np.vstack([real, fake])
        label = np.r_[np.zeros(n), np.ones(len(fake))]
        folds = min(5, n)
        proba = cross_val_predict(
            RandomForestClassifier(n_estimators=50, random_state=0),
            data,
            label,
            cv=folds,
            method="predict_proba",
        )[:, 1]
        spans = [s for s in self.encoder_.spans_ if s.kind == "numeric"]
        ks = [ks_2samp(real[:, s.start], fake[:, s.start]).statistic for s in spans]
        return {
            "detection_auc": float(roc_auc_score(label, proba)),
            "mean_ks": float(np.mean(ks)) if ks else float("nan"),
            "n_holdout": int(n),
        }

    # -- drift -----------------------------------------------------------------------

    def _drift_table(self, X_ref, y_ref, X_cur, y_cur):
        metric = get_drift_metric(self.drift_metric)
        if self.target == "y":
            table = drift_per_feature(
                np.asarray(y_ref), np.asarray(y_cur), metric=metric, categorical=True
            )
            table.index = pd.Index(["y"])
        else:
            column = self._target_column(X_ref)
            columns = None if column is None else [column]
            if isinstance(X_ref, pd.DataFrame) and columns is not None:
                columns = [X_ref.columns[column]]
            table = drift_per_feature(X_ref, X_cur, metric=metric, columns=columns)
        return table

    def _overall(self, table):
        return float(aggregate_drift(table, how=self.aggregate))

    # -- regions ------------------------------------------------------------------

    def _region_inputs(self, X, y):
        """What the regions see for rows X (labels y): 1-D target values for
        histogram regions, encoded columns for density-ratio regions."""
        if self.region_method == "histogram" or self.target == "y":
            return self._target_values(X, y)
        Xt = self.encoder_.transform(X)
        column = self._target_column(X)
        if column is None:
            return Xt
        name = self._feature_name(column)
        keep = np.concatenate(
            [
                np.arange(s.start, s.stop)
                for s in self.encoder_.spans_
                if s.feature == name
            ]
        )
        return Xt[:, keep]

    def _feature_name(self, column):
        if isinstance(self.reference_X_, pd.DataFrame):
            return self.reference_X_.columns[column]
        return column

    def _make_regions(self, rng):
        if self.target == "y":
            return HistogramRegions(n_regions=self.n_regions, categorical=True)
        if self.region_method == "histogram":
            return HistogramRegions(n_regions=self.n_regions)
        return DensityRatioRegions(
            n_regions=self.n_regions, random_state=int(rng.randint(_SEED_MAX))
        )

    # -- augment ---------------------------------------------------------------------

    def augment(self, X, y=None):
        """Augment a test set: the test rows, then synthetic rows.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_test, n_features)
            The test set (same columns as the training data).
        y : array-like of shape (n_test,), default=None
            Test labels; required when ``target="y"``. The synthetic rows get
            the labels the generator conditioned them on.

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
        X = self._check_X(X, reset=False)
        n_test = _n_rows(X)
        if n_test == 0:
            raise ValueError("X is empty: augment needs at least one test row.")
        self._check_encodable(X)
        if y is not None:
            y = check_labels(y)
            if len(y) != n_test:
                raise ValueError(
                    f"X and y have different numbers of rows: {n_test} and {len(y)}."
                )
            if self.reference_y_ is None:
                raise ValueError(
                    "augment got y but the augmentor was fitted without labels, so "
                    "synthetic rows would have none: fit(X_train, y_train) first."
                )
        if self.target == "y" and y is None:
            raise ValueError('target="y" compares labels: augment(X, y) needs y.')
        rng = check_random_state(self.random_state)
        rng = np.random.RandomState(rng.randint(_SEED_MAX))  # fresh on each call
        max_samples = int(self.augmentation_factor * n_test)
        before = self._drift_table(self.reference_X_, self.reference_y_, X, y)
        drift_before = self._overall(before)
        metric_name = (
            self.drift_metric if isinstance(self.drift_metric, str) else "custom"
        )
        target_name = (
            "all features"
            if self.target is None
            else ("y" if self.target == "y" else str(self.target))
        )
        common = {
            "metric": metric_name,
            "target": target_name,
            "max_samples": max_samples,
            "generator": self.generator_name_,
            "generator_quality": dict(self.generator_quality_),
            "fit_seconds": self.fit_seconds_,
        }

        def unchanged(reason):
            per_feature = pd.DataFrame(
                {"before": before["drift"], "after": before["drift"]}
            )
            report = AugmentationReport(
                augmented=False,
                reason=reason,
                drift_before=drift_before,
                drift_after=drift_before,
                samples_added=0,
                per_feature=per_feature,
                augment_seconds=time.perf_counter() - started,
                **common,
            )
            return Augmentation(X, y, np.zeros(n_test, dtype=bool), report)

        if drift_before <= self.drift_threshold:
            return unchanged(
                f"Drift {drift_before:.4f} is at or below drift_threshold="
                f"{self.drift_threshold}: the test set is returned unchanged."
            )
        if max_samples == 0:
            return unchanged(
                f"augmentation_factor={self.augmentation_factor} allows 0 rows for "
                f"{n_test} test rows: nothing added."
            )

        regions = self._make_regions(rng)
        regions.fit(
            self._region_inputs(self.reference_X_, self.reference_y_),
            self._region_inputs(X, y),
        )
        allocation = np.asarray(regions.allocate(max_samples), dtype=int)
        if allocation.sum() == 0:
            return unchanged(
                f"Drift {drift_before:.4f} is above drift_threshold, but no region "
                "of the training distribution lacks test rows beyond sampling "
                f"noise (chi-squared p-value {regions.p_value_:.3g} >= 0.05): "
                "nothing added."
            )
        X_syn, y_syn, accepted, drawn = self._generate(regions, allocation, X, y, rng)
        n_syn = 0 if X_syn is None else _n_rows(X_syn)
        if n_syn:
            X_out = _append_synthetic(X, X_syn)
            y_out = None if y is None else np.concatenate([np.asarray(y), y_syn])
        else:
            X_out, y_out = X, y
        after = self._drift_table(self.reference_X_, self.reference_y_, X_out, y_out)
        drift_after = self._overall(after)
        region_table = _region_table(regions, allocation, accepted)
        is_synthetic = np.r_[np.zeros(n_test, bool), np.ones(n_syn, bool)]
        report_warnings = []
        subgroups = None
        if self.sensitive_features:
            subgroups, report_warnings = self._subgroup_report(X, X_out, is_synthetic)
        if n_syn < allocation.sum():
            report_warnings.append(
                f"Only {n_syn} of the {int(allocation.sum())} allocated rows could "
                f"be generated inside their regions ({drawn} candidates drawn)."
            )
        for message in report_warnings:
            warnings.warn(message, UserWarning, stacklevel=2)
        report = AugmentationReport(
            augmented=n_syn > 0,
            reason=(
                f"Drift {drift_before:.4f} > drift_threshold={self.drift_threshold}: "
                f"{n_syn} synthetic rows added in {int((accepted > 0).sum())} "
                "deficit region(s)."
            ),
            drift_before=drift_before,
            drift_after=drift_after,
            samples_added=n_syn,
            per_feature=pd.DataFrame(
                {"before": before["drift"], "after": after["drift"]}
            ),
            regions=region_table,
            region_model=regions,
            acceptance_rate=(n_syn / drawn) if drawn else 1.0,
            subgroups=subgroups,
            warnings=report_warnings,
            augment_seconds=time.perf_counter() - started,
            **common,
        )
        return Augmentation(X_out, y_out, is_synthetic, report)

    def _check_encodable(self, X):
        """Refuse test values that the training data never had (categories
        unseen at fit, infinite values), whatever the drift: the generator
        cannot produce them and the regions cannot place them."""
        with warnings.catch_warnings():
            # missing values new at augment are warned about where the
            # encoding is used
            warnings.simplefilter("ignore", UserWarning)
            try:
                self.encoder_.transform(X)
            except ValueError as exc:
                message = str(exc)
                if "not seen during fit" not in message:
                    raise
                message = message.split(" Refit the encoder")[0]
                raise ValueError(
                    f"{message} DriftAugmentor was fitted on training data without "
                    "them, so its generator cannot produce them: fit it on training "
                    "data that covers every category, or map the new values to "
                    "known ones before augment."
                ) from None

    def _subgroup_key(self, X):
        return X[self.sensitive_features].astype(str).agg(" | ".join, axis=1)

    def _quota_by_subgroup(self, regions, allocation, X_test, y_test):
        """Split each region's quota across subgroups by the test rows' shares
        in that region (train shares when the region has no test rows)."""
        keys_test = self._subgroup_key(X_test).to_numpy()
        keys_train = self._subgroup_key(self.reference_X_).to_numpy()
        reg_test = np.asarray(regions.assign(self._region_inputs(X_test, y_test)))
        reg_train = np.asarray(
            regions.assign(self._region_inputs(self.reference_X_, self.reference_y_))
        )
        quotas = {}
        for r, total in enumerate(allocation):
            if total == 0:
                continue
            keys = keys_test[reg_test == r]
            if len(keys) == 0:
                keys = keys_train[reg_train == r]
            levels, counts = np.unique(keys, return_counts=True)
            share = split_proportionally(int(total), counts)
            for level, q in zip(levels, share):
                if q:
                    quotas[(r, level)] = int(q)
        return quotas

    def _generate(self, regions, allocation, X_test, y_test, rng):
        """Draw rows until every region's quota is met (or the rounds run out).

        Returns the synthetic rows, their labels, the rows accepted per region
        and the number of candidates drawn.
        """
        conditional = getattr(self.generator_, "classes_", None) is not None
        accepted = np.zeros(len(allocation), dtype=int)
        if self.target == "y" and conditional and not self.preserve_subgroups:
            # regions are the classes: condition the generator directly
            levels = regions.levels_
            parts_X, parts_y = [], []
            for r, quota in enumerate(allocation):
                if quota == 0:
                    continue
                X_r, y_r = self.generator_.sample(
                    int(quota), y=levels[r], random_state=rng
                )
                parts_X.append(X_r)
                parts_y.append(np.asarray(y_r))
                accepted[r] = quota
            return (
                _concat(parts_X),
                np.concatenate(parts_y),
                accepted,
                int(allocation.sum()),
            )

        if self.preserve_subgroups:
            quotas = self._quota_by_subgroup(regions, allocation, X_test, y_test)
        else:
            quotas = {(r, None): int(q) for r, q in enumerate(allocation) if q}
        remaining = dict(quotas)
        parts_X, parts_y = [], []
        drawn = 0
        acceptance = 1.0
        for _ in range(_MAX_ROUNDS):
            need = sum(remaining.values())
            if need == 0:
                break
            n_draw = int(min(max(_MIN_BATCH, 2 * need / max(acceptance, 0.02)), 1e6))
            X_c, y_c = self.generator_.sample(n_draw, random_state=rng)
            drawn += n_draw
            region = np.asarray(regions.assign(self._region_inputs(X_c, y_c)))
            key = (
                self._subgroup_key(X_c).to_numpy()
                if self.preserve_subgroups
                else np.full(n_draw, None)
            )
            chosen = []
            got = 0
            for (r, level), left in remaining.items():
                if left == 0:
                    continue
                hits = region == r
                if level is not None:
                    hits &= key == level
                take = np.flatnonzero(hits)[:left]
                chosen.append(take)
                remaining[(r, level)] = left - len(take)
                accepted[r] += len(take)
                got += len(take)
            acceptance = max(got / n_draw, 1e-3)
            if got:
                take = np.sort(np.concatenate(chosen))
                parts_X.append(_take(X_c, take))
                parts_y.append(None if y_c is None else np.asarray(y_c)[take])
        if not parts_X:
            return None, None, accepted, drawn
        X_syn = _concat(parts_X)
        if isinstance(X_syn, pd.DataFrame):
            X_syn = X_syn.reset_index(drop=True)
        y_syn = None if parts_y[0] is None else np.concatenate(parts_y)
        return X_syn, y_syn, accepted, drawn

    def _subgroup_report(self, X_test, X_out, is_synthetic):
        keys_train = self._subgroup_key(self.reference_X_)
        keys_out = self._subgroup_key(X_out).to_numpy()
        keys_test = keys_out[~is_synthetic]
        keys_syn = keys_out[is_synthetic]
        levels = sorted(set(keys_train) | set(keys_out))
        rows, messages = [], []
        metric = get_drift_metric(self.drift_metric)
        for level in levels:
            share_before = float(np.mean(keys_test == level))
            share_after = float(np.mean(keys_out == level))
            share_syn = float(np.mean(keys_syn == level)) if len(keys_syn) else 0.0
            ref = _take(self.reference_X_, np.flatnonzero(keys_train == level))
            test = _take(X_test, np.flatnonzero(keys_test == level))
            out = _take(X_out, np.flatnonzero(keys_out == level))
            drift_b = drift_a = float("nan")
            if _n_rows(ref) and _n_rows(test):
                drift_b = self._overall(drift_per_feature(ref, test, metric=metric))
                drift_a = self._overall(drift_per_feature(ref, out, metric=metric))
            rows.append(
                {
                    "subgroup": level,
                    "share_test": share_before,
                    "share_synthetic": share_syn,
                    "share_after": share_after,
                    "drift_before": drift_b,
                    "drift_after": drift_a,
                }
            )
            if abs(share_after - share_before) > SUBGROUP_TOLERANCE:
                messages.append(
                    f"Augmentation moved subgroup {level!r} of "
                    f"{self.sensitive_features} from {share_before:.1%} to "
                    f"{share_after:.1%} of the rows (more than "
                    f"{SUBGROUP_TOLERANCE:.0%}); "
                    + (
                        "shares within each region were kept, so the shift comes "
                        "from where the test set lacks rows."
                        if self.preserve_subgroups
                        else "consider preserve_subgroups=True."
                    )
                )
        return pd.DataFrame(rows).set_index("subgroup"), messages

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
