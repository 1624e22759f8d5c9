"""Deviation regions: where the test set lacks training mass, and how many rows go.

The deficit of a point ``x`` is ``max(0, 1 - p_test(x) / p_train(x))``: the
share of the training density at ``x`` that the test set lacks. Integrated over
a region ``r`` against the training distribution it gives the region's deficit

.. math:: d_r = \\int_r \\max(0, p_{train}(x) - p_{test}(x)) \\, dx

estimated either from the counts of training and test rows in ``r``,
``max(0, p_train(r) - p_test(r))`` (both region finders' default), or as
the sum of the deficits of the training rows in ``r`` divided by the number
of training rows (``DensityRatioRegions(region_deficit="density_ratio")``;
it saturates when the samples barely overlap). Synthetic rows drawn from the
training distribution and allocated in proportion to ``d_r`` fill the gaps of
the test set, which is what lowers ``drift(train, test ∪ synthetic)``.

Two ways to find the regions share one small API (``fit(reference,
current)``, ``assign``, ``deficits_``, ``allocate(budget)``), defined here by
:class:`BaseRegions`: :class:`~skaug.drift.HistogramRegions` bins one target
column (or its levels), and :class:`~skaug.drift.DensityRatioRegions` clusters
the encoded training rows and scores them with a train-vs-test classifier.
"""

import inspect
import numbers

import numpy as np
from scipy.stats import chi2_contingency
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import (
    Interval,
    validate_parameter_constraints,
)

from skaug.utils._allocation import split_proportionally

# Total deficits at or below this are "no deficit" (allocate gives zeros).
_DEFICIT_TOL = 1e-9


def _rows_needed(n_current, deficit, train_mass_in_deficit):
    """Rows to add to the current sample so that its mass in the deficit
    regions reaches the training mass there: ``n * D / (1 - P_def)``."""
    if deficit <= _DEFICIT_TOL:
        return 0.0
    spare = 1.0 - train_mass_in_deficit
    if spare <= 1e-12:
        return float("inf")
    return float(n_current * deficit / spare)


class BaseRegions:
    """Shared parts of the region finders.

    They are not scikit-learn estimators (``fit`` takes two samples, not
    ``X, y``), so they do not derive from ``BaseEstimator`` and the common
    estimator checks do not apply; they still follow its conventions:
    ``__init__`` only stores, parameters are checked in ``fit`` against
    ``_parameter_constraints``, and ``get_params`` / ``set_params`` make them
    clonable.
    """

    _parameter_constraints: dict = {
        "significance": [Interval(numbers.Real, 0, 1, closed="neither"), None],
    }

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
        if self.significance is not None and self.p_value_ >= self.significance:
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
        significance``). No deficit, or no significant one, gives zeros.

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
