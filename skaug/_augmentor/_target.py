"""The target plan: what DriftAugmentor measures drift on, and what its regions
see.

``fit`` resolves the ``target`` parameter against the training data once
(every feature, one column, or the labels) into a :class:`TargetPlan`;
``augment`` asks the plan for the drift table and for the region finder and
its inputs. Settings that a user may change between calls without refitting
(``drift_metric``, ``region_method``, ``n_regions``; ``benchmarks/bench_drift.py``
switches ``region_method`` on one fitted augmentor) are passed per call, as
they were read at ``augment`` before the plan existed.
"""

from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd

from skaug.drift import (
    DensityRatioRegions,
    HistogramRegions,
    aggregate_drift,
    drift_per_feature,
)
from skaug.utils._random import SEED_MAX

#: The kinds of target: every feature, one column of X, the labels.
KINDS = ("features", "column", "labels")


def _column_position(target, X):
    """Position of column ``target`` in X, or a ValueError naming the fix."""
    if isinstance(X, pd.DataFrame):
        if target in X.columns:
            return X.columns.get_loc(target)
        if isinstance(target, Integral) and 0 <= target < X.shape[1]:
            return int(target)
        raise ValueError(
            f"target={target!r} is not a column of X (columns: "
            f"{list(X.columns)[:10]}...). Pass a column name, a position, "
            '"y" for the labels, or None for every feature.'
        )
    if isinstance(target, Integral) and 0 <= target < X.shape[1]:
        return int(target)
    raise ValueError(
        f"target={target!r} does not name a column of a {X.shape[1]}-column "
        'array: use a position 0..n_features-1, "y" or None.'
    )


def overall_drift(table, how):
    """The overall drift of a drift table (``how``: ``"mean"`` or ``"max"``)."""
    return float(aggregate_drift(table, how=how))


@dataclass(frozen=True)
class TargetPlan:
    """Where the drift is measured, resolved against the training data.

    Attributes
    ----------
    kind : {"features", "column", "labels"}
        Every feature, one column of X, or the labels.
    column : int or None
        Position of the target column (``kind="column"`` only).
    feature : str, int or None
        That column as the drift table and the encoder's spans name it: its
        DataFrame name, or its position for an array.
    name : str
        What the report calls the target.
    """

    kind: str
    column: int | None = None
    feature: object = None
    name: str = "all features"

    @classmethod
    def from_target(cls, target, X):
        """The plan of parameter ``target`` for training data X.

        Raises a ValueError when ``target`` names no column of X.
        """
        if target is None:
            return cls("features")
        if isinstance(target, str) and target == "y":
            return cls("labels", name="y")
        column = _column_position(target, X)
        feature = X.columns[column] if isinstance(X, pd.DataFrame) else column
        return cls("column", column=column, feature=feature, name=str(target))

    def values(self, X, y):
        """The 1-D target of rows X with labels y (None for every feature)."""
        if self.kind == "labels":
            return np.asarray(y)
        if self.kind == "features":
            return None
        if isinstance(X, pd.DataFrame):
            return X.iloc[:, self.column]
        return np.asarray(X)[:, self.column]

    def drift_table(self, X_ref, y_ref, X_cur, y_cur, *, metric):
        """Per-feature drift of the target between a reference and a current
        sample (one row, ``"y"``, for the labels)."""
        if self.kind == "labels":
            table = drift_per_feature(
                np.asarray(y_ref), np.asarray(y_cur), metric=metric, categorical=True
            )
            table.index = pd.Index(["y"])
            return table
        columns = None if self.kind == "features" else [self.feature]
        return drift_per_feature(X_ref, X_cur, metric=metric, columns=columns)

    def make_regions(self, *, region_method, n_regions, significance, rng):
        """An unfitted region finder: the classes for the labels, quantile
        bins (or levels) for ``"histogram"``, else density-ratio clusters
        seeded from ``rng``; ``significance`` is the level of their test."""
        if self.kind == "labels":
            return HistogramRegions(
                n_regions=n_regions, categorical=True, significance=significance
            )
        if region_method == "histogram":
            return HistogramRegions(n_regions=n_regions, significance=significance)
        return DensityRatioRegions(
            n_regions=n_regions,
            significance=significance,
            random_state=int(rng.randint(SEED_MAX)),
        )

    def region_inputs(self, X, y, *, region_method, encoder):
        """What the regions see for rows X (labels y): the 1-D target for
        histogram regions and the labels, else the encoded columns of the
        target (all of them for every feature)."""
        if region_method == "histogram" or self.kind == "labels":
            return self.values(X, y)
        Xt = encoder.transform(X)
        if self.kind == "features":
            return Xt
        keep = np.concatenate(
            [
                np.arange(span.start, span.stop)
                for span in encoder.spans_
                if span.feature == self.feature
            ]
        )
        return Xt[:, keep]
