"""Binding layer of hotpath/fuzzy.h: sequence conversion, scorer structs, calls.

Sequences reach C as (bytes, length, encoding):
- str: ASCII text as its bytes (HP_ENC_BYTES, one element per character); other text as
  UTF-32 code units (HP_ENC_U32, ``encode('utf-32-le', 'surrogatepass')``), so lone
  surrogates compare like any other code point, as in RapidFuzz;
- bytes, bytearray: their bytes (HP_ENC_BYTES);
- any other sequence of hashables (list, tuple, array, ...): one uint32 per element
  (HP_ENC_U32). One-character strings map to their code point and ints in
  [0, 0x110000) to themselves, so ``["a", "b"]`` equals ``"ab"`` and ``[97]`` equals
  ``"a"`` as in RapidFuzz; every other element gets an id from a table shared by all
  sequences of one call, so equal elements (by ``==`` and ``hash``) get equal ids.

Implementation rule (see _backend): buffer arguments are created only inside the small
``_*_call`` helpers; they return plain values and the callers raise afterwards.
"""
from __future__ import annotations

import functools
import os
import struct
from array import array
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from . import _backend
from ._backend import check, lib

ENC_UTF8, ENC_BYTES, ENC_U32, ENC_U16 = 0, 1, 2, 3
KIND_METRIC, KIND_FUZZ = 0, 1
DISTANCE, SIMILARITY, NORMALIZED_DISTANCE, NORMALIZED_SIMILARITY = 0, 1, 2, 3

(LEVENSHTEIN, INDEL, LCSSEQ, HAMMING, JARO, JARO_WINKLER, OSA, DAMERAU_LEVENSHTEIN, PREFIX,
 POSTFIX) = range(10)
(RATIO, PARTIAL_RATIO, TOKEN_SORT_RATIO, TOKEN_SET_RATIO, TOKEN_RATIO, PARTIAL_TOKEN_SORT_RATIO,
 PARTIAL_TOKEN_SET_RATIO, PARTIAL_TOKEN_RATIO, WRATIO, QRATIO) = range(10)

NAN = float("nan")
_FIRST_ID = 0x110000

Seq = Tuple[bytes, int, int]  # (data, element count, encoding)


def _u32_of(seq: Iterable[Any], ids: Dict[Any, int]) -> Seq:
    out = array("I")
    append = out.append
    for x in seq:
        t = type(x)
        if t is str and len(x) == 1:
            append(ord(x))
        elif t is int and 0 <= x < _FIRST_ID:
            append(x)
        else:
            v = ids.get(x)
            if v is None:
                v = ids[x] = _FIRST_ID + len(ids)
                if v > 0xFFFFFFFF:
                    raise OverflowError("too many distinct elements (more than 2**32 - 0x110000)")
            append(v)
    return out.tobytes(), len(out), ENC_U32


def conv(s: Any, ids: Optional[Dict[Any, int]] = None) -> Seq:
    """(data, length, encoding) of one sequence. ids: the element-id table shared by the
    sequences of one call (only needed for sequences of arbitrary hashables)."""
    t = type(s)
    if t is str:
        if s.isascii():
            return s.encode("ascii"), len(s), ENC_BYTES
        return s.encode("utf-32-le", "surrogatepass"), len(s), ENC_U32
    if t is bytes:
        return s, len(s), ENC_BYTES
    if t is bytearray:
        return bytes(s), len(s), ENC_BYTES
    if isinstance(s, str):
        return conv(str(s), ids)
    if isinstance(s, (bytes, bytearray)):
        return bytes(s), len(s), ENC_BYTES
    try:
        len(s)
    except TypeError:
        raise TypeError(f"object of type '{type(s).__name__}' has no len()") from None
    return _u32_of(s, {} if ids is None else ids)


def needs_ids(s: Any) -> bool:
    return not isinstance(s, (str, bytes, bytearray))


# ------------------------------------------------------------------ scorer structs

if _backend.BACKEND == "cffi":
    _ffi = _backend.ffi

    def _new_scorer() -> Any:
        return _ffi.new("hp_scorer *")

    _new_double = functools.partial(_ffi.new, "double *")

    def _dval(p: Any) -> float:
        return p[0]

    def _set_weights(sc: Any, w: Sequence[int]) -> None:
        sc.weights[0], sc.weights[1], sc.weights[2] = w

    _NULL = _ffi.NULL
else:
    import ctypes

    from ._ctypes_sig_fuzzy import Alignment, Editop
    from ._ctypes_sig_fuzzy import Scorer as _CScorer

    def _new_scorer() -> Any:
        return ctypes.pointer(_CScorer())

    def _new_double() -> Any:
        return ctypes.c_double()

    def _dval(p: Any) -> float:
        return p.value

    def _set_weights(sc: Any, w: Sequence[int]) -> None:
        sc.contents.weights[0], sc.contents.weights[1], sc.contents.weights[2] = w

    _NULL = None


def _struct(sc: Any) -> Any:
    return sc if _backend.BACKEND == "cffi" else sc.contents


class Scorer(NamedTuple):
    """An hp_scorer twice: `c` for the cffi/ctypes calls, `raw` (the struct's bytes) for
    the CPython fast path."""
    c: Any
    raw: bytes


_SCORER_LAYOUT = struct.Struct("=iiiiQQQd")  # hp_scorer, checked against the C size below
_SCORERS: Dict[tuple, Scorer] = {}


def scorer(kind: int, id_: int, measure: int = 0, *, pad: bool = True,
           weights: Tuple[int, int, int] = (1, 1, 1), prefix_weight: float = 0.1) -> Scorer:
    """A cached Scorer for these settings (validated by hp_scorer_init)."""
    key = (kind, id_, measure, pad, weights, prefix_weight)
    sc = _SCORERS.get(key)
    if sc is None:
        c = _new_scorer()
        check(lib.hp_scorer_init(c, kind, id_, measure))
        st = _struct(c)
        st.pad = 1 if pad else 0
        _set_weights(c, weights)
        st.prefix_weight = prefix_weight
        raw = _SCORER_LAYOUT.pack(st.kind, st.id, st.measure, st.pad, *weights, prefix_weight)
        if len(_SCORERS) > 4096:
            _SCORERS.clear()
        sc = _SCORERS[key] = Scorer(c, raw)
    return sc


def scorer_range(sc: Scorer, alen: int, blen: int) -> Tuple[float, float]:
    worst, best = _new_double(), _new_double()
    check(lib.hp_scorer_range(worst, best, sc.c, alen, blen))
    return _dval(worst), _dval(best)


# ------------------------------------------------------------------ single pairs

_score = lib.hp_fuzzy_score


def _load_fast() -> Any:
    """hotpath._fast.fuzzy_score, unless HOTPATH_FAST=0 or the module is missing (then
    every call takes the cffi/ctypes path below, with the same results)."""
    if os.environ.get("HOTPATH_FAST", "1") == "0":
        return None
    try:
        from . import _fast  # type: ignore[attr-defined]
    except ImportError:
        return None
    if _fast.SCORER_SIZE != _SCORER_LAYOUT.size or _fast.ABI // 1_000_000 != _backend.ABI_MAJOR:
        return None
    _fast.set_error_hook(_raise_status)
    return _fast


def _raise_status(status: int) -> None:
    raise _backend.error(status)


FAST = _load_fast()
fast_score = FAST.fuzzy_score if FAST is not None else None


def public(fn: Any, sc: Scorer, name: str, module: str, **attrs: Any) -> Any:
    """The public form of a scorer function: with the fast path, a C callable that scores
    plain ``f(s1, s2)`` calls itself and hands every other call to fn (see _fast.c);
    without it, fn. Either way it carries fn's name, docstring and the given attributes."""
    obj = FAST.scorer(sc.raw, fn) if FAST is not None else fn
    obj.__name__ = obj.__qualname__ = name
    obj.__module__ = module
    if obj is not fn:
        obj.__doc__ = fn.__doc__
        obj.__wrapped__ = fn  # inspect.signature follows it
    for k, v in attrs.items():
        setattr(obj, k, v)
    return obj


def score(sc: Scorer, s1: Any, s2: Any, cutoff: float = NAN) -> float:
    """hp_fuzzy_score of two Python sequences (no processor, no None handling)."""
    if fast_score is not None:
        r = fast_score(sc.raw, s1, s2, cutoff)
        if r is not NotImplemented:
            return float(r)
    return _score_bound(sc.c, s1, s2, cutoff)


def _score_bound(sc: Any, s1: Any, s2: Any, cutoff: float) -> float:
    """The same through cffi/ctypes."""
    if type(s1) is str and type(s2) is str:  # the common case, kept short
        if s1.isascii():
            a, la, ea = s1.encode(), len(s1), ENC_BYTES
        else:
            a, la, ea = s1.encode("utf-32-le", "surrogatepass"), len(s1), ENC_U32
        if s2.isascii():
            b, lb, eb = s2.encode(), len(s2), ENC_BYTES
        else:
            b, lb, eb = s2.encode("utf-32-le", "surrogatepass"), len(s2), ENC_U32
    else:
        ids: Optional[dict] = {} if needs_ids(s1) or needs_ids(s2) else None
        a, la, ea = conv(s1, ids)
        b, lb, eb = conv(s2, ids)
    out = _new_double()
    st = _score(out, sc, a, la, ea, b, lb, eb, cutoff)
    if st:
        raise _backend.error(st)
    return _dval(out)


def _editops_call(metric: int, a: Seq, b: Seq) -> Tuple[int, List[Tuple[int, int, int]]]:
    if _backend.BACKEND == "cffi":
        pp = _ffi.new("hp_editop **")
        n = _ffi.new("size_t *")
        st = lib.hp_fuzzy_editops(pp, n, metric, a[0], a[1], a[2], b[0], b[1], b[2])
        if st:
            return st, []
        p, count = pp[0], n[0]
        try:
            return 0, [(p[i].tag, p[i].src_pos, p[i].dest_pos) for i in range(count)]
        finally:
            lib.hp_free(p)
    pp = ctypes.c_void_p()
    n = ctypes.c_size_t()
    st = lib.hp_fuzzy_editops(ctypes.byref(pp), ctypes.byref(n), metric, a[0], a[1], a[2], b[0],
                              b[1], b[2])
    if st:
        return st, []
    try:
        ops = ctypes.cast(pp, ctypes.POINTER(Editop))
        return 0, [(ops[i].tag, ops[i].src_pos, ops[i].dest_pos) for i in range(n.value)]
    finally:
        lib.hp_free(pp)


def editops(metric: int, s1: Any, s2: Any) -> Tuple[List[Tuple[int, int, int]], int, int]:
    """(list of (tag, src_pos, dest_pos), len1, len2); tags are hp_edit_tag values."""
    ids: Optional[dict] = {} if needs_ids(s1) or needs_ids(s2) else None
    a = conv(s1, ids)
    b = conv(s2, ids)
    st, ops = _editops_call(metric, a, b)
    check(st)
    return ops, a[1], b[1]


def partial_ratio_alignment(s1: Any, s2: Any, cutoff: float) -> Tuple[float, int, int, int, int]:
    ids: Optional[dict] = {} if needs_ids(s1) or needs_ids(s2) else None
    a, la, ea = conv(s1, ids)
    b, lb, eb = conv(s2, ids)
    if _backend.BACKEND == "cffi":
        out = _ffi.new("hp_alignment *")
        check(lib.hp_fuzz_partial_ratio_alignment(out, a, la, ea, b, lb, eb, cutoff))
        r = out
    else:
        out = Alignment()
        check(lib.hp_fuzz_partial_ratio_alignment(ctypes.byref(out), a, la, ea, b, lb, eb, cutoff))
        r = out
    return r.score, r.src_start, r.src_end, r.dest_start, r.dest_end
