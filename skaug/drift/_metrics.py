"""The drift metrics: functions of a reference and a current 1-D sample.

Every metric is a plain function ``metric(reference, current, *, categorical=None)
-> float``; 0 means "no drift" and larger means more drift. How the samples are
read (kinds, missing values, bins) is shared by all of them and described in
:mod:`skaug.drift._samples`.
"""

import numbers

import numpy as np
from scipy.special import rel_entr
from scipy.stats import wasserstein_distance

from skaug.drift._samples import (
    bin_counts,
    fill_sample_docs,
    level_counts,
    observed_pair,
    sample_pair,
)

# Default pseudo-count added to every bin before normalising (kl and psi).
DEFAULT_SMOOTHING = 0.5


def _check_smoothing(smoothing):
    if (
        isinstance(smoothing, bool)
        or not isinstance(smoothing, numbers.Real)
        or not np.isfinite(smoothing)
        or smoothing <= 0
    ):
        raise ValueError(
            f"smoothing must be a finite number > 0 (a pseudo-count added to "
            f"every bin, so that empty bins give finite values); got {smoothing!r}."
        )


def _smoothed_proportions(reference, current, *, bins, smoothing, categorical):
    """Proportions of both samples in their shared bins, after adding
    ``smoothing`` to every bin count (kl and psi)."""
    _check_smoothing(smoothing)
    p, q = bin_counts(reference, current, bins=bins, categorical=categorical)
    p, q = p + smoothing, q + smoothing
    return p / p.sum(), q / q.sum()


def _total_variation(reference, current):
    p, q = level_counts(reference, current)
    distance = 0.5 * np.abs(p / p.sum() - q / q.sum()).sum()
    return float(min(distance, 1.0))  # rounding may overshoot 1 by an ulp


@fill_sample_docs
def ks_statistic(reference, current, *, categorical=None):
    """Two-sample Kolmogorov-Smirnov statistic (total variation for categories).

    For numeric samples, the largest gap between the two empirical cumulative
    distribution functions:

    .. math:: D = \\sup_x |F_{ref}(x) - F_{cur}(x)|

    the same value as ``scipy.stats.ks_2samp(reference, current).statistic``
    (computed without the p-value, so it stays fast on large samples; the
    gap is counted in integers, so the value is the correctly rounded float
    of an exact fraction). For
    categorical samples the order of the levels means nothing, so the total
    variation distance between the level proportions is returned instead:

    .. math:: TV = \\frac{1}{2} \\sum_{l} |p_l - q_l|

    over the union of the levels of both samples. Both are in ``[0, 1]``, 0
    for identical distributions and 1 for disjoint supports, so one threshold
    fits numeric and categorical columns alike.

    Parameters
    ----------
    %(samples)s
    categorical : bool or None, default=None
        ``None`` detects the kind from the values (boolean, categorical and
        string values are categorical); ``True`` compares levels; ``False``
        forces a numeric comparison.

    Returns
    -------
    statistic : float
        In ``[0, 1]``.

    Notes
    -----
    Missing values: a level of their own for categorical samples; for numeric
    samples the statistic is computed on the observed values and the result is
    ``max(D, |missing rate of reference - missing rate of current|)``. A
    constant column gives 0 against the same constant and 1 against a
    different one. An empty sample, a numeric sample with no observed value or
    an infinite value raises a ``ValueError``.

    Examples
    --------
    >>> import numpy as np
    >>> from skaug.drift import ks_statistic
    >>> ks_statistic([1.0, 2.0, 3.0, 4.0], [3.0, 4.0, 5.0, 6.0])
    0.5
    >>> ks_statistic(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    0.25
    """
    reference, current, as_levels = sample_pair(reference, current, categorical)
    if as_levels:
        return _total_variation(reference, current)
    (ref, ref_missing), (cur, cur_missing) = observed_pair(reference, current)
    ref, cur = np.sort(ref), np.sort(cur)
    n_ref, n_cur = ref.shape[0], cur.shape[0]
    points = np.concatenate([ref, cur])
    # The gap of the two step functions at every point, in units of
    # 1 / (n_ref * n_cur): integer arithmetic, so the statistic is the
    # correctly rounded float of an exact fraction.
    below_ref = np.searchsorted(ref, points, side="right").astype(np.int64)
    below_cur = np.searchsorted(cur, points, side="right").astype(np.int64)
    gap = np.max(np.abs(below_ref * n_cur - below_cur * n_ref))
    statistic = float(gap) / float(n_ref * n_cur)
    return max(statistic, abs(ref_missing - cur_missing))


@fill_sample_docs
def kl_divergence(
    reference, current, *, bins=10, smoothing=DEFAULT_SMOOTHING, categorical=None
):
    """Kullback-Leibler divergence KL(reference || current) on shared bins.

    .. math:: KL = \\sum_b p_b \\ln \\frac{p_b}{q_b}

    in nats, where ``p`` and ``q`` are the smoothed proportions of the
    reference and current samples in the shared bins (levels for categorical
    samples, quantile bins of the reference for numeric ones; see
    :mod:`skaug.drift`). The value equals ``scipy.stats.entropy(p, q)`` on
    those proportions. Range ``[0, +inf)``, finite thanks to the smoothing;
    0 when both samples have the same counts.

    Parameters
    ----------
    %(samples)s
    %(bins)s
    smoothing : float, default=0.5
        Pseudo-count added to the count of every bin, in both samples, before
        the counts are normalised to proportions:
        ``p_b = (n_b + smoothing) / (n + smoothing * n_bins)``. With the
        default (the Jeffreys prior) an empty bin gets a small non-zero share,
        so the divergence stays finite. Must be > 0.
    %(categorical)s

    Returns
    -------
    divergence : float
        In ``[0, +inf)``.

    Notes
    -----
    Missing values get a bin of their own (a level for categorical samples).
    A level seen only in ``current`` gets a bin with a zero reference count,
    which the smoothing makes finite. A constant reference gives two bins
    (below the constant, and from the constant up). Disjoint supports give a
    large finite value that grows with the sample sizes (the smoothing is a
    pseudo-count).

    Examples
    --------
    >>> from skaug.drift import kl_divergence
    >>> kl_divergence(["a", "a", "b", "b"], ["a", "a", "b", "b"])
    0.0
    >>> round(kl_divergence(["a", "a", "b", "b"], ["a", "b", "b", "b"]), 4)
    0.0872
    """
    p, q = _smoothed_proportions(
        reference, current, bins=bins, smoothing=smoothing, categorical=categorical
    )
    return float(max(rel_entr(p, q).sum(), 0.0))


@fill_sample_docs
def psi(reference, current, *, bins=10, smoothing=DEFAULT_SMOOTHING, categorical=None):
    """Population stability index on shared bins.

    .. math:: PSI = \\sum_b (q_b - p_b) \\ln \\frac{q_b}{p_b}

    where ``p`` and ``q`` are the smoothed proportions of the reference and
    current samples in the shared bins (as in :func:`kl_divergence`). It is
    the symmetrised KL divergence ``KL(p || q) + KL(q || p)``. Range
    ``[0, +inf)``; common reading: below 0.1 stable, 0.1 to 0.25 a moderate
    shift, above 0.25 a major shift.

    Parameters
    ----------
    %(samples)s
    %(bins)s
    smoothing : float, default=0.5
        Pseudo-count added to every bin count before normalising (see
        :func:`kl_divergence`). Must be > 0.
    %(categorical)s

    Returns
    -------
    index : float
        In ``[0, +inf)``.

    Notes
    -----
    Edge cases as in :func:`kl_divergence`: missing values get their own bin,
    unseen levels and empty bins are made finite by the smoothing.

    Examples
    --------
    >>> from skaug.drift import psi
    >>> psi([1, 2, 3, 4], [1, 2, 3, 4])
    0.0
    >>> round(psi(["a", "a", "b", "b"], ["a", "b", "b", "b"]), 4)
    0.1695
    """
    p, q = _smoothed_proportions(
        reference, current, bins=bins, smoothing=smoothing, categorical=categorical
    )
    return float(max(np.sum((q - p) * np.log(q / p)), 0.0))


@fill_sample_docs
def js_distance(reference, current, *, bins=10, categorical=None):
    """Jensen-Shannon distance (base 2) on shared bins.

    .. math:: JS = \\sqrt{\\tfrac{1}{2} KL_2(p \\| m) + \\tfrac{1}{2} KL_2(q \\| m)},
        \\quad m = \\tfrac{1}{2}(p + q)

    with base-2 logarithms, where ``p`` and ``q`` are the (unsmoothed)
    proportions of the reference and current samples in the shared bins (as
    in :func:`kl_divergence`). The value equals
    ``scipy.spatial.distance.jensenshannon(p, q, base=2)``. Range ``[0, 1]``:
    0 for identical proportions, 1 for disjoint bins. It is a metric, and
    finite without smoothing, because ``m`` is positive wherever ``p`` or
    ``q`` is.

    Parameters
    ----------
    %(samples)s
    %(bins)s
    %(categorical)s

    Returns
    -------
    distance : float
        In ``[0, 1]``.

    Notes
    -----
    Missing values get their own bin (a level for categorical samples). A
    categorical pair with no level in common gives 1; a numeric pair with
    disjoint supports gives a value close to 1 (all current values fall in an
    outer bin that also holds some reference mass).

    Examples
    --------
    >>> from skaug.drift import js_distance
    >>> js_distance(["a", "b"], ["a", "b"])
    0.0
    >>> js_distance(["a", "a"], ["b", "b"])
    1.0
    """
    p, q = bin_counts(reference, current, bins=bins, categorical=categorical)
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2
    divergence = (rel_entr(p, m).sum() + rel_entr(q, m).sum()) / (2 * np.log(2))
    return float(np.sqrt(np.clip(divergence, 0.0, 1.0)))


@fill_sample_docs
def wasserstein(reference, current, *, categorical=None):
    """Wasserstein-1 distance scaled by the reference's standard deviation.

    .. math:: W = \\frac{\\int |F_{ref}(x) - F_{cur}(x)| \\, dx}{\\sigma_{ref}}

    i.e. ``scipy.stats.wasserstein_distance(reference, current)`` divided by
    the (population, ``ddof=0``) standard deviation of the reference. The
    raw distance is in the units of the column; dividing by the reference's
    spread makes it scale-free, so that one threshold fits every column (a
    shift of the mean by one standard deviation gives 1). When the reference
    is constant (standard deviation 0) the raw distance is returned, in the
    column's units. For categorical samples, where distances between levels
    are undefined, the total variation distance ``0.5 * sum |p_l - q_l|`` is
    returned (as in :func:`ks_statistic`).

    Parameters
    ----------
    %(samples)s
    %(categorical)s

    Returns
    -------
    distance : float
        In ``[0, +inf)`` for numeric samples, ``[0, 1]`` for categorical ones.

    Notes
    -----
    Missing values: a level of their own for categorical samples; for numeric
    samples the distance is computed on the observed values and the result is
    ``max(W, |missing rate of reference - missing rate of current|)``.

    Examples
    --------
    >>> from skaug.drift import wasserstein
    >>> wasserstein([0.0, 2.0], [1.0, 3.0])
    1.0
    >>> wasserstein([5.0, 5.0], [6.0, 6.0])  # constant reference: raw units
    1.0
    """
    reference, current, as_levels = sample_pair(reference, current, categorical)
    if as_levels:
        return _total_variation(reference, current)
    (ref, ref_missing), (cur, cur_missing) = observed_pair(reference, current)
    distance = float(wasserstein_distance(ref, cur))
    scale = float(np.std(ref))
    if scale > 0:
        distance /= scale
    return max(distance, abs(ref_missing - cur_missing))


DRIFT_METRICS = {
    "ks": ks_statistic,
    "kl": kl_divergence,
    "psi": psi,
    "js": js_distance,
    "wasserstein": wasserstein,
}
