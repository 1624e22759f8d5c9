"""DriftAugmentor (private package; the public name is ``skaug.DriftAugmentor``).

* :mod:`._estimator` -- the estimator: parameters, ``fit``, ``augment``,
  ``transform``;
* :mod:`._target` -- the target plan fitted in ``fit``: what the drift is
  measured on and what the regions see;
* :mod:`._subgroups` -- subgroups of ``sensitive_features``: keys, quotas,
  report;
* :mod:`._draw` -- the synthetic rows, drawn by :mod:`skaug._synthesis`;
* :mod:`._checks`, :mod:`._holdout`, :mod:`._report` -- input checks, the
  held-out rows and the generator's quality, the merged rows and the report.
"""

from skaug._augmentor._estimator import DriftAugmentor

__all__ = ["DriftAugmentor"]
