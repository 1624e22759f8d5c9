"""Property-based tests (hypothesis) of the weight formula, the encoder's round
trip and the augmentor's invariants.

Example counts are small and deadlines off: these run in the default suite.
"""

import copy
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from skaug import DriftAugmentor, TabularEncoder
from skaug._weights import (
    combine_weights,
    normalise,
    original_weights,
    synthetic_weights,
)

FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ------------------------------------------------------------------ weights

finite_nonneg = st.floats(0.0, 1e6, allow_nan=False, allow_subnormal=False)


def _vectors(min_size=0, max_size=40):
    return hnp.arrays(
        np.float64, st.integers(min_size, max_size), elements=finite_nonneg
    )


@st.composite
def labelled_uncertainty(draw, min_size=1):
    n = draw(st.integers(min_size, 40))
    y = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 3)))
    u = draw(hnp.arrays(np.float64, n, elements=finite_nonneg))
    return y, u


@FAST
@given(
    alpha=finite_nonneg,
    beta=finite_nonneg,
    original=_vectors(),
    synthetic=_vectors(),
)
def test_combine_weights_is_the_formula(alpha, beta, original, synthetic):
    assume(alpha > 0 or beta > 0)
    before = (original.copy(), synthetic.copy())
    weights = combine_weights(alpha, beta, original, synthetic)
    assert weights.shape == (len(original) + len(synthetic),)
    np.testing.assert_array_equal(weights[: len(original)], alpha * original)
    np.testing.assert_array_equal(weights[len(original) :], beta * synthetic)
    assert np.isfinite(weights).all() and (weights >= 0).all()
    np.testing.assert_array_equal(original, before[0])  # inputs untouched
    np.testing.assert_array_equal(synthetic, before[1])


@FAST
@given(original=_vectors(), synthetic=_vectors())
def test_alpha_and_beta_both_zero_is_refused(original, synthetic):
    with pytest.raises(ValueError, match="alpha and beta are both 0"):
        combine_weights(0.0, 0.0, original, synthetic)


@FAST
@given(data=labelled_uncertainty())
def test_named_original_weights_have_mean_one(data):
    y, u = data
    for scheme in ("uniform", "balanced"):
        weights = original_weights(scheme, None, y, u)
        assert weights.shape == y.shape and (weights > 0).all()
        assert np.mean(weights) == pytest.approx(1.0, rel=1e-12)
    # "balanced": every class carries the same total weight, n / k
    balanced = original_weights("balanced", None, y, u)
    classes = np.unique(y)
    totals = [balanced[y == c].sum() for c in classes]
    np.testing.assert_allclose(totals, len(y) / len(classes), rtol=1e-12)
    weights = original_weights("uncertainty", None, y, u)
    if u.max() > 0:
        assert np.mean(weights) == pytest.approx(1.0, rel=1e-9)
        order = np.argsort(u, kind="stable")  # more uncertain, more weight
        assert (np.diff(weights[order]) >= -1e-12).all()
    else:
        np.testing.assert_array_equal(weights, 1.0)


@FAST
@given(
    data=labelled_uncertainty(),
    amplitude=st.floats(0.0, 100.0),
    power=st.floats(0.0, 3.0),
)
def test_uncertainty_weight_scales_with_amplitude(data, amplitude, power):
    y, u = data
    assume(u.max() > 0)
    weights = original_weights(
        "uncertainty", None, y, u, amplitude=amplitude, power=power
    )
    base = original_weights("uncertainty", None, y, u, power=power)
    np.testing.assert_allclose(weights, amplitude * base, rtol=1e-9, atol=1e-300)


@FAST
@given(u=_vectors(min_size=1))
def test_synthetic_weight_is_in_zero_one_and_decreasing(u):
    weights = synthetic_weights(None, None, None, u)
    assert ((weights > 0) & (weights <= 1)).all()
    np.testing.assert_allclose(weights, 1.0 / (1.0 + u))
    order = np.argsort(u, kind="stable")
    assert (np.diff(weights[order]) <= 0).all()
    assert (weights[u == 0] == 1.0).all()


@FAST
@given(weights=_vectors(min_size=1))
def test_normalise_gives_a_probability_vector(weights):
    assume(weights.sum() > 0)
    p = normalise(weights)
    assert p.sum() == pytest.approx(1.0) and (p >= 0).all()
    np.testing.assert_allclose(p * weights.sum(), weights, rtol=1e-9, atol=1e-300)


# ------------------------------------------------------------ encoder trip


@st.composite
def frames(draw):
    """A frame of numeric, integer and categorical columns, some with NaN."""
    n = draw(st.integers(1, 25))
    data = {}
    for j in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["float", "int", "category", "object"]))
        missing = np.asarray(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        if kind == "float":
            values = draw(
                hnp.arrays(
                    np.float64,
                    n,
                    elements=st.floats(-1e9, 1e9, allow_subnormal=False),
                )
            )
            column = pd.Series(np.where(missing, np.nan, values))
        elif kind == "int":
            column = pd.Series(
                draw(hnp.arrays(np.int64, n, elements=st.integers(-500, 500)))
            )
        else:
            levels = draw(st.lists(st.sampled_from("pqrst"), min_size=n, max_size=n))
            values = [None if m else v for v, m in zip(levels, missing)]
            if kind == "category":
                column = pd.Series(pd.Categorical(values, categories=list("tsrqp")))
            else:
                column = pd.Series(values, dtype=object)
        data[f"{kind}_{j}"] = column
    return pd.DataFrame(data)


@FAST
@given(X=frames(), numeric_transform=st.sampled_from(["quantile", "standard"]))
def test_encoder_round_trip(X, numeric_transform):
    before = X.copy(deep=True)
    encoder = TabularEncoder(numeric_transform=numeric_transform)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Xt = encoder.fit(X).transform(X)
        decoded = encoder.inverse_transform(Xt)
    assert Xt.shape == (len(X), encoder.n_encoded_features_)
    assert np.isfinite(Xt).all()
    pd.testing.assert_frame_equal(decoded, X, check_exact=False, rtol=1e-7, atol=1e-6)
    pd.testing.assert_frame_equal(X, before)  # the input is untouched


@FAST
@given(
    X=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=12),
        elements=st.floats(-1e6, 1e6, allow_subnormal=False) | st.just(float("nan")),
    )
)
def test_encoder_round_trip_on_arrays(X):
    encoder = TabularEncoder()
    decoded = encoder.inverse_transform(encoder.fit(X).transform(X))
    assert decoded.dtype == X.dtype
    np.testing.assert_allclose(decoded, X, rtol=1e-7, atol=1e-6)  # NaN kept


# -------------------------------------------------------- augmentor's laws


@pytest.fixture(scope="module")
def train():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {"a": rng.normal(size=200), "b": rng.choice(["u", "v", "w"], size=200)}
    )
    X.loc[::9, "a"] = np.nan
    return X


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    shift=st.floats(-3.0, 3.0),
    factor=st.floats(0.01, 1.0),
    n_test=st.integers(1, 80),
    threshold=st.sampled_from([0.0, 0.1, 0.5]),
    region_method=st.sampled_from(["density_ratio", "histogram"]),
    seed=st.integers(0, 2**16),
)
def test_augmentor_invariants(
    train, shift, factor, n_test, threshold, region_method, seed
):
    rng = np.random.RandomState(seed)
    X_test = pd.DataFrame(
        {
            "a": rng.normal(loc=shift, size=n_test),
            "b": rng.choice(["u", "v", "w"], size=n_test),
        },
        index=rng.permutation(1000)[:n_test],
    )
    before = copy.deepcopy(X_test)
    aug = DriftAugmentor(
        generator="gaussian_copula",
        target="a" if region_method == "histogram" else None,
        region_method=region_method,
        augmentation_factor=factor,
        drift_threshold=threshold,
        validation_fraction=0.0,
        n_regions=5,
        random_state=seed,
    ).fit(train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        result = aug.augment(X_test)
    n_added = len(result.X) - n_test
    event(f"rows added: {'some' if n_added else 'none'}")
    # originals kept first, unchanged (index included), and the input untouched
    pd.testing.assert_frame_equal(result.X.iloc[:n_test], before)
    pd.testing.assert_frame_equal(X_test, before)
    assert 0 <= n_added <= int(factor * n_test)
    assert result.is_synthetic.shape == (len(result.X),)
    assert result.is_synthetic.sum() == n_added == result.report.samples_added
    assert not result.is_synthetic[:n_test].any()
    assert result.X.index.is_unique
    assert list(result.X.columns) == list(train.columns)
    if result.report.drift_before <= threshold:
        assert n_added == 0 and not result.report.augmented
    # deterministic: the same call gives the same rows
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        again = aug.augment(X_test)
    pd.testing.assert_frame_equal(again.X, result.X)
