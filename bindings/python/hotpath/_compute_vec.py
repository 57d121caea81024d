"""Vector kernels: dot, cosine, (squared) Euclidean, normalize, cdist and fused top-k.

Inputs are used in place, never copied: anything with the buffer protocol whose items are
float32 (format 'f'), float64 ('d') or int8 ('b') and that is C-contiguous — NumPy arrays
(1-D, or 2-D rows x dim), ``array('f'|'d'|'b')``, memoryviews (``memoryview(buf).cast('f',
(rows, dim))`` turns a flat buffer into a matrix). A 1-D buffer is one vector (one row).
Both arguments must have the same item type. Another item type, byte order or a
non-buffer raises TypeError; a non-contiguous buffer or mismatched dimensions ValueError.

Results are NumPy arrays when NumPy is installed; otherwise ``array.array`` for 1-D
results and a 2-D ``memoryview`` over an ``array.array`` for matrices (index with
``r[i, j]``, convert with ``r.tolist()``). float32 inputs give float32 matrices; float64
and int8 inputs give float64. The GIL is released during every call (both backends).
"""
from __future__ import annotations

import sys
import threading
from array import array
from typing import Any, Optional, Tuple

from . import _backend, _fuzzy
from ._backend import check, lib

try:
    import numpy as _np
except ImportError:  # NumPy is optional: results fall back to array.array
    _np = None

METRICS = {"dot": 0, "cosine": 1, "cosine_distance": 2, "sqeuclidean": 3, "euclidean": 4}
_EXCLUDE_SELF = 1  # HP_TOPK_EXCLUDE_SELF

# item format -> (suffix of the C functions, C element type, result element type code)
_TYPES = {"f": ("f32", "float", "f"), "d": ("f64", "double", "d"), "b": ("i8", "int8_t", "d")}
_NUMPY_TYPES = {"f": "float32", "d": "float64", "q": "int64"}
_NATIVE = ("@", "=", "<") if sys.byteorder == "little" else ("@", "=", ">", "!")


class _Matrix:
    """A validated input: the object itself (no copy), item format, rows, dim, ndim."""
    __slots__ = ("obj", "fmt", "rows", "dim", "ndim")

    def __init__(self, obj: Any, fmt: str, rows: int, dim: int, ndim: int):
        self.obj, self.fmt, self.rows, self.dim, self.ndim = obj, fmt, rows, dim, ndim


def _matrix(x: Any, name: str, writable: bool = False) -> _Matrix:
    # Kept lean: for one pair of vectors this validation is most of the call's cost.
    try:
        m = memoryview(x)
    except TypeError:
        raise TypeError(f"{name}: expected a buffer of float32, float64 or int8 numbers "
                        f"(NumPy array, array.array, memoryview), got {type(x).__name__}"
                        ) from None
    fmt = m.format
    if fmt not in _TYPES:
        fmt = fmt[1:] if fmt[:1] in _NATIVE else fmt
        if fmt not in _TYPES:
            raise TypeError(f"{name}: item format {m.format!r} is not float32 ('f'), "
                            "float64 ('d') or int8 ('b'); convert with "
                            "numpy.asarray(x, dtype=numpy.float32) or array('f', x)")
    if not m.c_contiguous:
        raise ValueError(f"{name}: buffer must be C-contiguous (numpy.ascontiguousarray "
                         "makes a contiguous copy)")
    if writable and m.readonly:
        raise TypeError(f"{name}: buffer is read-only")
    ndim = m.ndim
    if ndim == 1:
        return _Matrix(x, fmt, 1, m.shape[0], 1)
    if ndim == 2:
        shape = m.shape
        return _Matrix(x, fmt, shape[0], shape[1], 2)
    raise ValueError(f"{name}: expected 1 or 2 dimensions, got {ndim}")


def _same_type(a: _Matrix, b: _Matrix) -> None:
    if a.fmt != b.fmt:
        raise TypeError(f"item types differ: {a.fmt!r} and {b.fmt!r}; convert one of them")
    if a.dim != b.dim:
        raise ValueError(f"dimensions differ: {a.dim} and {b.dim}")


def _metric(metric: str) -> int:
    try:
        return METRICS[metric]
    except (KeyError, TypeError):
        raise ValueError(f"unknown metric {metric!r}; expected one of "
                         f"{', '.join(METRICS)}") from None


def _workers(workers: Optional[int]) -> int:
    if workers is None:
        return 0
    if not isinstance(workers, int) or workers < 0:
        raise ValueError(f"workers must be None or an int >= 0, got {workers!r}")
    return workers


def _empty(code: str, shape: Tuple[int, ...]) -> Any:
    """A new result: NumPy array, else array.array (1-D) or a 2-D memoryview over one."""
    if _np is not None:
        return _np.empty(shape, dtype=_NUMPY_TYPES[code])
    count = 1
    for s in shape:
        count *= s
    buf = array(code, bytes(count * array(code).itemsize))
    if len(shape) == 1:
        return buf
    return memoryview(buf).cast("B").cast(code, shape)


_SCORE = {t[0]: getattr(lib, "hp_vec_score_" + t[0]) for t in _TYPES.values()}
_tls = threading.local()


def _double_out() -> Any:
    """A `double *` out-parameter reused per thread (the GIL is released during calls, so
    threads must not share one)."""
    try:
        return _tls.out
    except AttributeError:
        _tls.out = _backend.new_out("double")
        return _tls.out


def _arg(m: _Matrix) -> Any:
    return _backend.typed_arg(m.obj, _TYPES[m.fmt][1]) if m.rows else _backend.NULL


_M_DOT, _M_COSINE = METRICS["dot"], METRICS["cosine"]
_M_SQEUCLIDEAN, _M_EUCLIDEAN = METRICS["sqeuclidean"], METRICS["euclidean"]

# ---------------------------------------------------------------- call helpers
# Buffer arguments exist only inside these helpers: they validate everything first,
# make the C call and return plain values; the public functions raise afterwards.


_typed_arg = _backend.typed_arg


def _pair_call(a: Any, b: Any, metric: int) -> Tuple[int, Any]:
    # Fast path for the common case, two contiguous non-empty vectors of the same native
    # type: for one pair the Python side costs more than the kernel, so checks are inline.
    try:
        va, vb = memoryview(a), memoryview(b)
    except TypeError:
        va = vb = None
    if va is not None and va.ndim == 1 and vb.ndim == 1 and va.format == vb.format and \
            va.format in _TYPES and va.c_contiguous and vb.c_contiguous and \
            0 < va.shape[0] == vb.shape[0]:
        suffix, ctype, _ = _TYPES[va.format]
        out = _double_out()
        status = _SCORE[suffix](out, _typed_arg(a, ctype), _typed_arg(b, ctype), va.shape[0],
                                metric)
        return status, float(_backend.out_value(out))
    return _pair_call_checked(a, b, metric)


def _pair_call_checked(a: Any, b: Any, metric: int) -> Tuple[int, Any]:
    ma, mb = _matrix(a, "a"), _matrix(b, "b")
    _same_type(ma, mb)
    suffix = _TYPES[ma.fmt][0]
    if ma.ndim != 1:
        raise ValueError("a must be one vector (1-D)")
    if mb.ndim == 1:
        out = _double_out()
        status = _SCORE[suffix](out, _arg(ma), _arg(mb), ma.dim, metric)
        return status, float(_backend.out_value(out))
    result = _empty(_TYPES[ma.fmt][2], (mb.rows,))
    fn = getattr(lib, "hp_vec_score_many_" + suffix)
    ctype = "float" if _TYPES[ma.fmt][2] == "f" else "double"
    out = _backend.writable_arg(result, ctype) if mb.rows else _backend.NULL
    status = fn(out, _arg(ma), _arg(mb), mb.rows, ma.dim, metric)
    return status, result


def _cdist_call(a: Any, b: Any, metric: int, out: Any, threads: int) -> Tuple[int, Any]:
    ma, mb = _matrix(a, "a"), _matrix(b, "b")
    _same_type(ma, mb)
    code = _TYPES[ma.fmt][2]
    if out is None:
        result = _empty(code, (ma.rows, mb.rows))
    else:
        mo = _matrix(out, "out", writable=True)
        if mo.fmt != code:
            raise TypeError(f"out: item format must be {code!r} for {ma.fmt!r} inputs, "
                            f"got {mo.fmt!r}")
        got = (mo.rows, mo.dim) if mo.ndim == 2 else (mo.dim,)
        if got != (ma.rows, mb.rows) and got != (ma.rows * mb.rows,):
            raise ValueError(f"out: expected shape ({ma.rows}, {mb.rows}), got {got}")
        result = out
    cells = ma.rows * mb.rows
    arg = _backend.writable_arg(result, "float" if code == "f" else "double") if cells \
        else _backend.NULL
    fn = getattr(lib, "hp_vec_cdist_" + _TYPES[ma.fmt][0])
    status = fn(arg, _arg(ma), ma.rows, _arg(mb), mb.rows, ma.dim, metric, threads)
    return status, result


def _topk_call(queries: Any, corpus: Any, k: int, metric: int, flags: int,
               threads: int) -> Tuple[int, Any, Any]:
    mq, mc = _matrix(queries, "queries"), _matrix(corpus, "corpus")
    _same_type(mq, mc)
    code = _TYPES[mq.fmt][2]
    shape = (k,) if mq.ndim == 1 else (mq.rows, k)
    indices, scores = _empty("q", shape), _empty(code, shape)
    cells = mq.rows * k
    iarg = _backend.writable_arg(indices, "int64_t") if cells else _backend.NULL
    sarg = _backend.writable_arg(scores, "float" if code == "f" else "double") if cells \
        else _backend.NULL
    fn = getattr(lib, "hp_vec_topk_" + _TYPES[mq.fmt][0])
    status = fn(iarg, sarg, _arg(mq), mq.rows, _arg(mc), mc.rows, mq.dim, k, metric, flags,
                threads)
    return status, indices, scores


def _normalize_call(x: Any) -> Tuple[int, Any]:
    mx = _matrix(x, "x", writable=True)
    if mx.fmt == "b":
        raise TypeError("x: normalize needs float32 or float64 items, not int8")
    ctype = _TYPES[mx.fmt][1]
    arg = _backend.writable_arg(x, ctype) if mx.rows * mx.dim else _backend.NULL
    return getattr(lib, "hp_vec_normalize_" + _TYPES[mx.fmt][0])(arg, mx.rows, mx.dim), x


# ---------------------------------------------------------------- public functions


def _pair(a: Any, b: Any, metric: int) -> Any:
    status, value = _pair_call(a, b, metric)
    check(status)
    return value


def _public(metric: int, fn: Any) -> Any:
    """The public form of a pair function: with the CPython fast path, a C callable
    (hotpath._fast.Scorer, see _fast.c) that scores ``f(a, b)`` for two plain 1-D vectors
    itself, without a Python frame (one pair is mostly call cost), and hands every other
    call to fn; without it, fn."""
    if _fuzzy.FAST is None:
        return fn
    obj = _fuzzy.FAST.vec_function(metric, fn)
    obj.__name__ = obj.__qualname__ = fn.__name__
    obj.__module__ = fn.__module__
    obj.__doc__ = fn.__doc__
    obj.__wrapped__ = fn  # inspect.signature follows it
    return obj


def dot(a: Any, b: Any) -> Any:
    """Dot product of vector a with vector b (a float), or with each row of the 2-D b (one
    value per row). f32 sums are blocked (float lanes of at most 64 products, then
    double): error <= 3.9e-6 * sum|a_i*b_i|; int8 is exact."""
    return _pair(a, b, _M_DOT)


def cosine(a: Any, b: Any) -> Any:
    """Cosine similarity dot/(|a||b|) in [-1, 1] — a similarity, not SciPy's cosine
    distance (that is ``cdist(..., metric="cosine_distance")`` or ``1 - cosine``). NaN
    when either vector is all zeros. b may be 2-D (one value per row)."""
    return _pair(a, b, _M_COSINE)


def sqeuclidean(a: Any, b: Any) -> Any:
    """Squared Euclidean distance sum((a-b)**2), computed from differences (no
    cancellation for near neighbours). b may be 2-D (one value per row)."""
    return _pair(a, b, _M_SQEUCLIDEAN)


def euclidean(a: Any, b: Any) -> Any:
    """Euclidean distance sqrt(sum((a-b)**2)). b may be 2-D (one value per row)."""
    return _pair(a, b, _M_EUCLIDEAN)


dot = _public(_M_DOT, dot)
cosine = _public(_M_COSINE, cosine)
sqeuclidean = _public(_M_SQEUCLIDEAN, sqeuclidean)
euclidean = _public(_M_EUCLIDEAN, euclidean)


def normalize(x: Any) -> Any:
    """Scale x (a vector, or each row of a 2-D matrix; float32 or float64, writable) to
    unit L2 norm in place and return it. All-zero rows stay zero."""
    status, value = _normalize_call(x)
    check(status)
    return value


def cdist(a: Any, b: Any, metric: str = "cosine", out: Any = None,
          workers: Optional[int] = None) -> Any:
    """All pairs: result[i, j] = metric(a[i], b[j]) for a (m x dim) and b (n x dim).

    metric: "dot", "cosine" (similarity), "cosine_distance", "sqeuclidean", "euclidean".
    out:    optional C-contiguous (m, n) buffer to write into (float32 for float32 inputs,
            float64 otherwise); returned.
    workers: threads (None or 0: all cores). The GIL is released.
    """
    m = _metric(metric)
    threads = _workers(workers)
    status, result = _cdist_call(a, b, m, out, threads)
    check(status)
    return result


def topk(queries: Any, corpus: Any, k: int, metric: str = "cosine", exclude_self: bool = False,
         workers: Optional[int] = None) -> Tuple[Any, Any]:
    """The k best corpus rows for each query, without the query x corpus matrix.

    Returns (indices, scores): int64 indices and metric values, shape (m, k) — (k,) for a
    1-D query — best first. "dot" and "cosine" rank by higher value, the distances by
    lower; ties go to the lower corpus index; NaN scores rank last. If fewer than k rows
    are available the tail holds index -1 and score NaN. exclude_self skips corpus row i
    for query i (neighbour search with queries = corpus). workers: threads (None or 0:
    all cores); both queries and corpus ranges are split between them.
    """
    m = _metric(metric)
    threads = _workers(workers)
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise ValueError(f"k must be an int >= 0, got {k!r}")
    flags = _EXCLUDE_SELF if exclude_self else 0
    status, indices, scores = _topk_call(queries, corpus, k, m, flags, threads)
    check(status)
    return indices, scores


__all__ = ["dot", "cosine", "sqeuclidean", "euclidean", "normalize", "cdist", "topk", "METRICS"]
