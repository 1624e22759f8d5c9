"""Fixtures shared by the tests of skaug.encoding."""

import numpy as np
import pandas as pd
import pytest


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
