"""Numeric kernels over buffers of numbers.

Arrays: anything with the buffer protocol and the right item type is used in place
(NumPy float64 arrays, ``array('d')``, memoryviews with format 'd'); other iterables
of numbers are copied into an ``array('d')`` first (documented copy, never silent
reinterpretation). Every call releases the GIL.
"""
from __future__ import annotations

from array import array
from typing import Any, Iterable, Tuple, Union

from . import _backend
from ._backend import check, lib

Float64Array = Union[array, memoryview, Any]


def _f64_source(x: Any) -> Tuple[Any, int]:
    """(buffer object of float64, element count) for x: x itself when it is a C-contiguous
    buffer of doubles (no copy), an ``array('d')`` copy of a plain iterable; TypeError for
    a buffer of another type, ValueError for a non-contiguous one."""
    try:
        m = memoryview(x)
    except TypeError:
        if isinstance(x, str):
            raise TypeError("expected numbers, not text") from None
        x = array("d", x)  # documented copy of a plain iterable
        m = memoryview(x)
    with m:
        if m.format not in ("d", "<d", "=d", "@d"):
            raise TypeError(f"expected a buffer of float64 (format 'd'), got format "
                            f"{m.format!r}; convert with array('d', x) or "
                            "numpy.asarray(x, dtype=float)")
        if not m.c_contiguous:
            raise ValueError("buffer must be C-contiguous")
        return x, m.nbytes // 8


def _sum_call(x: Any) -> Tuple[int, float]:
    source, n = _f64_source(x)
    arg = _backend.typed_arg(source, "double") if n else _backend.NULL
    out = _backend.new_out("double")
    return lib.hp_sum_f64(out, arg, n), float(_backend.out_value(out))


def sum(x: Union[Float64Array, Iterable[float]]) -> float:  # noqa: A001 - mirrors math.fsum
    """Accurate sum of float64 values (compensated; agrees with ``math.fsum`` to within
    eps*|sum| + 2*((n+15)*eps)**2*sum(|x|)). NaN/inf follow IEEE arithmetic; raises
    OverflowError (hotpath.SizeOverflowError) if finite inputs overflow the sum."""
    status, value = _sum_call(x)  # the buffer lives only in _sum_call's frame
    check(status)
    return value


from ._compute_vec import (METRICS, cdist, cosine, dot, euclidean, normalize,  # noqa: E402
                           sqeuclidean, topk)

__all__ = ["sum", "dot", "cosine", "sqeuclidean", "euclidean", "normalize", "cdist", "topk",
           "METRICS"]
