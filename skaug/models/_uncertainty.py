"""Shared logic of the uncertainty nets (MC dropout and Bayes by backprop).

The four public nets differ only in their module
(:class:`~skaug.models._uncertainty_modules.MLP` or
:class:`~skaug.models._uncertainty_modules.BayesMLP`), in the KL term that the
Bayesian ones add to the loss, and in classification versus regression.
Everything else lives here, once:

* input checks and the pieces of data that the module needs (``n_features``,
  ``n_outputs``), label encoding for the classifiers;
* seeded training (:meth:`SkaugNetMixin._seeded`) and seeded prediction;
* the Monte Carlo passes: a chunk of rows is replicated ``n_samples`` times and
  sent through the module in *one* forward call, so that the passes are
  vectorised; chunks keep at most :data:`MAX_ROWS_PER_FORWARD` rows per call;
* the uncertainty metrics, written once as torch functions: they run under
  :func:`torch.no_grad` in ``predict_uncertainty`` and inside the autograd
  graph in ``uncertainty_tensor``.
"""

import math
from numbers import Integral, Real

import numpy as np
import pandas as pd
import torch
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from sklearn.metrics import accuracy_score
from sklearn.utils._param_validation import (
    Interval,
    Options,
    StrOptions,
)
from sklearn.utils._tags import ClassifierTags, RegressorTags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch.callbacks import EpochScoring
from skorch.utils import data_from_dataset, is_dataset

from skaug.models._base import SkaugNetMixin
from skaug.utils._random import manual_seed, torch_seed
from skaug.utils._validation import check_labels

#: Upper bound on rows x passes sent through the module in one forward call.
MAX_ROWS_PER_FORWARD = 2**20

CLASSIFIER_METRICS = ("variance", "entropy", "bald")
REGRESSOR_METRICS = ("variance", "entropy")

# Floor of the predictive variance in the Gaussian entropy (a net with no
# dropout, or a single pass, has zero variance).
_VAR_FLOOR = 1e-12


# --------------------------------------------------------------------------
# uncertainty metrics on a stack of passes, shape (n_samples, n_rows, n_outputs)
# --------------------------------------------------------------------------


def _entropy(proba):
    """Entropy (nats) over the last axis; ``0 * log 0`` counts as 0."""
    tiny = torch.finfo(proba.dtype).tiny
    return -(proba * torch.log(proba.clamp_min(tiny))).sum(dim=-1)


def classification_uncertainty(proba, metric):
    """Per-row uncertainty from stacked class probabilities.

    Parameters
    ----------
    proba : torch.Tensor of shape (n_samples, n_rows, n_classes)
        Class probabilities of each stochastic pass.
    metric : {"variance", "entropy", "bald"}
        ``"variance"``: mean over classes of the variance across passes;
        ``"entropy"``: entropy of the mean prediction;
        ``"bald"``: entropy of the mean minus the mean entropy (mutual
        information between the prediction and the weights).

    Returns
    -------
    torch.Tensor of shape (n_rows,)
    """
    if metric == "variance":
        return proba.var(dim=0, correction=0).mean(dim=-1)
    entropy_of_mean = _entropy(proba.mean(dim=0))
    if metric == "entropy":
        return entropy_of_mean
    # Jensen makes it >= 0; clamp the rounding error.
    return (entropy_of_mean - _entropy(proba).mean(dim=0)).clamp_min(0.0)


def regression_uncertainty(pred, metric):
    """Per-row uncertainty from stacked regression outputs.

    Parameters
    ----------
    pred : torch.Tensor of shape (n_samples, n_rows, n_outputs)
        Predictions of each stochastic pass.
    metric : {"variance", "entropy"}
        ``"variance"``: variance across passes (averaged over outputs);
        ``"entropy"``: entropy of a Gaussian with that variance,
        ``0.5 * log(2 * pi * e * var)`` (the variance floored at 1e-12).

    Returns
    -------
    torch.Tensor of shape (n_rows,)
    """
    var = pred.var(dim=0, correction=0).mean(dim=-1)
    if metric == "variance":
        return var
    return 0.5 * torch.log((2 * math.pi * math.e) * var.clamp_min(_VAR_FLOOR))


# --------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------


def _check_numeric_frame(X, name):
    if not isinstance(X, pd.DataFrame):
        return
    bad = [
        str(col)
        for col, dtype in X.dtypes.items()
        if not (is_numeric_dtype(dtype) or is_bool_dtype(dtype))
    ]
    if bad:
        raise ValueError(
            f"{name} needs numeric input; column(s) {bad} are not numeric. Encode "
            "them first, e.g. with skaug.encoding.TabularEncoder or a "
            "OneHotEncoder in a Pipeline."
        )


def _check_finite(X, name):
    """NaN and ±inf get their own messages (``validate_data`` is told not to)."""
    if np.isnan(X).any():
        raise ValueError(
            f"Input X contains NaN. {name} needs complete numeric input: impute "
            "the missing values first (e.g. sklearn.impute.SimpleImputer in a "
            "Pipeline) or encode them with skaug.encoding.TabularEncoder, which "
            "adds missing-value indicators."
        )
    if np.isinf(X).any():
        raise ValueError(
            f"Input X contains infinity (inf or -inf), or a value too large for "
            f"float32. {name} needs finite input: drop or clip those values."
        )


def _check_n_samples(value, name):
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be an int >= 1; got {value!r}.")
    return int(value)


class UncertaintyNetMixin(SkaugNetMixin):
    """Monte Carlo passes, metrics, seeding and input checks of the nets.

    Put it before the skorch net in the bases. Subclasses set
    ``_metric_names`` and ``_uncertainty`` (a function of the stacked passes and
    the metric name), ``_n_outputs()`` and ``_check_y``.
    """

    _parameter_constraints: dict = {
        "n_mc_samples": [Interval(Integral, 1, None, closed="left")],
        "uncertainty_metric": [StrOptions(set(CLASSIFIER_METRICS))],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        # skorch reads batch_size=-1 as "the whole data set"
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            Options(Integral, {-1}),
        ],
        "random_state": ["random_state"],
    }
    _metric_names = CLASSIFIER_METRICS

    # ---- parameters --------------------------------------------------------

    # ---- data ------------------------------------------------------------

    def _data_dependent_params(self, prefix):
        if prefix != "module" or not hasattr(self, "n_features_in_"):
            return {}
        return {"n_features": self.n_features_in_, "n_outputs": self._n_outputs()}

    _check_params = {"dtype": np.float32, "ensure_all_finite": False}

    def _check_X(self, X):
        """Validate X for prediction (n_features_in_, names) as float32.

        A skorch dataset (the validation data that skorch's scoring callbacks
        pass to ``predict``) is unpacked first.
        """
        if is_dataset(X):
            try:
                X, _ = data_from_dataset(X)
            except AttributeError:
                raise TypeError(
                    f"{type(self).__name__} predicts from arrays, DataFrames and "
                    f"skorch datasets holding X and y; got {type(X).__name__}."
                ) from None
        _check_numeric_frame(X, type(self).__name__)
        X = validate_data(self, X, reset=False, **self._check_params)
        _check_finite(X, type(self).__name__)
        return X

    def _check_fit_data(self, X, y, *, reset, classes=None):
        """Validate X as float32 and y (``y=None`` raises "requires y")."""
        _check_numeric_frame(X, type(self).__name__)
        X, y = validate_data(
            self, X, y, reset=reset, y_numeric=self._y_numeric, **self._check_params
        )
        _check_finite(X, type(self).__name__)
        return X, self._check_y(y, reset=reset, classes=classes)

    # ---- training --------------------------------------------------------

    def fit(self, X, y, **fit_params):
        """Initialise the net and train it on ``(X, y)``.

        The module is (re)initialised unless ``warm_start=True`` and the net is
        already initialised. Initialisation and training run with torch's RNG
        forked and seeded from ``random_state``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numeric training data, without missing values; cast to float32.
        y : array-like of shape (n_samples,)
            Target values.
        **fit_params : dict
            Passed to skorch (the module's ``forward`` and ``train_split``).

        Returns
        -------
        self : object
            The fitted net.
        """
        reset = not (self.warm_start and self.initialized_)
        self._validate_own_params()
        X, y = self._check_fit_data(X, y, reset=reset)
        with self._seeded():
            if reset:
                self.initialize()
            super().partial_fit(X, y, _routing_method="fit", **fit_params)
        return self

    def partial_fit(self, X, y, classes=None, **fit_params):
        """Train the net for ``max_epochs`` more epochs, without reinitialising.

        The first call initialises the net (and, for a classifier, fixes
        ``classes_`` from ``classes`` or ``y``).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numeric training data, without missing values.
        y : array-like of shape (n_samples,)
            Target values.
        classes : array-like of shape (n_classes,), default=None
            All the labels a classifier will see, for the first call; ignored
            afterwards and by regressors.
        **fit_params : dict
            Passed to skorch (the module's ``forward`` and ``train_split``).

        Returns
        -------
        self : object
            The fitted net.
        """
        reset = not self.initialized_
        self._validate_own_params()
        X, y = self._check_fit_data(X, y, reset=reset, classes=classes)
        with self._seeded():
            if reset:
                self.initialize()
            super().partial_fit(X, y, **fit_params)
        return self

    # ---- Monte Carlo passes ---------------------------------------------

    def _n_passes(self, n_samples=None):
        if n_samples is None:
            return _check_n_samples(self.n_mc_samples, "n_mc_samples")
        return _check_n_samples(n_samples, "n_samples")

    def _metric(self, metric=None):
        if metric is None:
            self._check_metric(self.uncertainty_metric, "uncertainty_metric")
            return self.uncertainty_metric
        self._check_metric(metric, "metric")
        return metric

    def _check_metric(self, metric, name):
        if metric in self._metric_names:
            return
        if metric == "bald":
            raise ValueError(
                f"{name}='bald' (mutual information between the predicted class "
                f"and the weights) is defined for classifiers; "
                f"{type(self).__name__} supports {list(self._metric_names)}."
            )
        raise ValueError(
            f"{name} must be one of {list(self._metric_names)}; got {metric!r}."
        )

    def _mc_passes(self, X, n_samples, reduce):
        """Run the Monte Carlo passes over ``X`` and ``reduce`` them per chunk.

        ``X`` is a float32 tensor (any device). Each chunk of rows is moved to
        ``self.device``, replicated as ``(n_samples, n_chunk, n_features)`` and
        sent through the module in one forward call; the stochastic layers
        draw one network per pass (see :mod:`skaug.models._modules`). The
        predict nonlinearity (softmax for the classifiers) is applied to every
        pass and ``reduce`` gets the stack ``(n_samples, n_chunk, n_outputs)``.

        One seed is drawn from torch's global RNG (advancing it once) and every
        chunk is run with the RNG reseeded from it, in a forked RNG: all chunks
        see the same ``n_samples`` networks, so a row's result does not depend
        on the other rows nor on the chunking.

        Returns the list of the reduced chunks.
        """
        nonlin = self._get_predict_nonlinearity()
        self._set_training(False)  # the stochastic layers ignore the mode
        seed = int(torch.randint(np.iinfo(np.int32).max, ()))
        n_rows = X.shape[0]
        chunk = max(1, MAX_ROWS_PER_FORWARD // n_samples)
        results = []
        with torch_seed(seed, self.device):
            for start in range(0, max(n_rows, 1), chunk):
                manual_seed(seed, self.device)
                Xb = X[start : start + chunk].to(self.device)
                out = self.infer(Xb.expand(n_samples, *Xb.shape))
                out = out[0] if isinstance(out, tuple) else out
                results.append(reduce(nonlin(out).reshape(n_samples, Xb.shape[0], -1)))
        return results

    def _predict_mc(self, X, *, n_samples, metric=None, std=False):
        """Mean prediction and, optionally, uncertainty or std (float64 arrays).

        Runs seeded (a fresh seed drawn from ``random_state``) and without
        gradients.
        """
        check_is_fitted(self)
        X = np.ascontiguousarray(self._check_X(X))
        # torch.from_numpy warns on read-only arrays (e.g. memory maps)
        X = torch.from_numpy(X if X.flags.writeable else X.copy())

        def reduce(passes):
            mean = passes.double().mean(dim=0).cpu().numpy()
            if metric is not None:
                extra = self._uncertainty(passes, metric)
            elif std:
                extra = passes.double().std(dim=0, correction=0)
            else:
                return mean, None
            return mean, extra.double().cpu().numpy()

        with self._seeded(), torch.no_grad():
            means, extras = zip(*self._mc_passes(X, n_samples, reduce))
        extra = None if extras[0] is None else np.concatenate(extras)
        return np.concatenate(means), extra

    def predict_uncertainty(self, X, *, n_samples=None, metric=None):
        """Uncertainty score of each row, from ``n_samples`` stochastic passes.

        Higher means more uncertain. Reproducible for an int ``random_state``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numeric input, without missing values.
        n_samples : int, default=None
            Number of Monte Carlo passes; ``None`` uses ``n_mc_samples``.
        metric : str, default=None
            Uncertainty metric (see ``uncertainty_metric``); ``None`` uses
            ``uncertainty_metric``.

        Returns
        -------
        uncertainty : ndarray of shape (n_samples,), dtype float64
            The score of each row.
        """
        n_samples, metric = self._n_passes(n_samples), self._metric(metric)
        return self._predict_mc(X, n_samples=n_samples, metric=metric)[1]

    def uncertainty_tensor(self, X, *, n_samples=None, metric=None):
        """Differentiable uncertainty of each row of a tensor.

        The same computation as :meth:`predict_uncertainty`, kept inside the
        autograd graph (no :func:`torch.no_grad`), so that a loss built on it
        back-propagates to ``X`` (and to the net's weights unless the caller
        froze them). The noise comes from torch's global RNG: run it inside
        your own seeded block (e.g. the fit of the generator that calls it) for
        reproducibility (it advances that RNG by one draw and leaves it
        otherwise untouched). Under the same RNG state, the result equals
        :meth:`predict_uncertainty` in float32. The net's modules are put in
        evaluation mode.

        Parameters
        ----------
        X : torch.Tensor of shape (n_samples, n_features)
            Float32 input on ``self.device``, already numeric and encoded.
        n_samples : int, default=None
            Number of Monte Carlo passes; ``None`` uses ``n_mc_samples``.
        metric : str, default=None
            Uncertainty metric; ``None`` uses ``uncertainty_metric``.

        Returns
        -------
        uncertainty : torch.Tensor of shape (n_samples,)
            On the device of the module, attached to the graph.
        """
        check_is_fitted(self)
        n_samples, metric = self._n_passes(n_samples), self._metric(metric)
        if not isinstance(X, torch.Tensor):
            raise TypeError(
                f"uncertainty_tensor expects a torch.Tensor; got {type(X).__name__}. "
                "Use predict_uncertainty for arrays and DataFrames."
            )
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X must have shape (n_samples, {self.n_features_in_}); got "
                f"{tuple(X.shape)}."
            )
        parts = self._mc_passes(
            X, n_samples, lambda passes: self._uncertainty(passes, metric)
        )
        return torch.cat(parts)


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


class VariationalLossMixin:
    """Adds ``kl_weight * module_.kl() / n_train_samples_`` to the training loss.

    Blundell et al. (2015) minimise, per minibatch of a dataset split into M
    batches, ``KL / M + sum of the batch's negative log likelihoods``. Dividing
    by the batch size B (skorch's criteria take the *mean* over the batch)
    gives ``KL / (M * B) + mean NLL = KL / n_train + mean NLL``: the same
    objective, on the scale of the data loss. ``kl_weight`` rescales the KL
    term (1 is the ELBO; smaller values fit the data more tightly and shrink
    the uncertainty).
    """

    _parameter_constraints: dict = {
        "kl_weight": [Interval(Real, 0.0, None, closed="left")],
    }

    def get_split_datasets(self, X, y=None, **fit_params):
        dataset_train, dataset_valid = super().get_split_datasets(X, y, **fit_params)
        self.n_train_samples_ = len(dataset_train)
        return dataset_train, dataset_valid

    def get_loss(self, y_pred, y_true, X=None, training=False):
        loss = super().get_loss(y_pred, y_true, X=X, training=training)
        if not training or self.kl_weight == 0:
            return loss
        kl = getattr(self.module_, "kl", None)
        if kl is None:
            raise TypeError(
                f"{type(self).__name__} needs a module with a kl() method (e.g. "
                f"BayesMLP); got {type(self.module_).__name__}."
            )
        return loss + self.kl_weight * kl() / self.n_train_samples_
