"""TabularVAE: a conditional variational auto-encoder for mixed tabular data."""

import numpy as np
import torch
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNet
from skorch.utils import to_numpy

from skaug.models._base import SkaugNetMixin
from skaug.models._docstrings import (
    ENCODER_PARAMETER,
    GENERATOR_NET_PARAMETERS,
    LABEL_ATTRIBUTES,
    SAMPLE_PARAMETERS,
    fill_doc,
)
from skaug.models._generators import ConditionalGeneratorMixin
from skaug.models._modules import ConditionalVAEModule, ELBOLoss


@fill_doc(
    encoder=ENCODER_PARAMETER,
    net_parameters=GENERATOR_NET_PARAMETERS.format(noise="reparameterisation noise"),
    label_attributes=LABEL_ATTRIBUTES,
)
class TabularVAE(ConditionalGeneratorMixin, SkaugNetMixin, NeuralNet):
    """Conditional variational auto-encoder for mixed numeric/categorical tables.

    The data go through a :class:`~skaug.encoding.TabularEncoder` (numeric
    columns quantile-normalised, categoricals one-hot, missing values as
    indicator blocks); the VAE learns that encoded space. When ``y`` is given to
    ``fit`` the VAE is *conditional*: the one-hot label is fed to the encoder and
    the decoder, and :meth:`sample` can ask for rows of a given class.

    The loss is the negative ELBO: a Gaussian likelihood (with a learnt scale
    per column) for numeric columns, a cross-entropy for each categorical or
    missing-indicator block, and ``criterion__beta`` times the KL divergence to
    the class-dependent prior N(m_y, I). Extra terms come from ``guidance``
    (this is how :class:`~skaug.UncertaintySampler` pushes the VAE toward
    uncertain rows) or from a subclass that overrides :meth:`get_loss_terms`;
    every term is recorded in the batch history under its name.

    It is a skorch :class:`~skorch.NeuralNet`: it takes ``module__*``,
    ``criterion__*``, ``optimizer__*``, ``lr``, ``max_epochs``, ``batch_size``,
    ``callbacks``, ``device`` and the rest of skorch's arguments.

    Parameters
    ----------
    {encoder}
    guidance : callable or None, default=None
        An extra loss term: ``guidance(net, X)`` is called on every training
        batch (``X`` as in :meth:`get_loss_terms`) and returns a dict of
        named scalar tensors that are added to the loss and recorded in the
        history. :class:`~skaug.UncertaintySampler` passes its uncertainty
        guidance here.
    module : torch module class, default=ConditionalVAEModule
        Configured with ``module__latent_dim`` (32) and ``module__hidden_units``
        ((128, 128)); ``n_features`` and ``n_conditions`` are read off the data.
    criterion : torch module class, default=ELBOLoss
        Configured with ``criterion__beta`` (1.0); the column layout is read
        off the encoder.
    optimizer : torch optimizer class, default=torch.optim.Adam
    lr : float, default=2e-3
    max_epochs : int, default=300
        A fixed number of epochs, without early stopping: the samples keep
        improving after the validation loss and cheap quality signals have
        flattened (see :ref:`bench_epoch_budget` in the benchmarks). The
        estimators that build a default VAE train it for about 20,000
        optimiser steps instead (fewer epochs above about 4,200 rows); set
        ``max_epochs`` here to do the same.
    batch_size : int, default=64
    train_split : callable or None, default=None
        skorch's validation split; ``None`` trains on all rows.
    {net_parameters}

    Attributes
    ----------
    encoder_ : TabularEncoder
        The fitted encoder.
    {label_attributes}
    module_, criterion_, optimizer_, history_ :
        skorch's fitted attributes.

    See Also
    --------
    TabularEncoder : the column layout the VAE learns.

    Notes
    -----
    :meth:`sample` draws ``z ~ N(m_y, temperature**2 I)`` (``m_y`` the learnt
    prior mean of the class, 0 without labels), decodes it, adds the learnt
    Gaussian noise to numeric columns and draws each categorical and
    missing-indicator block from its softmax (rather than taking the argmax),
    so that rare levels and the rate of missing values are reproduced.

    **Input rules.** ``y`` is optional; given, it holds class labels: one class is
    fine (a conditional model of that class), a class with a single row is fine
    (its rows vary little), integral floats (``0.0``, ``1.0``) are labels
    (``sample`` returns them as floats), and non-integral floats (a continuous
    target), NaN or inf are a ``ValueError``. ``X`` needs at least 2 rows. Missing
    values are reproduced (only in columns that had some at fit), a constant column
    stays constant, and ``±inf``, free-text columns and empty input are a
    ``ValueError`` from the encoder. Huge finite values (``1e300``) are fine: the
    default encoding is rank-based. A training loss that turns NaN or inf stops the
    fit with :class:`~skaug.exceptions.DivergenceError` (lower ``lr`` or scale the
    data).

    References
    ----------
    .. [1] D. P. Kingma and M. Welling, "Auto-Encoding Variational Bayes",
       ICLR 2014.
    .. [2] K. Sohn, H. Lee and X. Yan, "Learning Structured Output
       Representation using Deep Conditional Generative Models", NeurIPS 2015.
    .. [3] L. Xu et al., "Modeling Tabular Data using Conditional GAN"
       (TVAE), NeurIPS 2019.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skaug.models import TabularVAE
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> vae = TabularVAE(max_epochs=5, random_state=0).fit(X, y)
    >>> vae.encode(X.head(2), y[:2]).shape
    (2, 32)
    >>> X_new, y_new = vae.sample(4, y=2, random_state=0)
    >>> X_new.shape, list(X_new.columns) == list(X.columns), y_new.tolist()
    ((4, 4), True, [2, 2, 2, 2])
    """

    _parameter_constraints = {
        **ConditionalGeneratorMixin._parameter_constraints,
        "guidance": [callable, None],
    }

    def __init__(
        self,
        *,
        encoder=None,
        guidance=None,
        module=ConditionalVAEModule,
        criterion=ELBOLoss,
        lr=2e-3,
        **kwargs,
    ):
        self.guidance = guidance
        super().__init__(module, encoder=encoder, criterion=criterion, lr=lr, **kwargs)

    # -- data-dependent wiring -------------------------------------------------

    def _data_dependent_params(self, prefix):
        if prefix not in ("module", "criterion"):
            return {}
        self._check_encoder_fitted()
        if prefix == "module":
            return {
                "n_features": self.encoder_.n_encoded_features_,
                "n_conditions": self._n_conditions,
            }
        return {"spans": self.encoder_.spans_}

    # -- loss ----------------------------------------------------------------------

    def get_loss_terms(self, y_pred, X, training=False):
        """The loss terms of a batch, as a dict of scalar tensors.

        Override and extend the dict to add a term (call ``super()`` first);
        :meth:`get_loss` sums the terms and records each one in the history.

        Parameters
        ----------
        y_pred : tuple of tensors
            The module's output ``(reconstruction, mu, logvar, prior_mu)``.
        X : dict of tensors
            The batch: ``"x"`` the encoded rows, ``"c"`` the one-hot labels of a
            conditional VAE.
        training : bool
            Whether this is a training step.
        """
        recon, mu, logvar, prior_mu = y_pred
        x = X["x"].to(recon.device)
        terms = self.criterion_.terms(
            recon, mu, logvar, prior_mu, x, self.module_.log_sigma
        )
        if training and self.guidance is not None:
            terms.update(self.guidance(self, X))
        return terms

    def get_loss(self, y_pred, y_true, X=None, training=False):
        terms = self.get_loss_terms(y_pred, X, training=training)
        if training:
            for name, value in terms.items():
                self.history.record_batch(name, value.item())
        return sum(terms.values())

    # -- latent space ----------------------------------------------------------

    def encode(self, X, y=None):
        """Posterior mean of the latent code of each row.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
            Labels; required by a conditional VAE.

        Returns
        -------
        Z : ndarray of shape (n_samples, latent_dim)
        """
        check_is_fitted(self, "encoder_")
        Xt = self.encoder_.transform(X).astype(np.float32)
        self._require_y(y, "encode(X, y)")
        index = self._check_condition(y, len(Xt))
        self.module_.eval()
        with torch.no_grad():
            mu, _ = self.module_.encode(
                torch.as_tensor(Xt, device=self.device), self._condition_tensor(index)
            )
        return to_numpy(mu).astype(np.float64)

    def decode_tensor(self, z, c=None):
        """Decode latent codes into the encoded space, inside the autograd graph.

        Numeric columns are the decoder's means; each categorical and
        missing-indicator block is a softmax. This is the differentiable path
        a downstream model (e.g. an uncertainty model working on encoded data)
        can back-propagate through.

        Parameters
        ----------
        z : torch.Tensor of shape (n, latent_dim), on ``device``
        c : torch.Tensor of shape (n, n_classes) or None
            One-hot condition of a conditional VAE.

        Returns
        -------
        torch.Tensor of shape (n, n_encoded_features)
        """
        raw = self.module_.decode(z, c)
        parts, last = [], 0
        for span in self.encoder_.spans_:
            if span.kind == "numeric":
                continue
            parts.append(raw[:, last : span.start])
            parts.append(torch.softmax(raw[:, span.start : span.stop], dim=1))
            last = span.stop
        parts.append(raw[:, last:])
        return torch.cat(parts, dim=1)

    def decode(self, Z, y=None):
        """Decode latent codes into rows in the user's format (no noise: means
        for numeric columns, the most likely level of each categorical).

        Parameters
        ----------
        Z : array-like of shape (n_samples, latent_dim)
        y : array-like of shape (n_samples,) or scalar, default=None
            Labels; required by a conditional VAE.

        Returns
        -------
        X : DataFrame or ndarray of shape (n_samples, n_features)
        """
        check_is_fitted(self, "encoder_")
        Z = np.asarray(Z, dtype=np.float32)
        self._require_y(y, "decode(Z, y)")
        index = self._check_condition(y, len(Z))
        self.module_.eval()
        with torch.no_grad():
            raw = self.module_.decode(
                torch.as_tensor(Z, device=self.device), self._condition_tensor(index)
            )
        return self.encoder_.inverse_transform(to_numpy(raw).astype(np.float64))

    @fill_doc(sample_parameters=SAMPLE_PARAMETERS)
    def sample(self, n_samples=None, y=None, random_state=None, *, temperature=1.0):
        """Generate new rows.

        Parameters
        ----------
        {sample_parameters}
        random_state : int, RandomState instance or None, default=None
            Seeds a private :class:`torch.Generator`; the same seed gives the
            same rows. ``None`` uses the net's ``random_state``.
        temperature : float, default=1.0
            Scale of the latent draws ``z ~ N(m_y, temperature**2 I)``; above 1
            explores the tails of the learnt distribution.

        Returns
        -------
        X : DataFrame or ndarray of shape (n_samples, n_features)
            In the format ``fit`` received (same columns and dtypes).
        y : ndarray of shape (n_samples,) or None
            The labels of the rows; ``None`` for an unconditional VAE.
        """
        check_is_fitted(self, "encoder_")
        if not np.isfinite(temperature) or temperature <= 0:
            raise ValueError(f"temperature must be > 0; got {temperature}.")
        return self._sample(n_samples, y, random_state, temperature=temperature)

    def _numeric_noise_scale(self):
        # the learnt output scale of each column (TVAE's sigma)
        return self.module_.log_sigma.detach().cpu().clamp(np.log(0.01), 0.0).exp()

    def _generate(self, c, n_rows, generator, temperature=1.0):
        noise = torch.randn(n_rows, self.module_.latent_dim, generator=generator)
        z = self.module_.prior(c, n_rows) + temperature * noise.to(self.device)
        return self.module_.decode(z, c).cpu()
