"""hotpath.compute vector kernels and top-k against NumPy (float64 references), through
whichever backend this run uses, at every SIMD level.

The f32 bound stated in compute.h: |dot - exact| <= 3.9e-6 * sum|a_i*b_i| (float lanes of
at most 64 products, then double), checked at dim 4096.
"""
from __future__ import annotations

from array import array

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotpath import compute
from hotpath import _compute_vec
from hp_testutil import raises

F32_BOUND = 3.9e-6
PAIR_FUNCS = {"dot": compute.dot, "cosine": compute.cosine,
              "sqeuclidean": compute.sqeuclidean, "euclidean": compute.euclidean}


def ref_matrix(a, b, metric):
    """float64 reference of cdist for 2-D a, b."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    dot = a @ b.T
    if metric == "dot":
        return dot
    if metric in ("cosine", "cosine_distance"):
        with np.errstate(invalid="ignore", divide="ignore"):
            c = np.clip(dot / np.linalg.norm(a, axis=1)[:, None] / np.linalg.norm(b, axis=1)[None],
                        -1, 1)
        return c if metric == "cosine" else 1 - c
    sq = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    return sq if metric == "sqeuclidean" else np.sqrt(sq)


def tolerance(a, b, metric, dtype):
    """Allowed error of each cell: the documented bound for f32, a double bound otherwise."""
    a = np.abs(np.asarray(a, dtype=np.float64))
    b = np.abs(np.asarray(b, dtype=np.float64))
    if metric in ("cosine", "cosine_distance"):
        return np.full((len(a), len(b)), 1e-5 if dtype == np.float32 else 1e-12)
    terms = a @ b.T if metric == "dot" else ((a[:, None, :] + b[None, :, :]) ** 2).sum(-1)
    if metric == "euclidean":
        terms = np.sqrt(terms)
    rel = 2 * F32_BOUND + 2 ** -23 if dtype == np.float32 else 1e-13
    return rel * terms + 1e-30


def random_rows(rng, rows, dim, dtype):
    if dtype == np.int8:
        return rng.integers(-128, 128, size=(rows, dim), dtype=np.int8)
    return rng.standard_normal((rows, dim)).astype(dtype)


dims = st.sampled_from([1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 100, 129, 384, 1025])


@settings(max_examples=60)
@given(dim=dims, seed=st.integers(0, 2**32 - 1),
       dtype=st.sampled_from([np.float32, np.float64, np.int8]),
       metric=st.sampled_from(list(PAIR_FUNCS)))
def test_pair_matches_numpy(simd_level, dim, seed, dtype, metric):
    rng = np.random.default_rng(seed)
    a, b = random_rows(rng, 2, dim, dtype)
    got = PAIR_FUNCS[metric](a, b)
    want = ref_matrix(a[None], b[None], metric)[0, 0]
    tol = tolerance(a[None], b[None], metric, dtype)[0, 0]
    if dtype == np.int8 and metric in ("dot", "sqeuclidean"):
        assert got == want  # exact integer arithmetic
    assert isinstance(got, float)
    assert abs(got - want) <= tol, (got, want)


def test_f32_dot_within_documented_bound_at_4096(simd_level):
    rng = np.random.default_rng(4096)
    for _ in range(20):
        a = (rng.random(4096) + 0.5).astype(np.float32) * np.float32(2.0) ** rng.integers(0, 8, 4096)
        a = a.astype(np.float32)
        b = (rng.random(4096) + 0.5).astype(np.float32)
        exact = float(np.dot(a.astype(np.float64), b.astype(np.float64)))
        abs_sum = float(np.abs(a.astype(np.float64) * b).sum())
        assert abs(compute.dot(a, b) - exact) <= F32_BOUND * abs_sum + 4096 * 2**-52 * abs_sum
    # sixteen 1.0 then 2**-25 terms: a plain float loop rounds every small term away
    # (relative error 7.6e-6 > the bound); blocks of 64 keep them
    a = np.full(4096, 2.0 ** -25, dtype=np.float32)
    a[:16] = 1
    want = 16 + 4080 * 2.0 ** -25
    assert abs(compute.dot(a, np.ones(4096, np.float32)) - want) <= F32_BOUND * want


def test_i8_dot_exact_beyond_int32(simd_level):
    # 600k worst-case elements: past the 8192 steps after which every SIMD path widens its
    # 32-bit lanes (AVX2: 32 bytes a step, AVX-512: 64, NEON: 16), so a lane that were
    # widened too late would wrap
    n = 600_001
    a = np.full(n, -128, dtype=np.int8)
    assert compute.dot(a, a) == n * 16384
    assert compute.sqeuclidean(a, np.full_like(a, 127)) == n * 255 ** 2
    assert compute.cosine(a, a) == 1.0


def test_one_to_many(simd_level):
    rng = np.random.default_rng(5)
    for dtype in (np.float32, np.float64, np.int8):
        q, rows = random_rows(rng, 1, 37, dtype)[0], random_rows(rng, 50, 37, dtype)
        for name, fn in PAIR_FUNCS.items():
            got = fn(q, rows)
            assert got.shape == (50,)
            assert got.dtype == (np.float32 if dtype == np.float32 else np.float64)
            want = ref_matrix(q[None], rows, name)[0]
            assert np.all(np.abs(got - want) <= tolerance(q[None], rows, name, dtype)[0] + 1e-6)


@settings(max_examples=40)
@given(m=st.integers(0, 30), n=st.integers(0, 70), dim=dims, seed=st.integers(0, 2**32 - 1),
       dtype=st.sampled_from([np.float32, np.float64, np.int8]),
       metric=st.sampled_from(list(compute.METRICS)), workers=st.sampled_from([None, 1, 3]))
def test_cdist_matches_numpy(simd_level, m, n, dim, seed, dtype, metric, workers):
    rng = np.random.default_rng(seed)
    a, b = random_rows(rng, m, dim, dtype), random_rows(rng, n, dim, dtype)
    got = compute.cdist(a, b, metric=metric, workers=workers)
    assert got.shape == (m, n)
    assert got.dtype == (np.float32 if dtype == np.float32 else np.float64)
    want = ref_matrix(a, b, metric)
    # a zero row (int8, dim 1, value 0) gives NaN for cosine on both sides
    close = (np.abs(got - want) <= tolerance(a, b, metric, dtype)) | (np.isnan(got) & np.isnan(want))
    assert np.all(close), metric


def test_cdist_out_parameter_and_flat_buffers():
    rng = np.random.default_rng(6)
    a, b = random_rows(rng, 4, 10, np.float32), random_rows(rng, 6, 10, np.float32)
    out = np.full((4, 6), -1.0, dtype=np.float32)
    assert compute.cdist(a, b, "dot", out=out) is out
    assert np.allclose(out, a.astype(float) @ b.T.astype(float), atol=1e-5)
    flat = array("f", bytes(4 * 24))
    assert compute.cdist(a, b, "dot", out=flat) is flat
    assert np.allclose(np.frombuffer(flat, np.float32).reshape(4, 6), out)
    # an array.array matrix through a 2-D memoryview cast, no copy
    a_arr = array("f", a.ravel().tolist())
    got = compute.cdist(memoryview(a_arr).cast("B").cast("f", (4, 10)), b, "dot")
    assert np.array_equal(got, out)
    assert raises(ValueError, compute.cdist, a, b, "dot", out=np.empty((6, 4), np.float32))
    assert raises(TypeError, compute.cdist, a, b, "dot", out=np.empty((4, 6), np.float64))
    assert raises(TypeError, compute.cdist, a, b, "dot", out=bytes(96))  # read-only


def test_unaligned_buffers(simd_level):
    rng = np.random.default_rng(7)
    raw = rng.standard_normal(1 + 9 * 70).astype(np.float32).tobytes()
    buf = bytearray(raw)
    a = np.frombuffer(buf, dtype=np.float32, offset=4, count=9 * 70).reshape(9, 70)
    assert a.ctypes.data % 8 != 0 or a.ctypes.data % 32 != 0
    got = compute.cdist(a, a, "sqeuclidean")
    assert np.all(np.abs(got - ref_matrix(a, a, "sqeuclidean")) <=
                  tolerance(a, a, "sqeuclidean", np.float32))


def test_nan_propagates_and_zero_vectors():
    a = np.arange(20, dtype=np.float32)
    b = a.copy()
    b[13] = np.nan
    for fn in PAIR_FUNCS.values():
        assert np.isnan(fn(a, b))
    z = np.zeros(20, np.float32)
    assert np.isnan(compute.cosine(a, z)) and compute.dot(a, z) == 0.0
    got = compute.cdist(np.stack([a, b, z]), np.stack([a, z]), "cosine")
    assert got[0, 0] == 1 and np.isnan(got[1]).all() and np.isnan(got[:, 1]).all()


def test_normalize_in_place():
    x = np.arange(12, dtype=np.float64).reshape(3, 4)
    x[1] = 0
    assert compute.normalize(x) is x
    assert np.allclose(np.linalg.norm(x[[0, 2]], axis=1), 1) and (x[1] == 0).all()
    v = array("f", [3, 4])
    compute.normalize(v)
    assert np.allclose(v.tolist(), [0.6, 0.8])
    assert raises(TypeError, compute.normalize, np.ones(3, np.int8))
    assert raises(TypeError, compute.normalize, bytes(8))  # read-only


# ---------------------------------------------------------------- top-k


def brute_topk(scores, k, higher, exclude_self):
    """Indices by the documented order (value, then lower index, NaN last) via a stable
    argsort of the values top-k reports."""
    s = np.array(scores, dtype=np.float64)
    key = -s if higher else s
    key = np.where(np.isnan(key), np.inf, key)
    order = np.argsort(key, axis=1, kind="stable")
    nan_last = np.take_along_axis(np.isnan(s), order, axis=1)
    order = np.take_along_axis(order, np.argsort(nan_last, axis=1, kind="stable"), axis=1)
    if exclude_self:
        order = np.array([[j for j in row if j != i] for i, row in enumerate(order)])
    order = order[:, :k]
    if order.shape[1] < k:
        order = np.hstack([order, -np.ones((len(order), k - order.shape[1]), dtype=np.int64)])
    return order


@settings(max_examples=40)
@given(m=st.integers(1, 20), n=st.integers(0, 300), dim=st.sampled_from([1, 3, 8, 17, 40]),
       k=st.integers(0, 12), seed=st.integers(0, 2**32 - 1),
       metric=st.sampled_from(list(compute.METRICS)), workers=st.sampled_from([None, 1, 4]),
       dtype=st.sampled_from([np.float32, np.float64, np.int8]))
def test_topk_matches_sorted_cdist_with_ties(simd_level, m, n, dim, k, seed, metric, workers, dtype):
    rng = np.random.default_rng(seed)
    # a coarse grid with repeated rows: many exact ties, broken by lower index
    corpus = rng.integers(-2, 3, size=(n, dim)).astype(dtype)
    if n > 3:
        corpus[3::4] = corpus[: len(corpus[3::4])]
    queries = rng.integers(-2, 3, size=(m, dim)).astype(dtype)
    idx, sc = compute.topk(queries, corpus, k, metric=metric, workers=workers)
    assert idx.shape == sc.shape == (m, k) and idx.dtype == np.int64
    full = compute.cdist(queries, corpus, metric) if n else np.empty((m, 0))
    want = brute_topk(full, k, metric in ("dot", "cosine"), False)
    assert np.array_equal(idx, want)
    have = idx >= 0
    if n:  # the scores are the cdist values of those rows, bit for bit
        picked = np.take_along_axis(full, np.where(have, idx, 0), 1)[have]
        assert np.array_equal(sc[have], picked, equal_nan=True)
    assert np.isnan(sc[~have]).all()


def test_topk_random_floats_vs_numpy_argsort(simd_level):
    rng = np.random.default_rng(11)
    corpus = rng.standard_normal((3000, 48)).astype(np.float32)
    queries = rng.standard_normal((30, 48)).astype(np.float32)
    for metric in compute.METRICS:
        idx, sc = compute.topk(queries, corpus, 10, metric=metric)
        full = compute.cdist(queries, corpus, metric)
        want = brute_topk(full, 10, metric in ("dot", "cosine"), False)
        assert np.array_equal(idx, want)
        # and against a float64 NumPy reference: the same rows up to rounding near ties
        ref = ref_matrix(queries, corpus, metric)
        ref_best = np.take_along_axis(ref, idx, 1)
        order = np.sort(-ref if metric in ("dot", "cosine") else ref, axis=1)[:, :10]
        assert np.allclose(np.abs(order), np.abs(ref_best), rtol=1e-4, atol=1e-4)


def test_topk_exclude_self_neighbours():
    rng = np.random.default_rng(12)
    x = rng.integers(-2, 3, size=(200, 6)).astype(np.float32)
    x[100:] = x[:100]  # every row has a duplicate: its best neighbour other than itself
    for metric in compute.METRICS:
        idx, sc = compute.topk(x, x, 5, metric=metric, exclude_self=True, workers=3)
        assert not (idx == np.arange(200)[:, None]).any()
        want = brute_topk(compute.cdist(x, x, metric), 5, metric in ("dot", "cosine"), True)
        assert np.array_equal(idx, want)
    idx, _ = compute.topk(x, x, 1, metric="euclidean", exclude_self=True)
    assert (compute.cdist(x, x, "euclidean")[np.arange(200), idx[:, 0]] == 0).all()


def test_topk_one_query_1d_and_k_beyond_n():
    corpus = np.eye(4, dtype=np.float64)
    idx, sc = compute.topk(np.array([0.0, 1.0, 0.0, 0.0]), corpus, 6, metric="dot")
    assert idx.tolist() == [1, 0, 2, 3, -1, -1]
    assert sc[:4].tolist() == [1.0, 0.0, 0.0, 0.0] and np.isnan(sc[4:]).all()
    idx, sc = compute.topk(corpus, corpus, 0)
    assert idx.shape == (4, 0)


def test_topk_single_query_large_corpus_uses_ranges():
    rng = np.random.default_rng(13)
    corpus = rng.standard_normal((20000, 16)).astype(np.float32)
    q = corpus[12345] + np.float32(1e-3)
    for workers in (1, 2, 8):
        idx, sc = compute.topk(q, corpus, 3, metric="euclidean", workers=workers)
        assert idx[0] == 12345
        full = compute.euclidean(q, corpus)
        assert np.array_equal(idx, np.argsort(full, kind="stable")[:3])


def test_results_without_numpy(monkeypatch):
    monkeypatch.setattr(_compute_vec, "_np", None)
    a = array("f", [1, 2, 3, 4, 5, 6])
    rows = memoryview(a).cast("B").cast("f", (2, 3))
    d = compute.cdist(rows, rows, "dot")
    assert isinstance(d, memoryview) and d.shape == (2, 2)
    assert d.tolist() == [[14.0, 32.0], [32.0, 77.0]]
    many = compute.dot(array("f", [1, 0, 0]), rows)
    assert isinstance(many, array) and many.tolist() == [1.0, 4.0]
    idx, sc = compute.topk(rows, rows, 1, metric="sqeuclidean", exclude_self=True)
    assert idx.tolist() == [[1], [0]] and sc.tolist() == [[27.0], [27.0]]


def test_errors():
    f = np.ones(4, np.float32)
    assert raises(TypeError, compute.dot, f, np.ones(4))  # float32 vs float64
    assert raises(ValueError, compute.dot, f, np.ones(5, np.float32))
    assert raises(ValueError, compute.dot, f, np.ones(8, np.float32)[::2])
    assert raises(TypeError, compute.dot, f, [1.0, 2.0, 3.0, 4.0])
    assert raises(TypeError, compute.dot, np.ones(4, np.int32), np.ones(4, np.int32))
    assert raises(TypeError, compute.dot, np.ones(4, ">f4"), np.ones(4, ">f4"))
    assert raises(TypeError, compute.dot, "abcd", "abcd")
    assert raises(ValueError, compute.dot, np.ones((2, 2), np.float32), f[:2])
    assert raises(ValueError, compute.cdist, np.ones((2, 2, 2), np.float32), f)
    e = raises(ValueError, compute.dot, np.ones(0, np.float32), np.ones(0, np.float32))
    assert "dim is 0" in str(e)
    assert raises(ValueError, compute.cdist, f, f, metric="manhattan")
    assert raises(ValueError, compute.cdist, f, f, workers=-1)
    assert raises(ValueError, compute.topk, f, f, -1)
    assert raises(ValueError, compute.topk, f, f, 1, metric="nope")
    assert raises(ValueError, compute.topk, np.ones((3, 4), np.float32)[:, :2], f[:2], 1)
