"""DriftAugmentor's input checks: unseen categories are found by comparing the
test values with the fitted encoder's categories."""

import warnings

import numpy as np
import pandas as pd
import pytest

from skaug import DriftAugmentor
from skaug._augmentor._checks import check_encodable, check_known_categories
from skaug.encoding import TabularEncoder


def _frame(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "num": rng.normal(size=n),
            "cat": rng.choice(["a", "b", "c"], n),
            "flag": rng.random(n) < 0.5,
        }
    )


def _fitted(X, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # capped levels
        return TabularEncoder(**params).fit(X)


def test_known_values_pass_and_missing_values_are_not_unseen():
    train = _frame()
    test = _frame(seed=1)
    test.loc[0, "cat"] = None  # new missing values are imputed, not refused
    check_known_categories(_fitted(train), train, test)


def test_an_unseen_category_is_named_with_its_column():
    train = _frame()
    test = _frame(seed=1)
    test.loc[[0, 3], "cat"] = ["purple", "pink"]
    with pytest.raises(ValueError) as info:
        check_known_categories(_fitted(train), train, test)
    message = str(info.value)
    assert message.startswith(
        "Column 'cat' has categories not seen during fit: 'purple', 'pink'. "
        "DriftAugmentor was fitted on training data without them"
    )
    assert "map the new values to known ones before augment" in message


def test_many_unseen_categories_are_summarised():
    train = _frame()
    test = _frame(n=12, seed=1)
    test["cat"] = [f"new{i}" for i in range(12)]
    with pytest.raises(ValueError, match=r"'new4' \(and 7 more\)\."):
        check_known_categories(_fitted(train), train, test)


def test_unseen_categories_of_an_array_are_named_by_position():
    train = _frame().to_numpy()
    test = _frame(seed=1).to_numpy()
    test[2, 1] = "purple"
    with pytest.raises(ValueError, match="Column 1 has categories not seen"):
        check_known_categories(_fitted(train), train, test)


def test_a_capped_column_takes_any_value():
    # 5 levels over max_categories=3: rare levels are grouped, and the
    # grouped level takes values never seen at fit too
    train = pd.DataFrame({"cat": pd.Categorical(list("aaabbbccde") * 3)})
    test = pd.DataFrame({"cat": ["a", "zzz"]})
    encoder = _fitted(train, max_categories=3)
    check_known_categories(encoder, train, test)
    encoder.transform(test)  # the encoder agrees


def test_a_column_with_exactly_max_categories_levels_is_not_capped():
    train = pd.DataFrame({"cat": list("abc") * 4})
    test = pd.DataFrame({"cat": ["a", "zzz"]})
    encoder = _fitted(train, max_categories=3)
    with pytest.raises(ValueError, match="'zzz'"):
        check_known_categories(encoder, train, test)
    with pytest.raises(ValueError, match="not seen during fit"):
        encoder.transform(test)  # the encoder agrees


def test_infinite_values_are_still_refused_by_the_encoder():
    train = _frame()
    test = _frame(seed=1)
    test.loc[2, "num"] = np.inf
    with pytest.raises(ValueError, match="'num' contain infinite values"):
        check_encodable(_fitted(train), train, test)


def test_augment_refuses_unseen_categories_whatever_the_drift():
    train = _frame(n=200)
    test = _frame(n=50, seed=1)
    test.loc[4, "cat"] = "purple"
    aug = DriftAugmentor(generator="gaussian_copula", drift_threshold=1.0)
    aug.set_params(random_state=0).fit(train)
    with pytest.raises(ValueError, match="'cat' has categories not seen"):
        aug.augment(test)
