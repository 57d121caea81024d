"""ctypes signatures of every public C function.

Written by hand in C terms, and checked against the cffi declarations preprocessed
from the headers (``_cdef.h``) by tests/python/test_abi.py: a function missing here,
or an argument of the wrong type, fails that test rather than crashing at run time.
"""
from __future__ import annotations

import ctypes
from ctypes import (POINTER, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint32, c_uint64,
                    c_uint, c_void_p)


class Strings(ctypes.Structure):
    """Mirror of the plain-data struct hp_strings (versioned on purpose in core.h)."""
    _fields_ = [("data", c_void_p), ("offsets", POINTER(c_int64)), ("count", c_size_t)]


class U128(ctypes.Structure):
    """Mirror of hp_u128, returned by value from hp_hash128."""
    _fields_ = [("low", c_uint64), ("high", c_uint64)]


status = c_int  # hp_status, an enum
simd = c_int    # hp_simd, an enum
handle = c_void_p  # opaque handles (hp_hasher64 *)
malloc_fn = ctypes.CFUNCTYPE(c_void_p, c_size_t, c_void_p)
realloc_fn = ctypes.CFUNCTYPE(c_void_p, c_void_p, c_size_t, c_void_p)
free_fn = ctypes.CFUNCTYPE(None, c_void_p, c_void_p)

# name: (restype, argtypes). Pointers to input data are c_char_p (accepts bytes without
# a copy) or c_void_p (addresses from buffers). The strings the library returns so far
# are static or thread-local (names, messages): c_char_p converts them to bytes and
# nothing is lost. A function returning memory the caller must free would use c_void_p
# instead, so the pointer survives to be passed to its free function.
SIGNATURES = {
    # core
    "hp_version": (c_uint32, []),
    "hp_version_string": (c_char_p, []),
    "hp_status_name": (c_char_p, [c_int]),
    "hp_strerror": (c_char_p, [c_int]),
    "hp_last_error_message": (c_char_p, []),
    "hp_last_error_status": (status, []),
    "hp_clear_error": (None, []),
    "hp_set_allocator": (status, [malloc_fn, realloc_fn, free_fn, c_void_p]),
    "hp_free": (None, [c_void_p]),
    "hp_live_allocations": (c_size_t, []),
    "hp_strings_check": (status, [POINTER(Strings)]),
    "hp_strings_free": (None, [POINTER(Strings)]),
    "hp_cpu_features": (c_uint32, []),
    "hp_simd_detected": (simd, []),
    "hp_simd_level": (simd, []),
    "hp_simd_name": (c_char_p, [c_int]),
    "hp_simd_set_level": (status, [c_int]),
    "hp_default_threads": (c_uint, []),
    # text
    "hp_utf8_validate": (status, [c_char_p, c_size_t, POINTER(c_size_t)]),
    "hp_utf8_to_utf32_bound": (c_size_t, [c_size_t]),
    "hp_utf8_to_utf32": (status, [c_void_p, c_size_t, POINTER(c_size_t), c_char_p, c_size_t]),
    "hp_hash64": (c_uint64, [c_char_p, c_size_t, c_uint64]),
    "hp_hasher64_new": (status, [POINTER(handle), c_uint64]),
    "hp_hasher64_update": (status, [handle, c_char_p, c_size_t]),
    "hp_hasher64_digest": (status, [handle, POINTER(c_uint64)]),
    "hp_hasher64_reset": (status, [handle, c_uint64]),
    "hp_hasher64_free": (None, [handle]),
    "hp_hash64_batch": (status, [c_void_p, c_size_t, POINTER(Strings), c_uint64, c_uint]),
    "hp_split": (status, [POINTER(POINTER(Strings)), c_char_p, c_size_t, c_char_p, c_size_t,
                          c_int64]),
    "hp_ascii_prefix": (c_size_t, [c_char_p, c_size_t]),
    "hp_utf8_count": (status, [POINTER(c_size_t), c_char_p, c_size_t]),
    "hp_utf8_offset_to_index": (status, [c_void_p, c_size_t, c_char_p, c_size_t]),
    "hp_utf32_to_utf8_bound": (c_size_t, [c_size_t]),
    "hp_utf32_to_utf8": (status, [c_void_p, c_size_t, POINTER(c_size_t), c_void_p, c_size_t]),
    "hp_utf8_casefold": (status, [c_void_p, c_size_t, POINTER(c_size_t), c_char_p, c_size_t]),
    "hp_utf8_lower": (status, [c_void_p, c_size_t, POINTER(c_size_t), c_char_p, c_size_t]),
    "hp_utf8_upper": (status, [c_void_p, c_size_t, POINTER(c_size_t), c_char_p, c_size_t]),
    "hp_utf8_default_process": (status, [c_void_p, c_size_t, POINTER(c_size_t), c_char_p,
                                         c_size_t]),
    "hp_utf8_case_bound": (c_size_t, [c_size_t]),
    "hp_ucs_casefold": (status, [c_void_p, c_size_t, c_size_t, POINTER(c_size_t),
                                 POINTER(c_uint32), c_void_p, c_size_t, c_size_t]),
    "hp_ucs_lower": (status, [c_void_p, c_size_t, c_size_t, POINTER(c_size_t),
                              POINTER(c_uint32), c_void_p, c_size_t, c_size_t]),
    "hp_ucs_upper": (status, [c_void_p, c_size_t, c_size_t, POINTER(c_size_t),
                              POINTER(c_uint32), c_void_p, c_size_t, c_size_t]),
    "hp_unicode_version": (c_char_p, []),
    "hp_find": (status, [POINTER(c_int64), c_char_p, c_size_t, c_char_p, c_size_t]),
    "hp_rfind": (status, [POINTER(c_int64), c_char_p, c_size_t, c_char_p, c_size_t]),
    "hp_count": (status, [POINTER(c_uint64), c_char_p, c_size_t, c_char_p, c_size_t, c_int]),
    "hp_find_all": (status, [c_void_p, c_size_t, POINTER(c_size_t), c_char_p, c_size_t, c_char_p,
                             c_size_t, c_int]),
    "hp_find_all_bound": (c_size_t, [c_size_t, c_size_t]),
    "hp_find_all_alloc": (status, [POINTER(c_void_p), POINTER(c_size_t), c_char_p,
                                   c_size_t, c_char_p, c_size_t, c_int]),
    "hp_starts_with": (c_int, [c_char_p, c_size_t, c_char_p, c_size_t]),
    "hp_ends_with": (c_int, [c_char_p, c_size_t, c_char_p, c_size_t]),
    "hp_find_byteset": (status, [POINTER(c_int64), c_char_p, c_size_t, c_char_p, c_size_t]),
    "hp_rfind_byteset": (status, [POINTER(c_int64), c_char_p, c_size_t, c_char_p, c_size_t]),
    "hp_split_bound": (c_size_t, [c_size_t]),
    "hp_split_spans": (status, [c_void_p, c_size_t, POINTER(c_size_t), POINTER(c_size_t),
                                c_char_p, c_size_t, c_int, c_char_p, c_size_t, c_int64]),
    "hp_split_batch": (status, [POINTER(POINTER(Strings)), c_char_p, c_size_t, c_int, c_char_p,
                                c_size_t, c_int64]),
    "hp_replace_bound": (c_size_t, [c_size_t, c_size_t, c_size_t]),
    "hp_replace": (status, [c_void_p, c_size_t, POINTER(c_size_t), c_char_p, c_size_t, c_char_p,
                            c_size_t, c_char_p, c_size_t, c_int64]),
    "hp_replace_alloc": (status, [POINTER(c_void_p), POINTER(c_size_t), c_char_p, c_size_t,
                                  c_char_p, c_size_t, c_char_p, c_size_t, c_int64]),
    "hp_join": (status, [c_void_p, c_size_t, POINTER(c_size_t), POINTER(Strings), c_char_p,
                         c_size_t]),
    "hp_ngram_spans": (status, [c_void_p, c_size_t, POINTER(c_size_t), c_char_p, c_size_t, c_int,
                                c_size_t]),
    "hp_ngram_hashes": (status, [c_void_p, c_size_t, POINTER(c_size_t), c_char_p, c_size_t,
                                 c_int, c_size_t, c_uint64]),
    "hp_hash128": (U128, [c_char_p, c_size_t, c_uint64]),
    # compute
    "hp_sum_f64": (status, [POINTER(c_double), c_void_p, c_size_t]),
}

# Per-module tables live beside this one (they import the shared types above).
from ._ctypes_sig_compute import SIGNATURES as _COMPUTE  # noqa: E402
from ._ctypes_sig_fuzzy import SIGNATURES as _FUZZY  # noqa: E402
from ._ctypes_sig_stats import SIGNATURES as _STATS  # noqa: E402

SIGNATURES.update(_COMPUTE)
SIGNATURES.update(_FUZZY)
SIGNATURES.update(_STATS)


def bind(dll: ctypes.CDLL) -> ctypes.CDLL:
    """Set restype/argtypes of every function in SIGNATURES on a loaded library."""
    for name, (restype, argtypes) in SIGNATURES.items():
        fn = getattr(dll, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return dll
