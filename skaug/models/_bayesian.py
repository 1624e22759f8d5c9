"""Bayesian nets trained by Bayes by backprop (Blundell et al., 2015)."""

from numbers import Real

import torch
from sklearn.utils._param_validation import Interval
from skorch import NeuralNetClassifier, NeuralNetRegressor

from skaug.models._docstrings import fill_doc, uncertainty_net_docs
from skaug.models._uncertainty_modules import BayesMLP
from skaug.models._uncertainty_tasks import (
    UncertaintyClassifierMixin,
    UncertaintyRegressorMixin,
)


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


@fill_doc(**uncertainty_net_docs(bayesian=True, classifier=True))
class BayesianClassifier(
    VariationalLossMixin, UncertaintyClassifierMixin, NeuralNetClassifier
):
    """Bayesian neural-net classifier trained by Bayes by backprop.

    A skorch :class:`~skorch.classifier.NeuralNetClassifier` whose weights have
    a factorised Gaussian posterior (Blundell et al., 2015). Every forward pass
    draws new weights, so ``predict_proba`` averages ``n_mc_samples`` draws
    from the approximate posterior predictive and ``predict_uncertainty``
    scores each row by the spread of those draws. Same interface as
    :class:`MCDropoutClassifier`.

    Read more in the :ref:`User Guide <uncertainty_models>`.

    Parameters
    ----------
    module : torch module class, default=BayesMLP
        The network, passed as a class and configured with ``module__*``
        arguments, e.g. ``module__hidden_units=(64, 64)`` and
        ``module__prior_sigma=1.0`` for the default :class:`BayesMLP`. The net
        sets ``n_features`` and ``n_outputs`` (the number of classes) from the
        data. The module returns logits and must have a ``kl()`` method giving
        the KL divergence from its posterior to its prior.
    criterion : torch criterion class, default=torch.nn.CrossEntropyLoss
        Data term of the loss, on the logits; the predictions apply the softmax.
    {shared_sections}

    See Also
    --------
    BayesianRegressor : The same for regression.
    MCDropoutClassifier : Cheaper uncertainty from dropout.
    skaug.UncertaintySampler : Uses an uncertainty net to guide synthetic
        sampling.

    Notes
    -----
    Blundell et al. minimise, for each of the M minibatches of an epoch,
    ``KL / M`` plus the *summed* negative log likelihood of the batch. skorch's
    criteria average over the batch, so dividing that objective by the batch
    size B gives ``KL / (M * B) = KL / n_train_samples_`` plus the *mean*
    negative log likelihood: the same minimiser, on the scale of the data
    loss. The KL term is added in ``get_loss`` during training only.

    :class:`BayesLinear` samples with the local reparameterisation trick
    (Kingma et al., 2015), which draws independent weights for every row; the
    Monte Carlo passes are therefore vectorised as in
    :class:`MCDropoutClassifier` (rows replicated ``n_samples`` times, one
    forward call per chunk). :meth:`uncertainty_tensor` is the differentiable
    version of :meth:`predict_uncertainty`.

    The input must be numeric and complete; encode categorical columns and
    missing values first (:class:`skaug.encoding.TabularEncoder`).

    References
    ----------
    .. [1] C. Blundell, J. Cornebise, K. Kavukcuoglu and D. Wierstra, "Weight
       Uncertainty in Neural Networks", ICML 2015.
    .. [2] N. Houlsby, F. Huszár, Z. Ghahramani and M. Lengyel, "Bayesian Active
       Learning for Classification and Preference Learning", arXiv:1112.5745,
       2011.
    .. [3] D. P. Kingma, T. Salimans and M. Welling, "Variational Dropout and the
       Local Reparameterization Trick", NeurIPS 2015.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skaug.models import BayesianClassifier
    >>> X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    >>> clf = BayesianClassifier(
    ...     max_epochs=5, n_mc_samples=10, kl_weight=0.1, random_state=0
    ... )
    >>> clf = clf.fit(X, y)
    >>> clf.n_train_samples_
    100
    >>> clf.predict_proba(X[:3]).shape
    (3, 2)
    >>> clf.predict_uncertainty(X[:3], metric="entropy").shape
    (3,)
    """

    _parameter_constraints: dict = {
        **UncertaintyClassifierMixin._parameter_constraints,
        **VariationalLossMixin._parameter_constraints,
    }

    def __init__(
        self,
        *,
        module=BayesMLP,
        criterion=torch.nn.CrossEntropyLoss,
        kl_weight=1.0,
        **kwargs,
    ):
        self.kl_weight = kl_weight
        super().__init__(module, criterion=criterion, **kwargs)


@fill_doc(**uncertainty_net_docs(bayesian=True, classifier=False))
class BayesianRegressor(
    VariationalLossMixin, UncertaintyRegressorMixin, NeuralNetRegressor
):
    """Bayesian neural-net regressor trained by Bayes by backprop.

    A skorch :class:`~skorch.regressor.NeuralNetRegressor` whose weights have a
    factorised Gaussian posterior (Blundell et al., 2015): ``predict`` averages
    ``n_mc_samples`` posterior draws (``return_std=True`` also gives their
    standard deviation) and ``predict_uncertainty`` scores each row by their
    spread. Same interface as :class:`MCDropoutRegressor`.

    Read more in the :ref:`User Guide <uncertainty_models>`.

    Parameters
    ----------
    module : torch module class, default=BayesMLP
        The network, passed as a class and configured with ``module__*``
        arguments, e.g. ``module__hidden_units=(64, 64)`` and
        ``module__prior_sigma=1.0``. The net sets ``n_features`` and
        ``n_outputs=1`` from the data. The module must have a ``kl()`` method.
    criterion : torch criterion class, default=torch.nn.MSELoss
        Data term of the loss.
    {shared_sections}

    See Also
    --------
    BayesianClassifier : The same for classification.
    MCDropoutRegressor : Cheaper uncertainty from dropout.

    Notes
    -----
    The KL term is scaled as in :class:`BayesianClassifier` (``KL / n`` with a
    batch-mean likelihood equals Blundell et al.'s ``KL / M`` per minibatch
    with a summed likelihood). With the MSE criterion the likelihood is a
    Gaussian of fixed variance, so ``kl_weight`` also sets how strongly the
    prior pulls against the fit; scale ``y`` (e.g. with
    :class:`~sklearn.compose.TransformedTargetRegressor`) when its variance is
    far from 1. The standard deviation of ``predict`` is the epistemic
    uncertainty only.

    References
    ----------
    .. [1] C. Blundell, J. Cornebise, K. Kavukcuoglu and D. Wierstra, "Weight
       Uncertainty in Neural Networks", ICML 2015.
    .. [2] D. P. Kingma, T. Salimans and M. Welling, "Variational Dropout and the
       Local Reparameterization Trick", NeurIPS 2015.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skaug.models import BayesianRegressor
    >>> X, y = make_regression(n_samples=100, n_features=4, random_state=0)
    >>> reg = BayesianRegressor(max_epochs=5, n_mc_samples=10, random_state=0)
    >>> reg = reg.fit(X, y / y.std())
    >>> reg.predict_uncertainty(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **UncertaintyRegressorMixin._parameter_constraints,
        **VariationalLossMixin._parameter_constraints,
    }

    def __init__(
        self, *, module=BayesMLP, criterion=torch.nn.MSELoss, kl_weight=1.0, **kwargs
    ):
        self.kl_weight = kl_weight
        super().__init__(module, criterion=criterion, **kwargs)
