"""SDVGenerator: the skaug generator protocol over SDV's single-table synthesizers.

SDV (the Synthetic Data Vault) is an optional dependency: it is imported when
:meth:`SDVGenerator.fit` runs, never at import time, and skaug contains none of
its code.
"""

import contextlib
import io
import random
import warnings
from importlib import import_module

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_array, validate_data

from skaug.models._docstrings import LABEL_ATTRIBUTES, fill_doc
from skaug.models._generators import TabularGeneratorMixin
from skaug.utils._persistence import VersionedPickleMixin
from skaug.utils._random import draw_seed, torch_seed
from skaug.utils._validation import fit_labels

__all__ = ["SDVGenerator"]

_SYNTHESIZERS = {
    "gaussian_copula": "GaussianCopulaSynthesizer",
    "ctgan": "CTGANSynthesizer",
    "tvae": "TVAESynthesizer",
    "copulagan": "CopulaGANSynthesizer",
}
_INSTALL = 'pip install "skaug[sdv]"'
_TABLE = "table"
_LABEL = "y"


def _import_sdv():
    """The SDV pieces the adapter uses, or an ImportError that says how to
    install them."""
    try:
        sdv = import_module("sdv")
        metadata = import_module("sdv.metadata")
        single_table = import_module("sdv.single_table")
        sampling = import_module("sdv.sampling")
    except ImportError as exc:
        raise ImportError(
            "SDVGenerator needs the optional dependency SDV (the Synthetic Data "
            f"Vault), which is not installed: {exc}. Install it with\n\n    "
            f"{_INSTALL}\n\nor use one of skaug's own generators "
            "(GaussianCopula, TabularVAE)."
        ) from exc
    return sdv, metadata, single_table, sampling


def _major_version(module):
    try:
        return int(str(getattr(module, "__version__", "1")).split(".")[0])
    except ValueError:
        return 1


def _sdtype(dtype):
    """The SDV sdtype for a pandas dtype: the adapter's own choice, so that
    SDV's guesses from names and values (ids, PII, ordinals) do not apply."""
    if isinstance(dtype, pd.CategoricalDtype):
        return "categorical"
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_numeric_dtype(dtype) and getattr(dtype, "kind", "") in "iuf":
        return "numerical"
    return "categorical"


@contextlib.contextmanager
def _seeded_globals(seed):
    """Seed numpy's, Python's and torch's global RNGs for the block (SDV and
    CTGAN draw from them), then put the caller's states back."""
    np_state = np.random.get_state()
    py_state = random.getstate()
    try:
        np.random.seed(seed)
        random.seed(seed)
        with torch_seed(seed):
            yield
    finally:
        np.random.set_state(np_state)
        random.setstate(py_state)


def _single_table(result):
    """SDV >= 2 returns ``{table_name: DataFrame}``; SDV 1 a DataFrame."""
    if isinstance(result, dict):
        return next(iter(result.values()))
    return result


@fill_doc(label_attributes=LABEL_ATTRIBUTES)
class SDVGenerator(TabularGeneratorMixin, VersionedPickleMixin, BaseEstimator):
    """Adapter to the single-table synthesizers of SDV (optional dependency).

    Wraps ``sdv.single_table.GaussianCopulaSynthesizer``,
    ``CTGANSynthesizer``, ``TVAESynthesizer`` or ``CopulaGANSynthesizer``
    behind skaug's generator protocol, ``fit(X, y=None)`` and
    ``sample(n, y=None, random_state=None) -> (X, y)``, so that they can be
    used wherever a skaug generator is (e.g. ``DriftAugmentor(generator=
    "sdv")``). SDV is imported by :meth:`fit`; install it with
    ``pip install "skaug[sdv]"``.

    Read more in the :ref:`User Guide <generators>`.

    Parameters
    ----------
    synthesizer : {"gaussian_copula", "ctgan", "tvae", "copulagan"}, \
            default="gaussian_copula"
        Which SDV synthesizer to fit.
    synthesizer_params : dict or None, default=None
        Keyword arguments for the synthesizer's constructor (after the
        metadata), e.g. ``{"epochs": 100}`` for CTGAN/TVAE or
        ``{"default_distribution": "beta"}`` for the Gaussian copula. See the
        SDV documentation of each synthesizer.
    verbose : int, default=0
        0 hides SDV's progress bars during conditional sampling; >0 shows
        them. Training output of CTGAN/TVAE follows their own ``verbose``
        (pass it in ``synthesizer_params``).
    random_state : int, RandomState instance or None, default=None
        Seeds :meth:`fit` (see Notes on reproducibility). :meth:`sample` has
        its own ``random_state``.

    Attributes
    ----------
    synthesizer_ : sdv.single_table.BaseSingleTableSynthesizer
        The fitted SDV synthesizer. Its table has the columns ``x0``,
        ``x1``, ... (the input columns, in order) and, for a conditional
        model, ``y`` (the class index, as a string).
    metadata_ : sdv.metadata.Metadata
        The SDV metadata of that table.
    {label_attributes}

    See Also
    --------
    GaussianCopula : skaug's own Gaussian copula (no extra dependency).
    TabularVAE : skaug's conditional VAE.

    Notes
    -----
    **Metadata.** SDV's metadata is detected from the table, then every
    column's sdtype is set from its pandas dtype: booleans ``"boolean"``,
    integer and float columns ``"numerical"``, everything else (categorical,
    string, object) ``"categorical"``. Columns are handed to SDV under
    neutral names (``x0``, ``x1``, ...), so SDV's name-based guesses (primary
    keys, PII such as ``"email"``, which SDV would replace by fake values)
    never apply; no primary key is set. Output columns get their original
    names back and, where the values allow, their original dtypes.

    **Labels.** With ``y``, the class index is added to the table as a
    categorical column and learnt jointly with the features; ``sample`` with
    labels calls SDV's ``sample_from_conditions`` with one ``Condition`` per
    class. The Gaussian copula conditions exactly; CTGAN and CopulaGAN use
    their conditional vector; TVAE samples and rejects rows of the other
    classes (SDV tries up to 100 batches per condition). If SDV returns fewer
    rows than asked for a class, a ``RuntimeError`` says so.

    **Reproducibility.** SDV synthesizers take no seed. :meth:`fit` runs with
    numpy's, Python's and torch's global RNGs seeded from ``random_state``
    and restores them afterwards (the caller's RNGs are left as they were):
    the same ``random_state`` fits the same synthesizer on the CPU (CTGAN and
    TVAE on a GPU are not bit-reproducible). :meth:`sample` resets SDV's
    sampling state, seeds the synthesizer's model through SDV's
    ``_set_random_state`` (a private SDV method; when a future SDV lacks it,
    SDV's own fixed seed is used instead) and runs under the same global
    seeding: the same ``random_state`` gives the same rows. Randomness inside
    SDV's data transformers (e.g. where missing values go) is reset to SDV's
    fixed seeds at every call, so it does not vary with ``random_state``.

    **Licence.** SDV is distributed under the Business Source License 1.1,
    not an open-source licence: read its terms before using it. skaug only
    imports it and contains none of its code.

    References
    ----------
    .. [1] N. Patki, R. Wedge and K. Veeramachaneni, "The Synthetic Data
       Vault", IEEE DSAA, 2016.
    .. [2] L. Xu, M. Skoularidou, A. Cuesta-Infante and K. Veeramachaneni,
       "Modeling Tabular Data using Conditional GAN", NeurIPS 2019.

    Examples
    --------
    >>> from skaug.models import SDVGenerator
    >>> generator = SDVGenerator(synthesizer="ctgan",
    ...                          synthesizer_params={"epochs": 10})
    >>> generator.get_params()["synthesizer"]
    'ctgan'

    With SDV installed (``pip install "skaug[sdv]"``), it fits and samples like
    any skaug generator:

    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> generator = SDVGenerator(random_state=0).fit(X, y)  # doctest: +SKIP
    >>> X_new, y_new = generator.sample(5, y=1, random_state=0)  # doctest: +SKIP
    """

    _fitted_attribute = "synthesizer_"
    _parameter_constraints: dict = {
        "synthesizer": [StrOptions(set(_SYNTHESIZERS))],
        "synthesizer_params": [dict, None],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        synthesizer="gaussian_copula",
        synthesizer_params=None,
        verbose=0,
        random_state=None,
    ):
        self.synthesizer = synthesizer
        self.synthesizer_params = synthesizer_params
        self.verbose = verbose
        self.random_state = random_state

    # -- input -------------------------------------------------------------------

    def _check_X(self, X):
        """A DataFrame with neutral column names, and what is needed to give
        the output the input's format back."""
        if isinstance(X, pd.DataFrame):
            validate_data(self, X, reset=True, skip_check_array=True)
            self._frame_columns = X.columns
            self._array_dtype = None
            frame = X.copy()
        else:
            X = check_array(
                X, dtype=None, ensure_all_finite=False, ensure_min_samples=1
            )
            validate_data(self, X, reset=True, skip_check_array=True)
            self._frame_columns = None
            self._array_dtype = X.dtype
            frame = pd.DataFrame(X)
            if X.dtype.kind == "O":
                frame = frame.infer_objects()
        if frame.shape[1] == 0:
            raise ValueError(
                f"Found array with 0 feature(s) (shape={frame.shape}) while a "
                "minimum of 1 is required by SDVGenerator."
            )
        self._dtypes = list(frame.dtypes)
        frame.columns = [f"x{j}" for j in range(frame.shape[1])]
        frame.index = pd.RangeIndex(len(frame))
        for name, column in frame.items():
            sdtype = _sdtype(column.dtype)
            if sdtype == "categorical":
                # CTGAN refuses pandas categoricals; strings go as objects too
                frame[name] = column.astype(object)
            elif sdtype == "numerical":
                values = column.to_numpy(dtype=np.float64, na_value=np.nan)
                if np.isinf(values).any():
                    original = self._original_name(int(name[1:]))
                    raise ValueError(
                        f"Column {original!r} contains infinite values (+inf or "
                        "-inf). Replace them with finite values, or with NaN."
                    )
        return frame

    def _original_name(self, j):
        return j if self._frame_columns is None else self._frame_columns[j]

    def _metadata(self, sdv_metadata, table):
        """SDV metadata for ``table``: detected, then sdtypes set from dtypes."""
        Metadata = sdv_metadata.Metadata
        if hasattr(Metadata, "detect_from_dataframe"):  # SDV 1.x
            try:
                metadata = Metadata.detect_from_dataframe(
                    table, table_name=_TABLE, infer_keys=None
                )
            except TypeError:  # before infer_keys existed
                metadata = Metadata.detect_from_dataframe(table, table_name=_TABLE)
        else:  # SDV >= 2
            metadata = Metadata.detect_from_dataframes({_TABLE: table}, infer_keys=None)
        for name, column in table.items():
            metadata.update_column(
                column_name=name, sdtype=_sdtype(column.dtype), table_name=_TABLE
            )
        return metadata

    # -- fit ---------------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit the SDV synthesizer on X (and y).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Training data; mixed types and missing values are allowed.
        y : array-like of shape (n_samples,), default=None
            Class labels. Given, they are learnt jointly with X and
            :meth:`sample` can condition on them.

        Returns
        -------
        self : SDVGenerator
            The fitted generator.

        Raises
        ------
        ImportError
            When SDV is not installed.
        """
        table = self._check_X(X)  # bad input is reported with or without SDV
        sdv, sdv_metadata, single_table, _ = _import_sdv()
        n_rows = len(table)
        if n_rows < 2:
            raise ValueError(
                f"SDVGenerator needs at least 2 samples to fit; got {n_rows} sample."
            )
        self.classes_, self.class_prior_, y_index = fit_labels(y, n_rows)
        if y_index is not None:
            table[_LABEL] = pd.Series(
                np.array([str(k) for k in y_index], dtype=object), dtype=object
            )

        self.metadata_ = self._metadata(sdv_metadata, table)
        synthesizer_class = getattr(single_table, _SYNTHESIZERS[self.synthesizer])
        params = dict(self.synthesizer_params or {})
        seed = draw_seed(self.random_state)
        with warnings.catch_warnings():
            # SDV's advice to save the metadata to JSON does not apply here.
            warnings.filterwarnings("ignore", message=".*save_to_json.*")
            try:
                synthesizer = synthesizer_class(self.metadata_, **params)
            except TypeError as exc:
                raise TypeError(
                    f"synthesizer_params={self.synthesizer_params!r} does not fit "
                    f"SDV's {synthesizer_class.__name__}: {exc}"
                ) from exc
        data = table if _major_version(sdv) < 2 else {_TABLE: table}
        with _seeded_globals(seed):
            synthesizer.fit(data)
        self.synthesizer_ = synthesizer
        return self

    # -- sample ------------------------------------------------------------------

    def _reseed(self, seed):
        synthesizer = self.synthesizer_
        synthesizer.reset_sampling()
        if hasattr(synthesizer, "_set_random_state"):
            synthesizer._set_random_state(seed)

    def _sample_table(self, n_samples, index, seed):
        """Rows in SDV's table format, in the order of ``index``."""
        synthesizer = self.synthesizer_
        quiet = self.verbose == 0
        with (
            _seeded_globals(seed),
            contextlib.redirect_stderr(io.StringIO())
            if quiet
            else contextlib.nullcontext(),
        ):
            self._reseed(seed)
            if index is None:
                return _single_table(synthesizer.sample(num_rows=n_samples))
            Condition = import_module("sdv.sampling").Condition
            present, counts = np.unique(index, return_counts=True)
            conditions = [
                Condition(column_values={_LABEL: str(k)}, num_rows=int(count))
                for k, count in zip(present, counts)
            ]
            sampled = _single_table(synthesizer.sample_from_conditions(conditions))
        labels = sampled[_LABEL].astype(str).to_numpy()
        parts = []
        for k, count in zip(present, counts):
            rows = sampled[labels == str(k)]
            if len(rows) < count:
                raise RuntimeError(
                    f"SDV's {type(synthesizer).__name__} produced {len(rows)} of "
                    f"the {count} rows asked for class {self.classes_[k]!r}. "
                    "Train it longer, or use synthesizer='gaussian_copula', which "
                    "conditions exactly."
                )
            parts.append((np.flatnonzero(index == k), rows.iloc[:count]))
        order = np.concatenate([positions for positions, _ in parts])
        table = pd.concat([rows for _, rows in parts], ignore_index=True)
        out = table.iloc[np.argsort(order, kind="stable")]
        return out.reset_index(drop=True)

    def _restore_format(self, table, n_samples):
        """SDV's table back in the format ``fit`` received."""
        columns = {}
        for j, dtype in enumerate(self._dtypes):
            name = f"x{j}"
            if name in table:
                values = table[name].reset_index(drop=True)
            else:  # n_samples == 0
                values = pd.Series([], dtype=object)
            try:
                if isinstance(dtype, pd.CategoricalDtype):
                    values = pd.Series(
                        pd.Categorical(values.astype(object), dtype=dtype)
                    )
                else:
                    values = values.astype(dtype)
            except (TypeError, ValueError):
                pass  # e.g. missing values in a column that had none: keep SDV's
            columns[j] = values
        frame = pd.DataFrame(columns, index=pd.RangeIndex(n_samples))
        if self._frame_columns is None:
            return frame.to_numpy(dtype=self._array_dtype)
        frame.columns = self._frame_columns
        return frame

    def _sample_rows(self, n_samples, index, seed, rng):
        """``n_samples`` rows of the classes ``index``, in the input's format."""
        if n_samples == 0:
            table = pd.DataFrame()
        else:
            table = self._sample_table(n_samples, index, seed)
        return self._restore_format(table, n_samples)
