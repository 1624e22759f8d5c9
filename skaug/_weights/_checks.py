"""Checks of weight vectors and weight functions, with messages that name the
rows at fault."""

import numbers

import numpy as np

# How many offending row indices an error message lists before "...".
_MAX_LISTED = 5


def _list_rows(mask):
    """Describe the rows where ``mask`` is True: count and first few indices."""
    idx = np.flatnonzero(mask)
    shown = ", ".join(str(i) for i in idx[:_MAX_LISTED])
    more = ", ..." if idx.size > _MAX_LISTED else ""
    return f"{idx.size} row(s) (indices [{shown}{more}])"


def _check_real(value, name, *, allow_zero=True):
    """Check a finite, non-negative real scalar; return it as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"{name} must be a finite real number >= 0; got {value!r} of type "
            f"{type(value).__name__}."
        )
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite real number {bound}; got {value!r}.")
    return value


def _n_rows(y, name):
    """Number of rows of a label vector (1-D)."""
    if y is None:
        raise ValueError(f"{name} is required to know the number of rows; got None.")
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got an array of shape {y.shape}.")
    return y.shape[0]


def _check_nonneg_vector(values, name, n_rows=None, *, what="values"):
    """Return ``values`` as a 1-D float64 array (never modified in place).

    The result may be ``values`` itself when it already is a float64 array.

    Raises a ValueError naming ``name`` when the array is not 1-D, has the wrong
    length, is not numeric, or holds non-finite or negative entries.
    """
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be an array of real numbers; could not convert it ({exc})."
        ) from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got an array of shape {arr.shape}.")
    if n_rows is not None and arr.shape[0] != n_rows:
        raise ValueError(
            f"{name} has {arr.shape[0]} {what} but there are {n_rows} rows; "
            "they must match."
        )
    finite = np.isfinite(arr)
    if not finite.all():
        raise ValueError(
            f"{name} must be finite; {_list_rows(~finite)} hold NaN or inf {what}."
        )
    negative = arr < 0
    if negative.any():
        raise ValueError(
            f"{name} must be >= 0; {_list_rows(negative)} hold negative {what}."
        )
    return arr


def _check_uncertainty(uncertainty, n_rows, name="uncertainty"):
    """Validate an uncertainty vector: 1-D, length ``n_rows``, finite, >= 0."""
    return _check_nonneg_vector(uncertainty, name, n_rows, what="scores")


def _call_weight_function(func, name, args, n_rows):
    """Call a user weight function and check what it returned."""
    returned = func(*args)
    try:
        # A copy: never hand back (and later scale) the caller's own array.
        arr = np.array(returned, dtype=np.float64, copy=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} callable must return an array of real numbers; got "
            f"{type(returned).__name__} that could not be converted ({exc})."
        ) from None
    if arr.ndim != 1:
        raise ValueError(
            f"{name} callable must return a 1-D array of {n_rows} weights; it "
            f"returned an array of shape {arr.shape}."
        )
    if arr.shape[0] != n_rows:
        raise ValueError(
            f"{name} callable must return one weight per row; it returned "
            f"{arr.shape[0]} weights for {n_rows} rows."
        )
    n_bad = int(np.count_nonzero(~np.isfinite(arr)))
    if n_bad:
        raise ValueError(
            f"{name} callable must return finite weights; it returned {n_bad} "
            f"non-finite weights (NaN or inf) for {n_rows} rows. Fix the callable, "
            "e.g. replace them with np.nan_to_num(weights, nan=0.0, posinf=0.0)."
        )
    n_neg = int(np.count_nonzero(arr < 0))
    if n_neg:
        raise ValueError(
            f"{name} callable must return weights >= 0; it returned {n_neg} "
            f"negative weights for {n_rows} rows. Fix the callable, e.g. clip them "
            "with np.clip(weights, 0, None)."
        )
    return arr
