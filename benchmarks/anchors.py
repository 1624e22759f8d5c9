"""Other libraries' generators behind skaug's generator protocol, for benchmarks.

* :class:`ForestFlow`: ForestFlow (Jolicoeur-Martineau et al., AISTATS 2024;
  PyPI ``forestdiffusion``, MIT), flow matching with gradient-boosted trees.
  Not in the ``bench`` extra: it pulls xgboost, lightgbm, catboost and a CUDA
  NCCL wheel, so it is used only when importable
  (``pip install forestdiffusion``, ideally in a side environment).
* SDV's synthesizers go through :class:`skaug.models.SDVGenerator` (the
  ``sdv`` extra), only when ``sdv`` is importable.

Both follow the protocol of skaug's generators: ``fit(X, y)`` on a
DataFrame, then ``sample(n, y=labels)`` returns ``(X, y)`` with one row per
requested label.
"""

import importlib.util

import numpy as np
import pandas as pd


def forestflow_available():
    return importlib.util.find_spec("ForestDiffusion") is not None


def sdv_available():
    return importlib.util.find_spec("sdv") is not None


def _forest_diffusion_model(X, **params):
    """A fitted ``ForestDiffusionModel`` that also runs under pandas 3.

    With categorical columns its ``generate`` writes into the array that
    ``DataFrame.to_numpy()`` returns, read-only under pandas 3's copy-on-write;
    the step that returns it here hands back a writable copy.
    """
    from ForestDiffusion import ForestDiffusionModel

    model = ForestDiffusionModel(X, **params)
    clean = model.clean_onehot_data
    model.clean_onehot_data = lambda rows: np.array(clean(rows))
    return model


class ForestFlow:
    """ForestFlow fitted per class, sampling exact class counts.

    One ``ForestDiffusionModel`` (``diffusion_type="flow"``) per class, which
    is what its ``label_y`` option does internally, so that ``sample`` can
    ask each class for an exact number of rows (``label_y`` draws the labels
    at random). Categorical columns go in as integer codes (``cat_indexes``
    for 3 or more levels, ``bin_indexes`` for 2 or fewer), integer-valued
    numeric columns as ``int_indexes``; missing values stay NaN (its trees
    handle them). XGBoost runs on ``n_jobs`` threads.

    Parameters
    ----------
    n_t : int, default=50
        Noise levels (its default).
    duplicate_K : int, default=100
        Noise draws per training row (its default).
    n_jobs : int, default=1
    random_state : int, default=0
    """

    def __init__(self, *, n_t=50, duplicate_K=100, n_jobs=1, random_state=0):
        self.n_t = n_t
        self.duplicate_K = duplicate_K
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _codes(self, X):
        columns = []
        for name in X.columns:
            if isinstance(X[name].dtype, pd.CategoricalDtype):
                codes = X[name].cat.codes.to_numpy().astype(float)
                columns.append(np.where(codes < 0, np.nan, codes))
            else:
                columns.append(X[name].to_numpy(dtype=float))
        return np.column_stack(columns)

    def _kinds(self, X):
        kinds = {"cat_indexes": [], "bin_indexes": [], "int_indexes": []}
        for j, name in enumerate(X.columns):
            values = X[name]
            if isinstance(values.dtype, pd.CategoricalDtype):
                many = len(values.cat.categories) >= 3
                kinds["cat_indexes" if many else "bin_indexes"].append(j)
            elif np.all(np.mod(values.dropna(), 1) == 0):
                kinds["int_indexes"].append(j)
        return kinds

    def fit(self, X, y):
        self.columns_, self.dtypes_ = list(X.columns), X.dtypes
        codes, y = self._codes(X), np.asarray(y)
        self.classes_ = np.unique(y)
        self.models_ = {
            label: _forest_diffusion_model(
                codes[y == label],
                n_t=self.n_t,
                duplicate_K=self.duplicate_K,
                diffusion_type="flow",
                n_jobs=self.n_jobs,
                seed=self.random_state,
                nthread=self.n_jobs,  # passed on to xgboost
                **self._kinds(X),
            )
            for label in self.classes_
        }
        return self

    def _decode(self, codes):
        frame = {}
        for j, name in enumerate(self.columns_):
            dtype = self.dtypes_[name]
            if isinstance(dtype, pd.CategoricalDtype):
                index = np.clip(np.nan_to_num(codes[:, j], nan=-1), -1, None)
                categories = dtype.categories
                index = np.minimum(index.astype(int), len(categories) - 1)
                frame[name] = pd.Categorical.from_codes(index, dtype=dtype)
            else:
                frame[name] = codes[:, j]
        return pd.DataFrame(frame)

    def sample(self, n_samples, y=None, random_state=None):
        labels = np.asarray(y) if y is not None else None
        if labels is None or labels.shape != (n_samples,):
            raise ValueError("ForestFlow here samples one row per given label")
        np.random.seed(self.random_state if random_state is None else random_state)
        rows = np.empty((n_samples, len(self.columns_)))
        for label in np.unique(labels):
            where = np.flatnonzero(labels == label)
            rows[where] = self.models_[label].generate(batch_size=len(where))
        return self._decode(rows), labels.copy()
