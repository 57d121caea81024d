"""hotpath.compute.sum against exact (fractions) and math.fsum references.

The documented bound (compute.h, compute.py) is
    |result - S| <= eps*|S| + 2*((n+15)*eps)**2 * sum|x|,   eps = 2**-53,
with S the exact sum. math.fsum is S correctly rounded, so against fsum one more
rounding (eps*|fsum|) is allowed; against the exact sum the bound is used as stated.
"""
from __future__ import annotations

import math
import random
from array import array
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import hotpath
from hotpath import compute
from hp_testutil import raises

EPS = 2.0 ** -53
TINY = 2.0 ** -1074  # smallest subnormal: slack for results in the subnormal range
MAX = 1.7976931348623157e308
# Finite inputs whose exact sum (2**1024 - 2**970 - 4.99e291) rounds to MAX.
NEAR_MAX_FINITE_SUM = [2.0**1023, -4.9896007738368e+291, 2.0**1023 - 2.0**970]


def bound(xs, s) -> Fraction:
    """The documented error bound around s (exact arithmetic, so it cannot overflow)."""
    n = len(xs)
    eps = Fraction(EPS)
    abs_sum = sum((abs(Fraction(x)) for x in xs), Fraction(0))
    return eps * abs(Fraction(s)) + 2 * ((n + 15) * eps) ** 2 * abs_sum + 4 * Fraction(TINY)


def check_accurate_fsum_only(xs, got: float) -> None:
    """check_accurate for long inputs (fractions would be slow): fsum reference, float
    bound (inputs must be far from overflow)."""
    ref = math.fsum(xs)
    n = len(xs)
    tol = 2 * EPS * abs(ref) + 2 * ((n + 15) * EPS) ** 2 * math.fsum(map(abs, xs)) + 4 * TINY
    assert abs(got - ref) <= tol, (got, ref)


def check_accurate(xs, got: float) -> None:
    exact = sum((Fraction(x) for x in xs), Fraction(0))
    assert abs(Fraction(got) - exact) <= bound(xs, exact), (xs, got, float(exact))
    ref = math.fsum(xs)  # exact rounded once more: allow that rounding on top
    assert abs(Fraction(got) - Fraction(ref)) <= bound(xs, ref) + Fraction(EPS) * abs(
        Fraction(ref)), (got, ref)


# Finite floats small enough that no list below can overflow.
moderate = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)
mixed_scale = st.one_of(
    moderate,
    st.floats(min_value=-1e-300, max_value=1e-300, allow_nan=False),  # incl. subnormals
    st.integers(-2**60, 2**60).map(float),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.1, 1e16, -1e16, 2.0**53, 2.0**-1074, 1e100,
                     -1e100]),
)


@given(xs=st.lists(mixed_scale, max_size=60))
def test_sum_within_documented_bound_of_exact_and_fsum(xs):
    check_accurate(xs, compute.sum(xs))


@settings(max_examples=60)
@given(xs=st.lists(moderate, min_size=100, max_size=300))
def test_sum_long_lists_within_bound(xs):
    check_accurate(xs, compute.sum(xs))


@given(xs=st.lists(st.floats(min_value=-1e300, max_value=1e300), max_size=30),
       data=st.data())
def test_sum_cancellation_of_appended_negations(xs, data):
    # x + (-x) terms in shuffled order cancel exactly: sum equals sum of the extra terms.
    extra = data.draw(st.lists(st.floats(-1e3, 1e3), max_size=5))
    items = xs + [-x for x in xs] + extra
    random.Random(len(items)).shuffle(items)
    check_accurate(items, compute.sum(items))


@pytest.mark.parametrize("xs,expected", [
    ([1e100, 1.0, -1e100], 1.0),
    ([0.1] * 10, 1.0),
    ([1.0, 1e100, 1.0, -1e100], 2.0),
    ([2.0**53, 1.0, -2.0**53], 1.0),
    ([1.0, -1.0, 1e-300], 1e-300),
    ([1e308, -1e308, 1.0], 1.0),
    ([0.1, 0.2, 0.3, -0.6], math.fsum([0.1, 0.2, 0.3, -0.6])),
    ([1e-16] * 10 + [1.0], math.fsum([1e-16] * 10 + [1.0])),
    ([3.0, 1e16, -1e16] * 10, 30.0),
    ([1.7976931348623157e308, -1.7976931348623157e308], 0.0),
    ([2.0**-1074, 2.0**-1074, -2.0**-1074], 2.0**-1074),
    ([1e20, 1.0, -1e20, 1e-20] * 3, math.fsum([1e20, 1.0, -1e20, 1e-20] * 3)),
])
def test_sum_classic_hard_cases_exact(xs, expected):
    assert compute.sum(xs) == expected == math.fsum(xs)


def test_sum_near_tie_is_within_bound_but_may_differ_from_fsum_by_one_ulp():
    # exact sum 1e16 + 1 + 1e-16 lies just above the midpoint of two doubles: fsum rounds
    # up; the documented bound (eps*|S| ~ 1.1 here) also allows the neighbour 1e16.
    xs = [1e16, 1.0, 1e-16]
    assert compute.sum(xs) in (1e16, 1.0000000000000002e16)
    check_accurate(xs, compute.sum(xs))


def test_sum_many_tenths_equals_fsum():
    for n in (1, 3, 4, 5, 7, 8, 9, 100, 1001, 10_000):
        assert compute.sum([0.1] * n) == math.fsum([0.1] * n), n


def test_sum_random_large_numpy_vs_fsum():
    rng = np.random.default_rng(7)
    for n in (1, 2, 3, 4, 5, 1000, 100_003):
        x = rng.standard_normal(n) * 10.0 ** rng.integers(-20, 20, n)
        check = check_accurate if n < 2000 else check_accurate_fsum_only
        check(x.tolist(), compute.sum(x))


def test_sum_empty_is_zero():
    assert compute.sum([]) == 0.0
    assert compute.sum(array("d")) == 0.0
    assert compute.sum(np.zeros(0)) == 0.0
    assert compute.sum(memoryview(array("d"))) == 0.0
    assert type(compute.sum([])) is float


def test_sum_returns_python_float():
    assert type(compute.sum([1.0, 2.0])) is float
    assert type(compute.sum(np.ones(3))) is float


# ------------------------------------------------------------------ NaN / infinities

@pytest.mark.parametrize("xs,expected", [
    ([math.inf], math.inf),
    ([-math.inf], -math.inf),
    ([1.0, math.inf, 5.0], math.inf),
    ([math.inf, math.inf], math.inf),
    ([-math.inf, 1e308, 1e308], -math.inf),   # an infinite input wins over overflow
    ([1e308, 1e308, math.inf], math.inf),
    ([math.inf, -math.inf], math.nan),
    ([math.nan], math.nan),
    ([1.0, math.nan, 2.0], math.nan),
    ([math.inf, math.nan], math.nan),
    ([1.0] * 7 + [math.nan], math.nan),
    ([1.0] * 9 + [-math.inf] + [2.0] * 3, -math.inf),
])
def test_sum_nan_and_infinity_follow_ieee(xs, expected):
    got = compute.sum(xs)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected
    # same through numpy, at every position of the special value
    got_np = compute.sum(np.array(xs))
    assert (math.isnan(got_np) and math.isnan(expected)) or got_np == expected


@given(xs=st.lists(moderate, max_size=20), pos=st.integers(0, 20),
       special=st.sampled_from([math.inf, -math.inf, math.nan]))
def test_sum_special_value_anywhere(xs, pos, special):
    items = xs[:pos] + [special] + xs[pos:]
    got = compute.sum(items)
    if math.isnan(special):
        assert math.isnan(got)
    else:
        assert got == special


# ------------------------------------------------------------------ overflow

@pytest.mark.parametrize("xs", [
    [MAX, MAX, -MAX],
    [MAX, -MAX, MAX],
    [2.0**1023, 2.0**1023, -(2.0**1023), 1.0],
])
def test_sum_intermediate_overflow_is_recovered_when_exact_sum_fits(xs):
    # math.fsum raises "intermediate overflow" for the first; hotpath redoes the sum on
    # x/2 (compute.h) and returns the exact sum, which fits.
    exact = Fraction(0)
    for v in xs:
        exact += Fraction(v)
    assert compute.sum(xs) == float(exact)


@pytest.mark.parametrize("xs", [
    [1e308, 1e308],
    [MAX, MAX],
    [MAX] * 5,
    [-MAX, -MAX],
    [1.0, 2.0, 3.0, MAX, MAX, 4.0],
    [MAX, 2.0**970],         # rounds to infinity
    [1e308] * 8,
])
def test_sum_overflow_of_finite_inputs_raises_overflow_error(xs):
    with pytest.raises(OverflowError):
        math.fsum(xs)
    err = raises(OverflowError, compute.sum, xs)
    assert isinstance(err, hotpath.SizeOverflowError)
    assert isinstance(err, hotpath.HotpathError)
    assert err.code == -5 and err.name == "HP_EOVERFLOW"
    assert err.message
    with pytest.raises(hotpath.SizeOverflowError):
        compute.sum(np.array(xs))


def test_sum_finite_exact_sum_near_max_does_not_raise():
    # exact sum = 2**1024 - 2**970 - 4.99e291: below the round-to-infinity threshold, so it
    # rounds to the largest double; math.fsum returns it. A running sum that first hits
    # 2**1024 - 2**970 exactly (a tie, rounded to infinity) must not turn this into an
    # OverflowError: compute.h promises HP_EOVERFLOW only where fsum raises too.
    xs = NEAR_MAX_FINITE_SUM
    assert math.fsum(xs) == MAX
    assert compute.sum(xs) == MAX


def test_sum_largest_finite_result_does_not_raise():
    assert compute.sum([MAX, 0.0]) == MAX
    assert compute.sum([MAX / 2, MAX / 2]) == MAX
    assert compute.sum([MAX, 2.0**969 - 2.0**916]) == MAX  # rounds down to MAX


@example(xs=NEAR_MAX_FINITE_SUM)
@given(xs=st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=12))
def test_sum_wide_range_raises_iff_exact_sum_overflows_or_is_accurate(xs):
    # Any finite inputs: if the exact sum does not fit a double, OverflowError;
    # if a result comes back it is within the bound of the exact sum.
    exact = sum((Fraction(x) for x in xs), Fraction(0))
    limit = Fraction(2) ** 1024 - Fraction(2) ** 970  # rounds to inf from here on
    try:
        got = compute.sum(xs)
    except OverflowError as e:
        assert isinstance(e, hotpath.SizeOverflowError)
        # Only allowed when the sum itself or an intermediate (as with fsum) overflows.
        if abs(exact) < limit:
            with pytest.raises(OverflowError):
                math.fsum(xs)
        return
    assert abs(exact) < limit
    assert abs(Fraction(got) - exact) <= bound(xs, exact)


# ------------------------------------------------------------------ input types

def test_sum_accepts_array_memoryview_numpy_list_tuple_generator():
    values = [0.5, 1e100, -3.25, -1e100, 7.0]
    want = math.fsum(values)
    assert compute.sum(values) == want
    assert compute.sum(tuple(values)) == want
    assert compute.sum(v for v in values) == want
    assert compute.sum(array("d", values)) == want
    assert compute.sum(memoryview(array("d", values))) == want
    assert compute.sum(np.array(values)) == want
    assert compute.sum(np.array(values, dtype="=f8")) == want
    assert compute.sum(np.array(values)[1:4]) == math.fsum(values[1:4])  # contiguous slice


def test_sum_list_of_ints_is_converted():
    assert compute.sum([1, 2, 3, 2**53, -(2**53)]) == 6.0


def test_sum_readonly_numpy_array():
    x = np.arange(10, dtype=np.float64)
    x.setflags(write=False)
    assert compute.sum(x) == 45.0
    assert compute.sum(memoryview(array("d", [1.0, 2.0])).toreadonly()) == 3.0


def test_sum_numpy_2d_c_contiguous():
    x = np.arange(12, dtype=np.float64).reshape(3, 4)
    assert compute.sum(x) == 66.0


def test_sum_numpy_does_not_modify_input():
    x = np.array([1e100, 1.0, -1e100])
    before = x.copy()
    assert compute.sum(x) == 1.0
    assert np.array_equal(x, before)


@pytest.mark.parametrize("x", [
    np.zeros(4, dtype=np.complex128),
    np.zeros(4, dtype=">f8"),  # big-endian float64 must not be reinterpreted
    b"\x00" * 16,
    bytearray(16),
    "1.0",
    "",
    b"",
], ids=lambda x: type(x).__name__ + "-" + str(getattr(x, "dtype", getattr(x, "typecode", ""))))
def test_sum_rejects_non_float64_buffers_and_text_with_type_error(x):
    with pytest.raises(TypeError):
        compute.sum(x)


@pytest.mark.parametrize("x", [[1.0, "2"], [None], [object()], 5, None])
def test_sum_rejects_non_numbers_with_type_error(x):
    with pytest.raises(TypeError):
        compute.sum(x)


def test_sum_non_contiguous_numpy_slice_raises_value_error():
    with pytest.raises(ValueError):
        compute.sum(np.arange(10, dtype=np.float64)[::2])
    with pytest.raises(ValueError):
        compute.sum(np.ones((4, 4))[:, 1])
    with pytest.raises(ValueError):
        compute.sum(memoryview(array("d", [1.0, 2.0, 3.0, 4.0]))[::2])


def test_sum_fortran_order_2d_raises_value_error():
    with pytest.raises(ValueError):
        compute.sum(np.asfortranarray(np.ones((3, 4))))


@given(xs=st.lists(mixed_scale, max_size=40))
def test_sum_all_input_types_agree(xs):
    want = compute.sum(xs)
    assert compute.sum(array("d", xs)) == want
    assert compute.sum(np.array(xs, dtype=np.float64)) == want
    assert compute.sum(memoryview(array("d", xs))) == want
