"""The result of a drift augmentation and its report."""

import json
import math
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

#: :meth:`AugmentationReport.__str__` flags a class whose synthetic rows are
#: predicted their class this much less often than real rows are.
LABEL_GAP_WARNING = 0.1


def _jsonable(value):
    """Plain Python, strict-JSON values: numpy scalars/arrays, DataFrames and
    non-finite floats (-> None) converted."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return _jsonable(
            value.reset_index().to_dict(orient="records")
            if value.index.name is not None
            else value.to_dict(orient="records")
        )
    if isinstance(value, pd.Series):
        return _jsonable(value.to_dict())
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass
class AugmentationReport:
    """What :class:`~skaug.DriftAugmentor` measured and did for one test set.

    Attributes
    ----------
    augmented : bool
        Whether synthetic rows were added.
    reason : str
        Why augmentation did or did not happen, in words.
    metric : str
        The drift metric.
    target : str
        What the drift was measured on: ``"all features"``, a column, or
        ``"y"``.
    drift_before, drift_after : float
        Overall drift between the training data and the test set, before and
        after the synthetic rows were added (the mean, or max, of the
        per-feature values).
    drift_reduction : float
        ``drift_before - drift_after`` (positive when drift dropped).
    relative_reduction : float
        ``drift_reduction / drift_before`` (0 when there was no drift).
    samples_added : int
        Synthetic rows appended after the test rows.
    max_samples : int
        The cap ``int(augmentation_factor * len(X_test))``.
    per_feature : DataFrame
        Drift before and after per feature (index: feature).
    regions : DataFrame
        One row per deviation region: for histogram regions of a numeric
        target its ``lower`` and ``upper`` edges (``[lower, upper)``; NaN for
        an open end and for the missing-value region), of a categorical one
        its ``level``; then the share of training rows (``train_share``) and
        of test rows (``test_share``) in it, its ``deficit``
        (``max(train_share - test_share, 0)``), the
        synthetic rows ``allocated`` and ``added``.
    region_model : HistogramRegions, DensityRatioRegions or None
        The fitted regions themselves (None when nothing was augmented):
        ``region_model.assign(rows)`` maps rows, in the form the regions were
        fitted on, to their region. Left out of ``to_dict`` and ``to_json``;
        :meth:`region_of` takes rows as they come.
    region_lookup : callable or None
        What :meth:`region_of` uses (None when nothing was augmented); left
        out of ``to_dict`` and ``to_json``.
    acceptance_rate : float
        Rows kept / candidates drawn by the rejection sampling (1.0 when the
        generator was conditioned directly). Candidates are drawn in batches of
        at least 256, so a small quota shows a low rate even when most
        candidates fell in regions that needed rows.
    generator : str
        The generator used (and why, for ``generator="auto"``).
    generator_quality : dict
        Fit quality of the generator on held-out training rows:
        ``detection_auc`` (real-vs-synthetic classifier ROC AUC; 0.5 is best)
        and ``mean_ks``; when the augmentor was fitted with labels, also
        whether the synthetic rows carry the labels real rows like them
        carry: ``label_agreement`` (how often a classifier fitted on the
        held-out real rows predicts the synthetic rows' labels, averaged over
        the classes), ``label_agreement_real`` (the same check on the real
        held-out rows, cross-fitted: the level to expect) and
        ``label_agreement_per_class``; see :attr:`label_fidelity`.
    limited_by : str
        What set the number of rows added: ``"drift_threshold"`` (drift at
        or below it: nothing added), ``"significance"`` (the region counts
        of training and test rows do not differ beyond sampling noise: a
        chi-squared test at the augmentor's ``significance`` level, 0.05 by
        default; nothing added), ``"no_deficit"``
        (no region has fewer test rows than training rows), ``"rows_needed"``
        (the regions needed fewer rows than the cap: enough to bring the test
        set's mass up to the training mass where it lacks it),
        ``"generation"`` (fewer rows than allocated could be generated inside
        their regions) or ``"augmentation_factor"`` (the cap was reached, or
        allows no row).
    shortfall : str
        Why fewer rows than ``max_samples`` were added, in words; ``""``
        when the cap was reached.
    concept_shift : dict
        Whether the test labels given the features changed (a P(y|x) or
        concept shift, which no augmentation can fix), checked whenever
        ``augment`` got test labels (empty otherwise): ``detected``;
        ``agreement``, how often a random forest fitted on the training rows
        (cross-fitted) agrees with the test labels, and
        ``expected_agreement``, what its accuracy on held-out training rows
        and its confidence on the test rows predict if only the features
        drifted; ``shortfall_covariate`` and ``shortfall_label``, expected
        minus observed agreement if only the features drifted (covariate
        shift) or only the class shares (label shift), ``shortfall`` the
        smaller, ``p_value`` the larger of their one-sided p-values;
        ``n_train`` and ``n_test``. ``detected`` is True when both
        explanations leave a shortfall of at least 0.1 with p-values below
        0.01; then ``reason`` says so and a warning is issued.
    subgroups : DataFrame or None
        With ``sensitive_features``: per subgroup, its share of the test rows
        and of the synthetic rows, and its drift before and after.
    warnings : list of str
        Warnings raised during the augmentation (also issued as
        ``UserWarning``).
    fit_seconds, augment_seconds : float
        Wall time of ``fit`` and of this augmentation.
    """

    augmented: bool
    reason: str
    metric: str
    target: str
    drift_before: float
    drift_after: float
    samples_added: int
    max_samples: int
    per_feature: pd.DataFrame
    regions: pd.DataFrame = field(default_factory=pd.DataFrame)
    region_model: object = field(default=None, compare=False, repr=False)
    region_lookup: object = field(default=None, compare=False, repr=False)
    acceptance_rate: float = 1.0
    generator: str = ""
    generator_quality: dict = field(default_factory=dict)
    limited_by: str = ""
    shortfall: str = ""
    concept_shift: dict = field(default_factory=dict)
    subgroups: pd.DataFrame | None = None
    warnings: list = field(default_factory=list)
    fit_seconds: float = 0.0
    augment_seconds: float = 0.0

    @property
    def label_fidelity(self):
        """Per class, how often a classifier fitted on real held-out training
        rows agrees with the labels of the generator's rows (``synthetic``)
        and with those of real rows (``real``), and their rows
        (``n_synthetic``, ``n_real``); ``gap`` is ``real - synthetic``.

        Synthetic rows whose class is predicted far less often than real
        rows of that class carry wrong labels for where they lie: a score on
        them measures the generator, not the model. Empty when the augmentor
        was fitted without labels or held nothing out
        (``validation_fraction=0``).
        """
        per_class = self.generator_quality.get("label_agreement_per_class")
        columns = ["synthetic", "real", "gap", "n_synthetic", "n_real"]
        if not per_class:
            return pd.DataFrame(columns=columns).rename_axis("class")
        table = pd.DataFrame.from_dict(per_class, orient="index")
        table["gap"] = table["real"] - table["synthetic"]
        return table[columns].rename_axis("class")

    def region_of(self, X, y=None):
        """The region of each row of X: its position in :attr:`regions`.

        Rows are placed as the augmentation placed them: a training row, a
        test row or a synthetic row of this call, or any row with the
        training columns.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_rows, n_features)
            Rows with the training data's columns.
        y : array-like of shape (n_rows,), default=None
            Their labels; needed when the regions are the classes
            (``target="y"``).

        Returns
        -------
        ndarray of int of shape (n_rows,)

        Raises
        ------
        ValueError
            When nothing was augmented (no regions were fitted), or X does not
            have the training columns.

        Examples
        --------
        >>> import numpy as np
        >>> from skaug import DriftAugmentor
        >>> rng = np.random.default_rng(0)
        >>> X_train = rng.normal(size=(500, 2))
        >>> X_test = rng.normal(size=(200, 2))
        >>> X_test = X_test[X_test[:, 0] > -0.5]
        >>> aug = DriftAugmentor(generator="gaussian_copula", random_state=0)
        >>> result = aug.fit(X_train).augment(X_test)
        >>> report = result.report
        >>> region = report.region_of(result.X[result.is_synthetic])
        >>> # every synthetic row lies in a region that lacked test rows
        >>> bool((report.regions["deficit"].to_numpy()[region] > 0).all())
        True
        >>> counts = np.bincount(region, minlength=len(report.regions))
        >>> bool((counts == report.regions["added"]).all())
        True
        """
        if self.region_lookup is None:
            raise ValueError(
                "This augmentation fitted no regions (nothing was augmented: "
                f"{self.reason}), so rows have no region."
            )
        return self.region_lookup(X, y)

    @property
    def drift_reduction(self):
        return float(self.drift_before - self.drift_after)

    @property
    def relative_reduction(self):
        if self.drift_before == 0:
            return 0.0
        return float(self.drift_reduction / self.drift_before)

    def to_dict(self):
        """The report as strict-JSON-serialisable plain Python (no NaN)."""
        out = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("region_model", "region_lookup")
        }
        out["drift_reduction"] = self.drift_reduction
        out["relative_reduction"] = self.relative_reduction
        return _jsonable(out)

    def to_json(self, **kwargs):
        """The report as a JSON string (``allow_nan=False``)."""
        return json.dumps(self.to_dict(), allow_nan=False, **kwargs)

    def to_frame(self, table="drift"):
        """The report as a table.

        Parameters
        ----------
        table : {"drift", "label_fidelity"}, default="drift"
            ``"drift"``: one row per feature plus an ``"overall"`` row (only
            when there are several features), with the drift ``before``,
            ``after`` and the ``reduction``. ``"label_fidelity"``: one row
            per class, see :attr:`label_fidelity`.

        Returns
        -------
        DataFrame
        """
        if table == "label_fidelity":
            return self.label_fidelity
        if table != "drift":
            raise ValueError(
                f'table must be "drift" or "label_fidelity"; got {table!r}.'
            )
        table = self.per_feature[["before", "after"]].copy()
        if len(table) > 1:
            table.loc["overall"] = [self.drift_before, self.drift_after]
        table["reduction"] = table["before"] - table["after"]
        return table

    def __str__(self):
        lines = [
            f"AugmentationReport ({self.metric} drift on {self.target})",
            f"  {self.reason}",
            f"  drift {self.drift_before:.4f} -> {self.drift_after:.4f} "
            f"(reduction {self.drift_reduction:+.4f}, "
            f"{100 * self.relative_reduction:.1f}%)",
            f"  rows added {self.samples_added} / {self.max_samples} allowed, "
            f"acceptance rate {self.acceptance_rate:.2f}",
        ]
        if self.augmented and self.shortfall:
            lines.append(f"  fewer rows than allowed: {self.shortfall}")
        if self.generator:
            lines.append(f"  generator {self.generator}")
        lines += self._label_lines()
        if self.concept_shift.get("detected"):
            lines.append(
                "  P(y|x) changed: a model fitted on the training rows agrees "
                f"with {100 * self.concept_shift['agreement']:.0f}% of the test "
                f"labels, {100 * self.concept_shift['expected_agreement']:.0f}% "
                "expected; augmentation cannot fix that"
            )
        return "\n".join(lines)

    def _label_lines(self):
        """One line per class of :attr:`label_fidelity` (none without it)."""
        table = self.label_fidelity
        lines = []
        for label, row in table.iterrows():
            flag = "  <- labels doubtful" if row["gap"] > LABEL_GAP_WARNING else ""
            lines.append(
                f"  label fidelity, class {label}: synthetic rows predicted "
                f"{label} {100 * row['synthetic']:.0f}% of the time vs "
                f"{100 * row['real']:.0f}% for real rows ({row['n_synthetic']} "
                f"and {row['n_real']} rows){flag}"
            )
        return lines

    def plot(self, ax=None):
        """Bar chart of the per-feature drift before and after augmentation.

        Needs matplotlib (``pip install "skaug[plot]"``).

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.

        Returns
        -------
        ax : matplotlib Axes
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError(
                'AugmentationReport.plot needs matplotlib: pip install "skaug[plot]"'
            ) from exc
        if ax is None:
            _, ax = plt.subplots(figsize=(max(4, 0.6 * len(self.per_feature)), 3.5))
        positions = np.arange(len(self.per_feature))
        ax.bar(positions - 0.2, self.per_feature["before"], 0.4, label="before")
        ax.bar(positions + 0.2, self.per_feature["after"], 0.4, label="after")
        ax.set_xticks(positions, [str(i) for i in self.per_feature.index])
        ax.tick_params(axis="x", rotation=45)
        ax.set_ylabel(f"{self.metric} drift")
        ax.set_title(
            f"drift {self.drift_before:.3f} -> {self.drift_after:.3f}, "
            f"{self.samples_added} rows added"
        )
        ax.legend()
        return ax


@dataclass
class Augmentation:
    """What :meth:`~skaug.DriftAugmentor.augment` returns.

    Attributes
    ----------
    X : DataFrame or ndarray
        The test rows, first and in order, then the synthetic rows.
    y : ndarray, Series or None
        Their labels, when the test labels were given (or the target is
        ``"y"``); ``None`` otherwise.
    is_synthetic : ndarray of bool
        True for the appended synthetic rows.
    report : AugmentationReport
    """

    X: object
    y: object
    is_synthetic: np.ndarray
    report: AugmentationReport

    def __iter__(self):
        # allows ``X, y, is_synthetic, report = augmentor.augment(...)``
        return iter((self.X, self.y, self.is_synthetic, self.report))
