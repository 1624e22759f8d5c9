"""Plain ``nn.Module`` building blocks of the generative nets.

No estimator glue lives here: the skorch nets (``_vae.py``, ``_gan.py``) build
these modules with the sizes they read off the data.

:class:`ConditionalVAEModule` and its :class:`ELBOLoss`; :class:`GANGenerator`
and :class:`GANCritic` (WGAN-GP). :func:`make_mlp` stacks the layers of every
skaug network, the uncertainty ones of :mod:`skaug.models._uncertainty_modules`
included.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F


def check_hidden_units(hidden_units):
    """The hidden layer widths as a tuple of positive ints (an int is one layer)."""
    hidden_units = (hidden_units,) if isinstance(hidden_units, int) else hidden_units
    hidden_units = tuple(int(h) for h in hidden_units)
    if any(h < 1 for h in hidden_units):
        raise ValueError(
            f"hidden_units must hold positive layer widths; got {hidden_units}."
        )
    return hidden_units


def make_mlp(n_inputs, hidden_units, n_outputs, hidden_layer, *, output_layer=None):
    """A feed-forward stack as an :class:`torch.nn.Sequential`.

    ``hidden_layer(n_in, width)`` gives the modules of each hidden layer (e.g.
    ``[Linear, ReLU]``), then ``output_layer(n_in, n_outputs)`` (default
    :class:`torch.nn.Linear`) the output, with no activation. The modules are
    created in that order, which fixes what a seeded initialisation draws.
    """
    output_layer = nn.Linear if output_layer is None else output_layer
    layers, width = [], int(n_inputs)
    for units in check_hidden_units(hidden_units):
        layers += hidden_layer(width, units)
        width = units
    layers.append(output_layer(width, int(n_outputs)))
    return nn.Sequential(*layers)


def _relu_layer(n_in, n_out):
    return [nn.Linear(n_in, n_out), nn.ReLU()]


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
        self.encoder = make_mlp(
            n_features + n_conditions, hidden_units, 2 * latent_dim, _relu_layer
        )
        self.decoder = make_mlp(
            latent_dim + n_conditions, hidden_units[::-1], n_features, _relu_layer
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

        def hidden_layer(n_in, n_out):
            norm = [nn.BatchNorm1d(n_out)] if batch_norm else []
            return [nn.Linear(n_in, n_out), *norm, nn.ReLU()]

        self.layers = make_mlp(
            self.latent_dim + self.n_conditions,
            hidden_units,
            self.n_features,
            hidden_layer,
        )
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

        def hidden_layer(n_in, n_out):
            drop = [nn.Dropout(dropout)] if dropout else []
            return [nn.Linear(n_in, n_out), nn.LeakyReLU(negative_slope), *drop]

        n_inputs = (int(n_features) + int(n_conditions)) * self.pac
        self.layers = make_mlp(n_inputs, hidden_units, 1, hidden_layer)

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
