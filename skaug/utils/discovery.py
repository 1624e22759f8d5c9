"""Find the public estimators of skaug (used by the common tests)."""

import inspect
import pkgutil
from importlib import import_module
from operator import itemgetter

from sklearn.base import BaseEstimator


def all_estimators():
    """Every public estimator class defined in skaug.

    Modules are imported one by one, and a class counts when it derives from
    :class:`sklearn.base.BaseEstimator`, its name has no leading underscore and it
    is defined inside skaug.

    Returns
    -------
    estimators : list of (name, class)
        Sorted by name, each class once.

    Examples
    --------
    >>> from skaug.utils.discovery import all_estimators
    >>> "TabularEncoder" in dict(all_estimators())
    True
    """
    # imported by name, not by an import statement: utils is the bottom layer
    # and must not depend on the package it is used to explore
    package = import_module("skaug")
    found = {}
    for info in pkgutil.walk_packages(package.__path__, prefix="skaug."):
        if ".tests" in info.name:
            continue
        module = import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, BaseEstimator)
                and not name.startswith("_")
                and cls.__module__.startswith("skaug.")
                and not inspect.isabstract(cls)
            ):
                found[name] = cls
    return sorted(found.items(), key=itemgetter(0))
