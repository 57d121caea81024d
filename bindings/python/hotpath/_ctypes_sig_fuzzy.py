"""ctypes signatures of hotpath/fuzzy.h (merged into hotpath._ctypes_sig.SIGNATURES and
checked against the headers by tests/python/test_abi.py)."""
from __future__ import annotations

import ctypes
from ctypes import (POINTER, c_double, c_int, c_int32, c_size_t, c_uint, c_uint32, c_uint64,
                    c_void_p)

from ._ctypes_sig import Strings, status


class Scorer(ctypes.Structure):
    """Mirror of hp_scorer."""
    _fields_ = [("kind", c_int32), ("id", c_int32), ("measure", c_int32), ("pad", c_int32),
                ("weights", c_uint64 * 3), ("prefix_weight", c_double)]


class Editop(ctypes.Structure):
    """Mirror of hp_editop."""
    _fields_ = [("tag", c_uint32), ("reserved", c_uint32), ("src_pos", c_uint64),
                ("dest_pos", c_uint64)]


class Alignment(ctypes.Structure):
    """Mirror of hp_alignment."""
    _fields_ = [("score", c_double), ("src_start", c_uint64), ("src_end", c_uint64),
                ("dest_start", c_uint64), ("dest_end", c_uint64)]


class Match(ctypes.Structure):
    """Mirror of hp_match."""
    _fields_ = [("score", c_double), ("index", c_uint64)]


class Pair(ctypes.Structure):
    """Mirror of hp_pair."""
    _fields_ = [("i", c_uint64), ("j", c_uint64), ("score", c_double)]


progress_fn = ctypes.CFUNCTYPE(c_int, c_uint64, c_uint64, c_void_p)
pairs_fn = ctypes.CFUNCTYPE(c_int, POINTER(Pair), c_size_t, c_void_p)

SIGNATURES = {
    "hp_scorer_init": (status, [POINTER(Scorer), c_int, c_int, c_int]),
    "hp_scorer_range": (status, [POINTER(c_double), POINTER(c_double), POINTER(Scorer), c_size_t,
                                 c_size_t]),
    "hp_fuzzy_score": (status, [POINTER(c_double), POINTER(Scorer), c_void_p, c_size_t, c_int,
                                c_void_p, c_size_t, c_int, c_double]),
    "hp_fuzzy_editops": (status, [POINTER(c_void_p), POINTER(c_size_t), c_int, c_void_p,
                                  c_size_t, c_int, c_void_p, c_size_t, c_int]),
    "hp_fuzz_partial_ratio_alignment": (status, [POINTER(Alignment), c_void_p, c_size_t, c_int,
                                                 c_void_p, c_size_t, c_int, c_double]),
    "hp_fuzzy_query_new": (status, [POINTER(c_void_p), POINTER(Scorer), c_void_p, c_size_t,
                                    c_int]),
    "hp_fuzzy_query_score": (status, [c_void_p, POINTER(c_double), c_void_p, c_size_t, c_int,
                                      c_double]),
    "hp_fuzzy_query_free": (None, [c_void_p]),
    "hp_fuzzy_extract": (status, [c_void_p, c_size_t, POINTER(c_size_t), c_void_p,
                                  POINTER(Strings), c_int, c_void_p, c_double, c_size_t, c_uint,
                                  progress_fn, c_void_p]),
    "hp_fuzzy_choices_new": (status, [POINTER(c_void_p), POINTER(Strings), c_int, c_uint]),
    "hp_fuzzy_choices_count": (status, [c_void_p, POINTER(c_size_t)]),
    "hp_fuzzy_choices_free": (None, [c_void_p]),
    "hp_fuzzy_extract_prepared": (status, [c_void_p, c_size_t, POINTER(c_size_t), c_void_p,
                                           c_void_p, c_void_p, c_double, c_size_t, c_uint,
                                           progress_fn, c_void_p]),
    "hp_fuzzy_cdist": (status, [c_void_p, c_int, c_size_t, POINTER(Scorer), POINTER(Strings),
                                c_int, POINTER(Strings), c_int, c_double, c_uint, progress_fn,
                                c_void_p]),
    "hp_fuzzy_cpdist": (status, [c_void_p, c_int, POINTER(Scorer), POINTER(Strings), c_int,
                                 POINTER(Strings), c_int, c_double, c_uint, progress_fn,
                                 c_void_p]),
    "hp_fuzzy_pairs": (status, [POINTER(Scorer), POINTER(Strings), c_int, c_double, c_uint,
                                pairs_fn, progress_fn, c_void_p]),
}
