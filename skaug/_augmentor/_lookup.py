"""Which region of an augmentation a row belongs to, after the call.

The regions of an ``augment`` call are fitted on that call's test set, and
they see rows in the form the target plan gives them (the encoded columns,
one column, or the labels). :class:`RegionLookup` keeps what that form
needs, as it was at the call (a later ``set_params`` or refit of the
augmentor does not change it), so that
:meth:`~skaug.report.AugmentationReport.region_of` can place any rows.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from skaug._augmentor._checks import check_test_columns


@dataclass(frozen=True)
class RegionLookup:
    """The region of rows in the fitted regions of one ``augment`` call.

    Attributes
    ----------
    plan : TargetPlan
        What the regions see.
    region_method : str
        ``region_method`` at the call.
    encoder : TabularEncoder
        The augmentor's fitted encoder.
    regions : HistogramRegions or DensityRatioRegions
        The call's fitted regions.
    feature_names_in_ : ndarray of str or None
    n_features_in_ : int
        The training data's columns, to check the rows against.
    """

    plan: object
    region_method: str
    encoder: object
    regions: object
    feature_names_in_: object
    n_features_in_: int

    def __call__(self, X, y=None):
        """The region of every row of X (labels y).

        Returns
        -------
        ndarray of int of shape (n_rows,)
            Positions in the report's ``regions`` table.
        """
        if self.plan.kind == "labels" and y is None:
            raise ValueError(
                'The regions of target="y" are the classes: region_of(X, y) needs y.'
            )
        check_test_columns(self, X)
        if not isinstance(X, pd.DataFrame):
            X = np.asarray(X)
            if X.ndim != 2 or X.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"X has shape {X.shape}, but the augmentor was fitted on "
                    f"{self.n_features_in_} features: pass rows with the "
                    "training columns."
                )
        y = None if y is None else np.asarray(y)
        inputs = self.plan.region_inputs(
            X, y, region_method=self.region_method, encoder=self.encoder
        )
        return np.asarray(self.regions.assign(inputs), dtype=int)
