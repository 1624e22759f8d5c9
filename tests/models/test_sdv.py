import pickle
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from skaug.models import SDVGenerator


def _sdv_importable():
    try:
        import sdv.single_table  # noqa: F401
    except Exception:  # missing, or installed but broken (e.g. pandas too new)
        return False
    return True


needs_sdv = pytest.mark.skipif(not _sdv_importable(), reason="SDV is not installed")


@pytest.fixture
def mixed():
    rng = np.random.default_rng(0)
    n = 300
    base = rng.normal(size=n)
    X = pd.DataFrame(
        {
            "height": base + 0.3 * rng.normal(size=n),
            "n_kids": rng.poisson(1.5, n),
            "owner": base + rng.normal(size=n) > 0,
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "email": rng.choice(["a@example.com", "b@example.org"], n),
        }
    )
    X.loc[rng.random(n) < 0.2, "height"] = np.nan
    y = np.where(base > 0, "high", "low")
    return X, y


# -- without SDV ------------------------------------------------------------------


def test_missing_sdv_raises_importerror_with_install_command(monkeypatch, mixed):
    X, y = mixed
    monkeypatch.setitem(sys.modules, "sdv", None)  # makes `import sdv` fail
    with pytest.raises(ImportError, match=r'pip install "skaug\[sdv\]"'):
        SDVGenerator().fit(X, y)


def test_parameters_are_checked_before_sdv_is_imported(monkeypatch, mixed):
    X, _ = mixed
    monkeypatch.setitem(sys.modules, "sdv", None)
    with pytest.raises(InvalidParameterError, match="synthesizer"):
        SDVGenerator(synthesizer="bayesnet").fit(X)
    with pytest.raises(InvalidParameterError, match="synthesizer_params"):
        SDVGenerator(synthesizer_params=[("epochs", 3)]).fit(X)


def test_get_params_and_clone_need_no_sdv(monkeypatch):
    monkeypatch.setitem(sys.modules, "sdv", None)
    generator = SDVGenerator(
        synthesizer="tvae", synthesizer_params={"epochs": 3}, random_state=0
    )
    params = clone(generator).get_params()
    assert params == {
        "synthesizer": "tvae",
        "synthesizer_params": {"epochs": 3},
        "verbose": 0,
        "random_state": 0,
    }
    with pytest.raises(NotFittedError):
        generator.sample(3)


# -- with SDV ---------------------------------------------------------------------


@needs_sdv
def test_gaussian_copula_round_trip(mixed):
    X, y = mixed
    X_before = X.copy()
    generator = SDVGenerator(random_state=0).fit(X, y)
    pd.testing.assert_frame_equal(X, X_before)
    X_new, y_new = generator.sample(200, random_state=0)
    assert list(X_new.columns) == list(X.columns)
    assert X_new.dtypes.to_dict() == X.dtypes.to_dict()
    assert isinstance(X_new.index, pd.RangeIndex) and len(X_new) == 200
    assert set(y_new) <= {"high", "low"}
    # real values, not fake ones: SDV never sees the column name "email"
    assert set(X_new["email"]) <= set(X["email"])
    # missing values come back (their rate is SDV's business)
    assert 0 < X_new["height"].isna().mean() < 0.5
    assert generator.n_features_in_ == 5
    assert list(generator.feature_names_in_) == list(X.columns)


@needs_sdv
def test_conditional_sampling(mixed):
    X, y = mixed
    generator = SDVGenerator(random_state=0).fit(X, y)
    X_new, y_new = generator.sample(50, y="high", random_state=0)
    assert (y_new == "high").all() and len(X_new) == 50
    labels = np.array(["low", "high", "low"])
    _, y_rows = generator.sample(3, y=labels, random_state=0)
    np.testing.assert_array_equal(y_rows, labels)
    # rows of the "high" class have larger heights, as in the data
    X_low, _ = generator.sample(50, y="low", random_state=0)
    assert X_new["height"].mean() > X_low["height"].mean()


@needs_sdv
def test_reproducible_and_leaves_global_rngs_alone(mixed):
    X, y = mixed
    np.random.seed(0)
    expected = np.random.rand()
    np.random.seed(0)
    first = SDVGenerator(random_state=0).fit(X, y)
    X1, y1 = first.sample(40, random_state=1)
    assert np.random.rand() == expected
    second = SDVGenerator(random_state=0).fit(X, y)
    X2, y2 = second.sample(40, random_state=1)
    pd.testing.assert_frame_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = first.sample(40, random_state=2)
    assert not X1.equals(X3)


@needs_sdv
def test_array_input_pickle_and_errors(mixed):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    generator = SDVGenerator(random_state=0).fit(X)
    X_new, y_new = generator.sample(5, random_state=0)
    assert isinstance(X_new, np.ndarray) and X_new.shape == (5, 3)
    assert y_new is None
    restored = pickle.loads(pickle.dumps(generator))
    np.testing.assert_array_equal(restored.sample(5, random_state=0)[0], X_new)
    empty, _ = generator.sample(0)
    assert empty.shape == (0, 3)
    with pytest.raises(ValueError, match="unconditional"):
        generator.sample(3, y=1)
    with pytest.raises(ValueError, match="n_samples must be >= 0"):
        generator.sample(-1)
    X_mixed, y_mixed = mixed
    conditional = SDVGenerator(random_state=0).fit(X_mixed, y_mixed)
    with pytest.raises(ValueError, match="Unknown class label"):
        conditional.sample(3, y="medium")
    X_inf = X.copy()
    X_inf[0, 1] = np.inf
    with pytest.raises(ValueError, match="infinite"):
        SDVGenerator().fit(X_inf)


@needs_sdv
@pytest.mark.slow
@pytest.mark.parametrize("synthesizer", ["ctgan", "tvae", "copulagan"])
def test_neural_synthesizers(mixed, synthesizer):
    X, y = mixed
    generator = SDVGenerator(
        synthesizer=synthesizer, synthesizer_params={"epochs": 1}, random_state=0
    ).fit(X, y)
    X_new, y_new = generator.sample(20, y="low", random_state=0)
    assert X_new.dtypes.to_dict() == X.dtypes.to_dict()
    assert (y_new == "low").all()
    again = SDVGenerator(
        synthesizer=synthesizer, synthesizer_params={"epochs": 1}, random_state=0
    ).fit(X, y)
    pd.testing.assert_frame_equal(again.sample(20, y="low", random_state=0)[0], X_new)
