"""Deviation regions: where the test set lacks training mass, and how many rows go.

The deficit of a point ``x`` is ``max(0, 1 - p_test(x) / p_train(x))``: the
share of the training density at ``x`` that the test set lacks. Integrated over
a region ``r`` against the training distribution it gives the region's deficit

.. math:: d_r = \\int_r \\max(0, p_{train}(x) - p_{test}(x)) \\, dx

i.e. the sum of the deficits of the training rows in ``r`` divided by the
number of training rows. Synthetic rows drawn from the training distribution
and allocated in proportion to ``d_r`` fill the gaps of the test set, which is
what lowers ``drift(train, test ∪ synthetic)``.

Two ways to find the regions share one small API (``fit(reference,
current)``, ``assign``, ``deficits_``, ``allocate(budget)``):
:class:`HistogramRegions` bins one target column (or its levels), and
:class:`DensityRatioRegions` clusters the encoded training rows and scores them
with a train-vs-test classifier.
"""

import inspect
import numbers

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    validate_parameter_constraints,
)
from sklearn.utils.validation import check_array

from skaug.drift._metrics import (
    _as_series,
    _float_with_nan,
    _is_categorical,
    _numeric,
    _numeric_edges,
    _objects,
)
from skaug.utils._allocation import split_proportionally

__all__ = ["DensityRatioRegions", "HistogramRegions"]

# Density ratios p_test / p_train are clipped to [0, MAX_DENSITY_RATIO].
MAX_DENSITY_RATIO = 1e4
# Total deficits at or below this are "no deficit" (allocate gives zeros).
_DEFICIT_TOL = 1e-9
# Rows are allocated only when the region counts of the two samples differ at
# this significance level (Pearson chi-squared test of homogeneity).
SIGNIFICANCE_LEVEL = 0.05
# KMeans is fitted on at most this many training rows (all rows are assigned).
_KMEANS_MAX_ROWS = 10_000
_SEED_MAX = np.iinfo(np.int32).max


def _rows_needed(n_current, deficit, train_mass_in_deficit):
    """Rows to add to the current sample so that its mass in the deficit
    regions reaches the training mass there: ``n * D / (1 - P_def)``."""
    if deficit <= _DEFICIT_TOL:
        return 0.0
    spare = 1.0 - train_mass_in_deficit
    if spare <= 1e-12:
        return float("inf")
    return float(n_current * deficit / spare)


class _Regions:
    """Shared parts of the region finders (private).

    They are not scikit-learn estimators (``fit`` takes two samples, not
    ``X, y``), so they do not derive from ``BaseEstimator`` and the common
    estimator checks do not apply; they still follow its conventions:
    ``__init__`` only stores, parameters are checked in ``fit`` against
    ``_parameter_constraints``, and ``get_params`` / ``set_params`` make them
    clonable.
    """

    _parameter_constraints: dict = {}

    @classmethod
    def _param_names(cls):
        signature = inspect.signature(cls.__init__)
        return sorted(p for p in signature.parameters if p != "self")

    def get_params(self, deep=True):
        """Parameters of this object, by name.

        Parameters
        ----------
        deep : bool, default=True
            Ignored (no nested parameters); kept for scikit-learn's ``clone``.

        Returns
        -------
        params : dict
        """
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        """Set parameters by name.

        Parameters
        ----------
        **params : dict
            New parameter values.

        Returns
        -------
        self : object
        """
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for {type(self).__name__}; "
                    f"valid parameters are {valid}."
                )
            setattr(self, name, value)
        return self

    def __repr__(self):
        defaults = inspect.signature(type(self).__init__).parameters
        changed = [
            f"{name}={value!r}"
            for name, value in self.get_params().items()
            if value is not defaults[name].default
            and not (
                isinstance(value, int | float | str | bool | type(None))
                and value == defaults[name].default
            )
        ]
        return f"{type(self).__name__}({', '.join(changed)})"

    def _validate_params(self):
        validate_parameter_constraints(
            self._parameter_constraints,
            self.get_params(deep=False),
            caller_name=type(self).__name__,
        )

    def _check_fitted(self, attribute="deficits_"):
        if not hasattr(self, attribute):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call "
                "'fit' with the reference (training) and current (test) data "
                "first."
            )

    def _set_needed(self, ref_counts, cur_counts, train_mass_in_deficit):
        """Set p_value_ and rows_needed_ from the region counts."""
        table = np.vstack([ref_counts, cur_counts]).astype(np.float64)
        table = table[:, table.sum(axis=0) > 0]
        if table.shape[1] < 2:
            self.p_value_ = 1.0
        else:
            self.p_value_ = float(chi2_contingency(table, correction=False).pvalue)
        if self.p_value_ >= SIGNIFICANCE_LEVEL:
            self.rows_needed_ = 0.0
        else:
            self.rows_needed_ = _rows_needed(
                int(table[1].sum()), float(self.deficits_.sum()), train_mass_in_deficit
            )

    def allocate(self, budget):
        """Split a budget of synthetic rows across the regions.

        Rows go to the regions in proportion to :attr:`deficits_`, rounded by
        the largest-remainder method (ties to the lower region id). They sum
        exactly to ``min(budget, round(rows_needed_))``: ``rows_needed_`` is
        the number of rows that would bring the test set's mass in the
        deficit regions up to the training mass there (so a small drift does
        not get the whole budget), and it is 0 when the region counts of the
        two samples do not differ beyond sampling noise (``p_value_ >=
        0.05``). No deficit, or no significant one, gives zeros.

        Parameters
        ----------
        budget : int
            The most rows to add (>= 0).

        Returns
        -------
        allocation : ndarray of shape (``n_regions_``,), dtype int64
            Rows per region; the sum is at most ``budget``.
        """
        self._check_fitted()
        if (
            isinstance(budget, bool | np.bool_)
            or not isinstance(budget, numbers.Integral)
            or budget < 0
        ):
            raise ValueError(
                f"budget must be an integer >= 0 (a number of rows); got {budget!r}."
            )
        weights = np.asarray(self.deficits_, dtype=np.float64)
        allocation = np.zeros(weights.shape[0], dtype=np.int64)
        if weights.sum() <= _DEFICIT_TOL or budget == 0:
            return allocation
        needed = self.rows_needed_
        total = int(budget) if needed >= budget else int(np.floor(needed + 0.5))
        if total == 0:
            return allocation
        return split_proportionally(total, weights)


def _sorted_levels(levels):
    try:
        return sorted(levels)
    except TypeError:  # mixed types
        return sorted(levels, key=lambda v: (type(v).__name__, str(v)))


class HistogramRegions(_Regions):
    """Deviation regions of one target column: quantile bins or levels.

    A numeric target is cut into quantile bins of the training values; a
    categorical target (strings, booleans, categories, or class labels with
    ``categorical=True``) has one region per level. Each region's deficit is
    ``max(0, p_train(r) - p_test(r))``, the share of training rows that the
    test set lacks there.

    Read more in the :ref:`User Guide <drift>`.

    Parameters
    ----------
    n_regions : int, default=10
        Number of quantile bins of a numeric target. When the training and
        test values together hold at most ``n_regions`` distinct values, each
        value is a region of its own instead (edges half-way between
        consecutive values), so integer labels or codes get exact regions.
        Ignored for a categorical target.

    categorical : bool or None, default=None
        ``None`` detects the kind from the values (boolean, categorical and
        string values are levels, as :class:`~skaug.encoding.TabularEncoder`
        does); ``True`` makes every distinct value a region (use it for class
        labels with many classes); ``False`` forces quantile bins.

    Attributes
    ----------
    kind_ : {"numeric", "categorical"}
        How the target was split.

    edges_ : ndarray of shape (n_edges,) or None
        Sorted inner edges of a numeric target: region ``i`` holds the values
        in ``[edges_[i-1], edges_[i])``, the outer regions are open-ended (so
        values out of the training range go to the outer regions). ``None``
        for a categorical target.

    levels_ : ndarray of shape (``n_regions_``,) or None
        The value of each region when every region is one value (a
        categorical target, or a numeric one with few distinct values), the
        missing region (if any) holding NaN; else ``None``.

    missing_region_ : int or None
        Region of the missing values (NaN, None, ``pd.NA``): the last region,
        present when either sample had missing values at fit.

    n_regions_ : int
        Number of regions.

    train_share_ : ndarray of shape (``n_regions_``,)
        Share of the reference (training) values in each region.

    test_share_ : ndarray of shape (``n_regions_``,)
        Share of the current (test) values in each region.

    deficits_ : ndarray of shape (``n_regions_``,)
        ``max(0, train_share_ - test_share_)``.

    p_value_ : float
        p-value of a Pearson chi-squared test of homogeneity of the region
        counts of the two samples (1.0 with a single occupied region). At or
        above 0.05 the deficits are taken for sampling noise and
        :meth:`allocate` hands out nothing.

    rows_needed_ : float
        Rows that, added to the test set in the deficit regions, would bring
        its mass there up to the training mass:
        ``n_test * sum(deficits_) / (1 - P)``, with ``P`` the training share
        of the regions with a deficit (``inf`` when ``P = 1``); 0 without a
        deficit or when ``p_value_ >= 0.05``. :meth:`allocate` never hands
        out more.

    See Also
    --------
    DensityRatioRegions : Multivariate regions from a train-vs-test classifier.

    Notes
    -----
    :meth:`assign` maps a value to its region; a value that belongs to no
    region gets ``-1``: a level never seen at fit, or a missing value when
    neither sample had one at fit. Numeric values never get ``-1``.

    A constant numeric target is one region when both samples hold only that
    value (deficit 0), one region per value when the two samples hold at most
    ``n_regions`` distinct values, and otherwise the two regions below the
    constant and from it. A region with no test value has a deficit equal to
    its training share. With disjoint supports every training region but the
    outer one that receives the test values has a deficit equal to its
    training share.

    Shares of finite samples differ even without drift: :meth:`allocate`
    hands out rows only when ``p_value_ < 0.05``.

    Examples
    --------
    >>> from skaug.drift import HistogramRegions
    >>> train = ["a"] * 50 + ["b"] * 50
    >>> test = ["a"] * 80 + ["b"] * 20
    >>> regions = HistogramRegions().fit(train, test)
    >>> regions.levels_
    array(['a', 'b'], dtype=object)
    >>> regions.deficits_
    array([0. , 0.3])
    >>> regions.allocate(20)
    array([ 0, 20])
    >>> regions.assign(["b", "a", "c"])
    array([ 1,  0, -1])
    """

    _parameter_constraints: dict = {
        "n_regions": [Interval(numbers.Integral, 1, None, closed="left")],
        "categorical": ["boolean", None],
    }

    def __init__(self, *, n_regions=10, categorical=None):
        self.n_regions = n_regions
        self.categorical = categorical

    def fit(self, reference, current):
        """Find the regions and their deficits.

        Parameters
        ----------
        reference : array-like of shape (n_reference,)
            Training values of the target.
        current : array-like of shape (n_current,)
            Test values of the target.

        Returns
        -------
        self : object
            The fitted regions.
        """
        self._validate_params()
        reference = _as_series(reference, "reference")
        current = _as_series(current, "current")
        if _is_categorical(reference, current, self.categorical):
            self._fit_levels(reference, current)
        else:
            self._fit_bins(reference, current)
        n_regions = self.n_regions_
        ref_ids = self.assign(reference)
        cur_ids = self.assign(current)
        self.train_share_ = np.bincount(ref_ids, minlength=n_regions) / len(ref_ids)
        self.test_share_ = np.bincount(cur_ids, minlength=n_regions) / len(cur_ids)
        self.deficits_ = np.maximum(self.train_share_ - self.test_share_, 0.0)
        self._set_needed(
            np.bincount(ref_ids, minlength=n_regions),
            np.bincount(cur_ids, minlength=n_regions),
            float(self.train_share_[self.deficits_ > 0].sum()),
        )
        return self

    def _fit_levels(self, reference, current):
        values = np.concatenate([_objects(reference), _objects(current)])
        missing = np.asarray(pd.isna(values), dtype=bool)
        levels = _sorted_levels(pd.unique(values[~missing]).tolist())
        has_missing = bool(missing.any())
        self.kind_ = "categorical"
        self.edges_ = None
        self._lookup = pd.Index(levels, dtype=object)
        self.levels_ = np.empty(len(levels) + has_missing, dtype=object)
        self.levels_[: len(levels)] = levels
        self.missing_region_ = None
        if has_missing:
            self.levels_[-1] = np.nan
            self.missing_region_ = len(levels)
        self.n_regions_ = len(self.levels_)

    def _fit_bins(self, reference, current):
        ref, ref_missing = _numeric(reference, "reference")
        cur, cur_missing = _numeric(current, "current")
        edges, distinct = _numeric_edges(ref, cur, self.n_regions)
        has_missing = bool(ref_missing or cur_missing)
        self.kind_ = "numeric"
        self.edges_ = edges
        self._lookup = None
        self.levels_ = None
        if distinct is not None:
            dtypes = [reference.dtype, current.dtype]
            if not has_missing and all(
                isinstance(d, np.dtype) and d.kind in "iu" for d in dtypes
            ):
                distinct = distinct.astype(np.result_type(*dtypes))
            self.levels_ = np.append(distinct, np.nan) if has_missing else distinct
        self.n_regions_ = edges.shape[0] + 1 + has_missing
        self.missing_region_ = edges.shape[0] + 1 if has_missing else None

    def assign(self, values):
        """The region of each value.

        Parameters
        ----------
        values : array-like of shape (n_values,)
            Values of the target (training, test or generated).

        Returns
        -------
        regions : ndarray of shape (n_values,), dtype intp
            Region ids in ``0..n_regions_-1``; ``-1`` only for a value that
            belongs to no region (a level never seen at fit, or a missing
            value when none was seen at fit). Numeric values out of the
            training range go to the outer regions.
        """
        self._check_fitted("kind_")
        if len(values) == 0:
            return np.empty(0, dtype=np.intp)
        series = _as_series(values, "values")
        if self.kind_ == "categorical":
            objects = _objects(series)
            missing = np.asarray(pd.isna(objects), dtype=bool)
            ids = np.full(objects.shape[0], -1, dtype=np.intp)
            ids[~missing] = self._lookup.get_indexer(objects[~missing])
        else:
            numbers_ = _float_with_nan(series, "values")
            missing = np.isnan(numbers_)
            ids = np.searchsorted(self.edges_, numbers_, side="right").astype(np.intp)
        ids[missing] = -1 if self.missing_region_ is None else self.missing_region_
        return ids


class DensityRatioRegions(_Regions):
    """Multivariate deviation regions from a train-vs-test classifier.

    A probabilistic classifier learns to tell test rows (label 1) from
    training rows (label 0). By Bayes' rule its odds give the density ratio

    .. math:: \\frac{p_{test}(x)}{p_{train}(x)} =
        \\frac{P(test | x)}{P(train | x)} \\cdot \\frac{n_{train}}{n_{test}}

    and each training row gets the deficit ``max(0, 1 - ratio)``. The
    training rows are then clustered into ``n_regions`` regions, and a
    region's deficit is the mean deficit of its training rows times its
    training share.

    Read more in the :ref:`User Guide <drift>`.

    Parameters
    ----------
    n_regions : int, default=10
        Number of regions (KMeans clusters of the training rows); fewer when
        the training rows hold fewer distinct points.

    classifier : classifier or None, default=None
        An estimator with ``fit`` and ``predict_proba``, cloned before
        fitting (its ``random_state``, if it has one left at ``None``, is set
        from ``random_state``). ``None`` uses ``make_pipeline(StandardScaler(),
        LogisticRegression(max_iter=1000))``: logistic regression is the
        classic density-ratio estimator (the log-ratio is linear in the
        encoded features, an exponential tilt, which captures location
        shifts of numeric columns and any change of category shares in the
        one-hot blocks); its log-loss gives calibrated probabilities without
        a calibration step; it fits 100k rows in about a second and, being a
        low-capacity model, its in-sample probabilities are barely biased, so
        no cross-fitting is needed. Pass e.g. a
        ``HistGradientBoostingClassifier`` to capture non-linear shifts
        (variance changes, interactions).

    random_state : int, RandomState instance or None, default=None
        Seeds KMeans and the classifier (when it has a ``random_state``).
        Pass an int for reproducible regions.

    Attributes
    ----------
    classifier_ : estimator
        The fitted train-vs-test classifier.

    kmeans_ : KMeans
        The clustering of the training rows (on the encoded features plus
        the weighted deficit column, see Notes).

    deficit_weight_ : float
        Weight of the deficit column in the clustering.

    n_regions_ : int
        Number of regions.

    train_share_ : ndarray of shape (``n_regions_``,)
        Share of the training rows in each region.

    test_share_ : ndarray of shape (``n_regions_``,)
        Share of the test rows assigned to each region.

    deficits_ : ndarray of shape (``n_regions_``,)
        Sum of the deficits of the training rows in each region divided by
        the number of training rows (mean deficit times training share).

    p_value_ : float
        p-value of a Pearson chi-squared test of homogeneity of the counts
        of training and test rows per region (1.0 with a single occupied
        region). At or above 0.05 the deficits are taken for sampling noise
        and :meth:`allocate` hands out nothing.

    rows_needed_ : float
        ``n_test * sum(deficits_) / (1 - P)``, with ``P`` the share of the
        training rows whose density ratio is below 1 (``inf`` when ``P =
        1``): the rows that would bring the test mass where the test set
        lacks training mass up to the training mass there; 0 without a
        deficit or when ``p_value_ >= 0.05``. :meth:`allocate` never hands
        out more.

    n_features_in_ : int
        Number of encoded features seen during ``fit``.

    See Also
    --------
    HistogramRegions : Regions of one target column.

    Notes
    -----
    **Ratio range.** Ratios are clipped to ``[0, 1e4]``; deficits are in
    ``[0, 1]``: 0 where the test density is at least the training density,
    close to 1 where the test set has no mass at all (disjoint supports).

    **Clustering.** KMeans (fitted on at most 10,000 training rows drawn
    with ``random_state``, then used to assign every row) runs on the
    training rows with the deficit
    appended as one more column, weighted by the root total variance of the
    encoded training rows (``deficit_weight_``), so a full step of deficit
    counts as much as the typical spread of the features. Regions are thus
    compact in feature space *and* homogeneous in deficit, and :meth:`assign`
    of a generated row says how much it is needed, not only where it is.

    **No drift.** When the classifier cannot tell the samples apart, the
    ratios stay close to 1, the deficits close to 0, the region counts of
    the two samples differ only by sampling noise, and :meth:`allocate`
    hands out nothing (unless the test of ``p_value_`` errs, 5% of the time).

    Examples
    --------
    >>> import numpy as np
    >>> from skaug.drift import DensityRatioRegions
    >>> rng = np.random.default_rng(0)
    >>> train = rng.normal(size=(500, 2))
    >>> test = rng.normal(size=(500, 2)) + [1.5, 0.0]  # test lacks low x0
    >>> regions = DensityRatioRegions(n_regions=4, random_state=0)
    >>> regions = regions.fit(train, test)
    >>> allocation = regions.allocate(100)
    >>> int(allocation.sum())
    100
    >>> # the rows go to the regions of low x0, which the test set lacks
    >>> bool(regions.kmeans_.cluster_centers_[allocation.argmax(), 0] < 0)
    True
    """

    _parameter_constraints: dict = {
        "n_regions": [Interval(numbers.Integral, 1, None, closed="left")],
        "classifier": [HasMethods(["fit", "predict_proba"]), None],
        "random_state": ["random_state"],
    }

    def __init__(self, *, n_regions=10, classifier=None, random_state=None):
        self.n_regions = n_regions
        self.classifier = classifier
        self.random_state = random_state

    def fit(self, X_reference, X_current):
        """Fit the classifier, cluster the training rows, score the regions.

        Parameters
        ----------
        X_reference : array-like of shape (n_reference, n_features)
            Encoded training rows (e.g. :class:`~skaug.encoding.TabularEncoder`
            output): finite floats.
        X_current : array-like of shape (n_current, n_features)
            Encoded test rows, same columns.

        Returns
        -------
        self : object
            The fitted regions.
        """
        self._validate_params()
        X_ref = check_array(X_reference, dtype=np.float64, input_name="X_reference")
        X_cur = check_array(X_current, dtype=np.float64, input_name="X_current")
        self.n_features_in_ = X_ref.shape[1]
        self._check_width(X_cur, "X_current")
        n_ref, n_cur = X_ref.shape[0], X_cur.shape[0]
        rng = check_random_state(self.random_state)
        seed_clf, seed_km = rng.randint(_SEED_MAX, size=2)

        if self.classifier is None:
            classifier = make_pipeline(
                StandardScaler(), LogisticRegression(max_iter=1000)
            )
        else:
            classifier = clone(self.classifier)
            params = classifier.get_params(deep=False)
            if "random_state" in params and params["random_state"] is None:
                classifier.set_params(random_state=int(seed_clf))
        labels = np.r_[np.zeros(n_ref, dtype=np.int64), np.ones(n_cur, dtype=np.int64)]
        self.classifier_ = classifier.fit(np.vstack([X_ref, X_cur]), labels)
        self._prior = n_ref / n_cur
        self._test_column = int(np.flatnonzero(self.classifier_.classes_ == 1)[0])

        deficit = self.deficit(X_ref)
        spread = float(np.sqrt(X_ref.var(axis=0).sum()))
        self.deficit_weight_ = spread if spread > 0 else 1.0
        points = np.column_stack([X_ref, self.deficit_weight_ * deficit])
        if n_ref > _KMEANS_MAX_ROWS:
            sample = rng.choice(n_ref, size=_KMEANS_MAX_ROWS, replace=False)
            fit_points = points[np.sort(sample)]
        else:
            fit_points = points
        n_distinct = np.unique(fit_points, axis=0).shape[0]
        n_clusters = min(self.n_regions, n_distinct)
        self.kmeans_ = KMeans(
            n_clusters=n_clusters, n_init=1, random_state=int(seed_km)
        ).fit(fit_points)
        self.n_regions_ = n_clusters

        ref_ids = self.kmeans_.predict(points)
        cur_ids = self.assign(X_cur)
        self.train_share_ = np.bincount(ref_ids, minlength=n_clusters) / n_ref
        self.test_share_ = np.bincount(cur_ids, minlength=n_clusters) / n_cur
        self.deficits_ = (
            np.bincount(ref_ids, weights=deficit, minlength=n_clusters) / n_ref
        )
        self._set_needed(
            np.bincount(ref_ids, minlength=n_clusters),
            np.bincount(cur_ids, minlength=n_clusters),
            float(np.mean(deficit > 0)),
        )
        return self

    def _check_width(self, X, name):
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"{name} has {X.shape[1]} features, but DensityRatioRegions was "
                f"fitted on {self.n_features_in_} features: pass rows encoded "
                "like the training rows."
            )

    def _check(self, X, attribute):
        self._check_fitted(attribute)
        X = check_array(X, dtype=np.float64, ensure_min_samples=0)
        self._check_width(X, "X")
        return X

    def density_ratio(self, X):
        """Estimated ``p_test(x) / p_train(x)`` of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Encoded rows.

        Returns
        -------
        ratio : ndarray of shape (n_samples,)
            ``P(test|x) / P(train|x) * n_train / n_test``, clipped to
            ``[0, 1e4]``.
        """
        X = self._check(X, "classifier_")
        if X.shape[0] == 0:
            return np.empty(0, dtype=np.float64)
        proba = self.classifier_.predict_proba(X)[:, self._test_column]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = proba / (1.0 - proba) * self._prior
        ratio = np.where(np.isnan(ratio), MAX_DENSITY_RATIO, ratio)
        return np.clip(ratio, 0.0, MAX_DENSITY_RATIO)

    def deficit(self, X):
        """Deficit ``max(0, 1 - p_test(x) / p_train(x))`` of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Encoded rows.

        Returns
        -------
        deficit : ndarray of shape (n_samples,)
            In ``[0, 1]``.
        """
        return np.maximum(1.0 - self.density_ratio(X), 0.0)

    def assign(self, X):
        """The region (cluster) of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Encoded rows (training, test or generated).

        Returns
        -------
        regions : ndarray of shape (n_samples,), dtype intp
            Region ids in ``0..n_regions_-1`` (never -1).
        """
        X = self._check(X, "kmeans_")
        if X.shape[0] == 0:
            return np.empty(0, dtype=np.intp)
        points = np.column_stack([X, self.deficit_weight_ * self.deficit(X)])
        return self.kmeans_.predict(points).astype(np.intp)
