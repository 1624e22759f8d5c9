"""Deviation regions of one target column: quantile bins or levels."""

import numbers

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import Interval

from skaug.drift._regions import BaseRegions
from skaug.drift._samples import (
    as_series,
    float_with_nan,
    numeric_edges,
    objects,
    observed_pair,
    sample_pair,
)
from skaug.encoding._columns import sorted_levels


class HistogramRegions(BaseRegions):
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

    significance : float in (0, 1) or None, default=0.05
        Level of a Pearson chi-squared test of homogeneity of the region
        counts of the two samples: :meth:`allocate` hands out rows only when
        its p-value (``p_value_``) is below it, i.e. when the counts differ
        beyond sampling noise. ``None`` switches the test off (``p_value_``
        is still computed): every deficit is allocated, noise included.

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
        above ``significance`` the deficits are taken for sampling noise and
        :meth:`allocate` hands out nothing.

    rows_needed_ : float
        Rows that, added to the test set in the deficit regions, would bring
        its mass there up to the training mass:
        ``n_test * sum(deficits_) / (1 - P)``, with ``P`` the training share
        of the regions with a deficit (``inf`` when ``P = 1``); 0 without a
        deficit or when ``p_value_ >= significance``. :meth:`allocate` never
        hands out more.

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
    hands out rows only when ``p_value_ < significance`` (0.05).

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
        **BaseRegions._parameter_constraints,
        "n_regions": [Interval(numbers.Integral, 1, None, closed="left")],
        "categorical": ["boolean", None],
    }

    def __init__(self, *, n_regions=10, categorical=None, significance=0.05):
        self.n_regions = n_regions
        self.categorical = categorical
        self.significance = significance

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
        reference, current, as_levels = sample_pair(
            reference, current, self.categorical
        )
        if as_levels:
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
        values = np.concatenate([objects(reference), objects(current)])
        missing = np.asarray(pd.isna(values), dtype=bool)
        levels = sorted_levels(pd.unique(values[~missing]).tolist())
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
        (ref, ref_missing), (cur, cur_missing) = observed_pair(reference, current)
        edges, distinct = numeric_edges(ref, cur, self.n_regions)
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
        series = as_series(values, "values")
        if self.kind_ == "categorical":
            levels = objects(series)
            missing = np.asarray(pd.isna(levels), dtype=bool)
            ids = np.full(levels.shape[0], -1, dtype=np.intp)
            ids[~missing] = self._lookup.get_indexer(levels[~missing])
        else:
            floats = float_with_nan(series, "values")
            missing = np.isnan(floats)
            ids = np.searchsorted(self.edges_, floats, side="right").astype(np.intp)
        ids[missing] = -1 if self.missing_region_ is None else self.missing_region_
        return ids
