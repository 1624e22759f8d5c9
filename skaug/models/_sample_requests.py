"""What a generator's ``sample`` call asks for: the number of rows, their
labels (one, one per row, or counts per class) and the seed."""

from collections.abc import Mapping
from numbers import Integral

import numpy as np

from skaug.utils._random import draw_seed


def check_n_samples(n_samples):
    """The number of rows a generator is asked for, as a checked int >= 0."""
    if not isinstance(n_samples, Integral) or isinstance(n_samples, bool):
        raise TypeError(f"n_samples must be an int; got {type(n_samples).__name__}.")
    if n_samples < 0:
        raise ValueError(f"n_samples must be >= 0; got {n_samples}.")
    return int(n_samples)


def sample_request(n_samples, y):
    """The rows a ``sample`` call asks for: ``(n_samples, y)``.

    ``y`` may be a dict ``{label: count}`` (exact per-class counts, rows in
    the dict's order) or one label per row; then ``n_samples`` may be left
    out (``None``).

    Examples
    --------
    >>> from skaug.models._sample_requests import sample_request
    >>> n, y = sample_request(None, {"a": 2, "b": 1})
    >>> n, y.tolist()
    (3, ['a', 'a', 'b'])
    """
    if isinstance(y, Mapping):
        counts = [check_n_samples(int(c)) for c in y.values()]
        y = np.repeat(np.asarray(list(y.keys())), counts)
    if n_samples is None:
        if y is None or np.ndim(y) == 0:
            raise ValueError(
                "n_samples is required unless y gives one label per row or a "
                "dict of counts per class, e.g. sample(y={0: 10, 1: 5})."
            )
        return len(y), y
    # a y of another length is refused where the labels are read
    return check_n_samples(n_samples), y


def sample_seed(random_state, estimator):
    """The seed of a ``sample`` call: from its own ``random_state``, else from
    the estimator's, as :meth:`sklearn.mixture.GaussianMixture.sample` does,
    so that an int ``random_state`` gives the same rows on every call."""
    own = getattr(estimator, "random_state", None)
    return draw_seed(own if random_state is None else random_state)


def condition_index(classes, y, n_rows, owner):
    """Indices into ``classes`` of the labels a generator is asked to sample.

    Parameters
    ----------
    classes : ndarray or None
        The generator's ``classes_`` (None when it was fitted without y).
    y : label, array-like of shape (n_rows,) or None
        One label for every row, one label per row, or None.
    n_rows : int
    owner : str
        The generator's class name, for the messages.

    Returns
    -------
    ndarray of shape (n_rows,) or None
        None for an unconditional generator.
    """
    if classes is None:
        if y is not None:
            raise ValueError(
                f"This {owner} was fitted without y (unconditional); it cannot "
                "condition on labels. Fit it with y, or pass y=None."
            )
        return None
    y_arr = np.asarray(y)
    if y_arr.ndim == 0:
        y_arr = np.full(n_rows, y_arr.item(), dtype=classes.dtype)
    if y_arr.shape != (n_rows,):
        raise ValueError(
            f"y must be one label or {n_rows} labels; got shape {y_arr.shape}."
        )
    index = np.clip(np.searchsorted(classes, y_arr), 0, len(classes) - 1)
    unknown = classes[index] != y_arr
    if unknown.any():
        raise ValueError(
            f"Unknown class label(s) {np.unique(y_arr[unknown]).tolist()}; the "
            f"{owner} was fitted on classes {classes.tolist()}."
        )
    return index
