"""The bad-input catalogue: every estimator against the inputs users get wrong.

Each refused input must give a ``ValueError`` or ``TypeError`` raised by skaug
(or by scikit-learn's parameter and column checks), never by torch, numpy or
pandas internals, with a message that names the offending column or parameter
and says what to do. Inputs that are *supported* (missing values, constant
columns, integral float labels, mixed object columns, huge finite values, one
class for a generator) must go through. In every case the inputs are left
unchanged.

Behaviour choices (also in the estimators' docstrings, under Notes):

- an all-constant column is accepted and reproduced as that constant;
- an object column mixing types is categorical (each distinct value a level);
- float labels ``0.0``/``1.0`` are class labels; ``0.25`` is refused;
- a generator accepts one class, and a class with one row; the sampler needs
  at least 2 classes with at least 2 rows each;
- an unseen category at ``DriftAugmentor.augment`` is an error, whatever the
  drift (as ``OneHotEncoder``'s default ``handle_unknown="error"``);
- huge finite values (``1e300``) are fine with the rank-based encoding (VAE,
  CopulaGAN, GaussianCopula, the sampler); ``TabularGAN``'s standard scaling
  refuses them, naming the column and the fix.
"""

import copy
import os
import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from scipy import sparse
from sklearn.exceptions import NotFittedError

from skaug import DriftAugmentor, TabularEncoder, UncertaintySampler
from skaug.models import (
    CopulaGAN,
    GaussianCopula,
    MCDropoutClassifier,
    TabularGAN,
    TabularVAE,
)

N = 60  # enough rows for a free-text column above max_categories=50

# --------------------------------------------------------------------- data


def _frame(n=N, seed=0):
    rng = np.random.RandomState(seed)
    return pd.DataFrame(
        {
            "num": rng.normal(size=n),
            "count": rng.randint(0, 9, size=n),
            "cat": rng.choice(["red", "green", "blue"], size=n),
        }
    )


def _labels(n=N):
    return np.r_[np.zeros(n - n // 4, dtype=int), np.ones(n // 4, dtype=int)]


def _with(column, values, X=None):
    X = _frame() if X is None else X
    X = X.copy()
    X[column] = values
    return X


def _set(X, row, column, value):
    X = X.copy()
    X.loc[row, column] = value
    return X


# --------------------------------------------------------------- estimators


def _sampler(**params):
    return UncertaintySampler(
        **{
            "estimator": MCDropoutClassifier(max_epochs=2, lr=0.01),
            "generator": TabularVAE(max_epochs=2),
            "n_mc_samples": 2,
            "uncertainty_weight": 0.0,
            "random_state": 0,
            **params,
        }
    )


def _augmentor(**params):
    return DriftAugmentor(
        **{"generator": "gaussian_copula", "random_state": 0, **params}
    )


class _Resampled:
    """What the sampler's entry in FITS returns: the fitted sampler and its
    output."""

    def __init__(self, X, y):
        self.sampler = _sampler()
        self.X_res, self.y_res = self.sampler.fit_resample(X, y)


# name -> fit(X, y) for every estimator of the catalogue
FITS = {
    "UncertaintySampler": _Resampled,
    "DriftAugmentor": lambda X, y: _augmentor().fit(X, y),
    "TabularVAE": lambda X, y: TabularVAE(max_epochs=1, random_state=0).fit(X, y),
    "TabularGAN": lambda X, y: TabularGAN(max_epochs=1, random_state=0).fit(X, y),
    "CopulaGAN": lambda X, y: CopulaGAN(max_epochs=1, random_state=0).fit(X, y),
    "GaussianCopula": lambda X, y: GaussianCopula(random_state=0).fit(X, y),
    "TabularEncoder": lambda X, y: TabularEncoder().fit(X),
}
WITH_Y = [name for name in FITS if name != "TabularEncoder"]
GENERATORS = ["TabularVAE", "TabularGAN", "CopulaGAN", "GaussianCopula"]


# ------------------------------------------------------------------ helpers

_INTERNALS = ("torch", "numpy", "pandas", "scipy", "skorch")


def _assert_equal(before, after):
    if isinstance(before, pd.DataFrame):
        pd.testing.assert_frame_equal(after, before)
    elif isinstance(before, pd.Series):
        pd.testing.assert_series_equal(after, before)
    elif sparse.issparse(before):
        assert (before != after).nnz == 0
    else:
        np.testing.assert_array_equal(np.asarray(after), np.asarray(before))


def _assert_clear_error(info):
    """Raised by skaug or scikit-learn's checks, not deep inside a library."""
    path = os.path.normpath(str(info.traceback[-1].path))
    parts = path.split(os.sep)
    if "site-packages" in parts:
        package = parts[parts.index("site-packages") + 1]
        assert package not in _INTERNALS, f"raised inside {package}: {path}"


def _refused(call, inputs, error, match):
    """Run ``call(**inputs)``; it must raise ``error`` matching ``match`` and
    leave the inputs as they were."""
    before = copy.deepcopy(inputs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with pytest.raises(error, match=match) as info:
            call(**inputs)
    _assert_clear_error(info)
    for key, value in before.items():
        _assert_equal(value, inputs[key])


def _accepted(call, inputs):
    before = copy.deepcopy(inputs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        out = call(**inputs)
    for key, value in before.items():
        _assert_equal(value, inputs[key])
    return out


# ============================================== errors at fit, per estimator

_FIT_ERRORS = {
    # id: (X, y, error, match, estimators)
    "+inf": (
        lambda: _set(_frame(), 3, "num", np.inf),
        _labels,
        ValueError,
        r"'num' contain infinite values.*Replace them with finite values",
        list(FITS),
    ),
    "-inf in an array": (
        lambda: np.c_[np.r_[-np.inf, np.ones(N - 1)], np.arange(N, dtype=float)],
        _labels,
        ValueError,
        r"column\(s\) 0 contain infinite values.*Replace them",
        list(FITS),
    ),
    "empty input": (
        lambda: _frame().iloc[:0],
        lambda: _labels()[:0],
        ValueError,
        r"0 sample\(s\)|empty",
        list(FITS),
    ),
    "one row": (
        lambda: _frame().iloc[:1],
        lambda: _labels()[:1],
        ValueError,
        r"at least 2 samples to fit; got 1 sample|only one class.*at least 2"
        r"|needs at least 10 training rows.*got 1 sample",
        WITH_Y,
    ),
    "free-text column": (
        lambda: _with("note", [f"free text number {i}" for i in range(N)]),
        _labels,
        ValueError,
        r"'note'.*free text.*categorical_features",
        list(FITS),
    ),
    "datetime column": (
        lambda: _with("when", pd.date_range("2024-01-01", periods=N)),
        _labels,
        TypeError,
        r"'when'.*Convert it to numeric",
        list(FITS),
    ),
    "y of the wrong length": (
        _frame,
        lambda: _labels()[:-1],
        ValueError,
        r"different numbers of rows: 60 and 59",
        WITH_Y,
    ),
    "y with NaN": (
        _frame,
        lambda: np.r_[np.nan, _labels()[1:]],
        ValueError,
        r"y contains missing values.*drop or impute",
        WITH_Y,
    ),
    "y non-integral floats": (
        _frame,
        lambda: _labels() * 0.5 + 0.25,
        ValueError,
        r"non-integral float.*0\.25.*cast y to int",
        WITH_Y,
    ),
    "y with inf": (
        _frame,
        lambda: np.r_[np.inf, _labels()[1:]].astype(float),
        ValueError,
        r"y contains infinite values",
        WITH_Y,
    ),
}


def _fit_error_cases():
    for case, (X, y, error, match, names) in _FIT_ERRORS.items():
        for name in names:
            yield pytest.param(name, X, y, error, match, id=f"{case}-{name}")


@pytest.mark.parametrize("name, make_X, make_y, error, match", list(_fit_error_cases()))
def test_fit_refuses_bad_input(name, make_X, make_y, error, match):
    _refused(FITS[name], {"X": make_X(), "y": make_y()}, error, match)


# ===================================== errors at transform / augment / encode


def _fitted_encoder():
    return TabularEncoder().fit(_frame())


def _fitted_augmentor():
    return _augmentor().fit(_frame())


def _fitted_vae():
    return TabularVAE(max_epochs=1, random_state=0).fit(_frame(), _labels())


_TRANSFORM_ERRORS = {
    "wrong number of columns-TabularEncoder": (
        lambda X: _fitted_encoder().transform(X),
        lambda: _frame()[["num", "count"]],
        r"Feature names seen at fit time, yet now missing:\n- cat",
    ),
    "wrong number of columns (array)-DriftAugmentor": (
        lambda X: _augmentor().fit(_frame().to_numpy()).augment(X),
        lambda: _frame()[["num", "count"]].to_numpy(),
        r"X has 2 features, but DriftAugmentor is expecting 3 features",
    ),
    "wrong column names-DriftAugmentor": (
        lambda X: _fitted_augmentor().augment(X),
        lambda: _frame().rename(columns={"num": "NUM"}),
        r"columns the training data lacked: 'NUM'; training columns it lacks: "
        r"'num'\. .*cannot fill one in",
    ),
    "reordered columns-TabularEncoder": (
        lambda X: _fitted_encoder().transform(X),
        lambda: _frame()[["cat", "num", "count"]],
        r"same order as they were in fit",
    ),
    "wrong column names-TabularVAE.encode": (
        lambda X: _fitted_vae().encode(X, _labels()),
        lambda: _frame().rename(columns={"cat": "colour"}),
        r"Feature names unseen at fit time:\n- colour",
    ),
    "unseen category-TabularEncoder": (
        lambda X: _fitted_encoder().transform(X),
        lambda: _set(_frame(), 0, "cat", "purple"),
        r"'cat' has categories not seen during fit: 'purple'.*Refit",
    ),
    "unseen category-DriftAugmentor": (
        lambda X: _fitted_augmentor().augment(X),
        lambda: _set(_frame(seed=1), 0, "cat", "purple"),
        r"'cat' has categories not seen.*'purple'.*fit it on training data that "
        "covers every category",
    ),
    "unseen category-DriftAugmentor.transform": (
        lambda X: _fitted_augmentor().transform(X),
        lambda: _set(_frame(seed=1), 0, "cat", "purple"),
        r"'cat' has categories not seen.*'purple'",
    ),
    "unseen category-TabularVAE.encode": (
        lambda X: _fitted_vae().encode(X, _labels()),
        lambda: _set(_frame(), 0, "cat", "purple"),
        r"'cat' has categories not seen during fit: 'purple'",
    ),
    "+inf at augment-DriftAugmentor": (
        lambda X: _fitted_augmentor().augment(X),
        lambda: _set(_frame(seed=1), 2, "num", np.inf),
        r"'num' contain infinite values",
    ),
    "non-numeric values in a numeric column-TabularEncoder": (
        lambda X: _fitted_encoder().transform(X),
        lambda: _with("num", ["n/a"] * N),
        r"'num' was numeric when the encoder was fitted.*same kind of data",
    ),
    "empty test set-DriftAugmentor": (
        lambda X: _fitted_augmentor().augment(X),
        lambda: _frame().iloc[:0],
        r"X is empty: augment needs at least one test row",
    ),
    "y of the wrong length-DriftAugmentor.augment": (
        lambda X: _augmentor().fit(_frame(), _labels()).augment(X, _labels()[:-2]),
        _frame,
        r"different numbers of rows: 60 and 58",
    ),
}


@pytest.mark.parametrize(
    "call, make_X, match",
    [pytest.param(*v, id=k) for k, v in _TRANSFORM_ERRORS.items()],
)
def test_transform_refuses_bad_input(call, make_X, match):
    _refused(call, {"X": make_X()}, ValueError, match)


# ================================================================ parameters

_PARAM_ERRORS = {
    # id: (estimator factory, how to fit, error, match)
    "non-numeric alpha": (
        lambda: _sampler(alpha="1"),
        "resample",
        r"'alpha' parameter of UncertaintySampler must be a float in the range "
        r"\[0.0, inf\)\. Got '1'",
    ),
    "negative alpha": (
        lambda: _sampler(alpha=-1.0),
        "resample",
        r"'alpha' parameter .* must be a float in the range \[0.0, inf\)",
    ),
    "NaN beta": (
        lambda: _sampler(beta=np.nan),
        "resample",
        r"'beta' parameter .* must be a float in the range \[0.0, inf\)",
    ),
    "alpha = beta = 0": (
        lambda: _sampler(alpha=0.0, beta=0.0),
        "resample",
        r"alpha and beta are both 0.*set alpha > 0",
    ),
    "n_mc_samples = 0": (
        lambda: _sampler(n_mc_samples=0),
        "resample",
        r"'n_mc_samples' parameter of UncertaintySampler must be an int in the "
        r"range \[1, inf\)",
    ),
    "n_mc_samples = 2.5": (
        lambda: _sampler(n_mc_samples=2.5),
        "resample",
        r"'n_mc_samples' parameter .* must be an int",
    ),
    "augmentation_factor = 0": (
        lambda: _augmentor(augmentation_factor=0),
        "fit",
        r"'augmentation_factor' parameter of DriftAugmentor must be a float in "
        r"the range \(0.0, 1.0\]",
    ),
    "augmentation_factor = 1.5": (
        lambda: _augmentor(augmentation_factor=1.5),
        "fit",
        r"'augmentation_factor' parameter .* range \(0.0, 1.0\]. Got 1.5",
    ),
    "negative drift_threshold": (
        lambda: _augmentor(drift_threshold=-0.1),
        "fit",
        r"'drift_threshold' parameter of DriftAugmentor must be a float in the "
        r"range \[0.0, inf\)",
    ),
    "non-numeric drift_threshold": (
        lambda: _augmentor(drift_threshold="0.1"),
        "fit",
        r"'drift_threshold' parameter .* Got '0.1'",
    ),
    "target not a column": (
        lambda: _augmentor(target="missing"),
        "fit",
        r"target='missing' is not a column of X.*Pass a column name",
    ),
    "non-numeric lr-TabularVAE": (
        lambda: TabularVAE(lr="fast", max_epochs=1),
        "fit",
        r"'lr' parameter of TabularVAE must be a float in the range \(0.0, inf\)",
    ),
    "non-numeric max_epochs-TabularGAN": (
        lambda: TabularGAN(max_epochs="3"),
        "fit",
        r"'max_epochs' parameter of TabularGAN must be an int",
    ),
    "negative lr-CopulaGAN": (
        lambda: CopulaGAN(lr=-1.0, max_epochs=1),
        "fit",
        r"'lr' parameter of CopulaGAN must be a float in the range \(0.0, inf\)",
    ),
    "non-numeric shrinkage-GaussianCopula": (
        lambda: GaussianCopula(shrinkage="some"),
        "fit",
        r"'shrinkage' parameter of GaussianCopula must be a float in the range "
        r"\[0.0, 1.0\]",
    ),
    "max_categories = 1-TabularEncoder": (
        lambda: TabularEncoder(max_categories=1),
        "fit",
        r"'max_categories' parameter of TabularEncoder must be an int in the "
        r"range \[2, inf\)",
    ),
    "non-numeric lr-MCDropoutClassifier in the sampler": (
        lambda: _sampler(estimator=MCDropoutClassifier(lr="x")),
        "resample",
        r"'lr' parameter of MCDropoutClassifier must be a float",
    ),
    "negative original_weight from a callable": (
        lambda: _sampler(original_weight=lambda X, y, u: -np.ones(len(y))),
        "resample",
        r"original_weight callable must return weights >= 0.*np\.clip",
    ),
    "NaN synthetic_weight from a callable": (
        lambda: _sampler(synthetic_weight=lambda X, y, u: np.full(len(u), np.nan)),
        "resample",
        r"synthetic_weight callable must return finite weights.*nan_to_num",
    ),
}


@pytest.mark.parametrize(
    "make, how, match", [pytest.param(*v, id=k) for k, v in _PARAM_ERRORS.items()]
)
def test_bad_parameters_are_refused_at_fit(make, how, match):
    estimator = make()  # __init__ only stores: no error yet
    if how == "resample":
        call = estimator.fit_resample
    else:
        call = estimator.fit
    _refused(call, {"X": _frame(), "y": _labels()}, ValueError, match)


# ============================================================ other refusals


def test_sampler_refuses_one_class():
    _refused(
        FITS["UncertaintySampler"],
        {"X": _frame(), "y": np.zeros(N, dtype=int)},
        ValueError,
        r"y has only one class \(0\).*at least 2 classes",
    )


def test_sampler_refuses_a_class_with_one_row():
    y = _labels()
    y[y == 1] = 0
    y[-1] = 2
    _refused(
        FITS["UncertaintySampler"],
        {"X": _frame(), "y": y},
        ValueError,
        r"Class\(es\) \[2\] of y have fewer than 2 rows.*merge/drop",
    )


def test_sampler_refuses_sparse_input():
    X = sparse.csr_matrix(_frame()[["num", "count"]].to_numpy())
    _refused(
        FITS["UncertaintySampler"],
        {"X": X, "y": _labels()},
        TypeError,
        r"does not support sparse input.*X\.toarray\(\)",
    )


def test_gan_refuses_values_too_large_to_standardise():
    # the default encoding is rank-based; standard scaling is opt-in
    X = _set(_frame(), 0, "num", 1e300)
    standard = TabularEncoder(numeric_transform="standard")
    _refused(
        lambda X, y: TabularGAN(encoder=standard, max_epochs=1).fit(X, y),
        {"X": X, "y": _labels()},
        ValueError,
        r"'num' hold values too large to standardise.*numeric_transform=\"quantile\"",
    )


@pytest.mark.parametrize(
    "call, error, match",
    [
        pytest.param(
            lambda g: g.sample(3, y=7),
            ValueError,
            r"Unknown class label\(s\) \[7\].*fitted on classes \[0, 1\]",
            id="unknown label",
        ),
        pytest.param(
            lambda g: g.sample(-1), ValueError, r"n_samples must be >= 0", id="n<0"
        ),
        pytest.param(
            lambda g: g.sample(2.5),
            TypeError,
            r"n_samples must be an int; got float",
            id="n float",
        ),
    ],
)
@pytest.mark.parametrize("name", ["TabularVAE", "GaussianCopula"])
def test_sample_refuses_bad_arguments(name, call, error, match):
    generator = FITS[name](_frame(), _labels())
    with pytest.raises(error, match=match) as info:
        call(generator)
    _assert_clear_error(info)


@pytest.mark.parametrize("name", ["TabularVAE", "GaussianCopula", "DriftAugmentor"])
def test_unfitted_use_is_refused(name):
    estimator = {
        "TabularVAE": TabularVAE(),
        "GaussianCopula": GaussianCopula(),
        "DriftAugmentor": _augmentor(),
    }[name]
    call = estimator.augment if name == "DriftAugmentor" else estimator.sample
    with pytest.raises(NotFittedError, match="not fitted yet"):
        call(_frame() if name == "DriftAugmentor" else 3)


# ========================================================= supported inputs


def _generated(name, fitted, X, n=200):
    """New rows from a fitted estimator of FITS (and their labels): the
    sampler's synthetic pool, the augmentor's synthetic rows for a drifted test
    set drawn from X, a generator's sample, the encoder's round trip of X."""
    if name == "UncertaintySampler":
        return fitted.sampler.synthetic_X_, fitted.sampler.synthetic_y_
    if name == "DriftAugmentor":
        # no negative num (NaN rows kept), repeated: a clear deficit region
        X_test = pd.concat([X[~(X["num"] < 0)]] * 4, ignore_index=True)
        result = fitted.set_params(drift_threshold=0.0).augment(X_test)
        assert result.report.samples_added > 0
        pd.testing.assert_frame_equal(result.X.iloc[: len(X_test)], X_test)
        return result.X[result.is_synthetic], result.y
    if name == "TabularEncoder":
        return fitted.inverse_transform(fitted.transform(X)), None
    return fitted.sample(n, random_state=0)


@pytest.mark.parametrize("name", list(FITS))
def test_constant_column_is_reproduced_as_constant(name):
    X = _frame().assign(const=7.5, same="x")
    fitted = _accepted(FITS[name], {"X": X, "y": _labels()})
    X_new, _ = _generated(name, fitted, X)
    assert len(X_new) > 0
    assert (X_new["const"] == 7.5).all() and (X_new["same"] == "x").all()


@pytest.mark.parametrize("name", list(FITS))
def test_missing_values_go_through_and_come_back(name):
    X = _frame()
    X.loc[::3, "num"] = np.nan
    X.loc[1::5, "cat"] = None
    fitted = _accepted(FITS[name], {"X": X, "y": _labels()})
    if name == "UncertaintySampler":  # originals first, as given
        pd.testing.assert_frame_equal(fitted.X_res.iloc[:N], X)
    X_new, _ = _generated(name, fitted, X)
    if name == "TabularEncoder":
        pd.testing.assert_frame_equal(X_new, X)  # NaN where they were
        return
    # missing values only in the columns that had some
    assert not X_new["count"].isna().any()
    if name != "DriftAugmentor":  # too few synthetic rows to expect NaN there
        assert X_new["num"].isna().any() and X_new["cat"].isna().any()


def test_missing_values_in_drift_augmentor_test_rows_are_kept():
    X_test = _frame(seed=3)
    X_test = X_test[X_test["num"] > 0].reset_index(drop=True)
    X_test.loc[::4, "num"] = np.nan
    X_train = _frame()
    X_train.loc[::5, "num"] = np.nan
    aug = _augmentor(drift_threshold=0.0).fit(X_train)
    result = _accepted(aug.augment, {"X": X_test})
    pd.testing.assert_frame_equal(result.X.iloc[: len(X_test)], X_test)


@pytest.mark.parametrize("name", WITH_Y)
def test_integral_float_labels_are_class_labels(name):
    y = _labels().astype(float)
    fitted = _accepted(FITS[name], {"X": _frame(), "y": y})
    if name == "UncertaintySampler":
        assert fitted.y_res.dtype == np.float64
        assert set(np.unique(fitted.y_res)) == {0.0, 1.0}
    elif name != "DriftAugmentor":
        assert fitted.classes_.tolist() == [0.0, 1.0]
        _, y_new = fitted.sample(5, y=1.0, random_state=0)
        assert y_new.tolist() == [1.0] * 5


@pytest.mark.parametrize("name", [*GENERATORS, "DriftAugmentor"])
def test_generators_accept_one_class(name):
    fitted = _accepted(FITS[name], {"X": _frame(), "y": np.full(N, "only")})
    generator = fitted.generator_ if name == "DriftAugmentor" else fitted
    _, y_new = generator.sample(4, random_state=0)
    assert y_new.tolist() == ["only"] * 4


@pytest.mark.parametrize("name", GENERATORS)
def test_generators_accept_a_class_with_one_row(name):
    y = _labels()
    y[-1] = 2
    fitted = _accepted(FITS[name], {"X": _frame(), "y": y})
    X_new, y_new = fitted.sample(3, y=2, random_state=0)
    assert len(X_new) == 3 and y_new.tolist() == [2, 2, 2]


def test_gan_trains_on_a_last_batch_of_one_row():
    # 65 rows, batch_size=64: the last batch has one row (BatchNorm needs two)
    X = _frame(n=65)
    gan = _accepted(
        TabularGAN(max_epochs=1, batch_size=64, random_state=0).fit, {"X": X}
    )
    assert gan.history[-1, "batches", -1]["train_batch_size"] == 1


@pytest.mark.parametrize("name", list(FITS))
def test_mixed_types_in_an_object_column_are_categorical(name):
    mixed = pd.Series([1, "a", 2.5, "b"] * (N // 4), dtype=object)
    X = _with("mixed", mixed)
    fitted = _accepted(FITS[name], {"X": X, "y": _labels()})
    X_new, _ = _generated(name, fitted, X)
    if name == "TabularEncoder":
        assert fitted.spans_[-1].kind == "categorical"
        assert X_new["mixed"].tolist() == mixed.tolist()  # types kept: 1, not "1"
    seen = {(type(v), v) for v in mixed}
    assert {(type(v), v) for v in X_new["mixed"]} <= seen


@pytest.mark.parametrize("name", [n for n in FITS if n != "TabularGAN"])
def test_huge_finite_values_are_fine_with_rank_based_encoding(name):
    X = _set(_frame(), 0, "num", 1e300)
    fitted = _accepted(FITS[name], {"X": X, "y": _labels()})
    X_new, _ = _generated(name, fitted, X)
    values = X_new["num"].to_numpy(dtype=float)
    assert np.isfinite(values).all() and np.abs(values).max() <= 1e300


def test_encoder_fits_a_single_row():
    X = _frame().iloc[:1]
    encoder = _accepted(TabularEncoder().fit, {"X": X})
    pd.testing.assert_frame_equal(encoder.inverse_transform(encoder.transform(X)), X)


# ======================================================== extreme imbalance


def _imbalanced(n_minority, n=10_000):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n, 3))
    y = np.zeros(n, dtype=int)
    y[:n_minority] = 1
    X[:n_minority] += 3.0
    return X, y


def test_one_minority_row_in_10000_is_refused_naming_the_class():
    X, y = _imbalanced(1)
    _refused(
        _sampler().fit_resample,
        {"X": X, "y": y},
        ValueError,
        r"Class\(es\) \[1\] of y have fewer than 2 rows \(\{1: 1\}\)",
    )


def test_two_minority_rows_in_10000_work():
    torch.set_num_threads(1)
    X, y = _imbalanced(2)
    sampler = _sampler(
        estimator=MCDropoutClassifier(max_epochs=1, batch_size=512),
        generator=TabularVAE(max_epochs=1, batch_size=512),
        n_synthetic=40,
    )
    X_res, y_res = _accepted(sampler.fit_resample, {"X": X, "y": y})
    assert np.bincount(y_res).tolist() == [9_998, 9_998]
    np.testing.assert_array_equal(X_res[: len(X)], X)
    assert np.isfinite(X_res).all()
