"""A scikit-learn style repr for objects that are not estimators."""

import inspect


def changed_params_repr(obj):
    """``Name(param=value, ...)`` with only the parameters that differ from
    the defaults of ``type(obj).__init__``, as scikit-learn prints estimators.

    Examples
    --------
    >>> from skaug.utils._repr import changed_params_repr
    >>> class Thing:
    ...     def __init__(self, *, size=1, name="a"):
    ...         self.size, self.name = size, name
    ...     def get_params(self, deep=False):
    ...         return {"size": self.size, "name": self.name}
    >>> changed_params_repr(Thing(size=3))
    'Thing(size=3)'
    """
    defaults = {
        name: param.default
        for name, param in inspect.signature(type(obj).__init__).parameters.items()
    }
    changed = [
        f"{name}={value!r}"
        for name, value in obj.get_params(deep=False).items()
        if name not in defaults or repr(value) != repr(defaults[name])
    ]
    return f"{type(obj).__name__}({', '.join(changed)})"
