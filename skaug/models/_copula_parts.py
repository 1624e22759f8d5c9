"""The pieces of GaussianCopula: normal scores, level orders, correlations,
clusters (numpy, scipy and scikit-learn functions without estimator state)."""

import numpy as np
from scipy.special import ndtri
from sklearn.cluster import KMeans

# Probabilities are kept in [EPS, 1 - EPS] before the normal quantile
# function, as scikit-learn's QuantileTransformer does (|score| <= 5.2).
EPS = 1e-7
# Eigenvalues of an estimated correlation matrix are raised to at least this
# before the shrinkage, so that the matrix is a valid correlation matrix.
EIGEN_FLOOR = 1e-6
# Fewest rows with both values observed for a pairwise correlation to be used
# (with fewer, the pair is taken as uncorrelated).
MIN_PAIRS = 3
# A cluster smaller than this joins its nearest larger cluster: a copula of a
# handful of rows would copy them.
MIN_CLUSTER_ROWS = 10
# k-means finds the clusters' centres on at most this many rows (a seeded
# random subset) and then labels every row by its nearest centre: with at
# most 50 clusters that is 400 rows a centre, and the fit's cost stops
# growing with the class (k-means took 18 of the 23 s of a 100k-row fit).
KMEANS_FIT_ROWS = 20_000


def normal_scores(values, quantiles, n_observed):
    """Normal scores of one numeric column under its empirical CDF.

    The CDF is read off the quantiles, averaging the forward and backward
    interpolations so that tied values get the middle of their plateau (as
    QuantileTransformer does); the probability p is then moved to the
    plotting position ``(p * (n - 1) + 0.5) / n`` (Hazen), so that the smallest
    and largest values get finite scores rather than the clipped extremes.
    Missing values stay NaN.
    """
    probs = np.linspace(0.0, 1.0, quantiles.shape[0])
    if quantiles.shape[0] == 1 or n_observed <= 1:
        p = np.where(np.isnan(values), np.nan, 0.5)
    else:
        p = 0.5 * (
            np.interp(values, quantiles, probs)
            - np.interp(-values, -quantiles[::-1], -probs[::-1])
        )
        p = (p * (n_observed - 1) + 0.5) / n_observed
    return ndtri(np.clip(p, EPS, 1 - EPS))


def level_order(codes, n_levels, scores):
    """Order the levels of a categorical block along its strongest link with
    the numeric columns.

    A single latent variable can only be monotone in one order of the levels.
    The order used is that of the level scores ``q`` (one per level, zero
    mean and unit variance under the level frequencies) whose squared
    covariances with the numeric normal scores are largest in total: the top
    left singular vector of ``P^1/2 M``, with ``P`` the level frequencies and
    ``M`` the mean numeric scores of each level (the first dimension of
    optimal scaling / correspondence analysis). Without numeric columns, or
    with two levels (either order gives the same dependence), the block order
    is kept. Levels absent from the rows go last; they get no width anyway.
    """
    if scores.shape[1] == 0 or n_levels <= 2:
        return np.arange(n_levels)
    counts = np.bincount(codes, minlength=n_levels).astype(np.float64)
    present = counts > 0
    if present.sum() <= 2:
        return np.argsort(~present, kind="stable")
    sums = np.column_stack(
        [np.bincount(codes, weights=column, minlength=n_levels) for column in scores.T]
    )
    means = sums[present] / counts[present, None]
    means -= means.T @ (counts[present] / counts.sum())  # centre under P
    weights = np.sqrt(counts[present] / counts.sum())
    left = np.linalg.svd(weights[:, None] * means, full_matrices=False)[0][:, 0]
    if left[np.argmax(np.abs(left))] < 0:  # a fixed sign: a reproducible order
        left = -left
    level_scores = np.full(n_levels, np.inf)
    level_scores[present] = left / weights
    return np.argsort(level_scores, kind="stable")


def pairwise_correlation(Z, observed):
    """Pearson correlation of the columns of Z over the rows where both are
    observed (pairwise-complete), by a few matrix products.

    Pairs with fewer than ``MIN_PAIRS`` common rows or a constant column get 0.
    """
    W = observed.astype(np.float64)
    A = np.where(observed, Z, 0.0)
    n = W.T @ W  # rows where both i and j are observed
    sx = A.T @ W  # sx[i, j]: sum of z_i over those rows
    sxx = (A * A).T @ W
    sxy = A.T @ A
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = sxy - sx * sx.T / n
        var = sxx - sx**2 / n
        corr = cov / np.sqrt(var * var.T)
    bad = ~np.isfinite(corr) | (n < MIN_PAIRS) | (var <= 1e-12) | (var.T <= 1e-12)
    corr[bad] = 0.0
    corr = np.clip(corr, -1.0, 1.0)
    np.fill_diagonal(corr, 1.0)
    return 0.5 * (corr + corr.T)


def regularise(corr, shrinkage):
    """A positive definite correlation matrix near ``corr`` and a factor of it.

    Eigenvalues are raised to ``EIGEN_FLOOR`` (a pairwise-complete estimate
    need not be positive semi-definite), the result is rescaled to a unit
    diagonal, then shrunk toward the identity:
    ``(1 - shrinkage) * C + shrinkage * I``.
    """
    values, vectors = np.linalg.eigh(corr)
    corr = (vectors * np.maximum(values, EIGEN_FLOOR)) @ vectors.T
    scale = np.sqrt(np.diag(corr))
    corr = corr / np.outer(scale, scale)
    corr = (1.0 - shrinkage) * corr + shrinkage * np.eye(len(corr))
    corr = 0.5 * (corr + corr.T)
    values, vectors = np.linalg.eigh(corr)
    factor = vectors * np.sqrt(np.maximum(values, 0.0))
    return corr, factor


def clusters(Xt, n_clusters, seed):
    """k-means labels of the encoded rows (centres found on at most
    ``KMEANS_FIT_ROWS`` of them), clusters of fewer than ``MIN_CLUSTER_ROWS``
    rows merged into their nearest larger one."""
    kmeans = KMeans(n_clusters=n_clusters, n_init=3, random_state=seed)
    if len(Xt) > KMEANS_FIT_ROWS:
        rows = np.random.default_rng(seed).choice(
            len(Xt), KMEANS_FIT_ROWS, replace=False
        )
        labels = kmeans.fit(Xt[rows]).predict(Xt)
    else:
        labels = kmeans.fit(Xt).labels_
    sizes = np.bincount(labels, minlength=n_clusters)
    large = np.flatnonzero(sizes >= MIN_CLUSTER_ROWS)
    small = np.isin(labels, np.flatnonzero(sizes < MIN_CLUSTER_ROWS))
    if small.any() and len(large):
        centres = kmeans.cluster_centers_[large]
        distance = ((Xt[small, None, :] - centres[None]) ** 2).sum(axis=2)
        labels = labels.copy()
        labels[small] = large[distance.argmin(axis=1)]
    return labels
