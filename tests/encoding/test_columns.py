"""Tests for skaug.encoding._columns: column kinds and missing values."""

import pandas as pd
import pytest

from skaug.encoding import TabularEncoder


def test_datetime_column_error():
    X = pd.DataFrame({"x": [1.0, 2.0], "when": pd.to_datetime(["2020-01-01"] * 2)})
    with pytest.raises(TypeError, match="'when'.*Convert it to numeric"):
        TabularEncoder().fit(X)


def test_pd_na_in_nullable_columns():
    X = pd.DataFrame(
        {
            "i": pd.array([1, pd.NA, 3, 4], dtype="Int64"),
            "b": pd.array([pd.NA, True, False, True], dtype="boolean"),
            "s": pd.array(["u", pd.NA, "v", "u"], dtype="string"),
            "o": pd.Series(["u", pd.NA, "v", "u"], dtype=object),
        }
    )
    encoder = TabularEncoder()
    decoded = encoder.inverse_transform(encoder.fit(X).transform(X))
    pd.testing.assert_frame_equal(decoded, X)
