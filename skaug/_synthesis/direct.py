"""Direct labelled draw: rows of given classes, straight from the generator."""

import numpy as np

from skaug._synthesis.pool import SyntheticPool


def draw_labelled(generator, labels, random_state):
    """Sample one row per entry of ``labels``, conditioned on it.

    One call to the generator for the whole vector (not one per class), so
    the generator sees the whole request at once.

    Parameters
    ----------
    generator : fitted conditional generator
        ``sample(n, y=labels, random_state=...)`` must return labels.
    labels : ndarray of shape (n_rows,)
    random_state : int or numpy RandomState

    Returns
    -------
    SyntheticPool
        ``per_group`` is unset; ``n_candidates`` is the number of rows.
    """
    labels = np.asarray(labels)
    X, y = generator.sample(len(labels), y=labels, random_state=random_state)
    if y is None:
        raise ValueError(
            "This needs a generator that samples rows of a given class; "
            f"{type(generator).__name__} returned no labels. Use one of skaug's "
            "generators, fitted with y."
        )
    return SyntheticPool(X=X, y=np.asarray(y), n_candidates=len(labels))
