"""CopulaGAN: the tabular WGAN-GP on Gaussian-copula-normalised marginals."""

from skaug.encoding import TabularEncoder
from skaug.models._gan import TabularGAN


class CopulaGAN(TabularGAN):
    """Conditional WGAN-GP trained on Gaussian-copula-normalised marginals.

    The same network and training as :class:`~skaug.models.TabularGAN`; only
    the default encoding of numeric columns differs. Each numeric column is
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
    normalisation (a Bayesian Gaussian mixture per column), which neither
    :class:`~skaug.models.TabularGAN` (standard scaling) nor this class uses.

    Read the parameters of :class:`~skaug.models.TabularGAN`; only ``encoder``
    has another default.

    Parameters
    ----------
    encoder : TabularEncoder or None, default=None
        ``None`` uses ``TabularEncoder(numeric_transform="quantile")`` (the
        Gaussian-copula normalisation above). Any other encoder is used as
        given, which makes the model a plain :class:`TabularGAN`.
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
    classes_ : ndarray or None
        Class labels seen in ``fit``; ``None`` for an unconditional GAN.
    class_prior_ : ndarray or None
        Relative frequency of each class, used when ``sample`` gets no labels.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Input column names; only when fitted on a DataFrame with string names.
    module_, optimizer_, criterion_, history_ :
        skorch's fitted attributes, as in :class:`TabularGAN`.

    See Also
    --------
    TabularGAN : the same GAN on standardised numeric columns.
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
    .. [1] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
    .. [2] M. Arjovsky, S. Chintala and L. Bottou, "Wasserstein Generative
       Adversarial Networks", ICML 2017.
    .. [3] I. Gulrajani, F. Ahmed, M. Arjovsky, V. Dumoulin and A. Courville,
       "Improved Training of Wasserstein GANs", NeurIPS 2017.
    .. [4] L. Xu, M. Skoularidou, A. Cuesta-Infante and K. Veeramachaneni,
       "Modeling Tabular Data using Conditional GAN", NeurIPS 2019.
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
