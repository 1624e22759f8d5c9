"""TabularGAN: a conditional Wasserstein GAN with gradient penalty for tables."""

from numbers import Integral, Real

import torch
from sklearn.utils._param_validation import Interval
from skorch import NeuralNet
from skorch.dataset import unpack_data
from skorch.utils import TeeGenerator

from skaug.encoding import TabularEncoder
from skaug.models._base import SkaugNetMixin
from skaug.models._docstrings import (
    GAN_REFERENCES,
    GENERATOR_NET_PARAMETERS,
    LABEL_ATTRIBUTES,
    fill_doc,
)
from skaug.models._generators import ConditionalGeneratorMixin
from skaug.models._modules import GANCritic, GANGenerator

# Adam's betas of Gulrajani et al. (2017), used when optimizer__betas is not given.
_WGAN_GP_BETAS = (0.5, 0.9)


@fill_doc(
    net_parameters=GENERATOR_NET_PARAMETERS.format(noise="noise"),
    label_attributes=LABEL_ATTRIBUTES,
    gan_references=GAN_REFERENCES,
)
class TabularGAN(ConditionalGeneratorMixin, SkaugNetMixin, NeuralNet):
    """Conditional Wasserstein GAN with gradient penalty for mixed tables.

    The data go through a :class:`~skaug.encoding.TabularEncoder` (numeric
    columns quantile-normalised, categoricals one-hot, missing values as
    indicator blocks). A generator maps Gaussian noise to encoded rows, a critic scores
    rows, and the two are trained adversarially with the WGAN-GP objective:
    ``n_critic`` critic updates per generator update, the critic's gradient
    norm kept near 1 on interpolates between real and generated rows by a
    penalty of weight ``gradient_penalty``. When ``y`` is given to ``fit`` the
    GAN is *conditional*: the one-hot label is appended to the generator's noise
    and to the critic's input, and :meth:`sample` can ask for rows of a given
    class.

    It is a skorch :class:`~skorch.NeuralNet`: it takes ``module__*``,
    ``critic__*``, ``optimizer__*``, ``lr``, ``max_epochs``, ``batch_size``,
    ``callbacks``, ``device`` and the rest of skorch's arguments.

    Parameters
    ----------
    encoder : TabularEncoder or None, default=None
        Transformer from the user's data to the encoded float matrix and back
        (it must publish ``spans_``). It is cloned into ``encoder_`` at fit.
        ``None`` uses ``TabularEncoder(numeric_transform="quantile")``: every
        numeric marginal is mapped to a normal one, so the GAN learns the
        dependence between columns rather than the shape of each marginal
        (the same GAN on ``"standard"`` scaling, the default before, was far
        easier to tell from real rows: detection AUC 0.99 against 0.60 in
        issue 15's measurement). Pass ``TabularEncoder(categorical_features=
        [...])`` to declare columns.
    module : torch module class, default=GANGenerator
        The generator, configured with ``module__latent_dim`` (64),
        ``module__hidden_units`` ((128, 128)), ``module__batch_norm`` (True)
        and ``module__tau`` (0.2, the Gumbel-softmax temperature);
        ``n_features``, ``n_conditions`` and the column layout ``spans`` are
        read off the data.
    critic : torch module class, default=GANCritic
        The critic, created at initialisation into ``critic_`` and configured
        with ``critic__hidden_units`` ((128, 128)), ``critic__pac`` (1: rows
        per PacGAN pack), ``critic__dropout`` (0.0); ``n_features`` and
        ``n_conditions`` are read off the data.
    n_critic : int, default=5
        Critic updates per generator update. Each mini-batch of real rows is
        used for ``n_critic`` critic updates (fresh noise each time), then one
        generator update.
    gradient_penalty : float, default=10.0
        Weight ``lambda`` of the gradient penalty.
    optimizer : torch optimizer class, default=torch.optim.Adam
        Optimizer of the generator (``optimizer_``) and of the critic
        (``critic_optimizer_``). With Adam (or AdamW), ``betas`` defaults to
        ``(0.5, 0.9)`` as in Gulrajani et al. unless ``optimizer__betas`` is
        given. The critic's optimizer takes ``lr`` and the ``optimizer__*``
        arguments too, overridden by ``critic_optimizer__*`` ones.
    lr : float, default=2e-4
        Learning rate of both optimizers.
    max_epochs : int, default=300
    batch_size : int, default=64
        Real rows per mini-batch (the last one may be smaller). The batches are
        shuffled every epoch (``iterator_train__shuffle=False`` turns it off).
    train_split : callable or None, default=None
        skorch's validation split; ``None`` trains on all rows. With a split,
        ``valid_loss`` is the critic's estimate of the Wasserstein distance
        between validation and generated rows.
    {net_parameters}

    Attributes
    ----------
    encoder_ : TabularEncoder
        The fitted encoder.
    critic_ : torch.nn.Module
        The fitted critic.
    critic_optimizer_ : torch.optim.Optimizer
        The critic's optimizer.
    {label_attributes}
    module_, optimizer_, criterion_, history_ :
        skorch's fitted attributes (``module_`` is the generator;
        ``criterion_`` is unused). Every training batch records
        ``critic_loss`` (the last critic update's loss, penalty included),
        ``gradient_penalty`` (unweighted), ``wasserstein`` (the critic's
        estimate ``mean C(real) - mean C(fake)``) and ``generator_loss``
        (``-mean C(fake)``, also skorch's ``train_loss``).

    See Also
    --------
    CopulaGAN : the same GAN on quantile-normalised marginals.
    TabularVAE : a conditional VAE; usually faster to train and more stable
        on small tables.
    TabularEncoder : the column layout the GAN learns.

    Notes
    -----
    Each categorical or missing-indicator block of the generator's output goes
    through a Gumbel-softmax during training, so that the critic sees nearly
    one-hot rows, as in CTGAN [4]_. :meth:`sample` draws each block's level
    from the softmax of the generator's logits (which is what the Gumbel
    trick samples from), so rare levels and the rate of missing values are
    reproduced; numeric columns are taken as generated.

    The GAN is conditional on the class label only. CTGAN's other devices --
    mode-specific normalisation and training-by-sampling on every discrete
    column -- are not used; the critic can pack rows (``critic__pac``) as
    CTGAN does (pac=10 there), which costs little but needs larger batches.

    GANs need more epochs than VAEs and are sensitive to the learning rate and
    the network sizes; on a small table (a few hundred rows) expect
    :class:`~skaug.models.TabularVAE` or
    :class:`~skaug.models.GaussianCopula` to fit at least as well.

    **Input rules.** ``y`` is optional; given, it holds class labels: one class is
    fine (a conditional model of that class), a class with a single row is fine,
    integral floats (``0.0``, ``1.0``) are labels (``sample`` returns them as
    floats), and non-integral floats (a continuous target), NaN or inf are a
    ``ValueError``. ``X`` needs at least 2 rows. Missing values are reproduced (only
    in columns that had some at fit), a constant column stays constant, and
    ``±inf``, free-text columns and empty input are a ``ValueError`` from the
    encoder. Huge finite values (``1e300``) overflow an opt-in ``"standard"`` scaling:
    a ``ValueError`` suggests the rank-based default or rescaling. A last
    mini-batch of one row is padded with a second row drawn from it (the generator's
    BatchNorm needs two). A training loss that turns NaN or inf stops the fit with
    :class:`~skaug.exceptions.DivergenceError` (lower ``lr`` or scale the data).

    References
    ----------
    {gan_references}

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skaug.models import TabularGAN
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> gan = TabularGAN(max_epochs=5, random_state=0).fit(X, y)
    >>> X_new, y_new = gan.sample(4, y=2, random_state=0)
    >>> X_new.shape, list(X_new.columns) == list(X.columns), y_new.tolist()
    ((4, 4), True, [2, 2, 2, 2])
    >>> sorted(gan.history[-1, "batches", 0])
    ['critic_loss', 'generator_loss', 'gradient_penalty', 'train_batch_size',
     'train_loss', 'wasserstein']
    """

    _parameter_constraints = {
        **ConditionalGeneratorMixin._parameter_constraints,
        "n_critic": [Interval(Integral, 1, None, closed="left")],
        "gradient_penalty": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        encoder=None,
        module=GANGenerator,
        critic=GANCritic,
        n_critic=5,
        gradient_penalty=10.0,
        lr=2e-4,
        **kwargs,
    ):
        self.critic = critic
        self.n_critic = n_critic
        self.gradient_penalty = gradient_penalty
        super().__init__(
            module,
            encoder=encoder,
            # skorch requires a criterion; the WGAN losses are computed in
            # train_step, so it is never called (clone passes it back).
            criterion=kwargs.pop("criterion", torch.nn.Identity),
            lr=lr,
            **kwargs,
        )

    def _default_encoder(self):
        # quantile-normalised numeric columns: with standard scaling the same
        # GAN's rows were far easier to detect (issue 15: detection AUC 0.99
        # against 0.60)
        return TabularEncoder(numeric_transform="quantile")

    # -- data-dependent wiring -------------------------------------------------

    def _data_dependent_params(self, prefix):
        if prefix not in ("module", "critic"):
            return {}
        self._check_encoder_fitted()
        sizes = {
            "n_features": self.encoder_.n_encoded_features_,
            "n_conditions": self._n_conditions,
        }
        if prefix == "module":
            sizes["spans"] = self.encoder_.spans_
        return sizes

    def get_params_for(self, prefix):
        kwargs = super().get_params_for(prefix)
        if prefix == "iterator_train":
            kwargs.setdefault("shuffle", True)
        return kwargs

    def initialize_module(self):
        super().initialize_module()
        self.critic_ = self.initialized_instance(
            self.critic, self.get_params_for("critic")
        )
        return self

    def _optimizer_kwargs(self, kwargs):
        optimizer = self.optimizer
        if isinstance(optimizer, type) and issubclass(
            optimizer, torch.optim.Adam | torch.optim.AdamW
        ):
            kwargs.setdefault("betas", _WGAN_GP_BETAS)
        return kwargs

    def initialize_optimizer(self, triggered_directly=None):
        # the generator's optimizer sees the generator only (skorch's default
        # would hand it the critic's parameters too)
        args, kwargs = self.get_params_for_optimizer(
            "optimizer", self.module_.named_parameters()
        )
        self.optimizer_ = self.optimizer(*args, **self._optimizer_kwargs(kwargs))
        shared = self.get_params_for("optimizer")
        shared.pop("param_groups", None)
        own = self.get_params_for("critic_optimizer")
        args, kwargs = self.get_params_for_optimizer(
            "critic_optimizer", self.critic_.named_parameters()
        )
        kwargs = {**shared, **{k: v for k, v in kwargs.items() if k in own}}
        kwargs.setdefault("lr", self.lr)
        self.critic_optimizer_ = self.optimizer(*args, **self._optimizer_kwargs(kwargs))
        return self

    # -- training ------------------------------------------------------------------

    def _real_batch(self, Xi):
        """The batch's encoded rows and conditions on the device, padded with
        rows drawn again from the batch to a multiple of the critic's pack
        (and to at least 2 rows)."""
        x = torch.as_tensor(Xi["x"], device=self.device)
        c = Xi.get("c")
        c = None if c is None else torch.as_tensor(c, device=self.device)
        # at least 2 rows: the generator's BatchNorm cannot train on one (a
        # last mini-batch of a single row, e.g. 65 rows with batch_size=64)
        n_rows = max(len(x), 2)
        pad = n_rows + (-n_rows % self.critic_.pac) - len(x)
        if pad:
            extra = torch.randint(len(x), (pad,), device=self.device)
            x = torch.cat([x, x[extra]])
            c = None if c is None else torch.cat([c, c[extra]])
        return x, c

    def _fake(self, c, n_rows):
        z = torch.randn(n_rows, self.module_.latent_dim, device=self.device)
        return self.module_(z, c)

    def _critic_terms(self, real, fake, c):
        """The critic's Wasserstein estimate ``mean C(real) - mean C(fake)`` and
        the gradient penalty: the mean of ``(||grad C(x_hat)|| - 1)**2`` over
        packs, ``x_hat`` a random interpolate (one weight per pack) between
        real and generated rows. One forward pass scores all three."""
        pac = self.critic_.pac
        n_packs = len(real) // pac
        alpha = torch.rand(n_packs, 1, device=self.device).repeat_interleave(pac, 0)
        mixed = (alpha * real + (1.0 - alpha) * fake).requires_grad_(True)
        cc = None if c is None else c.repeat(3, 1)
        scores = self.critic_(torch.cat([real, fake, mixed]), cc)
        score_real, score_fake, score_mixed = scores.split(n_packs)
        (grad,) = torch.autograd.grad(score_mixed.sum(), mixed, create_graph=True)
        norm = grad.reshape(n_packs, -1).norm(2, dim=1)
        penalty = ((norm - 1.0) ** 2).mean()
        return score_real.mean() - score_fake.mean(), penalty

    def _step(self, optimizer, loss, module, batch):
        optimizer.zero_grad()
        loss.backward()
        self.notify(
            "on_grad_computed",
            named_parameters=TeeGenerator(module.named_parameters()),
            batch=batch,
            training=True,
        )
        optimizer.step()

    # skorch's train_step zero-grads and steps every optimizer around a single
    # loss; WGAN-GP alternates two losses and two optimizers, so this is the
    # hook to override (skorch's loop, callbacks and history are kept).
    def train_step(self, batch, **fit_params):
        """One mini-batch: ``n_critic`` critic updates, then one generator
        update; the losses are recorded in the batch history."""
        self._set_training(True)
        Xi, _ = unpack_data(batch)
        real, c = self._real_batch(Xi)
        for _ in range(self.n_critic):
            with torch.no_grad():
                fake = self._fake(c, len(real))
            wasserstein, penalty = self._critic_terms(real, fake, c)
            critic_loss = -wasserstein + self.gradient_penalty * penalty
            self._step(self.critic_optimizer_, critic_loss, self.critic_, batch)

        fake = self._fake(c, len(real))
        generator_loss = -self.critic_(fake, c).mean()
        self._step(self.optimizer_, generator_loss, self.module_, batch)

        for name, value in (
            ("critic_loss", critic_loss),
            ("gradient_penalty", penalty),
            ("wasserstein", wasserstein),
            ("generator_loss", generator_loss),
        ):
            self.history.record_batch(name, value.item())
        return {"loss": generator_loss.detach(), "y_pred": fake.detach()}

    def validation_step(self, batch, **fit_params):
        """The critic's Wasserstein estimate between a validation batch and as
        many generated rows (lower is better)."""
        self._set_training(False)
        Xi, _ = unpack_data(batch)
        real, c = self._real_batch(Xi)
        with torch.no_grad():
            fake = self._fake(c, len(real))
            loss = self.critic_(real, c).mean() - self.critic_(fake, c).mean()
        return {"loss": loss, "y_pred": fake}

    # -- sampling ----------------------------------------------------------------

    def _generate(self, c, n_rows, generator):
        noise = torch.randn(n_rows, self.module_.latent_dim, generator=generator)
        return self.module_.decode(noise.to(self.device), c).cpu()
