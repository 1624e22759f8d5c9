"""Shared logic of the uncertainty nets (MC dropout and Bayes by backprop).

The four public nets differ only in their module
(:class:`~skaug.models._uncertainty_modules.MLP` or
:class:`~skaug.models._uncertainty_modules.BayesMLP`), in the KL term that the
Bayesian ones add to the loss (:class:`VariationalLossMixin`), and in
classification versus regression (:class:`UncertaintyClassifierMixin`,
:class:`UncertaintyRegressorMixin`). Everything else lives in
:class:`UncertaintyNetMixin`, once:

* the parameters and defaults they share (a public net names only its module,
  its criterion and its own new parameters, as skorch's
  ``NeuralNetClassifier`` does);
* input checks and the pieces of data that the module needs (``n_features``,
  ``n_outputs``), label encoding for the classifiers;
* seeded training (:meth:`SkaugNetMixin._seeded`) and seeded prediction;
* the Monte Carlo passes, run by :func:`~skaug.models._mc_passes.run_mc_passes`
  in the stacked layout, and their uncertainty metrics.
"""

from numbers import Integral, Real

import numpy as np
import pandas as pd
import torch
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch.utils import data_from_dataset, is_dataset

from skaug.models._base import SkaugNetMixin
from skaug.models._mc_passes import (
    CLASSIFIER_METRICS,
    classification_uncertainty,
    run_mc_passes,
)
from skaug.utils._random import SEED_MAX

# CLASSIFIER_METRICS and classification_uncertainty (defined in _mc_passes) are
# also read from here by skaug.callbacks.
__all__ = ["CLASSIFIER_METRICS", "UncertaintyNetMixin", "classification_uncertainty"]


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
    the metric name), ``_n_outputs()`` and ``_check_y``; their ``__init__``
    names the module and the criterion and passes the rest on.
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

    def __init__(
        self,
        module,
        *,
        lr=1e-3,
        max_epochs=100,
        batch_size=128,
        n_mc_samples=20,
        uncertainty_metric="variance",
        **kwargs,
    ):
        self.n_mc_samples = n_mc_samples
        self.uncertainty_metric = uncertainty_metric
        super().__init__(
            module, lr=lr, max_epochs=max_epochs, batch_size=batch_size, **kwargs
        )

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

        ``X`` is a float32 tensor (any device). The passes run in the stacked
        layout of :func:`~skaug.models._mc_passes.run_mc_passes`: the
        stochastic layers draw one network per pass, and every chunk is run
        with the same seed, drawn from torch's global RNG (advancing it once).
        All chunks thus see the same ``n_samples`` networks, so a row's result
        does not depend on the other rows nor on the chunking.

        Returns the list of the reduced chunks.
        """
        self._set_training(False)  # the stochastic layers ignore the mode
        seed = int(torch.randint(SEED_MAX, ()))
        return run_mc_passes(
            self, X, n_passes=n_samples, seed=seed, reduce=reduce, layout="stacked"
        )

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
