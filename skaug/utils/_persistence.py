"""Record skaug's version in pickles of its estimators, and refuse
incompatible ones on loading.

scikit-learn stores its version in the pickles of its own estimators and
*warns* when they are loaded by another version. skaug's estimators hold torch
modules and fitted state whose layout changes between feature releases, so a
pickle from another ``major.minor`` is refused with
:class:`~skaug.exceptions.IncompatibleVersionError` rather than loaded into
something that may fail later in an obscure way. Patch releases (``0.1.0`` ->
``0.1.3``) and development versions of the same ``major.minor`` are compatible.
"""

import re

import skaug._version
from skaug.exceptions import IncompatibleVersionError

#: Key of the state dict (``__getstate__``) that holds the skaug version.
VERSION_KEY = "_skaug_version"


def _installed_version():
    # read at call time, so that a test can monkeypatch the version
    return skaug._version.__version__


def major_minor(version):
    """``(major, minor)`` of a version string, or None if it has none.

    Examples
    --------
    >>> from skaug.utils._persistence import major_minor
    >>> major_minor("0.1.0.dev0"), major_minor("1.12rc1"), major_minor("unknown")
    ((0, 1), (1, 12), None)
    """
    match = re.match(r"\s*v?(\d+)\.(\d+)", str(version))
    return None if match is None else (int(match[1]), int(match[2]))


def check_pickle_version(saved, owner):
    """Raise IncompatibleVersionError unless ``saved`` is compatible with the
    installed skaug (same ``major.minor``)."""
    installed = _installed_version()
    if saved is not None and major_minor(saved) == major_minor(installed):
        return
    saved_text = (
        "an unknown skaug version (the pickle records none)"
        if saved is None
        else f"skaug {saved}"
    )
    raise IncompatibleVersionError(
        f"This {owner} was pickled by {saved_text}, and skaug {installed} is "
        "installed. Pickles load only across the same major.minor version. "
        f"Re-fit the {owner} with skaug {installed}, or load the file with the "
        "skaug version that saved it"
        + ("" if saved is None else f" (pip install 'skaug=={saved}')")
        + "."
    )


class VersionedPickleMixin:
    """Store ``skaug.__version__`` in the pickled state and check it on loading.

    Put it first in the bases of an estimator (before ``BaseEstimator`` or
    skorch's ``NeuralNet``, whose ``__getstate__``/``__setstate__`` it wraps).
    """

    def __getstate__(self):
        state = dict(super().__getstate__())
        state[VERSION_KEY] = _installed_version()
        return state

    def __setstate__(self, state):
        state = dict(state)
        check_pickle_version(state.pop(VERSION_KEY, None), type(self).__name__)
        super().__setstate__(state)
