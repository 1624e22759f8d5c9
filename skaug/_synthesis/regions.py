"""Region quotas: rejection sampling until each region has its rows.

The augmentor's generator cannot be conditioned on a region of the feature
space, so candidates are drawn unconditionally, placed in their region, and
kept while their region (and, with subgroups, their subgroup within it) still
needs rows. The batch size follows the acceptance rate seen so far.
"""

import numpy as np
from tqdm.auto import tqdm

from skaug._synthesis.pool import SyntheticPool, concat_rows, take_rows

# Rejection sampling: rounds, and the smallest batch drawn per round.
MAX_ROUNDS = 20
MIN_BATCH = 256
# The largest batch drawn in one round.
MAX_BATCH = 1_000_000


def _keep(remaining, region, key, accepted):
    """Indices of the candidates kept this round (quotas updated in place)."""
    chosen = []
    for (r, level), left in remaining.items():
        if left == 0:
            continue
        hits = region == r
        if level is not None:
            hits &= key == level
        take = np.flatnonzero(hits)[:left]
        chosen.append(take)
        remaining[(r, level)] = left - len(take)
        accepted[r] += len(take)
    if not chosen:
        return np.zeros(0, dtype=np.intp)
    return np.sort(np.concatenate(chosen))


def draw_in_regions(generator, quotas, place, rng, *, n_regions, key=None, verbose=0):
    """Draw rows until every ``(region, level)`` quota is met or the rounds
    run out.

    Parameters
    ----------
    generator : fitted generator
    quotas : dict of (int, object) -> int
        Rows wanted per region and subgroup level (level ``None``: any row of
        the region).
    place : callable
        ``place(X, y) -> ndarray of int``, the region of each candidate.
    rng : numpy RandomState
        Passed to ``generator.sample``.
    n_regions : int
    key : callable or None
        ``key(X) -> ndarray``, the subgroup level of each candidate; needed
        when a quota names a level.
    verbose : int, default=0
        From 1, a progress bar of the rows kept, updated each round.

    Returns
    -------
    SyntheticPool
        ``per_group`` holds the rows kept per region; ``n_candidates`` the
        rows drawn.
    """
    remaining = dict(quotas)
    accepted = np.zeros(n_regions, dtype=int)
    parts_X, parts_y = [], []
    drawn = 0
    acceptance = 1.0
    bar = tqdm(
        total=sum(remaining.values()),
        desc="generation",
        unit="row",
        disable=verbose < 1,
        leave=False,
    )
    for _ in range(MAX_ROUNDS):
        need = sum(remaining.values())
        if need == 0:
            break
        n_draw = int(min(max(MIN_BATCH, 2 * need / max(acceptance, 0.02)), MAX_BATCH))
        X_c, y_c = generator.sample(n_draw, random_state=rng)
        drawn += n_draw
        region = np.asarray(place(X_c, y_c))
        levels = key(X_c) if key is not None else np.full(n_draw, None)
        take = _keep(remaining, region, levels, accepted)
        acceptance = max(len(take) / n_draw, 1e-3)
        bar.update(len(take))
        if len(take):
            parts_X.append(take_rows(X_c, take))
            parts_y.append(None if y_c is None else np.asarray(y_c)[take])
    bar.close()
    if not parts_X:
        return SyntheticPool(X=None, n_candidates=drawn, per_group=accepted)
    y = None if parts_y[0] is None else np.concatenate(parts_y)
    X = concat_rows(parts_X, parts_X[0])
    return SyntheticPool(
        X=X,
        y=y,
        n_candidates=drawn,
        n_rejected=drawn - len(y if y is not None else X),
        per_group=accepted,
    )
