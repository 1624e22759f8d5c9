"""Bayesian nets trained by Bayes by backprop (Blundell et al., 2015)."""

import torch
from skorch import NeuralNetClassifier, NeuralNetRegressor

from skaug.models._uncertainty import (
    UncertaintyClassifierMixin,
    UncertaintyRegressorMixin,
    VariationalLossMixin,
)
from skaug.models._uncertainty_modules import BayesMLP


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
    optimizer : torch optimizer class, default=torch.optim.Adam
        Configured with ``optimizer__*`` arguments.
    lr : float, default=1e-3
        Learning rate.
    max_epochs : int, default=100
        Number of training epochs.
    batch_size : int, default=128
        Rows per training batch.
    train_split : callable or None, default=None
        skorch's internal validation split; ``None`` trains on all rows. The
        validation loss is the data term only.
    verbose : int, default=0
        Print the training log when positive.
    n_mc_samples : int, default=20
        Number of posterior draws used by ``predict_proba``, ``predict`` and
        ``predict_uncertainty``.
    uncertainty_metric : {"variance", "entropy", "bald"}, default="variance"
        Default metric of ``predict_uncertainty``: the mean over classes of the
        variance of the class probabilities across draws, the entropy of the
        mean prediction, or BALD, the mutual information between the prediction
        and the weights (Houlsby et al., 2011). Higher means more uncertain.
    kl_weight : float, default=1.0
        Weight of the KL term: the training loss of a batch is
        ``criterion + kl_weight * KL / n_train_samples_``. 1 is the ELBO;
        smaller values fit the data more tightly and shrink the uncertainty.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, batch shuffling, the weight draws during
        training and the Monte Carlo passes at prediction time; torch's global
        RNG is forked and left as it was. An int gives the same net and the same
        predictions on every call (on the CPU).
    **kwargs : dict
        Other skorch arguments: ``device`` (``"cpu"`` or ``"cuda"``),
        ``callbacks``, ``warm_start``, ``iterator_train__*``, ``module__*``,
        ``optimizer__*`` and so on.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit`` (sorted), in their original dtype.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of features seen during ``fit``, when X is a DataFrame with
        string column names.
    n_train_samples_ : int
        Number of rows trained on (after ``train_split``); it scales the KL
        term.
    module_ : torch.nn.Module
        The trained network.
    criterion_ : torch.nn.Module
        The instantiated criterion.
    optimizer_ : torch.optim.Optimizer
        The instantiated optimizer.
    history_ : skorch.history.History
        Training history (loss per epoch and batch).
    initialized_ : bool
        Whether the net has been initialised.

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
    .. [2] D. P. Kingma, T. Salimans and M. Welling, "Variational Dropout and the
       Local Reparameterization Trick", NeurIPS 2015.
    .. [3] N. Houlsby, F. Huszár, Z. Ghahramani and M. Lengyel, "Bayesian Active
       Learning for Classification and Preference Learning", arXiv:1112.5745,
       2011.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skaug.models import BayesianClassifier
    >>> X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    >>> clf = BayesianClassifier(max_epochs=5, n_mc_samples=10, random_state=0)
    >>> clf = clf.fit(X, y)
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
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=100,
        batch_size=128,
        train_split=None,
        verbose=0,
        n_mc_samples=20,
        uncertainty_metric="variance",
        kl_weight=1.0,
        random_state=None,
        **kwargs,
    ):
        self.n_mc_samples = n_mc_samples
        self.uncertainty_metric = uncertainty_metric
        self.kl_weight = kl_weight
        self.random_state = random_state
        super().__init__(
            module,
            criterion=criterion,
            optimizer=optimizer,
            lr=lr,
            max_epochs=max_epochs,
            batch_size=batch_size,
            train_split=train_split,
            verbose=verbose,
            **kwargs,
        )


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
    optimizer : torch optimizer class, default=torch.optim.Adam
        Configured with ``optimizer__*`` arguments.
    lr : float, default=1e-3
        Learning rate.
    max_epochs : int, default=100
        Number of training epochs.
    batch_size : int, default=128
        Rows per training batch.
    train_split : callable or None, default=None
        skorch's internal validation split; ``None`` trains on all rows.
    verbose : int, default=0
        Print the training log when positive.
    n_mc_samples : int, default=20
        Number of posterior draws used by ``predict`` and
        ``predict_uncertainty``.
    uncertainty_metric : {"variance", "entropy"}, default="variance"
        Default metric of ``predict_uncertainty``: the variance of the
        prediction across draws, or the entropy of a Gaussian with that
        variance, ``0.5 * log(2 * pi * e * var)``. Higher means more uncertain.
    kl_weight : float, default=1.0
        Weight of the KL term: the training loss of a batch is
        ``criterion + kl_weight * KL / n_train_samples_``.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, batch shuffling, the weight draws during
        training and the Monte Carlo passes at prediction time; torch's global
        RNG is forked and left as it was. An int gives the same net and the same
        predictions on every call (on the CPU).
    **kwargs : dict
        Other skorch arguments: ``device``, ``callbacks``, ``warm_start``,
        ``module__*``, ``optimizer__*`` and so on.

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of features seen during ``fit``, when X is a DataFrame with
        string column names.
    n_train_samples_ : int
        Number of rows trained on (after ``train_split``); it scales the KL
        term.
    module_ : torch.nn.Module
        The trained network.
    criterion_ : torch.nn.Module
        The instantiated criterion.
    optimizer_ : torch.optim.Optimizer
        The instantiated optimizer.
    history_ : skorch.history.History
        Training history.
    initialized_ : bool
        Whether the net has been initialised.

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
        self,
        *,
        module=BayesMLP,
        criterion=torch.nn.MSELoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=100,
        batch_size=128,
        train_split=None,
        verbose=0,
        n_mc_samples=20,
        uncertainty_metric="variance",
        kl_weight=1.0,
        random_state=None,
        **kwargs,
    ):
        self.n_mc_samples = n_mc_samples
        self.uncertainty_metric = uncertainty_metric
        self.kl_weight = kl_weight
        self.random_state = random_state
        super().__init__(
            module,
            criterion=criterion,
            optimizer=optimizer,
            lr=lr,
            max_epochs=max_epochs,
            batch_size=batch_size,
            train_split=train_split,
            verbose=verbose,
            **kwargs,
        )
