"""Plain ``nn.Module`` building blocks of the generative models.

No estimator glue lives here: the skorch nets in ``_vae.py`` (and later the GAN)
build these modules with the sizes they read off the data.
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
