"""The rows a generation strategy made, with what is known about them."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


def take_rows(X, index):
    """Rows ``index`` of a DataFrame (fresh index) or an array."""
    if isinstance(X, pd.DataFrame):
        return X.iloc[index].reset_index(drop=True)
    return np.asarray(X)[index]


def concat_rows(parts, like):
    """Stack row blocks in the format of ``like`` (DataFrame or ndarray)."""
    if isinstance(like, pd.DataFrame):
        return pd.concat([p.reset_index(drop=True) for p in parts], ignore_index=True)
    return np.concatenate([np.asarray(p) for p in parts], axis=0)


@dataclass
class SyntheticPool:
    """Synthetic rows, in the user's format, and their bookkeeping.

    Attributes
    ----------
    X : DataFrame or ndarray of shape (n_rows, n_features)
        The rows, in the format of the training data.
    y : ndarray of shape (n_rows,) or None
        Their labels (``None`` from an unconditional generator).
    encoded : ndarray of shape (n_rows, n_encoded) or None
        The rows in the encoder's space, where a strategy computed it.
    uncertainty : ndarray of shape (n_rows,) or None
        Their uncertainty scores, where a strategy scored them.
    n_candidates : int
        Rows drawn from the generator to make these.
    n_rejected : int
        Candidates dropped (outside the data's support, or outside every
        region that still needed rows).
    per_group : ndarray of int or None
        Rows kept per group of the strategy (per region for region quotas).
    """

    X: object
    y: np.ndarray | None = None
    encoded: np.ndarray | None = None
    uncertainty: np.ndarray | None = None
    n_candidates: int = 0
    n_rejected: int = 0
    per_group: np.ndarray | None = field(default=None)

    def __len__(self):
        return 0 if self.X is None else len(self.X)

    @property
    def rejection_rate(self):
        """Share of the candidates dropped (0 when none were drawn)."""
        return self.n_rejected / self.n_candidates if self.n_candidates else 0.0

    @classmethod
    def empty(cls, like_X, like_y=None, n_encoded=0):
        """A pool of no rows, in the formats of ``like_X`` and ``like_y``."""
        return cls(
            X=take_rows(like_X, np.zeros(0, dtype=np.intp)),
            y=None if like_y is None else np.asarray(like_y)[:0],
            encoded=np.zeros((0, n_encoded)),
            uncertainty=np.zeros(0),
        )

    @classmethod
    def concat(cls, pools, like_X, like_y=None, n_encoded=0):
        """One pool of the rows of ``pools``, in order (counts summed)."""
        pools = list(pools)
        full = [p for p in pools if len(p)]
        if full:

            def stacked(name):
                parts = [getattr(p, name) for p in full]
                return None if any(v is None for v in parts) else np.concatenate(parts)

            out = cls(
                X=concat_rows([p.X for p in full], like_X),
                y=stacked("y"),
                encoded=stacked("encoded"),
                uncertainty=stacked("uncertainty"),
            )
        else:
            out = cls.empty(like_X, like_y, n_encoded)
        # the candidates of pools that kept nothing count too
        out.n_candidates = sum(p.n_candidates for p in pools)
        out.n_rejected = sum(p.n_rejected for p in pools)
        return out
