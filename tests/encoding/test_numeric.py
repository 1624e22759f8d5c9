"""Tests for skaug.encoding._numeric: the numeric columns."""

import pickle

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


LEVELS = [0.5, 1.25, 2.0, 3.75, 10.0]


def _discrete_frame(n=400, seed=5):
    """A two-valued, an integer-valued (many levels), a 5-level and a
    continuous float column."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "flag": (rng.random(n) < 0.3).astype(float),
            "count": rng.integers(0, 200, n).astype(float),
            "grade": rng.choice(LEVELS, n),
            "cont": rng.normal(size=n),
        }
    )


def _decode_noisy(encoder, X, scale=0.5, seed=0):
    """Decode the encoded X plus Gaussian noise, as a generator's output."""
    Xt = encoder.fit(X).transform(X)
    noise = np.random.default_rng(seed).normal(scale=scale, size=Xt.shape)
    return encoder.inverse_transform(Xt + noise)


@pytest.mark.parametrize("numeric_transform", ["quantile", "standard"])
def test_decoded_values_on_the_support(numeric_transform):
    X = _discrete_frame()
    encoder = TabularEncoder(numeric_transform=numeric_transform)
    decoded = _decode_noisy(encoder, X)

    assert list(encoder.discrete_levels_) == ["flag", "grade"]
    np.testing.assert_array_equal(encoder.discrete_levels_["grade"], LEVELS)
    assert set(decoded["flag"]) <= {0.0, 1.0}
    assert set(decoded["grade"]) <= set(LEVELS)
    count = decoded["count"]
    assert (count == np.rint(count)).all()
    assert count.between(X["count"].min(), X["count"].max()).all()
    # the continuous column is left alone: new values, not training ones (the
    # quantile transform maps values beyond the range to its two ends)
    assert decoded["cont"].isin(X["cont"]).mean() < 0.05
    assert decoded["cont"].nunique() > 0.95 * len(X)


def test_snaps_to_the_nearest_level():
    X = _discrete_frame()
    encoder = TabularEncoder()
    decoded = _decode_noisy(encoder, X)
    Xt = encoder.transform(X)
    Xt = Xt + np.random.default_rng(0).normal(scale=0.5, size=Xt.shape)
    raw = encoder.numeric_transformer_.inverse_transform(Xt)[:, 2]
    levels = np.asarray(LEVELS)
    nearest = levels[np.abs(raw[:, None] - levels).argmin(axis=1)]
    np.testing.assert_array_equal(decoded["grade"], nearest)


def test_int_column_with_few_levels_is_snapped():
    X = pd.DataFrame({"code": np.tile([0, 5, 10], 10)})
    encoder = TabularEncoder(numeric_transform="standard")
    decoded = _decode_noisy(encoder, X)
    assert decoded["code"].dtype == np.int64
    assert set(decoded["code"]) <= {0, 5, 10}


@pytest.mark.parametrize("max_discrete_levels", [None, 0, 4])
def test_max_discrete_levels_switches_snapping_off(max_discrete_levels):
    X = _discrete_frame()
    encoder = TabularEncoder(
        numeric_transform="standard", max_discrete_levels=max_discrete_levels
    )
    decoded = _decode_noisy(encoder, X)
    expected = ["flag"] if max_discrete_levels == 4 else []
    assert list(encoder.discrete_levels_) == expected
    assert not decoded["grade"].isin(LEVELS).all()
    # integer-valued columns are still rounded and clipped
    for column in ["flag", "count"]:
        values = decoded[column]
        assert (values == np.rint(values)).all()
        assert values.between(X[column].min(), X[column].max()).all()


def test_small_continuous_sample_is_not_snapped():
    # 10 distinct values in 10 rows: too few rows to call the column discrete
    X = pd.DataFrame({"x": np.linspace(0.1, 0.9, 10)})
    encoder = TabularEncoder(numeric_transform="standard")
    decoded = _decode_noisy(encoder, X)
    assert encoder.discrete_levels_ == {}
    assert not decoded["x"].isin(X["x"]).any()


@pytest.mark.parametrize("numeric_transform", ["quantile", "standard"])
def test_round_trip_of_every_kind(numeric_transform):
    X = _discrete_frame(n=120)
    X["int"] = np.tile([3, 1, 4], 40)
    X["Int64"] = pd.array([None, 7, 8] * 40, dtype="Int64")
    encoder = TabularEncoder(numeric_transform=numeric_transform)
    decoded = encoder.inverse_transform(encoder.fit(X).transform(X))
    pd.testing.assert_frame_equal(
        decoded.drop(columns="cont"), X.drop(columns="cont"), check_exact=True
    )
    pd.testing.assert_series_equal(decoded["cont"], X["cont"], rtol=1e-7)


def test_missing_values_in_discrete_columns():
    X = _discrete_frame(n=200)
    X.loc[::7, "flag"] = np.nan
    X.loc[::5, "grade"] = np.nan
    X.loc[::3, "count"] = np.nan
    encoder = TabularEncoder()
    Xt = encoder.fit(X).transform(X)
    pd.testing.assert_frame_equal(encoder.inverse_transform(Xt), X, check_exact=False)
    assert list(encoder.discrete_levels_) == ["flag", "grade"]

    # noise on the numeric columns only: the missing blocks decode as before
    numeric = [s.start for s in encoder.spans_ if s.kind == "numeric"]
    noisy = Xt.copy()
    noise = np.random.default_rng(1).normal(scale=0.5, size=(len(X), len(numeric)))
    noisy[:, numeric] += noise
    decoded = encoder.inverse_transform(noisy)
    pd.testing.assert_frame_equal(decoded.isna(), X.isna())
    assert decoded["flag"].dropna().isin([0.0, 1.0]).all()
    assert decoded["grade"].dropna().isin(LEVELS).all()
    count = decoded["count"].dropna()
    assert (count == np.rint(count)).all()


def test_imputed_median_is_put_on_the_support():
    X = pd.DataFrame({"n": [1.0, 2.0, 3.0, 10.0]})  # integer-valued, median 2.5
    encoder = TabularEncoder().fit(X)
    with pytest.warns(UserWarning, match="median"):
        Xt = encoder.transform(pd.DataFrame({"n": [np.nan]}))
    assert encoder.inverse_transform(Xt).loc[0, "n"] == 2.0  # rint: ties to even


def test_supports_survive_pickle():
    X = _discrete_frame(n=100)
    encoder = TabularEncoder().fit(X)
    restored = pickle.loads(pickle.dumps(encoder))
    Xt = encoder.transform(X) + np.random.default_rng(2).normal(size=(100, 4))
    pd.testing.assert_frame_equal(
        restored.inverse_transform(Xt), encoder.inverse_transform(Xt)
    )
    np.testing.assert_array_equal(
        restored.discrete_levels_["grade"], encoder.discrete_levels_["grade"]
    )


def test_max_discrete_levels_validation():
    with pytest.raises(ValueError, match="max_discrete_levels"):
        TabularEncoder(max_discrete_levels=-1).fit(np.ones((3, 1)))
