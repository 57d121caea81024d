"""ctypes signatures of the compute module's vector and top-k functions (merged into
hotpath._ctypes_sig.SIGNATURES; checked against the headers by tests/python/test_abi.py)."""
from __future__ import annotations

from ctypes import POINTER, c_double, c_int, c_size_t, c_uint, c_uint32, c_void_p

from ._ctypes_sig import status

metric = c_int  # hp_vec_metric, an enum

SIGNATURES: dict = {}
for _t in ("f32", "f64", "i8"):
    SIGNATURES.update({
        # (double *out, const T *a, const T *b, size_t dim, hp_vec_metric)
        f"hp_vec_score_{_t}": (status, [POINTER(c_double), c_void_p, c_void_p, c_size_t, metric]),
        # (out *, const T *query, const T *rows, size_t n, size_t dim, hp_vec_metric)
        f"hp_vec_score_many_{_t}": (status, [c_void_p, c_void_p, c_void_p, c_size_t, c_size_t,
                                             metric]),
        # (out *, const T *a, size_t m, const T *b, size_t n, size_t dim, hp_vec_metric, threads)
        f"hp_vec_cdist_{_t}": (status, [c_void_p, c_void_p, c_size_t, c_void_p, c_size_t,
                                        c_size_t, metric, c_uint]),
        # (int64_t *indices, scores *, const T *queries, size_t m, const T *corpus, size_t n,
        #  size_t dim, size_t k, hp_vec_metric, uint32_t flags, unsigned threads)
        f"hp_vec_topk_{_t}": (status, [c_void_p, c_void_p, c_void_p, c_size_t, c_void_p,
                                       c_size_t, c_size_t, c_size_t, metric, c_uint32, c_uint]),
    })
for _t in ("f32", "f64"):
    SIGNATURES[f"hp_vec_normalize_{_t}"] = (status, [c_void_p, c_size_t, c_size_t])
