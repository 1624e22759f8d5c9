"""GaussianCopula: empirical marginals joined by a Gaussian copula (numpy/scipy)."""

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight

from skaug.encoding import TabularEncoder
from skaug.models._copula_parts import (
    EPS,
    MIN_CLUSTER_ROWS,
    clusters,
    level_order,
    normal_scores,
    pairwise_correlation,
    regularise,
)
from skaug.models._docstrings import ENCODER_PARAMETER, LABEL_ATTRIBUTES, fill_doc
from skaug.models._generators import TabularGeneratorMixin, fit_encoder
from skaug.utils._persistence import VersionedPickleMixin
from skaug.utils._random import SEED_MAX, draw_seed
from skaug.utils._validation import fit_labels

__all__ = ["GaussianCopula"]

# Most quantiles kept per numeric marginal (fewer when a group has fewer rows).
_N_QUANTILES = 1000
# n_clusters="auto": one cluster per this many rows of a class (real tables:
# doc/benchmarks.rst, "A mixture of copulas"), at most _MAX_AUTO_CLUSTERS.
_ROWS_PER_CLUSTER = 100
_MAX_AUTO_CLUSTERS = 50


@dataclass
class _Copula:
    """Fitted state of one copula (private): the copula of one class, or the
    single copula of an unconditional model."""

    n_samples: int
    # (n_quantiles, n_numeric): quantiles of each numeric encoded column, at
    # probabilities linspace(0, 1, n_quantiles)
    quantiles: np.ndarray
    # one array per one-hot block: the block positions of its levels in the
    # order they take on [0, 1]
    orders: list
    # one array per one-hot block: the interval boundaries
    # 0 = e_0 <= ... <= e_w = 1 on [0, 1]; the i-th level of the order owns
    # [e_i, e_i+1), of width its frequency
    edges: list
    # (p, p) correlation matrix of the latent normal scores and a factor F with
    # F @ F.T == correlation
    correlation: np.ndarray
    factor: np.ndarray
    # a weighted fit with locality > 0: the latent scores of the rows (missing
    # ones drawn at random) and the rows' shares of the cluster's weight
    seeds: np.ndarray | None = None
    seed_weight: np.ndarray | None = None


@fill_doc(encoder=ENCODER_PARAMETER, label_attributes=LABEL_ATTRIBUTES)
class GaussianCopula(TabularGeneratorMixin, VersionedPickleMixin, BaseEstimator):
    """Gaussian-copula generator for mixed tables: empirical marginals, joined
    by a Gaussian copula.

    The fast, training-free baseline among skaug's generators: no neural net,
    a few passes over the data with numpy and scipy. Every column keeps its
    empirical distribution (marginal); the dependence between columns is that
    of a multivariate normal over the columns' normal scores (the copula).
    When ``y`` is given to :meth:`fit`, each class gets its own model, and
    :meth:`sample` can ask for rows of a given class. A class of many rows is
    split by k-means into clusters with a copula each (a mixture of
    copulas), which keeps multi-modal and non-linear structure that one
    copula flattens.

    Read more in the :ref:`User Guide <generators>`.

    Parameters
    ----------
    {encoder}
        The model learns the marginals of whatever numeric scale the encoder
        produces, so ``numeric_transform`` does not change the generated data
        much.
    shrinkage : float in [0, 1], default=0.01
        Weight of the identity in the correlation matrix of each copula,
        ``(1 - shrinkage) * R + shrinkage * I`` (``R`` the estimated
        correlation): keeps the matrix well conditioned when columns are
        collinear or a class has fewer rows than columns. 0 keeps the estimate
        (made positive definite by raising its eigenvalues to 1e-6); 1 makes
        the columns independent.
    n_clusters : "auto" or int, default="auto"
        Clusters per class (or of all rows, unconditional), each with its own
        copula; rows are sampled from a cluster in proportion to its size.
        ``"auto"``: one per 100 rows, at most 50 (1 under 200 rows); 1 is a
        single copula. A cluster keeps at least 10 rows (smaller ones join
        their nearest cluster), so a copula never copies a handful of rows.
        Above 20,000 rows in a class, k-means finds the centres on a random
        20,000 of them (seeded) and every row joins its nearest centre.
        On 14 real tables the mixture lowered the mean detection AUC from
        0.655 to 0.572 (see the benchmarks page).
    locality : float in [0, 1), default=0.0
        Used only by a fit with ``sample_weight``: a draw then starts from a
        training row picked by its weight and keeps ``locality`` of that
        row's normal scores, ``z = locality * z_row + sqrt(1 - locality^2) *
        e`` with ``e`` a fresh draw of the copula. Equal weights give back the
        copula's distribution; unequal ones put more rows near the heavy
        rows, however few rows the cluster has. 0 ignores the weights inside
        a cluster (only the clusters' shares follow them).
    random_state : int, RandomState instance or None, default=None
        Seeds the k-means of the clusters and the uniform draws that place
        the rows of a categorical level inside the level's interval during
        :meth:`fit` (see Notes). :meth:`sample` uses it when it is given no
        ``random_state`` of its own.

    Attributes
    ----------
    encoder_ : TabularEncoder
        The fitted encoder.
    correlation_ : ndarray of shape (n_copulas, n_latent, n_latent)
        The correlation matrix of each copula (after shrinkage): the clusters
        of each class in the order of ``classes_`` (of all rows for an
        unconditional model). There is one latent variable per span of
        ``encoder_.spans_``: one per numeric column, one per categorical
        column, one per missing indicator.
    n_clusters_ : ndarray of shape (n_classes,)
        Clusters (copulas) of each class (one entry when unconditional).
    {label_attributes}

    See Also
    --------
    TabularVAE : a conditional VAE over the same encoding; slower to fit,
        models non-linear dependence.
    SDVGenerator : adapter to the SDV library's synthesizers (optional).

    Notes
    -----
    **Model.** Each span of the encoding (a numeric column, a one-hot block
    of a categorical column, or the two-column missing indicator of a numeric
    column with missing values) gets one latent variable that is marginally
    standard normal:

    - a numeric column: the normal score ``Phi^-1(F(x))`` of its value under
      the empirical CDF ``F`` of the column (at most 1000 quantiles, tied
      values at the middle of their plateau, Hazen plotting positions). The
      CDF is taken of the encoded values, a monotone map of the raw ones, so
      the copula is that of the raw columns;
    - a categorical or missing-indicator block: the levels split ``[0, 1]``
      into intervals whose widths are their frequencies; a row's score is
      ``Phi^-1(u)`` for ``u`` drawn uniformly inside its level's interval
      (seeded by ``random_state``). Uniform draws rather than the midpoint
      make the score exactly standard normal, so sampling reproduces the
      level frequencies; the price is a slight attenuation of the
      correlations that involve categoricals. One latent variable is monotone
      in one order of the levels only, so a block of three or more levels is
      ordered along its strongest link with the numeric columns (the first
      dimension of optimal scaling: level scores whose covariances with the
      numeric scores are largest), not alphabetically; e.g. a missing level
      is not forced to one end.

    The correlation matrix of these scores is estimated over the rows where
    both scores are observed (a numeric value that is missing has no score;
    its missing indicator has one), made positive definite and shrunk toward
    the identity by ``shrinkage``. :meth:`sample` draws ``z ~ N(0, R)`` from a
    seeded :class:`numpy.random.Generator`, maps numeric scores back through
    the empirical quantile function (so values stay within the training
    range) and categorical scores to the level whose interval holds
    ``Phi(z)``, then decodes with ``encoder_.inverse_transform``: missing
    values come back at their rate, integer columns rounded, categories and
    dtypes restored.

    **Conditional model.** With ``y``, each class gets its own marginals and
    correlation matrix, estimated on its rows only, so class-conditional
    dependence is kept. A class with a single row has point-mass marginals
    (that row's values), so every row sampled for it is a copy of that row:
    the only thing one row tells (falling back to a copula of all rows would
    label rows of other classes as this one). Its correlation matrix cannot
    be estimated and plays no part; ``correlation_`` shows the identity for
    it.

    **Limits.** The copula captures monotone, roughly linear-in-scores
    dependence; interactions (e.g. XOR-like patterns) and multi-modal
    dependence are lost. Values never leave the training range.

    **Cost.** Fit is a handful of vectorised passes over the encoded matrix:
    ``O(n d^2)`` for ``n`` rows and ``d`` spans, plus one ``d x d``
    eigendecomposition per class; sampling is ``O(n d^2)`` too.

    **Input rules.** ``y`` is optional; given, it holds class labels: one class is
    fine (a conditional model of that class), a class with a single row is fine (its
    rows are copies of that row, see above), integral floats (``0.0``, ``1.0``) are
    labels (``sample`` returns them as floats), and non-integral floats (a
    continuous target), NaN or inf are a ``ValueError``. ``X`` needs at least 2
    rows. Missing values are reproduced (only in columns that had some at fit), a
    constant column stays constant, and ``±inf``, free-text columns and empty input
    are a ``ValueError`` from the encoder. Huge finite values (``1e300``) are fine.

    References
    ----------
    .. [1] N. Patki, R. Wedge and K. Veeramachaneni, "The Synthetic Data
       Vault", IEEE International Conference on Data Science and Advanced
       Analytics (DSAA), 2016.
    .. [2] R. B. Nelsen, "An Introduction to Copulas", 2nd ed., Springer, 2006.
    .. [3] O. Ledoit and M. Wolf, "A well-conditioned estimator for
       large-dimensional covariance matrices", Journal of Multivariate
       Analysis, 88(2), 2004 (shrinkage toward the identity).

    Examples
    --------
    >>> from sklearn.datasets import load_wine
    >>> from skaug.models import GaussianCopula
    >>> X, y = load_wine(return_X_y=True, as_frame=True)
    >>> copula = GaussianCopula(random_state=0).fit(X, y)
    >>> X_new, y_new = copula.sample(4, y=2, random_state=0)
    >>> X_new.shape, list(X_new.columns) == list(X.columns), y_new.tolist()
    ((4, 13), True, [2, 2, 2, 2])
    >>> X_all, y_all = copula.sample(1000, random_state=0)
    >>> bool(X_all["alcohol"].between(X["alcohol"].min(), X["alcohol"].max()).all())
    True
    """

    _fitted_attribute = "correlation_"
    _parameter_constraints: dict = {
        "encoder": [HasMethods(["fit", "transform", "inverse_transform"]), None],
        "shrinkage": [Interval(numbers.Real, 0, 1, closed="both")],
        "n_clusters": [
            StrOptions({"auto"}),
            Interval(numbers.Integral, 1, None, closed="left"),
        ],
        "locality": [Interval(numbers.Real, 0, 1, closed="left")],
        "random_state": ["random_state"],
    }

    # Each class has its own copulas, so fitting on some classes' rows gives
    # those classes the same model (the sampler fits only what it samples).
    models_classes_independently = True

    def __init__(
        self,
        *,
        encoder=None,
        shrinkage=0.01,
        n_clusters="auto",
        locality=0.0,
        random_state=None,
    ):
        self.encoder = encoder
        self.shrinkage = shrinkage
        self.n_clusters = n_clusters
        self.locality = locality
        self.random_state = random_state

    # -- fit ---------------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Fit the encoder, then the marginals and the copula(s).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Training data; mixed types and missing values are handled by the
            encoder.
        y : array-like of shape (n_samples,), default=None
            Class labels. Given, one copula is fitted per class and
            :meth:`sample` can condition on them.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows in the **mixture**: a cluster is sampled in
            proportion to the sum of its rows' weights (within its class)
            instead of its number of rows. The marginals, the correlations
            and the clusters themselves are fitted unweighted, so the
            weights move rows between regions of the data without
            distorting any region. ``UncertaintySampler`` passes the rows'
            uncertainty here to guide the copula (see its
            ``uncertainty_weight``). Non-negative, finite, and not all 0
            within a class. With ``locality > 0`` the weights also act within
            a cluster: each row seeds draws in proportion to its weight.

        Returns
        -------
        self : GaussianCopula
            The fitted generator.
        """
        Xt = fit_encoder(self, X, TabularEncoder())
        if not hasattr(self.encoder_, "spans_"):
            raise TypeError(
                f"The encoder {type(self.encoder_).__name__} has no spans_ after "
                "fit: GaussianCopula reads the column layout from it. Use a "
                "TabularEncoder."
            )
        self._read_layout(self.encoder_.spans_)

        rng = np.random.default_rng(draw_seed(self.random_state))
        self.classes_, self.class_prior_, y_index = fit_labels(y, len(Xt))
        if y_index is None:
            groups = [np.arange(len(Xt))]
        else:
            groups = [np.flatnonzero(y_index == k) for k in range(len(self.classes_))]
        # per class (or for all rows): a list of (weight, copula), one per cluster
        weight = _check_weights(sample_weight, len(Xt), groups)
        seeded = sample_weight is not None and self.locality > 0
        self._mixtures = [
            self._fit_mixture(Xt[rows], rng, weight[rows], seeded) for rows in groups
        ]
        self.n_clusters_ = np.array([len(m) for m in self._mixtures])
        self.correlation_ = np.stack(
            [copula.correlation for m in self._mixtures for _, copula in m]
        )
        return self

    def _cluster_count(self, n_rows):
        if self.n_clusters == "auto":
            wanted = min(_MAX_AUTO_CLUSTERS, n_rows // _ROWS_PER_CLUSTER)
        else:
            wanted = self.n_clusters
        return max(1, min(wanted, n_rows // MIN_CLUSTER_ROWS))

    def _fit_mixture(self, Xt, rng, weight, seeded):
        """Copulas of the clusters of the rows ``Xt``, with their shares of
        the rows' ``weight`` (kept per row too when ``seeded``)."""
        n_clusters = self._cluster_count(len(Xt))
        labels = np.zeros(len(Xt), dtype=np.intp)
        if n_clusters > 1:
            labels = clusters(Xt, n_clusters, int(rng.integers(SEED_MAX)))
        mixture = []
        for j in np.unique(labels):
            rows = labels == j
            copula = self._fit_copula(Xt[rows], rng, weight[rows] if seeded else None)
            mixture.append((weight[rows].sum() / weight.sum(), copula))
        return mixture

    def _read_layout(self, spans):
        """Which encoded columns feed each latent variable."""
        numeric_latent, numeric_column, missing_column = [], [], []
        block_latent, blocks = [], []
        missing_of = {
            span.feature: span.start + 1 for span in spans if span.kind == "missing"
        }
        for i, span in enumerate(spans):
            if span.kind == "numeric":
                numeric_latent.append(i)
                numeric_column.append(span.start)
                missing_column.append(missing_of.get(span.feature, -1))
            else:
                block_latent.append(i)
                blocks.append((span.start, span.stop))
        self._numeric_latent = np.array(numeric_latent, dtype=np.intp)
        self._numeric_column = np.array(numeric_column, dtype=np.intp)
        self._missing_column = np.array(missing_column, dtype=np.intp)
        self._block_latent = np.array(block_latent, dtype=np.intp)
        self._blocks = blocks
        self._n_latent = len(spans)

    def _fit_copula(self, Xt, rng, seed_weight=None):
        """Marginals and correlation of the rows ``Xt`` (one class, or all);
        their latent scores too when ``seed_weight`` is given."""
        n_rows = Xt.shape[0]
        Z = np.empty((n_rows, self._n_latent))
        observed = np.ones((n_rows, self._n_latent), dtype=bool)

        values = Xt[:, self._numeric_column]
        for j, column in enumerate(self._missing_column):
            if column >= 0:  # [observed, missing] block: missing wins the argmax
                values[Xt[:, column] > Xt[:, column - 1], j] = np.nan
        n_quantiles = min(_N_QUANTILES, n_rows)
        probs = np.linspace(0.0, 1.0, n_quantiles)
        quantiles = np.zeros((n_quantiles, values.shape[1]))
        for j in range(values.shape[1]):
            column = values[:, j]
            present = ~np.isnan(column)
            n_observed = int(present.sum())
            if n_observed:
                quantiles[:, j] = np.quantile(column[present], probs)
            Z[:, self._numeric_latent[j]] = normal_scores(
                column, quantiles[:, j], n_observed
            )
            observed[:, self._numeric_latent[j]] = present

        # numeric scores, missing ones at their mean 0, to order the levels
        numeric_scores = np.nan_to_num(Z[:, self._numeric_latent], nan=0.0)
        orders, edges = [], []
        for latent, (start, stop) in zip(self._block_latent, self._blocks):
            codes = Xt[:, start:stop].argmax(axis=1)
            order = level_order(codes, stop - start, numeric_scores)
            rank = np.empty_like(order)
            rank[order] = np.arange(len(order))
            ranks = rank[codes]  # position of each row's level in the order
            freq = np.bincount(ranks, minlength=stop - start) / n_rows
            edge = np.concatenate([[0.0], np.cumsum(freq)])
            edge[-1] = 1.0
            u = edge[ranks] + rng.random(n_rows) * freq[ranks]
            Z[:, latent] = ndtri(np.clip(u, EPS, 1 - EPS))
            orders.append(order)
            edges.append(edge)

        # one row: no correlation to estimate, and none needed (see Notes)
        corr = np.eye(self._n_latent)
        if n_rows >= 2:
            corr = pairwise_correlation(Z, observed)
        corr, factor = regularise(corr, self.shrinkage)
        copula = _Copula(n_rows, quantiles, orders, edges, corr, factor)
        if seed_weight is not None:
            missing = np.isnan(Z)
            Z[missing] = rng.standard_normal(int(missing.sum()))
            copula.seeds = Z
            copula.seed_weight = seed_weight / seed_weight.sum()
        return copula

    # -- sample ------------------------------------------------------------------

    def _sample_encoded(self, copula, n_rows, rng, out):
        """Draw ``n_rows`` encoded rows from one copula into ``out``."""
        z = rng.standard_normal((n_rows, self._n_latent)) @ copula.factor.T
        if copula.seeds is not None:
            # z ~ N(0, R) and a seed's scores ~ N(0, R) give
            # r * seed + sqrt(1 - r^2) * z ~ N(0, R): uniform seeds keep the
            # copula, weighted ones tilt it toward their rows
            seeds = rng.choice(len(copula.seeds), size=n_rows, p=copula.seed_weight)
            r = self.locality
            z = r * copula.seeds[seeds] + np.sqrt(1.0 - r * r) * z
        u = np.clip(ndtr(z), EPS, 1 - EPS)
        probs = np.linspace(0.0, 1.0, copula.quantiles.shape[0])
        for j, latent in enumerate(self._numeric_latent):
            out[:, self._numeric_column[j]] = np.interp(
                u[:, latent], probs, copula.quantiles[:, j]
            )
        rows = np.arange(n_rows)
        for order, edge, latent, (start, _) in zip(
            copula.orders, copula.edges, self._block_latent, self._blocks
        ):
            ranks = np.searchsorted(edge[1:-1], u[:, latent], side="right")
            out[rows, start + order[ranks]] = 1.0

    def _sample_mixture(self, mixture, n_rows, rng, out):
        """Draw ``n_rows`` encoded rows from a mixture of copulas into
        ``out``: each row's cluster by the clusters' weights."""
        if len(mixture) == 1:
            self._sample_encoded(mixture[0][1], n_rows, rng, out)
            return
        weights = np.array([weight for weight, _ in mixture])
        which = rng.choice(len(mixture), size=n_rows, p=weights / weights.sum())
        for j, (_, copula) in enumerate(mixture):
            rows = np.flatnonzero(which == j)
            block = np.zeros((len(rows), out.shape[1]))
            self._sample_encoded(copula, len(rows), rng, block)
            out[rows] = block

    def _sample_encoded_rows(self, n_samples, index, rng):
        """``n_samples`` encoded rows of the classes ``index``."""
        Xt = np.zeros((n_samples, self.encoder_.n_encoded_features_))
        if index is None:
            self._sample_mixture(self._mixtures[0], n_samples, rng, Xt)
        else:
            for k in np.unique(index):
                rows = np.flatnonzero(index == k)
                block = np.zeros((len(rows), Xt.shape[1]))
                self._sample_mixture(self._mixtures[k], len(rows), rng, block)
                Xt[rows] = block
        return Xt

    def _sample_rows(self, n_samples, index, seed, rng):
        """``n_samples`` rows of the classes ``index``, decoded by the encoder."""
        Xt = self._sample_encoded_rows(n_samples, index, rng)
        # inverse_transform needs a row: decode one dummy row, keep none of it
        if n_samples == 0:
            Xt = np.zeros((1, Xt.shape[1]))
        X_new = self.encoder_.inverse_transform(Xt)[:n_samples]
        if isinstance(X_new, pd.DataFrame):
            X_new = X_new.reset_index(drop=True)
        return X_new


def _check_weights(sample_weight, n_rows, groups):
    """Row weights (ones for ``None``), checked to be usable per group."""
    if sample_weight is None:
        return np.ones(n_rows)
    weight = _check_sample_weight(
        sample_weight, np.empty((n_rows, 0)), dtype=np.float64, ensure_non_negative=True
    )
    if any(weight[rows].sum() <= 0 for rows in groups):
        raise ValueError(
            "sample_weight is zero for every row of a class: give every class "
            "at least one positive weight."
        )
    return weight
