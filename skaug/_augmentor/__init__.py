"""DriftAugmentor (private package; the public name is ``skaug.DriftAugmentor``).

* :mod:`._estimator` -- the estimator: parameters, ``fit``, ``augment``,
  ``transform``;
* :mod:`._target` -- the target plan fitted in ``fit``: what the drift is
  measured on and what the regions see;
* :mod:`._subgroups` -- subgroups of ``sensitive_features``: keys, quotas,
  report;
* :mod:`._draw` -- the synthetic rows, drawn by :mod:`skaug._synthesis`;
* :mod:`._checks`, :mod:`._holdout`, :mod:`._report` -- input checks, the
  held-out rows and the generator's quality, the merged rows and the report;
* :mod:`._gates`, :mod:`._lookup` -- which gate stopped a call or set its
  count, and the report's region lookup;
* :mod:`._review`, :mod:`._concept` -- a call's warnings and subgroup table,
  and whether the test labels given x changed (P(y|x)).
"""

from skaug._augmentor._estimator import DriftAugmentor

__all__ = ["DriftAugmentor"]
