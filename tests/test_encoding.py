"""Tests for skaug.encoding.TabularEncoder."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from skaug.encoding import Span, TabularEncoder


@pytest.fixture
def mixed_frame():
    """Every supported column type, with missing values where the dtype allows."""
    rng = np.random.default_rng(0)
    n = 24
    return pd.DataFrame(
        {
            "float": np.where(rng.random(n) < 0.25, np.nan, rng.normal(size=n)),
            "int": rng.integers(-50, 50, n),
            "Int64": pd.array([None, *range(1, n)], dtype="Int64"),
            "Float64": pd.array([0.5, None, *rng.normal(size=n - 2)], dtype="Float64"),
            "bool": rng.random(n) < 0.5,
            "boolean": pd.array([True, False, None] * (n // 3), dtype="boolean"),
            "category": pd.Categorical(
                ["lo", "hi", None, "lo"] * (n // 4),
                categories=["unused", "lo", "mid", "hi"],
                ordered=True,
            ),
            "object": pd.Series(["x", None, "y", "z"] * (n // 4), dtype=object),
            "string": pd.Series(["a", "b", None] * (n // 3), dtype="string"),
            "str": pd.Series(["p", "q", None, "p"] * (n // 4), dtype="str"),
            "float32": rng.normal(size=n).astype(np.float32),
            "UInt8": pd.array(rng.integers(0, 200, n), dtype="UInt8"),
        }
    )


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


def test_spans_layout(mixed_frame):
    encoder = TabularEncoder().fit(mixed_frame)
    spans = encoder.spans_
    assert all(isinstance(span, Span) for span in spans)
    assert spans[0].start == 0
    assert spans[-1].stop == encoder.n_encoded_features_
    for previous, span in zip(spans, spans[1:]):
        assert previous.stop == span.start
        assert span.stop > span.start

    kinds = {(span.feature, span.kind): span for span in spans}
    numeric = {"float", "int", "Int64", "Float64", "float32", "UInt8"}
    with_missing = {"float", "Int64", "Float64"}
    categorical = set(mixed_frame.columns) - numeric
    assert {f for f, k in kinds if k == "numeric"} == numeric
    assert {f for f, k in kinds if k == "missing"} == with_missing
    assert {f for f, k in kinds if k == "categorical"} == categorical
    for feature in with_missing:
        numeric_span, missing_span = (
            kinds[feature, "numeric"],
            kinds[feature, "missing"],
        )
        assert missing_span.start == numeric_span.stop
        assert missing_span.stop - missing_span.start == 2
    for feature in categorical:
        span = kinds[feature, "categorical"]
        assert span.stop - span.start == len(encoder.categories_[feature])
    # only observed levels get a column; missing is a level of its own, last
    assert encoder.categories_["category"][:2] == ["lo", "hi"]
    assert pd.isna(encoder.categories_["category"][-1])
    assert encoder.categories_["bool"] == [False, True]

    Xt = encoder.transform(mixed_frame)
    assert Xt.dtype == np.float64
    assert Xt.shape == (len(mixed_frame), encoder.n_encoded_features_)
    names = encoder.get_feature_names_out()
    assert len(names) == Xt.shape[1] == len(set(names))
    assert {"float", "float__missing", "bool__True", "object__missing"} <= set(names)
    np.testing.assert_array_equal(encoder.feature_names_in_, mixed_frame.columns)
    assert encoder.n_features_in_ == mixed_frame.shape[1]


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


# ------------------------------------------------------------------ errors
def test_unseen_category_error():
    encoder = TabularEncoder().fit(pd.DataFrame({"color": ["red", "blue", "red"]}))
    with pytest.raises(ValueError, match=r"'color'.*'green'.*Refit"):
        encoder.transform(pd.DataFrame({"color": ["red", "green"]}))


@pytest.mark.parametrize("value", [np.inf, -np.inf])
@pytest.mark.parametrize("at", ["fit", "transform"])
def test_infinite_values_error(value, at):
    X = pd.DataFrame({"ok": [1.0, 2.0, 3.0], "bad": [1.0, 2.0, 3.0]})
    X_inf = X.copy()
    X_inf.loc[1, "bad"] = value
    encoder = TabularEncoder()
    with pytest.raises(ValueError, match="'bad'.*infinite"):
        if at == "fit":
            encoder.fit(X_inf)
        else:
            encoder.fit(X).transform(X_inf)


def test_free_text_error():
    X = pd.DataFrame({"n": range(6), "comment": [f"text {i}" for i in range(6)]})
    with pytest.raises(ValueError, match="'comment'.*categorical_features"):
        TabularEncoder(max_categories=5).fit(X)


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


def test_datetime_column_error():
    X = pd.DataFrame({"x": [1.0, 2.0], "when": pd.to_datetime(["2020-01-01"] * 2)})
    with pytest.raises(TypeError, match="'when'.*Convert it to numeric"):
        TabularEncoder().fit(X)


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


# ------------------------------------------------------- high cardinality
def test_high_cardinality_declared_column_is_capped():
    levels = ["common"] * 10 + ["second"] * 5 + [f"rare{i}" for i in range(20)]
    levels += ["rare0"] * 2  # the most frequent grouped level
    X = pd.DataFrame({"city": levels, "x": np.arange(len(levels), dtype=float)})
    encoder = TabularEncoder(categorical_features=["city"], max_categories=3)
    with pytest.warns(
        UserWarning, match=r"'city' has 22 distinct.*grouping the other 20"
    ):
        encoder.fit(X)
    span = encoder.spans_[0]
    assert span.stop - span.start == 3
    assert encoder.categories_["city"] == ["common", "second", "rare0"]
    assert encoder.get_feature_names_out()[2] == "city__other"

    # rare levels (and levels never seen) go to the grouped column, which
    # decodes to its most frequent level
    new = pd.DataFrame({"city": ["rare7", "never seen", "second"], "x": [0.0] * 3})
    Xt = encoder.transform(new)
    np.testing.assert_array_equal(Xt[:, :3], [[0, 0, 1], [0, 0, 1], [0, 1, 0]])
    decoded = encoder.inverse_transform(Xt)
    assert decoded["city"].tolist() == ["rare0", "rare0", "second"]


# ----------------------------------------------------------- missing values
def test_missing_rate_in_missing_block():
    rng = np.random.default_rng(2)
    values = rng.normal(size=200)
    values[rng.permutation(200)[:30]] = np.nan
    X = pd.DataFrame({"v": values})
    encoder = TabularEncoder().fit(X)
    Xt = encoder.transform(X)
    missing_span = encoder.spans_[1]
    assert missing_span.kind == "missing"
    observed, missing = Xt[:, missing_span.start], Xt[:, missing_span.stop - 1]
    assert missing.mean() == pytest.approx(0.15)
    np.testing.assert_array_equal(observed + missing, 1.0)
    # missing rows are imputed by the (transformed) median, a finite value
    assert np.isfinite(Xt).all()
    assert np.unique(Xt[missing == 1, 0]).size == 1


def test_missing_at_transform_only_warns_and_imputes():
    X = pd.DataFrame({"num": [1.0, 2.0, 3.0, 10.0], "cat": ["a", "b", "b", "b"]})
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


def test_pd_na_in_nullable_columns():
    X = pd.DataFrame(
        {
            "i": pd.array([1, pd.NA, 3, 4], dtype="Int64"),
            "b": pd.array([pd.NA, True, False, True], dtype="boolean"),
            "s": pd.array(["u", pd.NA, "v", "u"], dtype="string"),
            "o": pd.Series(["u", pd.NA, "v", "u"], dtype=object),
        }
    )
    decoded = _round_trip(TabularEncoder(), X)
    pd.testing.assert_frame_equal(decoded, X)


# -------------------------------------------------------- soft decoding
def test_inverse_transform_accepts_soft_inputs(mixed_frame):
    encoder = TabularEncoder(random_state=0).fit(mixed_frame)
    Xt = encoder.transform(mixed_frame)
    rng = np.random.default_rng(3)
    soft = Xt.copy()
    for span in encoder.spans_:
        if span.kind != "numeric":
            block = soft[:, span.start : span.stop]
            # logits that keep the argmax, and probabilities from them
            logits = 3.0 * block + rng.normal(scale=0.3, size=block.shape)
            probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
            soft[:, span.start : span.stop] = probs
    pd.testing.assert_frame_equal(
        encoder.inverse_transform(soft), mixed_frame, check_exact=False, rtol=1e-6
    )
    # any float matrix of the right width decodes to valid values
    noise = rng.normal(scale=3.0, size=Xt.shape)
    decoded = encoder.inverse_transform(noise)
    pd.testing.assert_series_equal(decoded.dtypes, mixed_frame.dtypes)
    assert (
        decoded["int"].between(mixed_frame["int"].min(), mixed_frame["int"].max()).all()
    )
    assert decoded["float"].min() >= mixed_frame["float"].min()


# ------------------------------------------------------- no side effects
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


# ------------------------------------------------------------- property test
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


def test_quantile_subsample_keeps_training_range():
    rng = np.random.default_rng(4)
    values = rng.standard_cauchy(400) * 1e3
    X = pd.DataFrame({"heavy": values, "count": rng.integers(0, 10**6, 400)})
    encoder = TabularEncoder(subsample=50, n_quantiles=20, random_state=0)
    decoded = _round_trip(encoder, X)
    assert encoder.numeric_transformer_.n_quantiles_ == 20
    pd.testing.assert_frame_equal(decoded, X, check_exact=False, rtol=1e-7)
    # the same seed gives the same encoding
    again = TabularEncoder(subsample=50, n_quantiles=20, random_state=0).fit(X)
    np.testing.assert_array_equal(again.transform(X), encoder.transform(X))
