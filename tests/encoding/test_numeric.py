"""Tests for skaug.encoding._numeric: the numeric columns."""

import numpy as np
import pandas as pd
import pytest

from skaug.encoding import TabularEncoder


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


def test_quantile_subsample_keeps_training_range():
    rng = np.random.default_rng(4)
    values = rng.standard_cauchy(400) * 1e3
    X = pd.DataFrame({"heavy": values, "count": rng.integers(0, 10**6, 400)})
    encoder = TabularEncoder(subsample=50, n_quantiles=20, random_state=0)
    decoded = encoder.inverse_transform(encoder.fit(X).transform(X))
    assert encoder.numeric_transformer_.n_quantiles_ == 20
    pd.testing.assert_frame_equal(decoded, X, check_exact=False, rtol=1e-7)
    # the same seed gives the same encoding
    again = TabularEncoder(subsample=50, n_quantiles=20, random_state=0).fit(X)
    np.testing.assert_array_equal(again.transform(X), encoder.transform(X))
