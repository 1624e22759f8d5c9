"""Plain ``nn.Module`` building blocks of the uncertainty nets.

:class:`MCDropout` (dropout that stays on in eval mode) and :class:`MLP` for
the MC-dropout nets (``_mc_dropout.py``); :class:`BayesLinear` and
:class:`BayesMLP` (Bayes by backprop) for the Bayesian ones (``_bayesian.py``).
"""

import math
from functools import partial

import torch
from torch import nn
from torch.nn import functional as F

from skaug.models._docstrings import fill_doc
from skaug.models._modules import make_mlp

_SIZES = """\
n_features : int
    Number of input features (set by the net from the data).
n_outputs : int
    Number of outputs: classes for a classifier (the module returns logits),
    1 for a regressor.
hidden_units : int or tuple of int, default=(64, 64)
    Widths of the hidden layers (ReLU activations)."""

# Both families stay stochastic in evaluation mode, so that ``module.eval()``
# (which skorch calls before predicting) never turns the Monte Carlo passes into
# deterministic ones: MCDropout drops units whatever the mode (Gal & Ghahramani,
# 2016); BayesLinear draws its weights from the variational posterior on every
# forward pass (Blundell et al., 2015).
#
# Input layout. A 2-D input ``(n_rows, n_features)`` gets independent noise for
# every row (training). A 3-D input ``(n_passes, n_rows, n_features)`` holds
# ``n_passes`` Monte Carlo passes over the same rows: each pass draws *one*
# network (one dropout mask, one weight sample) shared by all its rows, so that
# all passes run in one vectorised forward call and a row's prediction does not
# depend on which other rows are in the batch.


class MCDropout(nn.Module):
    """Dropout that stays on in evaluation mode.

    :class:`torch.nn.Dropout` is the identity after ``module.eval()``; this layer
    always drops, so that repeated forward passes are samples of the approximate
    predictive distribution of Gal & Ghahramani (2016). It avoids switching the
    whole module to training mode at prediction time, which would also update
    batch-norm statistics.

    A 2-D input gets an independent mask per row; a 3-D input
    ``(n_passes, n_rows, n_units)`` gets one mask per pass, shared by its rows.

    Parameters
    ----------
    p : float, default=0.1
        Probability of zeroing a unit, in ``[0, 1)``.
    """

    def __init__(self, p=0.1):
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability must be in [0, 1); got {p!r}.")
        self.p = float(p)

    def forward(self, x):
        if x.ndim != 3:
            return F.dropout(x, self.p, training=True)
        ones = x.new_ones((x.shape[0], 1, x.shape[2]))
        return x * F.dropout(ones, self.p, training=True)

    def extra_repr(self):
        return f"p={self.p}"


@fill_doc(sizes=_SIZES)
class MLP(nn.Module):
    """Multi-layer perceptron with :class:`MCDropout` after every hidden layer.

    Parameters
    ----------
    {sizes}
    dropout : float, default=0.1
        Dropout probability of the :class:`MCDropout` layers; it is also applied
        at prediction time.
    """

    def __init__(self, n_features, n_outputs, hidden_units=(64, 64), dropout=0.1):
        super().__init__()
        self.layers = make_mlp(
            n_features,
            hidden_units,
            n_outputs,
            lambda n_in, n_out: [nn.Linear(n_in, n_out), nn.ReLU(), MCDropout(dropout)],
        )

    def forward(self, X):
        if X.ndim == 3 and X.stride(0) == 0:
            # the stacked Monte Carlo layout repeats the same rows in every
            # pass (an expanded view): the layers before the first dropout
            # give every pass the same result, so run them once
            first = next(
                (i for i, m in enumerate(self.layers) if isinstance(m, MCDropout)), 0
            )
            head = self.layers[:first](X[0])
            return self.layers[first:](head.expand(X.shape[0], *head.shape))
        return self.layers(X)


class BayesLinear(nn.Module):
    """Linear layer with a factorised Gaussian posterior over its weights.

    Bayes by backprop (Blundell et al., 2015): every weight and bias ``w`` has the
    variational posterior ``N(mu, softplus(rho) ** 2)`` and the prior
    ``N(0, prior_sigma ** 2)``; :meth:`kl` gives ``KL(q || p)`` in closed form.

    Weights are drawn with the reparameterisation trick,
    ``w = mu + softplus(rho) * eps`` with ``eps ~ N(0, 1)``:

    * a 3-D input ``(n_passes, n_rows, in_features)`` draws one weight matrix
      per pass, shared by the rows of that pass, and applies them with one
      batched matrix product (the Monte Carlo passes at prediction time);
    * a 2-D input ``(n_rows, in_features)`` (training) uses the *local*
      reparameterisation trick (Kingma et al., 2015): it draws the
      pre-activations ``x @ W.T + b`` from their exact Gaussian distribution
      under the posterior, ``N(x @ mu.T + mu_b, x**2 @ sigma.T**2 +
      sigma_b**2)``, which amounts to an independent weight sample per row and
      gives gradients of lower variance than one sample per batch.

    Parameters
    ----------
    in_features : int
        Size of each input row.
    out_features : int
        Size of each output row.
    prior_sigma : float, default=1.0
        Standard deviation of the zero-mean Gaussian prior over weights and biases.
    posterior_sigma_init : float, default=0.01
        Initial standard deviation of the posterior (Blundell et al. start from
        a small value so that the means can learn first).

    References
    ----------
    .. [1] C. Blundell, J. Cornebise, K. Kavukcuoglu and D. Wierstra, "Weight
       Uncertainty in Neural Networks", ICML 2015.
    .. [2] D. P. Kingma, T. Salimans and M. Welling, "Variational Dropout and the
       Local Reparameterization Trick", NeurIPS 2015.
    """

    def __init__(
        self, in_features, out_features, prior_sigma=1.0, posterior_sigma_init=0.01
    ):
        super().__init__()
        if not prior_sigma > 0:
            raise ValueError(f"prior_sigma must be positive; got {prior_sigma!r}.")
        if not posterior_sigma_init > 0:
            raise ValueError(
                f"posterior_sigma_init must be positive; got {posterior_sigma_init!r}."
            )
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.prior_sigma = float(prior_sigma)
        self.posterior_sigma_init = float(posterior_sigma_init)
        self.weight_mu = nn.Parameter(torch.empty(self.out_features, self.in_features))
        self.weight_rho = nn.Parameter(torch.empty(self.out_features, self.in_features))
        self.bias_mu = nn.Parameter(torch.empty(self.out_features))
        self.bias_rho = nn.Parameter(torch.empty(self.out_features))
        self.reset_parameters()

    def reset_parameters(self):
        """Means as in :class:`torch.nn.Linear`, small posterior deviations."""
        bound = 1.0 / math.sqrt(self.in_features) if self.in_features else 0.0
        nn.init.kaiming_uniform_(self.weight_mu, a=math.sqrt(5))
        nn.init.uniform_(self.bias_mu, -bound, bound)
        # softplus(rho) = sigma  <=>  rho = log(expm1(sigma))
        rho = math.log(math.expm1(self.posterior_sigma_init))
        nn.init.constant_(self.weight_rho, rho)
        nn.init.constant_(self.bias_rho, rho)

    @property
    def weight_sigma(self):
        return F.softplus(self.weight_rho)

    @property
    def bias_sigma(self):
        return F.softplus(self.bias_rho)

    def forward(self, x):
        if x.ndim == 3:
            n_passes = x.shape[0]
            weight = self.weight_mu + self.weight_sigma * torch.randn(
                (n_passes, *self.weight_mu.shape), dtype=x.dtype, device=x.device
            )
            bias = self.bias_mu + self.bias_sigma * torch.randn(
                (n_passes, 1, self.out_features), dtype=x.dtype, device=x.device
            )
            return torch.baddbmm(bias, x, weight.transpose(1, 2))
        if x.ndim != 2:
            raise ValueError(
                "BayesLinear expects an input of shape (n_rows, in_features) or "
                f"(n_passes, n_rows, in_features); got {tuple(x.shape)}."
            )
        mean = F.linear(x, self.weight_mu, self.bias_mu)
        var = F.linear(x.square(), self.weight_sigma.square(), self.bias_sigma.square())
        return mean + var.sqrt() * torch.randn_like(mean)

    def kl(self):
        """``KL(q || p)`` summed over all weights and biases (a scalar tensor)."""
        return _gaussian_kl(self.weight_mu, self.weight_sigma, self.prior_sigma) + (
            _gaussian_kl(self.bias_mu, self.bias_sigma, self.prior_sigma)
        )

    def extra_repr(self):
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"prior_sigma={self.prior_sigma}"
        )


def _gaussian_kl(mu, sigma, prior_sigma):
    """Sum of ``KL(N(mu, sigma^2) || N(0, prior_sigma^2))`` over the elements."""
    ratio = sigma / prior_sigma
    return 0.5 * (ratio.square() + (mu / prior_sigma).square() - 1.0).sum() - (
        torch.log(ratio).sum()
    )


@fill_doc(sizes=_SIZES)
class BayesMLP(nn.Module):
    """Multi-layer perceptron of :class:`BayesLinear` layers (ReLU activations).

    Parameters
    ----------
    {sizes}
    prior_sigma : float, default=1.0
        Standard deviation of the Gaussian prior of every layer.
    posterior_sigma_init : float, default=0.01
        Initial posterior standard deviation of every layer.
    """

    def __init__(
        self,
        n_features,
        n_outputs,
        hidden_units=(64, 64),
        prior_sigma=1.0,
        posterior_sigma_init=0.01,
    ):
        super().__init__()
        layer = partial(
            BayesLinear,
            prior_sigma=prior_sigma,
            posterior_sigma_init=posterior_sigma_init,
        )
        self.layers = make_mlp(
            n_features,
            hidden_units,
            n_outputs,
            lambda n_in, n_out: [layer(n_in, n_out), nn.ReLU()],
            output_layer=layer,
        )

    def forward(self, X):
        return self.layers(X)

    def kl(self):
        """``KL(q || p)`` summed over the layers (a scalar tensor)."""
        return sum(
            layer.kl() for layer in self.layers if isinstance(layer, BayesLinear)
        )
