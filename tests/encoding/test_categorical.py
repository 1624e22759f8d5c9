"""Tests for skaug.encoding._categorical: the one-hot blocks."""

import numpy as np
import pandas as pd
import pytest

from skaug.encoding import TabularEncoder


def test_unseen_category_error():
    encoder = TabularEncoder().fit(pd.DataFrame({"color": ["red", "blue", "red"]}))
    with pytest.raises(ValueError, match=r"'color'.*'green'.*Refit"):
        encoder.transform(pd.DataFrame({"color": ["red", "green"]}))


def test_free_text_error():
    X = pd.DataFrame({"n": range(6), "comment": [f"text {i}" for i in range(6)]})
    with pytest.raises(ValueError, match="'comment'.*categorical_features"):
        TabularEncoder(max_categories=5).fit(X)


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
