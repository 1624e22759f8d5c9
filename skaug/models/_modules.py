"""Plain ``nn.Module`` building blocks of the skaug nets.

No estimator glue lives here: the skorch nets (``_vae.py``, ``_gan.py``,
``_mc_dropout.py``, ``_bayesian.py``) build these modules with the sizes they
read off the data.

Generative parts: :class:`ConditionalVAEModule` and its :class:`ELBOLoss`;
:class:`GANGenerator` and :class:`GANCritic` (WGAN-GP).
Uncertainty parts: :class:`MCDropout` (dropout that stays on in eval mode),
:class:`MLP`, :class:`BayesLinear` and :class:`BayesMLP` (Bayes by backprop).
"""

import math

import torch
from torch import nn
from torch.nn import functional as F


def make_mlp(n_inputs, hidden_units, n_outputs, *, activation=nn.ReLU):
    """A feed-forward stack ``Linear -> activation`` per hidden layer, then a
    final ``Linear`` with no activation."""
    layers = []
    width = n_inputs
    for units in hidden_units:
        layers += [nn.Linear(width, units), activation()]
        width = units
    layers.append(nn.Linear(width, n_outputs))
    return nn.Sequential(*layers)


class ConditionalVAEModule(nn.Module):
    """Encoder, decoder and prior of a (conditional) variational auto-encoder.

    The condition (a one-hot class label, or nothing) is concatenated to the
    input of both the encoder and the decoder, and it sets the mean of the prior:
    ``p(z | c) = N(m_c, I)`` with a learnt ``m_c`` per class (zero without a
    condition). A class-dependent prior keeps class information that the encoder
    puts into ``z`` usable at sampling time; with an N(0, I) prior such samples
    mix the classes.

    Parameters
    ----------
    n_features : int
        Width of the encoded data (set by the estimator from the encoder).
    n_conditions : int, default=0
        Width of the one-hot condition; 0 for an unconditional VAE.
    latent_dim : int, default=32
        Size of the latent space.
    hidden_units : tuple of int, default=(128, 128)
        Hidden layer sizes of the encoder; the decoder mirrors them.
    """

    def __init__(
        self, n_features, n_conditions=0, latent_dim=32, hidden_units=(128, 128)
    ):
        super().__init__()
        self.n_features = n_features
        self.n_conditions = n_conditions
        self.latent_dim = latent_dim
        hidden_units = tuple(hidden_units)
        self.encoder = make_mlp(n_features + n_conditions, hidden_units, 2 * latent_dim)
        self.decoder = make_mlp(
            latent_dim + n_conditions, hidden_units[::-1], n_features
        )
        # One output scale per encoded column, learnt as in TVAE; only the numeric
        # columns use it (categorical blocks have a cross-entropy loss).
        self.log_sigma = nn.Parameter(torch.full((n_features,), math.log(0.1)))
        self.prior_mean = nn.Linear(max(n_conditions, 1), latent_dim, bias=False)
        nn.init.zeros_(self.prior_mean.weight)

    @staticmethod
    def _join(t, c):
        return t if c is None else torch.cat([t, c], dim=1)

    def encode(self, x, c=None):
        """Return the posterior mean and log-variance of ``z`` given ``x``."""
        mu, logvar = self.encoder(self._join(x, c)).chunk(2, dim=1)
        return mu, logvar.clamp(-20.0, 10.0)

    def prior(self, c=None, n=None):
        """Mean of the prior of ``z``: one row per condition (or ``n`` zeros)."""
        if c is None:
            return self.prior_mean.weight.new_zeros((n, self.latent_dim))
        return self.prior_mean(c)

    def decode(self, z, c=None):
        """Raw decoder output: values for numeric columns, logits for blocks."""
        return self.decoder(self._join(z, c))

    def forward(self, x, c=None):
        mu, logvar = self.encode(x, c)
        if self.training:
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        else:
            z = mu
        return self.decode(z, c), mu, logvar, self.prior(c, len(x))


class ELBOLoss(nn.Module):
    """Negative ELBO of a VAE over encoded tabular data, per column type.

    Numeric columns: Gaussian negative log-likelihood with the decoder's learnt
    scale; categorical and missing-indicator blocks: cross-entropy against the
    observed level; plus ``beta`` times the KL divergence of the posterior to
    the prior N(m_c, I). Each term is summed over columns and averaged over rows.

    Parameters
    ----------
    spans : list of Span
        The encoder's column layout (``TabularEncoder.spans_``).
    beta : float, default=1.0
        Weight of the KL term (a beta-VAE for ``beta != 1``).
    """

    def __init__(self, spans, beta=1.0):
        super().__init__()
        self.beta = beta
        numeric = [s.start for s in spans if s.kind == "numeric"]
        self.register_buffer(
            "numeric_index", torch.as_tensor(numeric, dtype=torch.long)
        )
        self.blocks = [(s.start, s.stop) for s in spans if s.kind != "numeric"]

    def terms(self, recon, mu, logvar, prior_mu, x, log_sigma):
        """The loss terms as a dict of scalar tensors (the total is their sum)."""
        reconstruction = recon.new_zeros(())
        if len(self.numeric_index):
            idx = self.numeric_index
            log_s = log_sigma[idx].clamp(math.log(0.01), 0.0)
            err = (x[:, idx] - recon[:, idx]) / log_s.exp()
            reconstruction = reconstruction + (0.5 * err**2 + log_s).sum(dim=1).mean()
        for start, stop in self.blocks:
            target = x[:, start:stop].argmax(dim=1)
            reconstruction = reconstruction + F.cross_entropy(
                recon[:, start:stop], target
            )
        kl = -0.5 * (1 + logvar - (mu - prior_mu) ** 2 - logvar.exp())
        kl = kl.sum(dim=1).mean()
        return {"reconstruction": reconstruction, "kl": self.beta * kl}

    def forward(self, recon, mu, logvar, prior_mu, x, log_sigma):
        return sum(self.terms(recon, mu, logvar, prior_mu, x, log_sigma).values())


# -- uncertainty parts ---------------------------------------------------------
#
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


def _check_hidden_units(hidden_units):
    hidden_units = (hidden_units,) if isinstance(hidden_units, int) else hidden_units
    hidden_units = tuple(int(h) for h in hidden_units)
    if any(h < 1 for h in hidden_units):
        raise ValueError(
            f"hidden_units must hold positive layer widths; got {hidden_units}."
        )
    return hidden_units


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


class MLP(nn.Module):
    """Multi-layer perceptron with :class:`MCDropout` after every hidden layer.

    Parameters
    ----------
    n_features : int
        Number of input features (set by the net from the data).
    n_outputs : int
        Number of outputs: classes for a classifier (the module returns logits),
        1 for a regressor.
    hidden_units : tuple of int, default=(64, 64)
        Widths of the hidden layers (ReLU activations).
    dropout : float, default=0.1
        Dropout probability of the :class:`MCDropout` layers; it is also applied
        at prediction time.
    """

    def __init__(self, n_features, n_outputs, hidden_units=(64, 64), dropout=0.1):
        super().__init__()
        layers = []
        n_in = int(n_features)
        for width in _check_hidden_units(hidden_units):
            layers += [nn.Linear(n_in, width), nn.ReLU(), MCDropout(dropout)]
            n_in = width
        layers.append(nn.Linear(n_in, int(n_outputs)))
        self.layers = nn.Sequential(*layers)

    def forward(self, X):
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


class BayesMLP(nn.Module):
    """Multi-layer perceptron of :class:`BayesLinear` layers (ReLU activations).

    Parameters
    ----------
    n_features : int
        Number of input features (set by the net from the data).
    n_outputs : int
        Number of outputs: classes for a classifier (the module returns logits),
        1 for a regressor.
    hidden_units : tuple of int, default=(64, 64)
        Widths of the hidden layers.
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
        kwargs = {
            "prior_sigma": prior_sigma,
            "posterior_sigma_init": posterior_sigma_init,
        }
        layers = []
        n_in = int(n_features)
        for width in _check_hidden_units(hidden_units):
            layers += [BayesLinear(n_in, width, **kwargs), nn.ReLU()]
            n_in = width
        layers.append(BayesLinear(n_in, int(n_outputs), **kwargs))
        self.layers = nn.Sequential(*layers)

    def forward(self, X):
        return self.layers(X)

    def kl(self):
        """``KL(q || p)`` summed over the layers (a scalar tensor)."""
        return sum(
            layer.kl() for layer in self.layers if isinstance(layer, BayesLinear)
        )


# -- GAN parts -----------------------------------------------------------------


class GANGenerator(nn.Module):
    """Generator of a (conditional) GAN over encoded tabular data.

    An MLP maps the noise ``z`` (with the one-hot condition appended) to one
    value per encoded column; each span of the encoder's layout then gets its
    own activation: numeric columns are left as they are (the encoder's
    quantile-normal or standardised scores are unbounded, so no tanh), and every
    categorical or missing-indicator block goes through a Gumbel-softmax with
    temperature ``tau``: a differentiable, nearly one-hot draw from the
    block's softmax, so that the critic cannot tell generated rows from the
    one-hot real ones by their softness alone. :meth:`decode` gives the raw
    output (logits for the blocks) from which a sampler draws exact levels.

    Parameters
    ----------
    n_features : int
        Width of the encoded data (set by the estimator from the encoder).
    spans : list of Span
        The encoder's column layout (``TabularEncoder.spans_``).
    n_conditions : int, default=0
        Width of the one-hot condition; 0 for an unconditional GAN.
    latent_dim : int, default=64
        Size of the noise vector.
    hidden_units : tuple of int, default=(128, 128)
        Hidden layer sizes (ReLU activations).
    batch_norm : bool, default=True
        Whether every hidden layer is batch-normalised (as in CTGAN's
        generator); in evaluation mode the running statistics are used.
    tau : float, default=0.2
        Temperature of the Gumbel-softmax of the categorical blocks.
    """

    def __init__(
        self,
        n_features,
        spans,
        n_conditions=0,
        latent_dim=64,
        hidden_units=(128, 128),
        batch_norm=True,
        tau=0.2,
    ):
        super().__init__()
        if not tau > 0:
            raise ValueError(f"tau must be positive; got {tau!r}.")
        self.n_features = int(n_features)
        self.n_conditions = int(n_conditions)
        self.latent_dim = int(latent_dim)
        self.tau = float(tau)
        layers = []
        width = self.latent_dim + self.n_conditions
        for units in _check_hidden_units(hidden_units):
            layers.append(nn.Linear(width, units))
            if batch_norm:
                layers.append(nn.BatchNorm1d(units))
            layers.append(nn.ReLU())
            width = units
        layers.append(nn.Linear(width, self.n_features))
        self.layers = nn.Sequential(*layers)
        self.blocks = [(s.start, s.stop) for s in spans if s.kind != "numeric"]

    def decode(self, z, c=None):
        """Raw output: values for numeric columns, logits for blocks."""
        return self.layers(z if c is None else torch.cat([z, c], dim=1))

    def activate(self, raw):
        """Apply each span's activation to raw output (see the class doc)."""
        parts, last = [], 0
        for start, stop in self.blocks:
            parts.append(raw[:, last:start])
            parts.append(F.gumbel_softmax(raw[:, start:stop], tau=self.tau, dim=1))
            last = stop
        parts.append(raw[:, last:])
        return torch.cat(parts, dim=1)

    def forward(self, z, c=None):
        return self.activate(self.decode(z, c))


class GANCritic(nn.Module):
    """Critic of a Wasserstein GAN over encoded tabular rows.

    An MLP with leaky-ReLU activations and no normalisation layer (the gradient
    penalty is taken per input, which batch normalisation would mix up). The
    condition is appended to every row. With ``pac > 1`` the critic scores
    packs of ``pac`` rows at once (PacGAN, as in CTGAN): a generator that
    collapses onto a few modes makes packs that look unlike real ones.

    Parameters
    ----------
    n_features : int
        Width of the encoded data (set by the estimator from the encoder).
    n_conditions : int, default=0
        Width of the one-hot condition; 0 for an unconditional GAN.
    hidden_units : tuple of int, default=(128, 128)
        Hidden layer sizes.
    pac : int, default=1
        Rows per pack; the number of input rows must be a multiple of it.
    negative_slope : float, default=0.2
        Slope of the leaky ReLUs.
    dropout : float, default=0.0
        Dropout after every hidden layer (CTGAN uses 0.5).
    """

    def __init__(
        self,
        n_features,
        n_conditions=0,
        hidden_units=(128, 128),
        pac=1,
        negative_slope=0.2,
        dropout=0.0,
    ):
        super().__init__()
        if int(pac) < 1:
            raise ValueError(f"pac must be a positive integer; got {pac!r}.")
        self.pac = int(pac)
        width = (int(n_features) + int(n_conditions)) * self.pac
        layers = []
        for units in _check_hidden_units(hidden_units):
            layers += [nn.Linear(width, units), nn.LeakyReLU(negative_slope)]
            if dropout:
                layers.append(nn.Dropout(dropout))
            width = units
        layers.append(nn.Linear(width, 1))
        self.layers = nn.Sequential(*layers)

    def forward(self, x, c=None):
        """One score per pack of ``pac`` consecutive rows."""
        if c is not None:
            x = torch.cat([x, c], dim=1)
        if len(x) % self.pac:
            raise ValueError(
                f"The critic scores packs of pac={self.pac} rows; got {len(x)} "
                "rows, not a multiple of it."
            )
        return self.layers(x.reshape(len(x) // self.pac, -1)).squeeze(1)
