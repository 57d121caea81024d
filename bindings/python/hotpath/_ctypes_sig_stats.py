"""ctypes signatures of the compute module's reductions, statistics, histogram and sort
functions (merged into hotpath._ctypes_sig.SIGNATURES; checked by tests/python/test_abi.py)."""
from __future__ import annotations

from ctypes import POINTER, c_double, c_int, c_int64, c_size_t, c_uint, c_uint32, c_void_p

from ._ctypes_sig import status

stats_type = c_int  # hp_stats_type, an enum

SIGNATURES: dict = {
    # (double *out, const void *x, size_t n, hp_stats_type, uint32_t flags, unsigned threads)
    "hp_stats_sum": (status, [POINTER(c_double), c_void_p, c_size_t, stats_type, c_uint32,
                              c_uint]),
    "hp_stats_sum_i64": (status, [POINTER(c_int64), c_void_p, c_size_t, stats_type, c_uint]),
    "hp_stats_mean": (status, [POINTER(c_double), c_void_p, c_size_t, stats_type, c_uint32,
                               c_uint]),
    # (double *out, const void *x, size_t n, hp_stats_type, double ddof, flags, threads)
    "hp_stats_var": (status, [POINTER(c_double), c_void_p, c_size_t, stats_type, c_double,
                              c_uint32, c_uint]),
    "hp_stats_std": (status, [POINTER(c_double), c_void_p, c_size_t, stats_type, c_double,
                              c_uint32, c_uint]),
    "hp_stats_argminmax": (status, [POINTER(c_int64), POINTER(c_int64), c_void_p, c_size_t,
                                    stats_type, c_uint32, c_uint]),
    # (int64_t *counts, double *edges, size_t bins, double lo, double hi, x, n, type, threads)
    "hp_stats_histogram": (status, [c_void_p, c_void_p, c_size_t, c_double, c_double, c_void_p,
                                    c_size_t, stats_type, c_uint]),
    "hp_stats_histogram_edges": (status, [c_void_p, c_void_p, c_size_t, c_void_p, c_size_t,
                                          stats_type, c_uint]),
    # (double *out, const double *q, size_t nq, x, n, type, flags)
    "hp_stats_quantile": (status, [c_void_p, c_void_p, c_size_t, c_void_p, c_size_t, stats_type,
                                   c_uint32]),
    "hp_stats_median": (status, [POINTER(c_double), c_void_p, c_size_t, stats_type, c_uint32]),
    "hp_stats_cumsum": (status, [c_void_p, c_void_p, c_size_t, stats_type]),
    "hp_stats_sort": (status, [c_void_p, c_void_p, c_size_t, stats_type, c_uint]),
    "hp_stats_argsort": (status, [c_void_p, c_void_p, c_size_t, stats_type, c_uint]),
}
