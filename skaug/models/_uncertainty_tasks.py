"""The classifier and regressor sides of the uncertainty nets.

:class:`UncertaintyClassifierMixin` encodes the labels, scores skorch's
validation accuracy on the encoded labels and predicts classes from the
MC-averaged probabilities; :class:`UncertaintyRegressorMixin` takes a 1-D float
target and predicts the MC mean (and standard deviation). Both sit on
:class:`~skaug.models._uncertainty.UncertaintyNetMixin`, which runs the passes.
"""

import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.utils._param_validation import StrOptions
from sklearn.utils._tags import ClassifierTags, RegressorTags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from skorch.callbacks import EpochScoring

from skaug.models._mc_passes import (
    CLASSIFIER_METRICS,
    REGRESSOR_METRICS,
    classification_uncertainty,
    regression_uncertainty,
)
from skaug.models._uncertainty import UncertaintyNetMixin
from skaug.utils._validation import check_labels

__all__ = ["UncertaintyClassifierMixin", "UncertaintyRegressorMixin"]


def _encoded_accuracy(net, X, y):
    """Accuracy of ``net`` against labels encoded as indices into ``classes_``."""
    return accuracy_score(np.asarray(y), net.predict_proba(X).argmax(axis=1))


class UncertaintyClassifierMixin(UncertaintyNetMixin):
    """Classifier side: label encoding, ``predict_proba``, ``predict``."""

    _y_numeric = False
    _metric_names = CLASSIFIER_METRICS

    @staticmethod
    def _uncertainty(passes, metric):
        return classification_uncertainty(passes, metric)

    @property
    def classes_(self):
        try:
            return self.classes_inferred_
        except AttributeError:
            raise AttributeError(
                f"{type(self).__name__} is not fitted yet: it has no 'classes_'."
            ) from None

    def _n_outputs(self):
        return len(self.classes_)

    def _check_y(self, y, *, reset, classes=None):
        check_classification_targets(y)
        y = check_labels(y)
        if reset:
            declared = classes if classes is not None else self.classes
            if declared is not None and len(declared):
                labels = np.unique(check_labels(declared, name="classes"))
            else:
                labels = np.unique(y)
            if len(labels) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs at least 2 classes to fit; y "
                    f"contains only one class: {labels.tolist()}."
                )
            self.classes_inferred_ = labels
        labels = self.classes_
        unknown = ~np.isin(y, labels)
        if unknown.any():
            raise ValueError(
                f"y contains labels that are not among the classes {labels.tolist()}: "
                f"{np.unique(y[unknown]).tolist()}."
            )
        return np.searchsorted(labels, y).astype(np.int64)

    def check_data(self, X, y):
        # fit has checked the data and set classes_; skorch's version would
        # overwrite classes_ with the encoded labels.
        pass

    @property
    def _default_callbacks(self):
        # skorch's valid_acc compares predict() with the labels of its
        # validation dataset, which fit has encoded as 0..n_classes-1.
        callbacks = dict(super()._default_callbacks)
        callbacks["valid_acc"] = EpochScoring(
            _encoded_accuracy, name="valid_acc", lower_is_better=False
        )
        return list(callbacks.items())

    def predict_proba(self, X):
        """Class probabilities: the mean of ``n_mc_samples`` stochastic passes.

        Reproducible for an int ``random_state``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numeric input, without missing values.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes), dtype float64
            Columns follow ``classes_``.
        """
        return self._predict_mc(X, n_samples=self._n_passes())[0]

    def predict_proba_uncertainty(self, X, *, n_samples=None, metric=None):
        """:meth:`predict_proba` and :meth:`predict_uncertainty` from the
        same stochastic passes (half the cost of calling both).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numeric input, without missing values.
        n_samples : int, default=None
            Number of Monte Carlo passes; ``None`` uses ``n_mc_samples``.
        metric : str, default=None
            Uncertainty metric; ``None`` uses ``uncertainty_metric``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes), dtype float64
        uncertainty : ndarray of shape (n_samples,), dtype float64
        """
        n_samples, metric = self._n_passes(n_samples), self._metric(metric)
        return self._predict_mc(X, n_samples=n_samples, metric=metric)

    def predict(self, X):
        """Most probable class under the MC-averaged probabilities.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numeric input, without missing values.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_`` (their original dtype).
        """
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # ClassifierMixin's semantics, stated explicitly rather than left to
        # the order of skorch's bases: scorers and CV splitters rely on them.
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        tags.regressor_tags = None
        tags.target_tags.required = True
        tags.input_tags.allow_nan = False
        return tags


class UncertaintyRegressorMixin(UncertaintyNetMixin):
    """Regressor side: 1-D float target, ``predict(X, return_std=False)``."""

    _y_numeric = True
    _metric_names = REGRESSOR_METRICS
    _parameter_constraints: dict = {
        **UncertaintyNetMixin._parameter_constraints,
        "uncertainty_metric": [StrOptions(set(REGRESSOR_METRICS))],
    }

    @staticmethod
    def _uncertainty(passes, metric):
        return regression_uncertainty(passes, metric)

    def _validate_own_params(self):
        if self.uncertainty_metric == "bald":
            self._check_metric(self.uncertainty_metric, "uncertainty_metric")
        super()._validate_own_params()

    def _n_outputs(self):
        return 1

    def _check_y(self, y, *, reset, classes=None):
        return np.asarray(y, dtype=np.float32).reshape(-1, 1)

    def predict(self, X, return_std=False):
        """Mean prediction over ``n_mc_samples`` stochastic passes.

        Reproducible for an int ``random_state``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numeric input, without missing values.
        return_std : bool, default=False
            Also return the standard deviation across the passes (the
            epistemic part of the predictive uncertainty).

        Returns
        -------
        y_mean : ndarray of shape (n_samples,), dtype float64
            Mean prediction.
        y_std : ndarray of shape (n_samples,), dtype float64
            Standard deviation across passes; only when ``return_std=True``.
        """
        mean, std = self._predict_mc(X, n_samples=self._n_passes(), std=return_std)
        if return_std:
            return mean[:, 0], std[:, 0]
        return mean[:, 0]

    @available_if(lambda self: False)
    def predict_proba(self, X):
        """Not available for a regressor: use ``predict(X, return_std=True)``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.classifier_tags = None
        tags.regressor_tags = RegressorTags()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = False
        return tags
