"""Numeric kernels over buffers of numbers.

Arrays: anything with the buffer protocol and the right item type is used in place
(NumPy float64 arrays, ``array('d')``, memoryviews with format 'd'); other iterables
of numbers are copied into an ``array('d')`` first (documented copy, never silent
reinterpretation). Every call releases the GIL.
"""
from __future__ import annotations

from array import array
from typing import Any, Union

Float64Array = Union[array, memoryview, Any]


from ._compute_vec import (METRICS, cdist, cosine, dot, euclidean, normalize,  # noqa: E402
                           sqeuclidean, topk)

__all__ = ["sum", "dot", "cosine", "sqeuclidean", "euclidean", "normalize", "cdist", "topk",
           "METRICS"]
from ._compute_stats import *  # noqa: E402,F401,F403 - sum, mean, var, sort, ... (statistics)
from ._compute_stats import __all__ as _stats_all  # noqa: E402

__all__ = __all__ + [name for name in _stats_all if name not in __all__]
