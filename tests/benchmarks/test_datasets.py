"""The table readers of benchmarks/datasets.py, on small texts (no package)."""

import numpy as np
import pandas as pd
import pytest

from benchmarks import datasets

KEEL = """@relation toy
@attribute Age integer [30, 83]
@attribute Ratio real[0.0,1.0]
@attribute Proto {tcp, udp}
@attribute Class {positive, negative}
@inputs Age, Ratio, Proto
@outputs Class
@data
38, 0.5, tcp, negative
41, ?, udp, positive
39, 0.25, ?, negative
"""

ARFF = """% a comment
@relation 'toy'
@attribute 'v(g)' numeric
@attribute defects {false,true}
@data
1.0,false
2.5,true
"""


def test_keel_header_types_and_missing_values():
    frame = datasets.read_header_table(KEEL)
    assert list(frame.columns) == ["Age", "Ratio", "Proto", "Class"]
    assert frame["Age"].dtype == float and frame["Ratio"].dtype == float
    assert isinstance(frame["Proto"].dtype, pd.CategoricalDtype)
    assert list(frame["Proto"].cat.categories) == ["tcp", "udp"]
    assert np.isnan(frame.loc[1, "Ratio"]) and pd.isna(frame.loc[2, "Proto"])


def test_arff_quoted_names():
    frame = datasets.read_header_table(ARFF)
    assert list(frame.columns) == ["v(g)", "defects"]
    assert frame["v(g)"].tolist() == [1.0, 2.5]


def test_undeclared_level_is_an_error():
    with pytest.raises(ValueError, match="not in"):
        datasets.read_header_table(KEEL.replace("41, ?, udp", "41, ?, icmp"))


def test_minority_is_one():
    assert datasets._binary(["a", "b", "b"]).tolist() == [1, 0, 0]
    assert datasets._binary([4, 1, 4, 1, 1], minority=4).tolist() == [1, 0, 1, 0, 0]


def test_text_columns_become_categoricals():
    frame = datasets._typed(pd.DataFrame({0: ["1", "2", None], 1: ["f", "t", "f"]}))
    assert frame["x0"].dtype == float and np.isnan(frame["x0"][2])
    assert list(frame["x1"].cat.categories) == ["f", "t"]


def test_sklearn_tables():
    wine = datasets.load_table("wine_0")
    assert wine.y.sum() == 59 and wine.X.shape == (178, 13)
    cancer = datasets.load_table("breast_cancer")
    assert cancer.y.sum() == 212


def test_missing_package_table_is_listed():
    tables, missing = datasets.load_collection(["wine_0", "no_such_table"])
    assert list(tables) == ["wine_0"] and list(missing) == ["no_such_table"]
