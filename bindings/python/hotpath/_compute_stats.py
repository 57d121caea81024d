"""Reductions, statistics, histograms, quantiles, cumulative sums and sorting.

Inputs are used in place, never copied: anything with the buffer protocol whose items
are float64 ('d'), float32 ('f'), int64 ('q', or 'l' when it is 8 bytes) or int32 ('i',
or 'l' when it is 4 bytes), native byte order, C-contiguous — NumPy arrays (any number of
dimensions, read as one flat array like NumPy's axis=None), ``array.array``,
memoryviews. Plain iterables of numbers (lists, generators) are copied into an
``array('d')`` first (a documented copy). Another item type raises TypeError; a
non-contiguous buffer raises ValueError.

NaN policy, as NumPy: NaN propagates through sum/mean/var/std/quantile/median, and
min/max/argmin/argmax return the first NaN (its index); the ``nan*`` functions leave NaNs
out like numpy.nansum etc. Arrays returned are NumPy arrays when NumPy is installed,
else ``array.array``. ``workers`` (None or 0: all cores) sets the threads of the parallel
kernels; results do not depend on it. The GIL is released during every call.
"""
from __future__ import annotations

import math
import sys
import warnings
from array import array
from typing import Any, Optional, Sequence, Tuple, Union

from . import _backend
from ._backend import check, lib

try:
    import numpy as _np
except ImportError:  # NumPy is optional: results fall back to array.array
    _np = None

# hp_stats_type values and flags (compute.h)
_F64, _F32, _I32, _I64 = 0, 1, 2, 3
_SKIPNAN, _EXACT = 1, 2
# type -> (C element type, array.array code, NumPy dtype name, float type?)
_CTYPE = {_F64: "double", _F32: "float", _I32: "int32_t", _I64: "int64_t"}
_CODE = {_F64: "d", _F32: "f", _I32: "i", _I64: "q"}
_NUMPY = {"d": "float64", "f": "float32", "i": "int32", "q": "int64"}
_OUT_CTYPE = {"d": "double", "f": "float", "i": "int32_t", "q": "int64_t"}
_NATIVE = ("@", "=", "<") if sys.byteorder == "little" else ("@", "=", ">", "!")


def _type_of(fmt: str, itemsize: int) -> Optional[int]:
    if fmt[:1] in _NATIVE:
        fmt = fmt[1:]
    if fmt == "d":
        return _F64
    if fmt == "f":
        return _F32
    if fmt in ("q", "l") and itemsize == 8:
        return _I64
    if fmt in ("i", "l") and itemsize == 4:
        return _I32
    return None


class _In:
    """A validated input: the buffer object (no copy), its type, element count, and the
    item format for reading single elements back."""
    __slots__ = ("obj", "t", "n", "fmt")

    def __init__(self, obj: Any, t: int, n: int, fmt: str):
        self.obj, self.t, self.n, self.fmt = obj, t, n, fmt

    def arg(self) -> Any:
        return _backend.typed_arg(self.obj, _CTYPE[self.t]) if self.n else _backend.NULL

    def item(self, i: int) -> Any:
        with memoryview(self.obj) as m, m.cast("B") as b, b.cast(_CODE[self.t]) as flat:
            return flat[i]


def _input(x: Any, name: str = "x") -> _In:
    try:
        m = memoryview(x)
    except TypeError:
        if isinstance(x, (str, bytes)):
            raise TypeError(f"{name}: expected numbers, not {type(x).__name__}") from None
        try:
            x = array("d", x)  # documented copy of a plain iterable
        except TypeError:
            raise TypeError(f"{name}: expected a buffer or an iterable of numbers, got "
                            f"{type(x).__name__}") from None
        m = memoryview(x)
    with m:
        t = _type_of(m.format, m.itemsize)
        if t is None:
            raise TypeError(f"{name}: item format {m.format!r} is not float64 ('d'), float32 "
                            "('f'), int64 ('q') or int32 ('i'); convert with "
                            "numpy.asarray(x, dtype=...) or array('d', x)")
        if not m.c_contiguous:
            raise ValueError(f"{name}: buffer must be C-contiguous (numpy.ascontiguousarray "
                             "makes a contiguous copy)")
        return _In(x, t, m.nbytes // m.itemsize if m.itemsize else 0, m.format)


def _workers(workers: Optional[int]) -> int:
    if workers is None:
        return 0
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 0:
        raise ValueError(f"workers must be None or an int >= 0, got {workers!r}")
    return workers


def _new(code: str, n: int) -> Any:
    if _np is not None:
        return _np.empty(n, dtype=_NUMPY[code])
    return array(code, bytes(n * array(code).itemsize))


def _out(out: Any, code: str, n: int) -> Any:
    """out itself after checking it is a writable contiguous buffer of n items of code."""
    if out is None:
        return _new(code, n)
    try:
        m = memoryview(out)
    except TypeError:
        raise TypeError(f"out: expected a writable buffer, got {type(out).__name__}") from None
    with m:
        t = _type_of(m.format, m.itemsize)
        if t is None or _CODE[t] != code:
            raise TypeError(f"out: item type must be {_NUMPY[code]} (format {code!r}), got "
                            f"format {m.format!r}")
        if not m.c_contiguous:
            raise ValueError("out: buffer must be C-contiguous")
        if m.readonly:
            raise TypeError("out: buffer is read-only")
        if m.nbytes // m.itemsize != n:
            raise ValueError(f"out: expected {n} elements, got {m.nbytes // m.itemsize}")
    return out


# ---------------------------------------------------------------- call helpers
# Buffer arguments exist only inside these helpers: they validate everything first,
# make the C call and return plain values; the public functions raise afterwards.


def _double_call(fn: str, x: Any, flags: int, threads: int, *extra: Any) -> Tuple[int, float]:
    a = _input(x)
    out = _backend.new_out("double")
    status = getattr(lib, fn)(out, a.arg(), a.n, a.t, *extra, flags, threads)
    return status, float(_backend.out_value(out))


def _sum_call(x: Any, flags: int, threads: int) -> Tuple[int, Union[int, float]]:
    a = _input(x)
    if a.t in (_I64, _I32):
        out = _backend.new_out("int64_t")
        status = lib.hp_stats_sum_i64(out, a.arg(), a.n, a.t, threads)
        return status, int(_backend.out_value(out))
    out = _backend.new_out("double")
    status = lib.hp_stats_sum(out, a.arg(), a.n, a.t, flags, threads)
    return status, float(_backend.out_value(out))


def _arg_call(x: Any, flags: int, threads: int) -> Tuple[int, int, int, Any, Any]:
    a = _input(x)
    lo, hi = _backend.new_out("int64_t"), _backend.new_out("int64_t")
    status = lib.hp_stats_argminmax(lo, hi, a.arg(), a.n, a.t, flags, threads)
    i, j = int(_backend.out_value(lo)), int(_backend.out_value(hi))
    if status or i < 0:
        return status, i, j, None, None
    return status, i, j, a.item(i), a.item(j)


def _histogram_call(x: Any, bins: int, lo: float, hi: float,
                    threads: int) -> Tuple[int, Any, Any]:
    a = _input(x)
    counts, edges = _new("q", bins), _new("d", bins + 1)
    status = lib.hp_stats_histogram(_backend.writable_arg(counts, "int64_t"),
                                    _backend.writable_arg(edges, "double"), bins, lo, hi,
                                    a.arg(), a.n, a.t, threads)
    return status, counts, edges


def _histogram_edges_call(x: Any, edges: array, threads: int) -> Tuple[int, Any, Any]:
    a = _input(x)
    counts, result = _new("q", len(edges) - 1), _new("d", len(edges))
    for i, v in enumerate(edges):
        result[i] = v
    status = lib.hp_stats_histogram_edges(_backend.writable_arg(counts, "int64_t"),
                                          _backend.typed_arg(edges, "double"), len(edges),
                                          a.arg(), a.n, a.t, threads)
    return status, counts, result


def _quantile_call(x: Any, qs: array, flags: int) -> Tuple[int, Any]:
    a = _input(x)
    out = _new("d", len(qs))
    oarg = _backend.writable_arg(out, "double") if len(qs) else _backend.NULL
    qarg = _backend.typed_arg(qs, "double") if len(qs) else _backend.NULL
    status = lib.hp_stats_quantile(oarg, qarg, len(qs), a.arg(), a.n, a.t, flags)
    return status, out


def _median_call(x: Any, flags: int) -> Tuple[int, float]:
    a = _input(x)
    out = _backend.new_out("double")
    status = lib.hp_stats_median(out, a.arg(), a.n, a.t, flags)
    return status, float(_backend.out_value(out))


def _cumsum_call(x: Any, out: Any) -> Tuple[int, Any]:
    a = _input(x)
    code = "q" if a.t == _I32 else _CODE[a.t]
    result = _out(out, code, a.n)
    oarg = _backend.writable_arg(result, _OUT_CTYPE[code]) if a.n else _backend.NULL
    return lib.hp_stats_cumsum(oarg, a.arg(), a.n, a.t), result


def _sort_call(x: Any, out: Any, threads: int) -> Tuple[int, Any]:
    a = _input(x)
    result = _out(out, _CODE[a.t], a.n)
    oarg = _backend.writable_arg(result, _CTYPE[a.t]) if a.n else _backend.NULL
    return lib.hp_stats_sort(oarg, a.arg(), a.n, a.t, threads), result


def _argsort_call(x: Any, threads: int) -> Tuple[int, Any]:
    a = _input(x)
    result = _new("q", a.n)
    oarg = _backend.writable_arg(result, "int64_t") if a.n else _backend.NULL
    return lib.hp_stats_argsort(oarg, a.arg(), a.n, a.t, threads), result


# ---------------------------------------------------------------- public functions


def sum(x: Any, exact: bool = False, workers: Optional[int] = None) -> Union[int, float]:  # noqa: A001
    """Sum of x: a float for float64/float32 input, an exact int for integer input.

    Floats: compensated (Sum2 in blocks), |result - exact| <= eps*|exact| +
    2*((n+15)*eps)**2*sum(|x|), eps = 2**-53 — it agrees with ``math.fsum`` except in
    ill-conditioned cases; ``exact=True`` returns the correctly rounded sum, equal to
    ``math.fsum`` (which raises ValueError for inf + -inf where this returns nan).
    float32 values are summed in double. NaN/inf follow IEEE arithmetic. Integers: exact;
    OverflowError if the sum leaves int64 (NumPy would wrap). OverflowError
    (hotpath.SizeOverflowError) if finite floats overflow the sum.
    """
    status, value = _sum_call(x, _EXACT if exact else 0, _workers(workers))
    check(status)
    return value


def nansum(x: Any, exact: bool = False, workers: Optional[int] = None) -> Union[int, float]:
    """``sum`` with NaNs treated as absent (numpy.nansum); 0.0 if every value is NaN."""
    status, value = _sum_call(x, _SKIPNAN | (_EXACT if exact else 0), _workers(workers))
    check(status)
    return value


def _stat(fn: str, x: Any, flags: int, workers: Optional[int], *extra: Any) -> float:
    status, value = _double_call(fn, x, flags, _workers(workers), *extra)
    check(status)
    return value


def mean(x: Any, workers: Optional[int] = None) -> float:
    """Arithmetic mean (accurate sum / n), as a float; nan for an empty array (NumPy
    warns and returns nan)."""
    return _stat("hp_stats_mean", x, 0, workers)


def nanmean(x: Any, workers: Optional[int] = None) -> float:
    """Mean of the non-NaN values (numpy.nanmean); nan if there are none."""
    return _stat("hp_stats_mean", x, _SKIPNAN, workers)


def _ddof(ddof: Any) -> float:
    if isinstance(ddof, bool) or not isinstance(ddof, (int, float)) or not ddof >= 0:
        raise ValueError(f"ddof must be a number >= 0, got {ddof!r}")
    return float(ddof)


def var(x: Any, ddof: float = 0, workers: Optional[int] = None) -> float:
    """Variance sum((x - mean)**2) / (n - ddof), as numpy.var (two-pass, corrected):
    |error| <= (n+16)*2**-52*var + ((n+16)*2**-52)**2*sum(x**2)/(n-ddof). n - ddof <= 0
    divides by zero as NumPy does (inf, or nan for zero spread)."""
    return _stat("hp_stats_var", x, 0, workers, _ddof(ddof))


def std(x: Any, ddof: float = 0, workers: Optional[int] = None) -> float:
    """Standard deviation, sqrt(var(x, ddof)), as numpy.std."""
    return _stat("hp_stats_std", x, 0, workers, _ddof(ddof))


def nanvar(x: Any, ddof: float = 0, workers: Optional[int] = None) -> float:
    """Variance of the non-NaN values (numpy.nanvar)."""
    return _stat("hp_stats_var", x, _SKIPNAN, workers, _ddof(ddof))


def nanstd(x: Any, ddof: float = 0, workers: Optional[int] = None) -> float:
    """Standard deviation of the non-NaN values (numpy.nanstd)."""
    return _stat("hp_stats_std", x, _SKIPNAN, workers, _ddof(ddof))


def _args(x: Any, flags: int, workers: Optional[int]) -> Tuple[int, int, Any, Any]:
    status, i, j, vmin, vmax = _arg_call(x, flags, _workers(workers))
    check(status)
    return i, j, vmin, vmax


def _all_nan_error() -> ValueError:
    return ValueError("All-NaN slice encountered")


def _all_nan_warning() -> None:
    warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=3)


def argmin(x: Any, workers: Optional[int] = None) -> int:
    """Index of the first smallest value; of the first NaN if there is one (numpy.argmin).
    ValueError for an empty array."""
    return _args(x, 0, workers)[0]


def argmax(x: Any, workers: Optional[int] = None) -> int:
    """Index of the first largest value; of the first NaN if there is one."""
    return _args(x, 0, workers)[1]


def min(x: Any, workers: Optional[int] = None) -> Union[int, float]:  # noqa: A001
    """Smallest value (nan if any value is NaN, as numpy.min). ValueError if empty."""
    return _args(x, 0, workers)[2]


def max(x: Any, workers: Optional[int] = None) -> Union[int, float]:  # noqa: A001
    """Largest value (nan if any value is NaN, as numpy.max). ValueError if empty."""
    return _args(x, 0, workers)[3]


def minmax(x: Any, workers: Optional[int] = None) -> Tuple[Any, Any]:
    """(min, max) in one pass over the data."""
    _, _, vmin, vmax = _args(x, 0, workers)
    return vmin, vmax


def nanargmin(x: Any, workers: Optional[int] = None) -> int:
    """Index of the first smallest non-NaN value; ValueError if all are NaN (as NumPy)."""
    i = _args(x, _SKIPNAN, workers)[0]
    if i < 0:
        raise _all_nan_error()
    return i


def nanargmax(x: Any, workers: Optional[int] = None) -> int:
    """Index of the first largest non-NaN value; ValueError if all are NaN (as NumPy)."""
    j = _args(x, _SKIPNAN, workers)[1]
    if j < 0:
        raise _all_nan_error()
    return j


def nanmin(x: Any, workers: Optional[int] = None) -> Union[int, float]:
    """Smallest non-NaN value; nan with a RuntimeWarning if all are NaN (as NumPy)."""
    i, _, vmin, _ = _args(x, _SKIPNAN, workers)
    if i < 0:
        _all_nan_warning()
        return math.nan
    return vmin


def nanmax(x: Any, workers: Optional[int] = None) -> Union[int, float]:
    """Largest non-NaN value; nan with a RuntimeWarning if all are NaN (as NumPy)."""
    i, _, _, vmax = _args(x, _SKIPNAN, workers)
    if i < 0:
        _all_nan_warning()
        return math.nan
    return vmax


def histogram(x: Any, bins: Union[int, Sequence[float], Any] = 10,
              range: Optional[Tuple[float, float]] = None,  # noqa: A002 - NumPy's name
              workers: Optional[int] = None) -> Tuple[Any, Any]:
    """(counts, edges) exactly as numpy.histogram(x, bins, range): int64 counts, float64
    edges. bins: a count (equal-width bins over range, default the data's min..max) or
    the edges themselves (non-decreasing). Bin i holds edges[i] <= v < edges[i+1], the
    last bin also v == edges[-1]; values outside and NaNs are not counted; a NaN in the
    data with no range raises ValueError, as NumPy. float32 and integer values are binned
    as their float64 values (NumPy uses float32 edges for float32 data)."""
    threads = _workers(workers)
    if not (isinstance(bins, int) and not isinstance(bins, bool)):
        edges = array("d", (float(v) for v in bins))
        if len(edges) < 2:
            raise ValueError("`bins` must have at least 2 edges, when an array")
        status, counts, result = _histogram_edges_call(x, edges, threads)
        check(status)
        return counts, result
    if bins < 1:
        raise ValueError("`bins` must be positive, when an integer")
    if range is not None:
        if len(range) != 2:
            raise ValueError("range must be a pair (min, max)")
        lo, hi = float(range[0]), float(range[1])
    elif _input(x).n == 0:
        lo, hi = 0.0, 1.0
    else:
        _, _, vmin, vmax = _args(x, 0, workers)
        lo, hi = float(vmin), float(vmax)
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError(f"autodetected range of [{lo}, {hi}] is not finite")
    status, counts, edges = _histogram_call(x, bins, lo, hi, threads)
    check(status)
    return counts, edges


def _quantiles(q: Any) -> Tuple[array, bool]:
    """(q as array('d'), whether q was a scalar)."""
    if isinstance(q, (int, float)) and not isinstance(q, bool):
        return array("d", [float(q)]), True
    if _np is not None and isinstance(q, _np.ndarray) and q.ndim == 0:
        return array("d", [float(q)]), True
    return array("d", (float(v) for v in q)), False


def _quantile(x: Any, q: Any, flags: int) -> Any:
    qs, scalar = _quantiles(q)
    for v in qs:
        if not 0.0 <= v <= 1.0:
            raise ValueError("Quantiles must be in the range [0, 1]")
    status, out = _quantile_call(x, qs, flags)
    check(status)
    return float(out[0]) if scalar else out


def quantile(x: Any, q: Any) -> Any:
    """The q-th quantile(s) by NumPy's default 'linear' method (numpy.quantile): q a
    number in [0, 1] gives a float, a sequence gives an array. Selection, not a full sort
    (one 8-byte scratch copy of x). nan if x holds a NaN. ValueError if x is empty."""
    return _quantile(x, q, 0)


def nanquantile(x: Any, q: Any) -> Any:
    """Quantiles of the non-NaN values (numpy.nanquantile); nan if there are none."""
    return _quantile(x, q, _SKIPNAN)


def median(x: Any) -> float:
    """The median as numpy.median (mean of the two middle values for even n), by
    selection; nan if x holds a NaN or is empty."""
    status, value = _median_call(x, 0)
    check(status)
    return value


def nanmedian(x: Any) -> float:
    """Median of the non-NaN values (numpy.nanmedian); nan if there are none."""
    status, value = _median_call(x, _SKIPNAN)
    check(status)
    return value


def cumsum(x: Any, out: Any = None) -> Any:
    """Running sums, bit for bit numpy.cumsum: float64 -> float64, float32 -> float32 (a
    plain float32 running sum, as NumPy), int64/int32 -> int64 (OverflowError where NumPy
    would wrap). out: optional writable buffer of n items of that type (may be x for
    float64/float32/int64), returned."""
    status, result = _cumsum_call(x, out)
    check(status)
    return result


def sort(x: Any, out: Any = None, workers: Optional[int] = None) -> Any:
    """x sorted ascending (stable radix sort), bit for bit numpy.sort(x, kind='stable'):
    NaNs last, -0.0 equal to 0.0 (input order kept). out: optional writable buffer of the
    same type and length (may be x itself: sorts in place), returned."""
    status, result = _sort_call(x, out, _workers(workers))
    check(status)
    return result


def argsort(x: Any, workers: Optional[int] = None) -> Any:
    """int64 indices that sort x stably, equal to numpy.argsort(x, kind='stable')."""
    status, result = _argsort_call(x, _workers(workers))
    check(status)
    return result


__all__ = ["sum", "nansum", "mean", "nanmean", "var", "std", "nanvar", "nanstd", "min", "max",
           "argmin", "argmax", "minmax", "nanmin", "nanmax", "nanargmin", "nanargmax",
           "histogram", "quantile", "nanquantile", "median", "nanmedian", "cumsum", "sort",
           "argsort"]
