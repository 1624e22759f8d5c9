"""Tests for the sampling-weight formula in ``skaug._weights``."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from skaug._weights import (
    ORIGINAL_WEIGHT_SCHEMES,
    combine_weights,
    normalise,
    original_weights,
    synthetic_weights,
    weighted_draw,
)

# --------------------------------------------------------------------------
# original_weights
# --------------------------------------------------------------------------


def test_uniform_is_all_ones():
    w = original_weights("uniform", None, [0, 1, 1, 2, 2], None)
    assert w.dtype == np.float64
    assert_array_equal(w, np.ones(5))


@pytest.mark.parametrize(
    "y, expected",
    [
        ([0, 0, 0, 1], [2 / 3, 2 / 3, 2 / 3, 2.0]),
        (["a", "b", "b", "c", "c", "c"], [2.0, 1.0, 1.0, 2 / 3, 2 / 3, 2 / 3]),
        ([5, 5], [1.0, 1.0]),
    ],
)
def test_balanced_hand_computed(y, expected):
    assert_allclose(original_weights("balanced", None, y, None), expected)


def test_uncertainty_hand_computed():
    u = np.array([1.0, 2.0, 3.0])  # mean 2
    assert_allclose(original_weights("uncertainty", None, [0, 1, 1], u), [0.5, 1, 1.5])
    assert_allclose(
        original_weights("uncertainty", None, [0, 1, 1], u, amplitude=2.0, power=2.0),
        2.0 * np.array([0.25, 1.0, 2.25]),
    )
    assert_allclose(
        original_weights("uncertainty", None, [0, 1, 1], u, amplitude=3.0, power=0),
        [3.0, 3.0, 3.0],
    )


def test_uncertainty_all_zero_gives_amplitude():
    w = original_weights("uncertainty", None, [0, 1, 1], np.zeros(3), amplitude=0.5)
    assert_array_equal(w, [0.5, 0.5, 0.5])


def test_uncertainty_huge_scores_do_not_overflow():
    u = np.array([1e308, 1e308, 0.0])
    assert_allclose(original_weights("uncertainty", None, [0, 1, 1], u), [1.5, 1.5, 0])


@pytest.mark.parametrize("scheme", ORIGINAL_WEIGHT_SCHEMES)
def test_named_schemes_have_mean_one(scheme):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, size=1000)
    u = rng.exponential(size=1000)
    w = original_weights(scheme, rng.normal(size=(1000, 2)), y, u)
    assert w.shape == (1000,)
    assert w.mean() == pytest.approx(1.0)


def test_uncertainty_scheme_needs_uncertainty():
    with pytest.raises(ValueError, match="uncertainty=None"):
        original_weights("uncertainty", None, [0, 1], None)


@pytest.mark.parametrize(
    "u, match",
    [
        ([[0.1, 0.2]], "uncertainty must be 1-D"),
        ([0.1, np.nan], "uncertainty must be finite"),
        ([0.1, np.inf], "uncertainty must be finite"),
        ([0.1, -0.2], "uncertainty must be >= 0"),
        ([0.1, 0.2, 0.3], "uncertainty has 3 scores but there are 2 rows"),
        (["a", "b"], "uncertainty must be an array of real numbers"),
    ],
)
@pytest.mark.parametrize("scheme", ORIGINAL_WEIGHT_SCHEMES)
def test_invalid_uncertainty(scheme, u, match):
    with pytest.raises(ValueError, match=match):
        original_weights(scheme, None, [0, 1], u)


@pytest.mark.parametrize("scheme", ["inverse", "", 3, None])
def test_unknown_original_scheme(scheme):
    with pytest.raises(ValueError, match="original_weight must be one of"):
        original_weights(scheme, None, [0, 1], [0.1, 0.2])


@pytest.mark.parametrize("param", ["amplitude", "power"])
@pytest.mark.parametrize("value", [-1.0, np.nan, np.inf, "1", True])
def test_invalid_amplitude_power(param, value):
    with pytest.raises(ValueError, match=param):
        original_weights("uncertainty", None, [0, 1], [0.1, 0.2], **{param: value})


def test_uncertainty_overflow_is_an_error():
    with pytest.raises(ValueError, match="overflowed with power"):
        original_weights("uncertainty", None, [0, 1], [1e-300, 1.0], power=1e6)


def test_original_callable_used_as_returned():
    X = np.arange(6.0).reshape(3, 2)
    y = np.array([0, 1, 1])
    u = np.array([0.1, 0.2, 0.3])
    seen = {}

    def f(X_, y_, u_):
        seen.update(X=X_, y=y_, u=u_)
        return [3, 0, 1.5]

    w = original_weights(f, X, y, u)
    assert w.dtype == np.float64
    assert_array_equal(w, [3.0, 0.0, 1.5])
    assert seen["X"] is X
    assert_array_equal(seen["y"], y)
    assert_array_equal(seen["u"], u)


def test_callable_result_is_copied():
    returned = np.array([1.0, 2.0])
    w = original_weights(lambda X, y, u: returned, None, [0, 1], None)
    w[0] = 99.0
    assert_array_equal(returned, [1.0, 2.0])


@pytest.mark.parametrize(
    "returned, match",
    [
        ([-1.0, -2.0, -3.0, 1.0], "returned 3 negative weights"),
        ([np.nan, 1.0, 1.0, 1.0], "returned 1 non-finite weights"),
        ([np.inf, 1.0, 1.0, 1.0], "returned 1 non-finite weights"),
        ([1.0, 1.0, 1.0], "returned 3 weights for 4 rows"),
        (np.ones((4, 1)), r"returned an array of shape \(4, 1\)"),
        (["a", "b", "c", "d"], "must return an array of real numbers"),
    ],
)
def test_original_callable_invalid(returned, match):
    def f(X, y, u):
        return returned

    with pytest.raises(ValueError, match="original_weight") as info:
        original_weights(f, None, [0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])
    assert info.match(match)


def test_original_weights_empty():
    for scheme in ORIGINAL_WEIGHT_SCHEMES:
        w = original_weights(scheme, np.zeros((0, 2)), [], np.zeros(0))
        assert w.shape == (0,)
        assert w.dtype == np.float64


# --------------------------------------------------------------------------
# synthetic_weights
# --------------------------------------------------------------------------


def test_synthetic_default_is_inverse_one_plus_u():
    u = np.array([0.0, 1.0, 3.0, 1e6])
    w = synthetic_weights(None, None, [0, 0, 1, 1], u)
    assert_allclose(w, 1.0 / (1.0 + u))
    assert np.all((w > 0) & (w <= 1))
    assert w[0] == 1.0


def test_synthetic_without_labels():
    assert_allclose(synthetic_weights(None, None, None, [1.0]), [0.5])


def test_synthetic_empty_pool():
    w = synthetic_weights(None, np.zeros((0, 3)), np.zeros(0), np.zeros(0))
    assert w.shape == (0,)
    w = synthetic_weights(lambda X, y, u: np.zeros(0), np.zeros((0, 3)), [], [])
    assert w.shape == (0,)


def test_synthetic_callable():
    X = np.ones((3, 2))
    w = synthetic_weights(lambda X_, y_, u_: u_ * 2, X, [0, 1, 1], [0.0, 1.0, 2.0])
    assert_array_equal(w, [0.0, 2.0, 4.0])
    # Without labels and scores, the number of rows comes from X_syn.
    w = synthetic_weights(lambda X_, y_, u_: np.ones(len(X_)), X, None, None)
    assert_array_equal(w, np.ones(3))


@pytest.mark.parametrize(
    "returned, match",
    [
        ([-1.0, 1.0, 1.0], "returned 1 negative weights"),
        ([np.nan, 1.0, 1.0], "non-finite"),
        ([1.0, 1.0], "returned 2 weights for 3 rows"),
    ],
)
def test_synthetic_callable_invalid(returned, match):
    def f(X, y, u):
        return returned

    with pytest.raises(ValueError, match="synthetic_weight") as info:
        synthetic_weights(f, None, [0, 1, 1], [0.1, 0.2, 0.3])
    assert info.match(match)


def test_synthetic_invalid_scheme_and_scores():
    with pytest.raises(ValueError, match="synthetic_weight must be None"):
        synthetic_weights("uniform", None, [0], [0.1])
    with pytest.raises(ValueError, match="uncertainty_syn=None"):
        synthetic_weights(None, None, [0], None)
    with pytest.raises(ValueError, match="uncertainty_syn must be >= 0"):
        synthetic_weights(None, None, [0, 1], [0.1, -1.0])
    with pytest.raises(ValueError, match="uncertainty_syn has 1 scores"):
        synthetic_weights(None, None, [0, 1], [0.1])


# --------------------------------------------------------------------------
# combine_weights
# --------------------------------------------------------------------------


def test_combine_formula_exact():
    orig = np.array([1.0, 2.0, 0.5])
    syn = np.array([0.25, 1.0])
    w = combine_weights(3.0, 0.5, orig, syn)
    assert w.dtype == np.float64
    # weight = alpha * original_weight + beta * synthetic_weight, with the
    # other term 0 for each kind of row.
    expected = 3.0 * np.r_[orig, 0.0, 0.0] + 0.5 * np.r_[0.0, 0.0, 0.0, syn]
    assert_array_equal(w, expected)
    assert_array_equal(w, np.concatenate([3.0 * orig, 0.5 * syn]))


def test_combine_one_factor_zero():
    assert_array_equal(combine_weights(0, 2, [1.0, 1.0], [0.5]), [0.0, 0.0, 1.0])
    assert_array_equal(combine_weights(2, 0, [1.0, 1.0], [0.5]), [2.0, 2.0, 0.0])


def test_combine_empty_synthetic_pool():
    assert_array_equal(combine_weights(1.0, 1.0, [1.0, 2.0], []), [1.0, 2.0])
    assert combine_weights(1.0, 1.0, [], []).shape == (0,)


def test_combine_both_zero():
    with pytest.raises(ValueError, match="alpha and beta are both 0") as info:
        combine_weights(0.0, 0, [1.0], [1.0])
    assert info.match("alpha > 0")
    assert info.match("beta > 0")


@pytest.mark.parametrize("param", ["alpha", "beta"])
@pytest.mark.parametrize("value", [-1.0, -1e-12, np.nan, np.inf, -np.inf])
def test_combine_invalid_factor(param, value):
    kwargs = {"alpha": 1.0, "beta": 1.0, param: value}
    with pytest.raises(ValueError, match=f"{param} must be a finite real") as info:
        combine_weights(kwargs["alpha"], kwargs["beta"], [1.0], [1.0])
    assert info.match(f"{param}=")


@pytest.mark.parametrize("param", ["alpha", "beta"])
@pytest.mark.parametrize("value", ["1", None, True, [1.0]])
def test_combine_non_number_factor(param, value):
    kwargs = {"alpha": 1.0, "beta": 1.0, param: value}
    with pytest.raises(ValueError, match=param):
        combine_weights(kwargs["alpha"], kwargs["beta"], [1.0], [1.0])


def test_combine_numpy_scalars_accepted():
    w = combine_weights(np.float32(2.0), np.int64(1), [1.0], [1.0])
    assert_array_equal(w, [2.0, 1.0])


@pytest.mark.parametrize(
    "orig, syn, match",
    [
        ([-1.0], [1.0], "original_weight must be >= 0"),
        ([1.0], [np.nan], "synthetic_weight must be finite"),
        ([[1.0]], [1.0], "original_weight must be 1-D"),
    ],
)
def test_combine_invalid_weights(orig, syn, match):
    with pytest.raises(ValueError, match=match):
        combine_weights(1.0, 1.0, orig, syn)


def test_combine_overflow():
    with pytest.raises(ValueError, match="overflowed"):
        combine_weights(1e308, 1.0, [10.0], [1.0])


# --------------------------------------------------------------------------
# normalise
# --------------------------------------------------------------------------


def test_normalise():
    p = normalise([1.0, 3.0, 0.0, 4.0])
    assert_allclose(p, [0.125, 0.375, 0.0, 0.5])
    assert p.sum() == pytest.approx(1.0)
    # No overflow in the sum.
    assert_allclose(normalise([1e308, 1e308]), [0.5, 0.5])


@pytest.mark.parametrize("weights", [[0.0, 0.0], []])
def test_normalise_zero_sum(weights):
    with pytest.raises(ValueError, match="sum to 0"):
        normalise(weights)


def test_normalise_lists_bad_rows():
    with pytest.raises(ValueError, match=r"1 row\(s\) \(indices \[2\]\)"):
        normalise([1.0, 1.0, -1.0])
    with pytest.raises(ValueError, match=r"indices \[0, 1, 2, 3, 4, \.\.\.\]"):
        normalise(np.full(8, np.nan))
    with pytest.raises(ValueError, match="weights of class 'b' sum to 0"):
        normalise([0.0], name="weights of class 'b'")


# --------------------------------------------------------------------------
# weighted_draw
# --------------------------------------------------------------------------


def test_draw_frequencies_follow_weights():
    weights = np.array([1.0, 2.0, 3.0, 4.0, 0.0])
    n = 100_000
    idx = weighted_draw(weights, n, random_state=0)
    assert idx.shape == (n,)
    assert idx.dtype == np.intp
    counts = np.bincount(idx, minlength=5)
    assert counts[4] == 0
    expected = n * weights[:4] / weights.sum()
    chi2 = ((counts[:4] - expected) ** 2 / expected).sum()
    # 3 degrees of freedom: P(chi2 > 30) < 2e-6.
    assert chi2 < 30


def test_draw_reproducible():
    w = np.arange(10.0)
    a = weighted_draw(w, 50, random_state=42)
    assert_array_equal(a, weighted_draw(w, 50, random_state=42))
    assert not np.array_equal(a, weighted_draw(w, 50, random_state=43))
    b = weighted_draw(w, 50, random_state=np.random.RandomState(42))
    assert_array_equal(a, b)
    g1 = weighted_draw(w, 50, random_state=np.random.default_rng(7))
    g2 = weighted_draw(w, 50, random_state=np.random.default_rng(7))
    assert_array_equal(g1, g2)


def test_draw_zero():
    idx = weighted_draw([1.0, 2.0], 0, random_state=0)
    assert idx.shape == (0,)
    assert idx.dtype == np.intp
    # An empty pool is fine when nothing is drawn.
    assert weighted_draw([], 0).shape == (0,)


def test_draw_without_replacement():
    w = [0.0, 1.0, 5.0, 0.0, 2.0]
    idx = weighted_draw(w, 3, replace=False, random_state=0)
    assert_array_equal(np.sort(idx), [1, 2, 4])
    with pytest.raises(ValueError, match="only 3 of the 5 rows") as info:
        weighted_draw(w, 4, replace=False, random_state=0)
    assert info.match("replace=True")
    # With replacement, more rows than the pool is fine.
    assert weighted_draw(w, 100, replace=True, random_state=0).shape == (100,)


@pytest.mark.parametrize("n", [-1, 1.5, "3", True])
def test_draw_invalid_n(n):
    with pytest.raises(ValueError, match="n must be an int"):
        weighted_draw([1.0], n)


def test_draw_invalid_weights():
    with pytest.raises(ValueError, match="sum to 0"):
        weighted_draw([0.0, 0.0], 1)
    with pytest.raises(ValueError, match="must be >= 0"):
        weighted_draw([1.0, -1.0], 1)
    with pytest.raises(ValueError, match="must be >= 0"):
        weighted_draw([1.0, -1.0], 0)


def test_inputs_not_modified():
    X = np.arange(8.0).reshape(4, 2)
    y = np.array([0, 0, 0, 1])
    u = np.array([0.5, 1.0, 0.0, 2.0])
    u_syn = np.array([1.0, 3.0])
    copies = [a.copy() for a in (X, y, u, u_syn)]

    orig = original_weights("uncertainty", X, y, u, amplitude=2.0, power=2.0)
    original_weights("balanced", X, y, u)
    syn = synthetic_weights(None, X[:2], y[:2], u_syn)
    orig_copy, syn_copy = orig.copy(), syn.copy()
    w = combine_weights(2.0, 3.0, orig, syn)
    w_copy = w.copy()
    normalise(w)
    weighted_draw(w, 10, random_state=0)
    weighted_draw(w, 3, replace=False, random_state=0)

    for a, c in zip((X, y, u, u_syn), copies):
        assert_array_equal(a, c)
    assert_array_equal(orig, orig_copy)
    assert_array_equal(syn, syn_copy)
    assert_array_equal(w, w_copy)


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

_scores = st.floats(min_value=0.0, max_value=1e6, allow_nan=False)
_factor = st.floats(min_value=0.0, max_value=1e3, allow_nan=False)


@st.composite
def _weight_inputs(draw):
    n = draw(st.integers(min_value=1, max_value=40))
    y = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    u = draw(st.lists(_scores, min_size=n, max_size=n))
    n_syn = draw(st.integers(min_value=0, max_value=40))
    u_syn = draw(st.lists(_scores, min_size=n_syn, max_size=n_syn))
    alpha = draw(_factor)
    beta = draw(_factor.filter(lambda b: b > 0) if alpha == 0 else _factor)
    return np.array(y), np.array(u), np.array(u_syn), alpha, beta


@settings(max_examples=50, deadline=None)
@given(inputs=_weight_inputs(), scheme=st.sampled_from(ORIGINAL_WEIGHT_SCHEMES))
def test_property_combined_weights(inputs, scheme):
    y, u, u_syn, alpha, beta = inputs
    orig = original_weights(scheme, None, y, u)
    assert orig.mean() == pytest.approx(1.0, rel=1e-9)

    syn = synthetic_weights(None, None, np.zeros(len(u_syn)), u_syn)
    assert np.all((syn > 0) & (syn <= 1))

    w = combine_weights(alpha, beta, orig, syn)
    assert w.shape == (len(y) + len(u_syn),)
    assert np.all(np.isfinite(w))
    assert np.all(w >= 0)
    assert_array_equal(w, np.concatenate([alpha * orig, beta * syn]))

    if w.sum() > 0:
        p = normalise(w)
        assert p.sum() == pytest.approx(1.0)
        idx = weighted_draw(w, 200, random_state=0)
        assert np.all(w[idx] > 0)
    else:
        with pytest.raises(ValueError, match="sum to 0"):
            normalise(w)


@settings(max_examples=50, deadline=None)
@given(
    weights=st.lists(
        st.one_of(st.just(0.0), st.floats(min_value=1e-150, max_value=1e150)),
        min_size=1,
        max_size=60,
    ).filter(lambda ws: any(v > 0 for v in ws)),
    seed=st.integers(0, 2**31 - 1),
    replace=st.booleans(),
)
def test_property_zero_weight_rows_never_drawn(weights, seed, replace):
    w = np.array(weights)
    n_positive = int(np.count_nonzero(w > 0))
    n = 500 if replace else n_positive
    idx = weighted_draw(w, n, replace=replace, random_state=seed)
    assert idx.shape == (n,)
    assert np.all(w[idx] > 0)
    if not replace:
        assert_array_equal(np.sort(idx), np.flatnonzero(w > 0))
