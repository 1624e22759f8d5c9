"""Tests for skaug.encoding._layout: spans, categories and names."""

import numpy as np
import pandas as pd

from skaug.encoding import Span, TabularEncoder


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


def test_repeated_names_get_a_suffix():
    # the numeric column "c__x" and level "x" of column "c" share a name
    X = pd.DataFrame({"c": ["x", "y", "x"], "c__x": [1.0, 2.0, 3.0]})
    encoder = TabularEncoder().fit(X)
    names = encoder.get_feature_names_out().tolist()
    assert names == ["c__x", "c__y", "c__x_1"]
    assert [(s.kind, s.start, s.stop) for s in encoder.spans_] == [
        ("categorical", 0, 2),
        ("numeric", 2, 3),
    ]
