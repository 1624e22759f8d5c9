"""MC-dropout nets: dropout kept on at prediction time (Gal & Ghahramani, 2016)."""

import torch
from skorch import NeuralNetClassifier, NeuralNetRegressor

from skaug.models._docstrings import fill_doc, uncertainty_net_docs
from skaug.models._uncertainty_modules import MLP
from skaug.models._uncertainty_tasks import (
    UncertaintyClassifierMixin,
    UncertaintyRegressorMixin,
)


@fill_doc(**uncertainty_net_docs(bayesian=False, classifier=True))
class MCDropoutClassifier(UncertaintyClassifierMixin, NeuralNetClassifier):
    """Neural-net classifier with Monte Carlo dropout uncertainty.

    A skorch :class:`~skorch.classifier.NeuralNetClassifier` whose dropout
    layers stay on at prediction time: ``predict_proba`` averages
    ``n_mc_samples`` stochastic forward passes and ``predict_uncertainty``
    scores each row by the spread of those passes (Gal & Ghahramani, 2016).
    It is the default uncertainty model of :class:`skaug.UncertaintySampler`.

    Read more in the :ref:`User Guide <uncertainty_models>`.

    Parameters
    ----------
    module : torch module class, default=MLP
        The network, passed as a class and configured with ``module__*``
        arguments, e.g. ``module__hidden_units=(64, 64)`` and
        ``module__dropout=0.1`` for the default :class:`MLP`. The net sets
        ``n_features`` and ``n_outputs`` (the number of classes) from the data.
        The module returns logits and must stay stochastic in evaluation mode
        (use :class:`MCDropout` rather than :class:`torch.nn.Dropout`).
    criterion : torch criterion class, default=torch.nn.CrossEntropyLoss
        Training loss on the logits; the predictions apply the softmax.
    {shared_sections}

    See Also
    --------
    MCDropoutRegressor : The same for regression.
    BayesianClassifier : Weight uncertainty by Bayes by backprop.
    skaug.UncertaintySampler : Uses this net to guide synthetic sampling.

    Notes
    -----
    The passes are vectorised: a chunk of rows is replicated ``n_samples``
    times and sent through the module in one forward call (at most 2**20 rows
    per call), so that every replica draws its own dropout mask.
    :meth:`uncertainty_tensor` runs the same computation inside the autograd
    graph, for generators that maximise the uncertainty of their samples.

    The input must be numeric and complete; encode categorical columns and
    missing values first (:class:`skaug.encoding.TabularEncoder`). Scaling the
    features (e.g. :class:`~sklearn.preprocessing.StandardScaler`) helps the
    optimiser.

    References
    ----------
    .. [1] Y. Gal and Z. Ghahramani, "Dropout as a Bayesian Approximation:
       Representing Model Uncertainty in Deep Learning", ICML 2016.
    .. [2] N. Houlsby, F. Huszár, Z. Ghahramani and M. Lengyel, "Bayesian Active
       Learning for Classification and Preference Learning", arXiv:1112.5745,
       2011.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skaug.models import MCDropoutClassifier
    >>> X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    >>> clf = MCDropoutClassifier(max_epochs=5, n_mc_samples=10, random_state=0)
    >>> clf = clf.fit(X, y)
    >>> clf.predict_proba(X[:3]).shape
    (3, 2)
    >>> clf.predict_uncertainty(X[:3], metric="bald").shape
    (3,)
    """

    def __init__(self, *, module=MLP, criterion=torch.nn.CrossEntropyLoss, **kwargs):
        super().__init__(module, criterion=criterion, **kwargs)


@fill_doc(**uncertainty_net_docs(bayesian=False, classifier=False))
class MCDropoutRegressor(UncertaintyRegressorMixin, NeuralNetRegressor):
    """Neural-net regressor with Monte Carlo dropout uncertainty.

    A skorch :class:`~skorch.regressor.NeuralNetRegressor` whose dropout layers
    stay on at prediction time: ``predict`` averages ``n_mc_samples``
    stochastic forward passes (``return_std=True`` also gives their standard
    deviation) and ``predict_uncertainty`` scores each row by their spread
    (Gal & Ghahramani, 2016).

    Read more in the :ref:`User Guide <uncertainty_models>`.

    Parameters
    ----------
    module : torch module class, default=MLP
        The network, passed as a class and configured with ``module__*``
        arguments, e.g. ``module__hidden_units=(64, 64)`` and
        ``module__dropout=0.1``. The net sets ``n_features`` and
        ``n_outputs=1`` from the data. It must stay stochastic in evaluation
        mode (use :class:`MCDropout`).
    criterion : torch criterion class, default=torch.nn.MSELoss
        Training loss.
    {shared_sections}

    See Also
    --------
    MCDropoutClassifier : The same for classification.
    BayesianRegressor : Weight uncertainty by Bayes by backprop.

    Notes
    -----
    ``y`` is a 1-D float target (reshaped to a column for the module); the
    predictions come back 1-D. The standard deviation is the epistemic part of
    the uncertainty only: the MSE loss models no observation noise. The Monte
    Carlo passes are vectorised as in :class:`MCDropoutClassifier`;
    :meth:`uncertainty_tensor` is the differentiable version of
    :meth:`predict_uncertainty`.

    References
    ----------
    .. [1] Y. Gal and Z. Ghahramani, "Dropout as a Bayesian Approximation:
       Representing Model Uncertainty in Deep Learning", ICML 2016.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skaug.models import MCDropoutRegressor
    >>> X, y = make_regression(n_samples=100, n_features=4, random_state=0)
    >>> reg = MCDropoutRegressor(max_epochs=5, n_mc_samples=10, random_state=0)
    >>> reg = reg.fit(X, y)
    >>> mean, std = reg.predict(X[:3], return_std=True)
    >>> mean.shape, std.shape
    ((3,), (3,))
    """

    def __init__(self, *, module=MLP, criterion=torch.nn.MSELoss, **kwargs):
        super().__init__(module, criterion=criterion, **kwargs)
