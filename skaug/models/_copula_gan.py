"""CopulaGAN: the tabular WGAN-GP on Gaussian-copula-normalised marginals."""

from skaug.encoding import TabularEncoder
from skaug.models._docstrings import GAN_REFERENCES, LABEL_ATTRIBUTES, fill_doc
from skaug.models._gan import TabularGAN


@fill_doc(label_attributes=LABEL_ATTRIBUTES, gan_references=GAN_REFERENCES)
class CopulaGAN(TabularGAN):
    """Conditional WGAN-GP trained on Gaussian-copula-normalised marginals.

    The same network, training and (since the default of
    :class:`~skaug.models.TabularGAN` became rank-based too) the same default
    encoding as :class:`~skaug.models.TabularGAN`: the class is kept under the
    name users know from SDV. Each numeric column is
    first mapped through its empirical CDF and then through the standard
    normal quantile function (``TabularEncoder(numeric_transform="quantile")``),
    so every marginal becomes close to N(0, 1) -- whatever its skewness, heavy
    tails or modes -- and the GAN learns the dependence between columns (the
    copula) in that space. Generated scores are mapped back through the inverse
    transform, so the marginals of the samples follow the empirical ones and
    never leave the training range.

    This is how SDV's ``CopulaGANSynthesizer`` differs from CTGAN: it
    transforms the marginals before the GAN. SDV fits a parametric
    distribution per column (a beta, a truncated Gaussian...), skaug uses the
    empirical CDF (a :class:`~sklearn.preprocessing.QuantileTransformer`),
    which needs no choice of family. CTGAN itself instead uses a mode-specific
    normalisation (a Bayesian Gaussian mixture per column), which skaug does
    not use.

    Read the parameters of :class:`~skaug.models.TabularGAN`; only ``encoder``
    has another default.

    Parameters
    ----------
    encoder : TabularEncoder or None, default=None
        ``None`` uses ``TabularEncoder(numeric_transform="quantile")`` (the
        Gaussian-copula normalisation above). Any other encoder is used as
        given.
    **kwargs
        Every other argument of :class:`~skaug.models.TabularGAN` (``module``,
        ``critic``, ``n_critic``, ``gradient_penalty``, ``optimizer``, ``lr``,
        ``max_epochs``, ``batch_size``, ``train_split``, ``verbose``,
        ``device``, ``random_state``) and of skorch.

    Attributes
    ----------
    encoder_ : TabularEncoder
        The fitted encoder; ``encoder_.numeric_transformer_`` holds the
        fitted quantile transform of the marginals.
    critic_ : torch.nn.Module
        The fitted critic.
    critic_optimizer_ : torch.optim.Optimizer
        The critic's optimizer.
    {label_attributes}
    module_, optimizer_, criterion_, history_ :
        skorch's fitted attributes, as in :class:`TabularGAN`.

    See Also
    --------
    TabularGAN : the same GAN (and, now, the same default encoding).
    GaussianCopula : empirical marginals joined by a Gaussian copula, no
        neural network.

    Notes
    -----
    The empirical CDF is estimated with at most ``encoder.n_quantiles``
    quantiles (1000 by default); between them the transform is linear, so
    generated values of a continuous column lie between observed quantiles,
    and the extremes of the training data bound the samples.

    References
    ----------
    {gan_references}
    .. [5] The Synthetic Data Vault, ``CopulaGANSynthesizer``,
       https://docs.sdv.dev/sdv/single-table-data/modeling/synthesizers/copulagansynthesizer

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skaug.models import CopulaGAN
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> gan = CopulaGAN(max_epochs=5, random_state=0).fit(X, y)
    >>> gan.encoder_.numeric_transform
    'quantile'
    >>> X_new, y_new = gan.sample(3, random_state=0)
    >>> X_new.shape, bool((X_new >= X.min()).all(axis=None))
    ((3, 4), True)
    """

    def _default_encoder(self):
        return TabularEncoder(numeric_transform="quantile")
