"""Multivariate deviation regions from a train-vs-test classifier."""

import numbers

import numpy as np
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_array

from skaug.drift._regions import BaseRegions
from skaug.utils._random import SEED_MAX

# Density ratios p_test / p_train are clipped to [0, MAX_DENSITY_RATIO].
MAX_DENSITY_RATIO = 1e4
# KMeans is fitted on at most this many training rows (all rows are assigned).
_KMEANS_MAX_ROWS = 10_000


class DensityRatioRegions(BaseRegions):
    """Multivariate deviation regions from a train-vs-test classifier.

    A probabilistic classifier learns to tell test rows (label 1) from
    training rows (label 0). By Bayes' rule its odds give the density ratio

    .. math:: \\frac{p_{test}(x)}{p_{train}(x)} =
        \\frac{P(test | x)}{P(train | x)} \\cdot \\frac{n_{train}}{n_{test}}

    and each training row gets the deficit ``max(0, 1 - ratio)``. The
    training rows are then clustered into ``n_regions`` regions, compact in
    feature space and homogeneous in deficit, and a region's deficit is
    ``max(0, train_share - test_share)``: the share of the training rows it
    holds beyond its share of the test rows (``region_deficit="counts"``).

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
        a calibration step; it is cheap next to the generator even on large
        tables (timings in :ref:`bench_drift`) and, being a low-capacity
        model, its in-sample probabilities are barely biased, so no
        cross-fitting is needed. Pass e.g. a
        ``HistGradientBoostingClassifier`` to capture non-linear shifts
        (variance changes, interactions).

    region_deficit : {"counts", "density_ratio"}, default="counts"
        How a region's deficit is scored. ``"counts"``: from the rows in it,
        ``max(0, train_share - test_share)``, as
        :class:`HistogramRegions` does. ``"density_ratio"``: the sum of the
        deficits of its training rows over the number of training rows
        (mean deficit times training share), the integral of
        ``max(0, p_train - p_test)`` over the region if the ratios were
        exact. They are not when the samples overlap little: the classifier
        then separates them almost perfectly, the ratio is near 0 at nearly
        every training row, every deficit is near 1, and the allocation
        follows the training mass instead of what the test set lacks (a
        region holding 13 % of the training rows and 50 % of the test rows
        still gets rows). Counts do not saturate, so ``"counts"`` is the
        default (measurements in :ref:`bench_drift_real`); the per-row
        deficits still shape the regions.

    random_state : int, RandomState instance or None, default=None
        Seeds KMeans and the classifier (when it has a ``random_state``).
        Pass an int for reproducible regions.

    significance : float in (0, 1) or None, default=0.05
        Level of a Pearson chi-squared test of homogeneity of the region
        counts of the two samples: :meth:`allocate` hands out rows only when
        its p-value (``p_value_``) is below it, i.e. when the counts differ
        beyond sampling noise. ``None`` switches the test off (``p_value_``
        is still computed): every deficit is allocated, noise included.

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
        ``max(0, train_share_ - test_share_)``; with
        ``region_deficit="density_ratio"``, the sum of the deficits of the
        training rows in each region divided by the number of training rows.

    p_value_ : float
        p-value of a Pearson chi-squared test of homogeneity of the counts
        of training and test rows per region (1.0 with a single occupied
        region). At or above ``significance`` the deficits are taken for
        sampling noise and :meth:`allocate` hands out nothing.

    rows_needed_ : float
        ``n_test * sum(deficits_) / (1 - P)``, with ``P`` the training share
        of the regions with a deficit (with ``region_deficit=
        "density_ratio"``: the share of the training rows whose density
        ratio is below 1; ``inf`` when ``P = 1``): the rows that would bring
        the test mass where the test set lacks training mass up to the
        training mass there; 0 without a deficit or when ``p_value_ >=
        significance``. :meth:`allocate` never hands out more.

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
    hands out nothing (unless the test of ``p_value_`` errs, about
    ``significance`` of the time).

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
        **BaseRegions._parameter_constraints,
        "n_regions": [Interval(numbers.Integral, 1, None, closed="left")],
        "classifier": [HasMethods(["fit", "predict_proba"]), None],
        "region_deficit": [StrOptions({"counts", "density_ratio"})],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        n_regions=10,
        classifier=None,
        region_deficit="counts",
        random_state=None,
        significance=0.05,
    ):
        self.n_regions = n_regions
        self.classifier = classifier
        self.region_deficit = region_deficit
        self.random_state = random_state
        self.significance = significance

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
        rng = check_random_state(self.random_state)
        seed_clf, seed_km = rng.randint(SEED_MAX, size=2)
        self._fit_classifier(X_ref, X_cur, int(seed_clf))
        deficit = self.deficit(X_ref)
        ref_ids = self._cluster(X_ref, deficit, rng, int(seed_km))
        self._score(ref_ids, self.assign(X_cur), deficit)
        return self

    def _fit_classifier(self, X_ref, X_cur, seed):
        """Fit the train-vs-test classifier behind :meth:`density_ratio`."""
        if self.classifier is None:
            classifier = make_pipeline(
                StandardScaler(), LogisticRegression(max_iter=1000)
            )
        else:
            classifier = clone(self.classifier)
            params = classifier.get_params(deep=False)
            if "random_state" in params and params["random_state"] is None:
                classifier.set_params(random_state=seed)
        n_ref, n_cur = X_ref.shape[0], X_cur.shape[0]
        labels = np.r_[np.zeros(n_ref, dtype=np.int64), np.ones(n_cur, dtype=np.int64)]
        self.classifier_ = classifier.fit(np.vstack([X_ref, X_cur]), labels)
        self._prior = n_ref / n_cur
        self._test_column = int(np.flatnonzero(self.classifier_.classes_ == 1)[0])

    def _cluster(self, X_ref, deficit, rng, seed):
        """KMeans on the training rows and their weighted deficit; returns the
        region of every training row."""
        n_ref = X_ref.shape[0]
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
        self.kmeans_ = KMeans(n_clusters=n_clusters, n_init=1, random_state=seed).fit(
            fit_points
        )
        self.n_regions_ = n_clusters
        return self.kmeans_.predict(points)

    def _score(self, ref_ids, cur_ids, deficit):
        """Shares, deficits and the rows needed, from the regions' counts (or
        the rows' deficits, with ``deficit="density_ratio"``)."""
        n_clusters = self.n_regions_
        ref_counts = np.bincount(ref_ids, minlength=n_clusters)
        cur_counts = np.bincount(cur_ids, minlength=n_clusters)
        self.train_share_ = ref_counts / len(ref_ids)
        self.test_share_ = cur_counts / len(cur_ids)
        if self.region_deficit == "counts":
            self.deficits_ = np.maximum(self.train_share_ - self.test_share_, 0.0)
            lacking = float(self.train_share_[self.deficits_ > 0].sum())
        else:
            self.deficits_ = np.bincount(
                ref_ids, weights=deficit, minlength=n_clusters
            ) / len(ref_ids)
            lacking = float(np.mean(deficit > 0))
        self._set_needed(ref_counts, cur_counts, lacking)

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

        Below 1 where the test set has less mass than the training set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Encoded rows.

        Returns
        -------
        ratio : ndarray of shape (n_samples,)
            ``P(test|x) / P(train|x) * n_train / n_test`` from the fitted
            classifier, clipped to ``[0, 1e4]``.
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
            In ``[0, 1]``: the share of the training density at each row that
            the test set lacks; 0 where the test density is at least the
            training density.
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
