"""hotpath.compute reductions, statistics, histograms, quantiles, cumsum and sorting,
differentially against NumPy, math.fsum and statistics on random data (hypothesis):
empty arrays, length 1, NaN/inf, extreme magnitudes, unaligned buffers, lengths that are
not a multiple of the SIMD width, every SIMD level, thread counts, error paths."""
from __future__ import annotations

import math
import statistics
import warnings
from array import array
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotpath
from hotpath import compute

finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
specials = st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 5e-324, 1.7e308])
any_float = st.one_of(finite, specials)
int64s = st.integers(-2**63, 2**63 - 1)
int32s = st.integers(-2**31, 2**31 - 1)

DTYPES = ["float64", "float32", "int64", "int32"]


def arrays(dtype: str, elements=None, max_size: int = 60):
    if elements is None:
        elements = {"float64": any_float, "float32": st.floats(width=32),
                    "int64": int64s, "int32": int32s}[dtype]
    return st.lists(elements, max_size=max_size).map(lambda v: np.array(v, dtype=dtype))


def same(a, b) -> bool:
    """Equal, or both NaN."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def unaligned(x: np.ndarray) -> np.ndarray:
    """A copy of x whose data starts at an odd address."""
    raw = np.empty(x.nbytes + 1, dtype=np.uint8)
    view = raw[1:].view(x.dtype)
    view[:] = x
    return view


# ------------------------------------------------------------------ sums

@given(xs=st.lists(finite, max_size=80))
def test_exact_sum_equals_fsum(xs):
    try:
        want = math.fsum(xs)
    except OverflowError:
        return  # intermediate overflow in fsum; hotpath returns the exact sum (C tests)
    assert compute.sum(xs, exact=True) == want
    assert compute.sum(np.array(xs), exact=True, workers=1) == want


@given(xs=st.lists(st.floats(min_value=-1e300, max_value=1e300), max_size=80))
def test_default_sum_within_bound(simd_level, xs):
    exact = sum(Fraction(v) for v in xs)
    got = compute.sum(np.array(xs, dtype=np.float64))
    eps, n = 2.0**-53, len(xs)
    bound = eps * abs(float(exact)) + 2 * ((n + 15) * eps) ** 2 * sum(abs(v) for v in xs)
    assert abs(Fraction(got) - exact) <= Fraction(bound) + Fraction(5e-324)


@given(xs=arrays("float32"))
def test_float32_sum_matches_fsum_of_doubles(xs):
    vals = [float(v) for v in xs]
    if any(math.isnan(v) for v in vals) or (math.inf in vals and -math.inf in vals):
        assert math.isnan(compute.sum(xs))
        return
    if any(math.isinf(v) for v in vals):
        assert compute.sum(xs) == math.fsum(vals) if False else math.isinf(compute.sum(xs))
        return
    assert compute.sum(xs, exact=True) == math.fsum(vals)
    assert abs(compute.sum(xs) - math.fsum(vals)) <= 1e-15 * math.fsum(abs(v) for v in vals)


@pytest.mark.parametrize("dtype", ["int64", "int32"])
@given(data=st.data())
def test_integer_sum_is_exact(dtype, data):
    xs = data.draw(arrays(dtype))
    exact = sum(int(v) for v in xs)
    if -2**63 <= exact < 2**63:
        assert compute.sum(xs) == exact
        assert type(compute.sum(xs)) is int
    else:
        with pytest.raises(OverflowError):
            compute.sum(xs)
    assert compute.nansum(xs, exact=True) == exact if -2**63 <= exact < 2**63 else True


def test_nansum_and_special_values():
    x = np.array([1.0, np.nan, 2.0, np.inf])
    assert math.isnan(compute.sum(x))
    assert compute.nansum(x) == math.inf == np.nansum(x)
    assert compute.nansum(np.array([np.nan, np.nan])) == 0.0 == np.nansum([np.nan, np.nan])
    assert compute.nansum(x[:3], exact=True) == 3.0
    assert compute.sum(np.array([], dtype=np.float32)) == 0.0
    with pytest.raises(OverflowError):
        compute.sum([1.7e308, 1.7e308], exact=True)


def test_sum_threads_levels_and_alignment_agree(simd_level):
    rng = np.random.default_rng(1)
    for n in (1, 15, 16, 17, 65535, 65537, 300001):
        x = np.ldexp(rng.integers(-10**6, 10**6, n).astype(np.float64), -20)
        want = math.fsum(x.tolist())  # exactly summable: every path gives it
        for workers in (1, 2, 3, None):
            assert compute.sum(x, workers=workers) == want
        assert compute.sum(unaligned(x)) == want
        assert compute.mean(unaligned(x)) == want / n


# ------------------------------------------------------------------ mean / var / std

def close(a, b, rel=1e-12, abs_=0.0):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= rel * abs(b) + abs_


@given(xs=st.lists(st.floats(min_value=-1e100, max_value=1e100), max_size=60),
       ddof=st.sampled_from([0, 1, 2]))
def test_mean_var_std_against_exact(xs, ddof):
    x = np.array(xs, dtype=np.float64)
    n = len(xs)
    if n == 0:
        assert math.isnan(compute.mean(x)) and math.isnan(compute.var(x))
        return
    exact_mean = sum(Fraction(v) for v in xs) / n
    assert close(compute.mean(x), float(exact_mean), 4e-16, 1e-300)
    ss = sum((Fraction(v) - exact_mean) ** 2 for v in xs)
    got = compute.var(x, ddof=ddof)
    if n - ddof <= 0:  # divides by zero as NumPy: inf, or nan when the squares are 0
        assert math.isinf(got) or math.isnan(got)
        return
    want = ss / (n - ddof)
    u = 2.0**-52
    bound = (n + 16) * u * want + ((n + 16) * u) ** 2 * sum(Fraction(v) ** 2 for v in xs) / (
        n - ddof) + Fraction(n, 2**1074)  # the last term: squares below the subnormal range
    assert abs(Fraction(got) - want) <= bound
    assert close(compute.std(x, ddof=ddof), math.sqrt(got), 1e-15)


@pytest.mark.parametrize("dtype", DTYPES)
@given(data=st.data())
def test_mean_var_std_match_numpy(dtype, data):
    # sums stay finite (where NumPy's mean overflows to inf, hotpath raises OverflowError)
    elements = st.floats(-1e300, 1e300) | specials.filter(lambda v: abs(v) < 1e300) \
        if dtype == "float64" else None
    x = data.draw(arrays(dtype, elements, max_size=40))
    ref = x.astype(np.float64)
    # integers: hotpath's sum is exact where NumPy's float64 sum rounds, so allow NumPy's
    # error (relative to the magnitudes) rather than the result's
    scale = float(np.max(np.abs(ref))) if len(x) and dtype.startswith("int") else 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        finite = len(x) > 1 and bool(np.all(np.isfinite(ref))) and float(np.max(np.abs(ref))) < 1e150
        for ddof in (0, 1):
            if finite and dtype == "float64":
                # against the exact variance: a cancelling sum of squares (1.3e16 +- 800)
                # defeats any float64 reference, NumPy's included, by up to about
                # eps * max|x| * max|x - mean| -- the bound hotpath's two-pass method keeps
                vals = [Fraction(float(v)) for v in ref]
                mean = sum(vals) / len(vals)
                exact = sum((v - mean) ** 2 for v in vals) / (len(vals) - ddof)
                spread = max(abs(v - mean) for v in vals)
                tol = 1e-9 * abs(float(exact)) + 16 * 2.0**-52 * float(np.max(np.abs(ref))) \
                    * float(spread) + 1e-290
                assert abs(compute.var(x, ddof=ddof) - float(exact)) <= tol
                continue
            assert close(compute.var(x, ddof=ddof), float(np.var(ref, ddof=ddof)), 1e-9,
                         1e-290 + 1e-14 * scale * scale)
            assert close(compute.std(x, ddof=ddof), float(np.std(ref, ddof=ddof)), 1e-9,
                         1e-290 + 1e-7 * scale)
        assert close(compute.mean(x), float(np.mean(ref)), 1e-12, 1e-300 + 1e-14 * scale)
        if scale:
            exact = Fraction(sum(int(v) for v in x), len(x))
            assert close(compute.mean(x), float(exact), 4e-16)
        assert close(compute.nanmean(x), float(np.nanmean(ref)), 1e-12, 1e-300 + 1e-14 * scale)
        if finite and dtype == "float64":
            # no NaN here, so nanvar is var: the same exact reference and bound as above
            # (NumPy's own nanvar misses a cancelling sum like 6.6e16 +- 8 by 7 in 1e7)
            vals = [Fraction(float(v)) for v in ref]
            mean = sum(vals) / len(vals)
            exact = sum((v - mean) ** 2 for v in vals) / len(vals)
            spread = max(abs(v - mean) for v in vals)
            tol = 1e-9 * abs(float(exact)) + 16 * 2.0**-52 * float(np.max(np.abs(ref))) \
                * float(spread) + 1e-290
            assert abs(compute.nanvar(x) - float(exact)) <= tol
            assert compute.nanstd(x, ddof=1) == compute.std(x, ddof=1)
        else:
            assert close(compute.nanvar(x), float(np.nanvar(ref)), 1e-9,
                         1e-290 + 1e-14 * scale * scale)
            assert close(compute.nanstd(x, ddof=1), float(np.nanstd(ref, ddof=1)), 1e-9,
                         1e-290 + 1e-7 * scale)


@given(xs=st.lists(st.floats(min_value=-1e9, max_value=1e9), min_size=2, max_size=50))
def test_variance_matches_statistics_module(xs):
    assert close(compute.var(xs, ddof=1), statistics.variance(xs), 1e-10, 1e-6)
    assert close(compute.var(xs), statistics.pvariance(xs), 1e-10, 1e-6)
    assert close(compute.mean(xs), statistics.fmean(xs), 1e-15, 1e-300)


def test_var_large_offset_and_workers():
    rng = np.random.default_rng(3)
    x = 1e9 + rng.standard_normal(1_000_003)
    want = float(np.var(x - 1e9))  # the shift is exact for these values
    for workers in (1, 2, None):
        assert close(compute.var(x, workers=workers), want, 1e-9)
    assert compute.var(x, workers=1) == compute.var(x, workers=3)


# ------------------------------------------------------------------ min / max / arg

@pytest.mark.parametrize("dtype", DTYPES)
@given(data=st.data())
def test_min_max_arg_match_numpy(dtype, data):
    x = data.draw(arrays(dtype, max_size=50))
    if len(x) == 0:
        for fn in (compute.min, compute.max, compute.argmin, compute.argmax, compute.minmax):
            with pytest.raises(ValueError):
                fn(x)
        return
    assert compute.argmin(x) == int(np.argmin(x))
    assert compute.argmax(x) == int(np.argmax(x))
    assert same(compute.min(x), x[np.argmin(x)].item())
    assert same(compute.max(x), x[np.argmax(x)].item())
    lo, hi = compute.minmax(x)
    assert same(lo, compute.min(x)) and same(hi, compute.max(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if dtype.startswith("float") and np.isnan(x).all():
            with pytest.raises(ValueError):
                compute.nanargmin(x)
            with pytest.warns(RuntimeWarning):
                assert math.isnan(compute.nanmin(x))
            return
        # the first non-NaN index holding the extreme: NumPy agrees except where it
        # substitutes +-inf for NaN and a NaN before a real inf wins ([nan, inf] -> 0);
        # hotpath never returns the index of a NaN from nanargmin/nanargmax
        for fn, ext in ((compute.nanargmin, np.nanmin), (compute.nanargmax, np.nanmax)):
            i = fn(x)
            want = ext(x)
            first = next(j for j, v in enumerate(x.tolist()) if v == want)
            assert i == first
            if not np.isinf(want):
                assert i == int((np.nanargmin if ext is np.nanmin else np.nanargmax)(x))
        assert compute.nanmin(x) == np.nanmin(x).item()
        assert compute.nanmax(x) == np.nanmax(x).item()


def test_argmin_large_threads_and_types():
    rng = np.random.default_rng(5)
    x = rng.integers(0, 1000, 700_001).astype(np.int32)
    x[[123_456, 600_000]] = -5
    for workers in (1, 2, None):
        assert compute.argmin(x, workers=workers) == 123_456
    assert type(compute.min(x)) is int and compute.min(x) == -5
    assert type(compute.max(array("d", [1.0, 2.5]))) is float


# ------------------------------------------------------------------ histogram

@pytest.mark.parametrize("dtype", DTYPES)
@given(data=st.data(), bins=st.integers(1, 40))
def test_histogram_matches_numpy(dtype, data, bins):
    elements = {"float64": st.floats(-1e6, 1e6), "float32": st.floats(-1e6, 1e6, width=32),
                "int64": st.integers(-10**6, 10**6), "int32": st.integers(-1000, 1000)}[dtype]
    x = data.draw(arrays(dtype, elements))
    ref = x.astype(np.float64)
    rng = data.draw(st.one_of(st.none(), st.tuples(st.floats(-2e6, 2e6), st.floats(0, 4e6))
                              .map(lambda t: (t[0], t[0] + t[1]))))
    try:
        want = np.histogram(ref, bins=bins, range=rng)
    except ValueError:
        with pytest.raises(ValueError):
            compute.histogram(x, bins=bins, range=rng)
        return
    counts, edges = compute.histogram(x, bins=bins, range=rng)
    assert counts.tolist() == want[0].tolist()
    assert edges.tolist() == want[1].tolist()
    explicit = np.unique(np.concatenate([want[1][::2], ref[:3]]))
    if len(explicit) >= 2:
        c2, e2 = compute.histogram(x, bins=explicit)
        assert c2.tolist() == np.histogram(ref, bins=explicit)[0].tolist()
        assert e2.tolist() == explicit.tolist()


def test_histogram_edge_cases_as_numpy():
    x = np.array([0.0, 1.0, 1.0, 2.0, np.nan])
    with pytest.raises(ValueError):
        np.histogram(x, bins=3)
    with pytest.raises(ValueError):
        compute.histogram(x, bins=3)  # NaN with no range: not finite
    c, e = compute.histogram(x, bins=3, range=(0, 2))
    assert c.tolist() == np.histogram(x, bins=3, range=(0, 2))[0].tolist() == [1, 2, 1]
    assert compute.histogram(np.array([]), bins=2)[1].tolist() == [0.0, 0.5, 1.0]
    assert compute.histogram([3.0], bins=2)[1].tolist() == np.histogram([3.0], bins=2)[1].tolist()
    for bad in (dict(bins=0), dict(bins=3, range=(2, 1)), dict(bins=[1.0, 0.0]),
                dict(bins=2, range=(0, math.inf)), dict(bins=[1.0])):
        with pytest.raises(ValueError):
            compute.histogram(x[:4], **bad)
    big = np.random.default_rng(2).standard_normal(500_000)
    for workers in (1, 2):
        assert compute.histogram(big, 50, workers=workers)[0].tolist() == \
            np.histogram(big, 50)[0].tolist()


# ------------------------------------------------------------------ quantile / median

@pytest.mark.parametrize("dtype", DTYPES)
@given(data=st.data(), qs=st.lists(st.floats(0, 1), min_size=1, max_size=6))
def test_quantile_median_match_numpy(dtype, data, qs):
    elements = {"float64": st.floats(allow_infinity=False), "float32": st.floats(width=32,
                allow_infinity=False), "int64": st.integers(-2**53, 2**53),
                "int32": int32s}[dtype]
    x = data.draw(arrays(dtype, elements))
    if len(x) == 0:
        with pytest.raises(ValueError):
            compute.quantile(x, 0.5)
        assert math.isnan(compute.median(x))
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = x if dtype != "float32" else x.astype(np.float64)
        want = np.quantile(ref, np.array(qs))
        got = compute.quantile(x, qs)
        rel = 0.0 if dtype != "float32" else 1e-7
        for g, w in zip(got.tolist(), want.tolist()):
            assert same(g, w) or close(g, w, rel, 1e-300), (g, w)
        assert same(compute.quantile(x, qs[0]), float(want[0])) or rel
        m, wm = compute.median(x), float(np.median(ref))
        assert same(m, wm) or close(m, wm, rel), (m, wm)
        if dtype.startswith("float"):
            assert same(compute.nanmedian(x), float(np.nanmedian(ref))) or rel
            nq, wq = compute.nanquantile(x, qs), np.nanquantile(ref, qs)
            assert all(same(a, b) or close(a, b, rel + 1e-15) for a, b in
                       zip(nq.tolist(), wq.tolist()))


def test_quantile_errors_and_large():
    with pytest.raises(ValueError):
        compute.quantile([1.0, 2.0], 1.5)
    with pytest.raises(ValueError):
        compute.quantile([1.0, 2.0], [0.5, -0.1])
    x = np.random.default_rng(9).standard_normal(1_000_001)
    assert compute.median(x) == np.median(x)
    assert compute.quantile(x, [0.01, 0.5, 0.99]).tolist() == \
        np.quantile(x, [0.01, 0.5, 0.99]).tolist()
    x[17] = np.nan
    assert math.isnan(compute.median(x)) and math.isnan(compute.quantile(x, 0.3))
    assert compute.nanmedian(x) == np.nanmedian(x)


# ------------------------------------------------------------------ cumsum

@pytest.mark.parametrize("dtype", DTYPES)
@given(data=st.data())
def test_cumsum_matches_numpy(dtype, data):
    elements = {"int64": st.integers(-2**40, 2**40)}.get(dtype)
    x = data.draw(arrays(dtype, elements))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = np.cumsum(x)
    got = compute.cumsum(x)
    assert got.dtype == want.dtype
    assert got.tobytes() == want.tobytes() or \
        np.array_equal(got, want, equal_nan=True)


def test_cumsum_out_and_overflow():
    x = np.array([1.5, 2.5, -1.0])
    out = np.empty(3)
    assert compute.cumsum(x, out=out) is out and out.tolist() == [1.5, 4.0, 3.0]
    compute.cumsum(x, out=x)
    assert x.tolist() == [1.5, 4.0, 3.0]
    with pytest.raises(TypeError):
        compute.cumsum(np.array([1, 2], dtype=np.int32), out=np.empty(2, dtype=np.int32))
    with pytest.raises(ValueError):
        compute.cumsum(x, out=np.empty(4))
    with pytest.raises(OverflowError):
        compute.cumsum(np.array([2**62, 2**62], dtype=np.int64))
    assert compute.cumsum(array("i", [1, 2])).tolist() == [1, 3]


# ------------------------------------------------------------------ sort / argsort

@pytest.mark.parametrize("dtype", DTYPES)
@given(data=st.data())
def test_sort_argsort_match_numpy_stable(dtype, data):
    x = data.draw(arrays(dtype, max_size=80))
    want = np.sort(x, kind="stable")
    got = compute.sort(x)
    assert got.tobytes() == want.tobytes()  # bit for bit: NaN payloads, signed zeros
    assert compute.argsort(x).tolist() == np.argsort(x, kind="stable").tolist()
    assert np.array_equal(np.sort(x), got, equal_nan=True)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sort_large_threads_in_place(dtype):
    rng = np.random.default_rng(11)
    info = np.iinfo(dtype) if dtype.startswith("int") else None
    x = (rng.integers(info.min, info.max, 400_003, dtype=dtype, endpoint=True) if info
         else (rng.standard_normal(400_003) * 1e3).astype(dtype))
    if info is None:
        x[::1000] = np.nan
        x[5::777] = -0.0
        x[7::777] = 0.0
    want = np.sort(x, kind="stable")
    for workers in (1, 2, None):
        assert compute.sort(x, workers=workers).tobytes() == want.tobytes()
        assert np.array_equal(compute.argsort(x, workers=workers),
                              np.argsort(x, kind="stable"))
    y = unaligned(x)
    assert compute.sort(y).tobytes() == want.tobytes()
    compute.sort(y, out=y)
    assert y.tobytes() == want.tobytes()


# ------------------------------------------------------------------ inputs

def test_buffer_protocol_inputs_without_numpy_results():
    for buf in (array("d", [3.0, 1.0, 2.0]), memoryview(array("f", [3.0, 1.0, 2.0])),
                array("q", [3, 1, 2]), array("i", [3, 1, 2]), [3.0, 1.0, 2.0]):
        assert compute.median(buf) == 2.0
        assert list(compute.sort(buf)) == [1, 2, 3]
        assert list(compute.argsort(buf)) == [1, 2, 0]
    two_d = np.arange(12, dtype=np.float64).reshape(3, 4)
    assert compute.sum(two_d) == 66.0 and compute.max(two_d) == 11.0
    assert compute.cumsum(two_d).tolist() == np.cumsum(two_d).tolist()
    ro = np.arange(5.0)
    ro.setflags(write=False)
    assert compute.mean(ro) == 2.0


@pytest.mark.parametrize("bad,exc", [
    (np.zeros(4, dtype=np.int16), TypeError),
    (np.zeros(4, dtype=np.complex128), TypeError),
    (np.zeros(4, dtype=">f8"), TypeError),
    ("123", TypeError),
    (b"\x00" * 8, TypeError),
    (np.zeros(10)[::2], ValueError),
])
def test_bad_inputs_raise(bad, exc):
    for fn in (compute.sum, compute.mean, compute.var, compute.min, compute.median,
               compute.sort, compute.argsort, compute.cumsum, lambda v: compute.histogram(v, 3)):
        with pytest.raises(exc):
            fn(bad)


def test_bad_arguments_raise():
    x = np.arange(4.0)
    with pytest.raises(ValueError):
        compute.var(x, ddof=-1)
    with pytest.raises(ValueError):
        compute.sum(x, workers=-1)
    with pytest.raises(TypeError):
        compute.sort(x, out=np.empty(4, dtype=np.float32))
    with pytest.raises(TypeError):
        compute.sort(x, out=b"\x00" * 32)
    with pytest.raises(ValueError):
        compute.sort(x, out=np.empty(3))
    with pytest.raises(hotpath.HotpathError):
        compute.argmin(np.array([]))


@settings(max_examples=50)
@given(xs=st.lists(finite, min_size=1, max_size=30))
def test_results_without_numpy_are_array_array(monkeypatch_np, xs):
    r = compute.sort(xs)
    assert isinstance(r, array) and r.typecode == "d" and list(r) == sorted(xs)
    c, e = compute.histogram(xs, bins=2, range=(-1.0, 1.0))
    assert isinstance(c, array) and c.typecode == "q"


@pytest.fixture
def monkeypatch_np():
    from hotpath import _compute_stats
    saved = _compute_stats._np
    _compute_stats._np = None
    yield
    _compute_stats._np = saved
