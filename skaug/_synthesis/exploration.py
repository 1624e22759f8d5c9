"""Latent exploration, diversity selection and the stability guard.

These are the generation steps of :class:`~skaug.UncertaintySampler` after its
generator is trained:

1. candidates are drawn over a few rounds with a latent temperature that rises
   from 1 (the learnt distribution) to ``latent_temperature`` (its tails);
2. the **stability guard** drops candidates outside the support of the real
   data: a candidate whose distance to its nearest real row exceeds the
   ``support_quantile`` of the real rows' own nearest-neighbour distances;
3. the survivors are scored by the uncertainty model, and each round keeps its
   share of rows by a rule that trades uncertainty against **diversity**:
   among the most uncertain half, a greedy farthest-point selection weighted by
   uncertainty.

All distances are measured in the encoder's space (scaled numeric columns,
one-hot categoricals), the space the uncertainty model works in.
"""

import inspect

import numpy as np
from sklearn.neighbors import NearestNeighbors
from tqdm.auto import tqdm

from skaug._synthesis.pool import SyntheticPool, take_rows
from skaug.utils._allocation import split_proportionally

# Candidates drawn per row kept, by selection rule. "uncertain": the most
# uncertain half goes to the diversity selection, so each kept row is chosen
# among 1.5. "plausible": the filter (with balanced class priors) passed 57 to
# 97 % of the candidates on ten real tables, so two leave enough to draw from.
CANDIDATES_PER_ROW = {"plausible": 2, "uncertain": 3}
# Rounds of the temperature schedule (fewer when fewer rows are asked).
N_ROUNDS = 4
# Rows kept per generation chunk (candidates: 2-3 times more).
MAX_KEPT_PER_CHUNK = 8_192
# Real rows the guard measures distances to (a random subset above this), so
# that its cost is linear in the candidates rather than in candidates x rows.
_GUARD_REFERENCE_ROWS = 2_000
# Candidates handled by one greedy selection (bounds its quadratic cost).
_SELECTION_BLOCK = 4_096


class SupportGuard:
    """Reject rows far from every real row.

    Parameters
    ----------
    quantile : float in (0, 1]
        A row is inside the support when its distance to the nearest real row
        is at most this quantile of the real rows' nearest-neighbour distances.
    random_state : numpy RandomState
        Picks the reference subset for large data.

    Notes
    -----
    Above ``_GUARD_REFERENCE_ROWS`` real rows, a random subset of that size
    stands for the real data: both the threshold (nearest-neighbour distances
    within the subset) and the candidates' distances are measured against it,
    so a real-looking row is still accepted with probability ``quantile``, and
    the cost per candidate stays constant as the data grow.
    """

    def __init__(self, quantile, random_state):
        self.quantile = quantile
        self.random_state = random_state

    def fit(self, Xt):
        ref = Xt
        if len(Xt) > _GUARD_REFERENCE_ROWS:
            pick = self.random_state.choice(
                len(Xt), _GUARD_REFERENCE_ROWS, replace=False
            )
            ref = Xt[pick]
        self.nn_ = NearestNeighbors(n_neighbors=2).fit(ref)
        dist, _ = self.nn_.kneighbors(ref, n_neighbors=2)
        self.threshold_ = float(np.quantile(dist[:, 1], self.quantile))
        return self

    def accept(self, Xt):
        """Boolean mask of the rows inside the support."""
        if len(Xt) == 0:
            return np.zeros(0, dtype=bool)
        dist, _ = self.nn_.kneighbors(Xt, n_neighbors=1)
        return dist[:, 0] <= self.threshold_


def select_diverse(Xt, uncertainty, n_keep):
    """Indices of ``n_keep`` rows that are uncertain *and* spread out.

    Among the most uncertain half (at least ``n_keep`` rows), start from the most
    uncertain row, then repeatedly add the row that maximises
    ``distance to the chosen rows * uncertainty / max uncertainty``. Runs in
    blocks of candidates so that its cost stays linear in the number of rows.

    Examples
    --------
    >>> import numpy as np
    >>> from skaug._synthesis.exploration import select_diverse
    >>> X = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [9.0]])
    >>> u = np.array([1.0, 0.9, 0.3, 0.8, 0.7, 0.2])
    >>> sorted(select_diverse(X, u, 2).tolist())  # not the two most uncertain
    [0, 3]
    """
    n = len(Xt)
    if n_keep >= n:
        return np.arange(n)
    if n_keep <= 0:
        return np.zeros(0, dtype=np.intp)
    n_blocks = max(1, int(np.ceil(n / _SELECTION_BLOCK)))
    order = np.arange(n)
    blocks = np.array_split(order, n_blocks)
    quotas = np.diff(np.round(np.linspace(0, n_keep, n_blocks + 1)).astype(int))
    chosen = [
        block[_greedy(Xt[block], uncertainty[block], quota)]
        for block, quota in zip(blocks, quotas)
        if quota > 0
    ]
    return np.concatenate(chosen)


def _greedy(Xt, u, k):
    if k >= len(Xt):
        return np.arange(len(Xt))
    top = np.argsort(-u, kind="stable")[: max(k, len(Xt) // 2)]
    Z, w = Xt[top].astype(np.float64), u[top]
    w = w / w.max() if w.max() > 0 else np.ones_like(w)
    # |a - b| from |a|^2 + |b|^2 - 2 a.b: one matrix-vector product per pick
    squared = np.einsum("ij,ij->i", Z, Z)

    def distance_to(j):
        return np.sqrt(np.maximum(squared + squared[j] - 2.0 * (Z @ Z[j]), 0.0))

    picked = [0]  # the most uncertain
    taken = np.zeros(len(Z), dtype=bool)
    taken[0] = True
    dist = distance_to(0)
    for _ in range(k - 1):
        score = dist * w
        score[taken] = -1.0
        j = int(np.argmax(score))
        picked.append(j)
        taken[j] = True
        np.minimum(dist, distance_to(j), out=dist)
    return top[np.asarray(picked)]


def _accepts_temperature(generator):
    try:
        return "temperature" in inspect.signature(generator.sample).parameters
    except (TypeError, ValueError):
        return False


def explore(
    generator,
    scorer,
    encode,
    label,
    n_keep,
    *,
    latent_temperature,
    guard,
    random_state,
    selection="plausible",
    decode=None,
):
    """Generate ``n_keep`` in-support rows of one class, kept by ``selection``.

    Parameters
    ----------
    generator : fitted generator
        Follows the protocol ``sample(n, y=None, random_state=None)``; a
        ``temperature`` keyword is used when ``sample`` takes one.
    scorer : UncertaintyScorer
        ``scorer.score(encoded rows)`` -> uncertainty per row.
    encode : callable
        Rows in the user's format -> encoded float matrix.
    label : class label or None
        Passed to ``sample`` as ``y``.
    n_keep : int
        Rows wanted.
    latent_temperature : float
        Temperature of the last round (the first is 1).
    guard : SupportGuard or None
    random_state : numpy RandomState
    selection : {"plausible", "uncertain"}, default="plausible"
        How a round keeps its quota among the candidates inside the guard
        (:func:`keep_candidates`).
    decode : callable or None, default=None
        Encoded rows -> rows in the user's format, the inverse of
        ``encode``. Given, and when the generator has ``sample_encoded`` (it
        shares the encoding), the candidates are drawn encoded and only the
        kept rows are decoded (and encoded again, so that the pool holds the
        encoding of the rows it returns): no decode -> encode round trip of
        every candidate.

    Returns
    -------
    SyntheticPool
        The kept rows (``y`` unset), encoded and scored, with the candidates
        drawn and rejected by the guard.
    """
    n_rounds = max(1, min(N_ROUNDS, n_keep))
    temperatures = np.linspace(1.0, latent_temperature, n_rounds)
    quotas = np.diff(np.round(np.linspace(0, n_keep, n_rounds + 1)).astype(int))
    use_temperature = _accepts_temperature(generator)
    pools = []
    for temperature, round_quota in zip(temperatures, quotas):
        # a round is generated in chunks so that memory stays bounded
        n_chunks = int(np.ceil(round_quota / MAX_KEPT_PER_CHUNK))
        for quota in split_proportionally(round_quota, np.ones(n_chunks)):
            kwargs = {"temperature": float(temperature)} if use_temperature else {}
            candidates = _draw(
                generator,
                encode,
                decode,
                quota * CANDIDATES_PER_ROW[selection],
                y=label,
                random_state=random_state,
                **kwargs,
            )
            pools.append(
                _select(
                    *candidates,
                    scorer,
                    quota,
                    guard,
                    keep=lambda Xt, c, q: keep_candidates(
                        Xt, c, q, scorer, label, selection, random_state
                    ),
                )
            )
    like = pools[0].X if pools else np.zeros((0, 0))
    width = pools[0].encoded.shape[1] if pools else 0
    return SyntheticPool.concat(pools, like, n_encoded=width)


def _draw(generator, encode, decode, n_rows, **sample_params):
    """``n_rows`` candidates: their encoded matrix, a function giving the
    rows of some of them in the user's format, and the encoding to store
    for those rows (``None``: the candidates' own)."""
    if decode is None or not hasattr(generator, "sample_encoded"):
        X_cand, _ = generator.sample(n_rows, **sample_params)
        return encode(X_cand), lambda index: take_rows(X_cand, index), None
    Xt, _ = generator.sample_encoded(n_rows, **sample_params)

    def rows_of(index):
        if len(index) == 0:  # the encoder decodes at least one row
            return decode(np.zeros((1, Xt.shape[1])))[:0]
        return decode(Xt[index])

    return Xt, rows_of, encode


def _select(encoded, rows_of, reencode, scorer, quota, guard, keep):
    """Keep ``quota`` of the candidates: inside the guard, then by ``keep``
    (candidate indices -> the kept ones)."""
    Xt = np.asarray(encoded, dtype=np.float32)
    inside = guard.accept(Xt) if guard is not None else np.ones(len(Xt), bool)
    candidates = np.flatnonzero(inside)
    kept, u = np.zeros(0, dtype=np.intp), np.zeros(0)
    if len(candidates):
        kept, u = keep(Xt, candidates, quota)
    # keep only the chosen rows, not the candidates
    pool = SyntheticPool(
        X=rows_of(kept),
        encoded=Xt[kept],
        uncertainty=np.zeros(0),
        n_candidates=len(Xt),
        n_rejected=int((~inside).sum()),
    )
    if len(kept) == 0:
        return pool
    if reencode is not None:
        pool.encoded = np.asarray(reencode(pool.X), dtype=np.float32)
    if u is None:
        u = scorer.score(Xt[kept])
    pool.uncertainty = np.asarray(u, dtype=np.float64)
    return pool


def keep_candidates(Xt, candidates, quota, scorer, label, selection, rng):
    """The ``quota`` candidates a round keeps (sorted indices into ``Xt``),
    and their uncertainty where it was computed on the way (else ``None``).

    ``"plausible"`` drops the candidates that the uncertainty model gives
    another class (its probability of ``label`` below 0.5: rows that would
    carry the wrong label, the generator's smoothing reaching into another
    class's region) and keeps the rest at random; when fewer than ``quota``
    pass, the most plausible others fill up. A scorer without class
    probabilities keeps at random. ``"uncertain"`` keeps the most uncertain
    half and, among them, diverse rows (:func:`select_diverse`). On the real
    tables of ``benchmarks/bench_sampler_real.py``, ``"uncertain"`` put
    minority rows near the decision boundary, which raised balanced accuracy
    but lowered the ROC AUC and average precision of the classifiers trained
    on them; ``"plausible"`` is the default for that reason.
    """
    if selection == "uncertain":
        u = np.asarray(scorer.score(Xt[candidates]), dtype=np.float64)
        chosen = np.sort(select_diverse(Xt[candidates], u, quota))
        return candidates[chosen], u[chosen]
    u = None
    if hasattr(scorer, "label_probability_and_score"):
        # one set of passes gives the filter and the kept rows' scores
        p, u = scorer.label_probability_and_score(Xt[candidates], label)
    elif hasattr(scorer, "label_probability"):
        p = scorer.label_probability(Xt[candidates], label)
    else:
        p = None
    order = _plausible_first(p, len(candidates), quota, rng)
    chosen = np.sort(order[:quota])
    return candidates[chosen], None if u is None else u[chosen]


def _plausible_first(p, n, quota, rng):
    """Positions of the candidates in the order they are kept: the ones
    given a probability of at least 0.5 for their own label, at random, then
    (when fewer than ``quota`` pass) the most plausible others; all at
    random when ``p`` is ``None``."""
    if p is None:
        return rng.permutation(n)
    passed = np.flatnonzero(p >= 0.5)
    if len(passed) >= quota:
        return rng.permutation(passed)
    failed = np.flatnonzero(p < 0.5)
    return np.concatenate([passed, failed[np.argsort(-p[failed], kind="stable")]])


def explore_classes(
    generator,
    scorer,
    encode,
    counts,
    *,
    like_X,
    like_y,
    n_encoded,
    config,
    guard,
    rng,
    verbose,
    decode=None,
):
    """:func:`explore` for every class of ``counts`` (label -> rows), one pool.

    ``like_X``/``like_y`` give the formats of the rows and labels; the
    labels of the pool have ``like_y``'s dtype.
    """
    pools = []
    for label, n_keep in tqdm(
        list(counts.items()), desc="generation", disable=verbose < 1, leave=False
    ):
        if n_keep == 0:
            continue
        pool = explore(
            generator,
            scorer,
            encode,
            label,
            n_keep,
            latent_temperature=config.latent_temperature,
            guard=guard,
            random_state=rng,
            selection=config.selection,
            decode=decode,
        )
        pool.y = np.full(len(pool), label, dtype=np.asarray(like_y).dtype)
        pools.append(pool)
    return SyntheticPool.concat(pools, like_X, like_y, n_encoded=n_encoded)
