"""The exceptions that skaug raises on its own (besides ValueError/TypeError).

Both derive from a built-in exception, so ``except ValueError`` or
``except RuntimeError`` catches them too.
"""

__all__ = ["DivergenceError", "IncompatibleVersionError"]


class DivergenceError(RuntimeError):
    """A net's training produced a non-finite loss (NaN or inf).

    Raised by every skaug net (:mod:`skaug.models`) at the end of the
    mini-batch where a loss term stopped being finite, instead of going on
    with NaN weights and generating NaN rows. The message names the net, the
    epoch and the fix: lower the learning rate (``lr``), scale the input, or
    use fewer/larger layers.

    Examples
    --------
    >>> from skaug.exceptions import DivergenceError
    >>> issubclass(DivergenceError, RuntimeError)
    True
    """


class IncompatibleVersionError(ValueError):
    """A pickled skaug estimator was saved by an incompatible skaug version.

    skaug records its version in every pickle of an estimator or a net and
    refuses, on loading, one saved by a version with another ``major.minor``
    (``0.1.x`` loads ``0.1.y``; ``0.2`` refuses ``0.1``). Re-fit the estimator
    with the installed skaug, or install the version that saved it.

    Examples
    --------
    >>> from skaug.exceptions import IncompatibleVersionError
    >>> issubclass(IncompatibleVersionError, ValueError)
    True
    """
