"""Tests for skaug.encoding._encoder: TabularEncoder as an estimator."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from skaug.encoding import TabularEncoder


def _round_trip(encoder, X):
    return encoder.inverse_transform(encoder.fit(X).transform(X))


@pytest.mark.parametrize("numeric_transform", ["quantile", "standard"])
def test_round_trip_mixed_frame(mixed_frame, numeric_transform):
    X = mixed_frame
    encoder = TabularEncoder(numeric_transform=numeric_transform, random_state=0)
    decoded = _round_trip(encoder, X)

    assert isinstance(decoded, pd.DataFrame)
    pd.testing.assert_frame_equal(decoded, X, check_exact=False, rtol=1e-6)
    pd.testing.assert_index_equal(decoded.columns, X.columns)
    pd.testing.assert_series_equal(decoded.dtypes, X.dtypes)
    for column in X.columns:
        np.testing.assert_array_equal(decoded[column].isna(), X[column].isna())
    assert decoded["category"].cat.ordered
    pd.testing.assert_index_equal(
        decoded["category"].cat.categories, X["category"].cat.categories
    )
    assert decoded["object"][1] is None


def test_set_output_pandas(mixed_frame):
    encoder = TabularEncoder().set_output(transform="pandas")
    Xt = encoder.fit_transform(mixed_frame)
    assert isinstance(Xt, pd.DataFrame)
    np.testing.assert_array_equal(Xt.columns, encoder.get_feature_names_out())
    pd.testing.assert_index_equal(Xt.index, mixed_frame.index)
    decoded = encoder.inverse_transform(Xt)
    pd.testing.assert_frame_equal(decoded, mixed_frame, check_exact=False)


def test_numpy_numeric_round_trip():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 3))
    X[::4, 0] = np.nan
    X[:, 2] = rng.integers(0, 4, 30)  # codes, declared categorical below
    encoder = TabularEncoder(categorical_features=[2])
    decoded = _round_trip(encoder, X)
    assert isinstance(decoded, np.ndarray)
    assert decoded.dtype == X.dtype
    np.testing.assert_allclose(decoded, X, rtol=1e-7)
    assert [s.feature for s in encoder.spans_] == [0, 0, 1, 2]
    assert not hasattr(encoder, "feature_names_in_")
    assert encoder.get_feature_names_out()[:3].tolist() == [
        "x0",
        "x0__observed",
        "x0__missing",
    ]


def test_numpy_int_and_object_round_trip():
    X_int = np.arange(40).reshape(10, 4) % 7
    decoded = _round_trip(TabularEncoder(), X_int)
    assert decoded.dtype == X_int.dtype
    np.testing.assert_array_equal(decoded, X_int)

    X_obj = np.array(
        [
            [1.5, "a", 3, None, True],
            [2.5, "b", 4, "x", False],
            [None, "a", 5, "y", True],
            [4.0, None, 6, "x", False],
        ],
        dtype=object,
    )
    encoder = TabularEncoder()
    decoded = _round_trip(encoder, X_obj)
    assert decoded.dtype == object
    kinds = [(s.feature, s.kind) for s in encoder.spans_]
    assert kinds == [
        (0, "numeric"),
        (0, "missing"),
        (1, "categorical"),
        (2, "numeric"),
        (3, "categorical"),
        (4, "categorical"),
    ]
    for row, expected in zip(decoded.tolist(), X_obj.tolist()):
        assert row == pytest.approx(expected, nan_ok=True)


@pytest.mark.parametrize("categorical_features", [["code"], [1], [False, True, False]])
def test_declared_categorical_int_codes(categorical_features):
    X = pd.DataFrame(
        {"x": np.linspace(0, 1, 12), "code": [3, 1, 2] * 4, "y": np.arange(12.0)}
    )
    encoder = TabularEncoder(categorical_features=categorical_features).fit(X)
    assert encoder.categories_ == {"code": [1, 2, 3]}
    assert [s.kind for s in encoder.spans_] == ["numeric", "categorical", "numeric"]
    decoded = encoder.inverse_transform(encoder.transform(X))
    pd.testing.assert_frame_equal(decoded, X)


def test_categorical_features_unknown_column():
    X = pd.DataFrame({"a": [1.0, 2.0], "b": ["u", "v"]})
    with pytest.raises(ValueError, match="'nope'"):
        TabularEncoder(categorical_features=["nope"]).fit(X)
    with pytest.raises(ValueError, match="mask"):
        TabularEncoder(categorical_features=[True]).fit(X)


def test_wrong_columns_error():
    X = pd.DataFrame({"a": [1.0, 2.0], "b": ["u", "v"]})
    encoder = TabularEncoder().fit(X)
    with pytest.raises(ValueError, match="(?s)unseen.*- c"):
        encoder.transform(X.rename(columns={"b": "c"}))
    with pytest.raises(ValueError, match="(?s)missing.*- b"):
        encoder.transform(X[["a"]])
    array_encoder = TabularEncoder().fit(np.ones((3, 2)))
    with pytest.raises(ValueError, match="X has 3 features"):
        array_encoder.transform(np.ones((3, 3)))


@pytest.mark.parametrize(
    "X", [pd.DataFrame({"a": []}), pd.DataFrame(index=range(3)), np.empty((0, 2))]
)
def test_empty_input_error(X):
    with pytest.raises(ValueError, match="0 (sample|feature)"):
        TabularEncoder().fit(X)


def test_inverse_transform_checks_width():
    encoder = TabularEncoder().fit(pd.DataFrame({"a": [1.0, 2.0, 3.0]}))
    with pytest.raises(ValueError, match="encodes to 1 columns"):
        encoder.inverse_transform(np.zeros((2, 3)))


def test_missing_at_transform_only_warns_and_imputes():
    # not integer-valued: the imputed median is not rounded on decoding
    X = pd.DataFrame({"num": [1.5, 2.0, 3.0, 10.0], "cat": ["a", "b", "b", "b"]})
    encoder = TabularEncoder().fit(X)
    X_new = pd.DataFrame({"num": [np.nan, 3.0], "cat": [None, "a"]})
    with pytest.warns(UserWarning) as record:
        Xt = encoder.transform(X_new)
    messages = [str(w.message) for w in record]
    assert any("'num'" in m and "median" in m for m in messages)
    assert any("'cat'" in m and "most frequent" in m for m in messages)
    decoded = encoder.inverse_transform(Xt)
    assert decoded.loc[0, "num"] == pytest.approx(2.5)  # the training median
    assert decoded.loc[0, "cat"] == "b"  # the most frequent level


def test_inputs_are_not_modified(mixed_frame):
    X = mixed_frame
    X_before = X.copy(deep=True)
    encoder = TabularEncoder().fit(X)
    Xt = encoder.transform(X)
    Xt_before = Xt.copy()
    encoder.inverse_transform(Xt)
    pd.testing.assert_frame_equal(X, X_before)
    np.testing.assert_array_equal(Xt, Xt_before)

    array = np.array([[1.0, np.nan], [2.0, 3.0], [4.0, 5.0]])
    array_before = array.copy()
    encoder = TabularEncoder().fit(array)
    encoder.inverse_transform(encoder.transform(array))
    np.testing.assert_array_equal(array, array_before)


def test_clone_and_pickle(mixed_frame):
    encoder = TabularEncoder(random_state=0).fit(mixed_frame)
    restored = pickle.loads(pickle.dumps(encoder))
    np.testing.assert_array_equal(
        restored.transform(mixed_frame), encoder.transform(mixed_frame)
    )
    assert clone(encoder).get_params() == encoder.get_params()


def test_parameter_validation():
    with pytest.raises(ValueError, match="numeric_transform"):
        TabularEncoder(numeric_transform="minmax").fit(np.ones((3, 1)))
    with pytest.raises(ValueError, match="max_categories"):
        TabularEncoder(max_categories=1).fit(np.ones((3, 1)))


@st.composite
def frames(draw):
    n = draw(st.integers(2, 30))
    data = {}
    for j in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["float", "int", "Int64", "object", "str", "bool"]))
        missing = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        if kind == "float":
            values = draw(
                st.lists(
                    st.floats(-1e6, 1e6, allow_subnormal=False), min_size=n, max_size=n
                )
            )
            column = pd.Series(np.where(missing, np.nan, values))
        elif kind in ("int", "Int64"):
            values = draw(st.lists(st.integers(-1000, 1000), min_size=n, max_size=n))
            if kind == "int":
                column = pd.Series(values, dtype=np.int64)
            else:
                column = pd.Series(
                    [None if m else v for v, m in zip(values, missing)], dtype="Int64"
                )
        elif kind == "bool":
            column = pd.Series(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        else:
            values = draw(st.lists(st.sampled_from("abcde"), min_size=n, max_size=n))
            values = [None if m else v for v, m in zip(values, missing)]
            column = pd.Series(values, dtype=object if kind == "object" else "str")
        data[f"{kind}{j}"] = column
    return pd.DataFrame(data)


@settings(max_examples=25, deadline=None)
@given(X=frames(), numeric_transform=st.sampled_from(["quantile", "standard"]))
def test_round_trip_property(X, numeric_transform):
    encoder = TabularEncoder(numeric_transform=numeric_transform)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a clean frame raises no warning
        decoded = _round_trip(encoder, X)
    pd.testing.assert_frame_equal(decoded, X, check_exact=False, rtol=1e-7, atol=1e-6)
    assert encoder.spans_[-1].stop == encoder.n_encoded_features_


def test_warnings_point_at_the_caller():
    # the warnings are raised a few calls deep in the column blocks; their
    # stacklevel must name the line of user code that called fit / transform
    X = pd.DataFrame({"num": [1.0, 2.0, 3.0], "code": [1, 2, 3]})
    encoder = TabularEncoder(categorical_features=["code"], max_categories=2)
    with pytest.warns(UserWarning, match="max_categories") as record:
        encoder.fit(X)
    assert {w.filename for w in record} == {__file__}
    X_new = pd.DataFrame({"num": [np.nan], "code": [None]})
    encoder = TabularEncoder(categorical_features=["code"]).fit(X)
    with pytest.warns(UserWarning, match="had none at fit") as record:
        encoder.transform(X_new)
    assert len(record) == 2
    assert {w.filename for w in record} == {__file__}
