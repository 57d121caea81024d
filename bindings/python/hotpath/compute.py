"""Numeric kernels over buffers of numbers.

Arrays: anything with the buffer protocol and the right item type is used in place
(NumPy float64 arrays, ``array('d')``, memoryviews with format 'd'); other iterables
of numbers are copied into an ``array('d')`` first (documented copy, never silent
reinterpretation). Every call releases the GIL.
"""
from __future__ import annotations

from array import array
from typing import Any, Iterable, Union

from . import _backend
from ._backend import check, lib

Float64Array = Union[array, memoryview, Any]


def _f64_buffer(x: Any) -> tuple:
    """(argument for const double *, element count) of x, without copying buffers of
    doubles; raises TypeError for a buffer of another type."""
    try:
        m = memoryview(x)
    except TypeError:
        if isinstance(x, (str, bytes)):
            raise TypeError("expected numbers, not text") from None
        m = memoryview(array("d", x))  # documented copy of a plain iterable
    if m.format not in ("d", "<d", "=d", "@d"):
        raise TypeError(f"expected a buffer of float64 (format 'd'), got format {m.format!r}; "
                        "convert with array('d', x) or numpy.asarray(x, dtype=float)")
    if not m.c_contiguous:
        raise ValueError("buffer must be C-contiguous")
    n = m.nbytes // 8
    return _backend.typed_arg(m, "double") if n else _backend.NULL, n


def sum(x: Union[Float64Array, Iterable[float]]) -> float:  # noqa: A001 - mirrors math.fsum
    """Accurate sum of float64 values (compensated; agrees with ``math.fsum`` to within
    eps*|sum| + 2*(n*eps)**2*sum(|x|)). NaN/inf follow IEEE arithmetic; raises
    OverflowError (hotpath.SizeOverflowError) if finite inputs overflow the sum."""
    arg, n = _f64_buffer(x)
    out = _backend.new_out("double")
    check(lib.hp_sum_f64(out, arg, n))
    return float(_backend.out_value(out))


__all__ = ["sum"]
