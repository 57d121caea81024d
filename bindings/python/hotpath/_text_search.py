"""Substring and byte-set search (re-exported by hotpath.text).

find, rfind, count, find_all, startswith, endswith, find_any, rfind_any.

bytes-like haystacks (bytes, bytearray, memoryview, any C-contiguous buffer) are
searched as raw bytes and give byte offsets. str haystacks take str needles and give
code-point offsets, so ``s[i:i + len(needle)]`` is the match: the text is encoded to
UTF-8 and searched there (a UTF-8 needle can only match at character boundaries of
UTF-8 text), and byte offsets are turned into code-point offsets afterwards -- for free
when the str is ASCII, otherwise with hp_utf8_offset_to_index, or in Python if the
loaded library predates that function. A str holding lone surrogates cannot be encoded
and raises UnicodeEncodeError, as everywhere in hotpath.text.

Implementation rule (see _backend): buffer arguments are created only inside the small
``_*_call`` helpers, after every other argument is validated; the helpers return plain
values and the public functions raise afterwards.
"""
from __future__ import annotations

import functools
import operator
from array import array
from typing import Any, Optional, Tuple, Union

from . import _backend
from ._backend import bytes_arg, check, lib

Text = Union[str, bytes, bytearray, memoryview]

_NOT_CONTIGUOUS = object()  # status of a call helper that met a non-contiguous buffer

_hp_find = lib.hp_find
_hp_rfind = lib.hp_rfind
_hp_count = lib.hp_count
_hp_find_byteset = lib.hp_find_byteset
_hp_rfind_byteset = lib.hp_rfind_byteset
_hp_starts_with = lib.hp_starts_with
_hp_ends_with = lib.hp_ends_with

# Out-parameters, made and read with C-level callables: the bytes fast paths below cost
# little more than the C call itself.
if _backend.BACKEND == "cffi":
    _ffi = _backend.ffi
    _new_i64 = functools.partial(_ffi.new, "int64_t *")
    _new_u64 = functools.partial(_ffi.new, "uint64_t *")
    _new_size = functools.partial(_ffi.new, "size_t *")
    _value = operator.itemgetter(0)

    def _new_array_out() -> Any:
        return _ffi.new("int64_t **")

    def _take_array(pp: Any, count: int) -> array:
        """A copy of a library-allocated int64 array as array('q'); the C array is freed."""
        p = pp[0]
        result = array("q")
        try:
            if count:
                result.frombytes(_ffi.buffer(p, 8 * count))
        finally:
            lib.hp_free(p)
        return result

    _HAVE_OFFSET_TO_INDEX = hasattr(lib, "hp_utf8_offset_to_index")
else:
    import ctypes

    from . import _ctypes_sig

    _new_i64 = ctypes.c_int64
    _new_u64 = ctypes.c_uint64
    _new_size = ctypes.c_size_t
    _value = operator.attrgetter("value")

    def _new_array_out() -> Any:
        return ctypes.c_void_p()

    def _take_array(pp: Any, count: int) -> array:
        result = array("q")
        try:
            if count:
                result.frombytes((ctypes.c_char * (8 * count)).from_address(pp.value))
        finally:
            lib.hp_free(pp)
        return result

    _HAVE_OFFSET_TO_INDEX = "hp_utf8_offset_to_index" in _ctypes_sig.SIGNATURES


# ------------------------------------------------------------------ argument handling

def _pair(haystack: Any, needle: Any, what: str = "needle") -> Tuple[bool, Any]:
    """(is_str, needle as bytes or a buffer) after checking that the types agree:
    str with str, bytes-like with bytes-like (or, as bytes.find allows, an int byte)."""
    if isinstance(haystack, str):
        if not isinstance(needle, str):
            raise TypeError(f"{what} must be str for a str haystack, not {type(needle).__name__}")
        return True, needle.encode("utf-8")
    if isinstance(needle, str):
        raise TypeError(f"{what} must be bytes-like for a bytes-like haystack, not str")
    if isinstance(needle, int):
        if not 0 <= needle < 256:
            raise ValueError("byte must be in range(0, 256)")
        return False, bytes((needle,))
    return False, needle


def _bound(value: Any, what: str) -> Optional[int]:
    if value is None:
        return None
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{what} must be an int or None, not {type(value).__name__}") from None


def _adjust(start: Optional[int], end: Optional[int], n: int) -> Tuple[int, int]:
    """Python's slice rules for str.find's start/end (CPython ADJUST_INDICES): negative
    values count from the end, end is clipped to n, start is not clipped above."""
    s = 0 if start is None else start
    e = n if end is None else end
    if e > n:
        e = n
    elif e < 0:
        e = max(e + n, 0)
    if s < 0:
        s = max(s + n, 0)
    return s, e


def _not_contiguous(obj: Any) -> ValueError:
    return ValueError(f"{type(obj).__name__} buffer must be C-contiguous")


# ------------------------------------------------------------------ C calls

def _search_call(fn: Any, hay: Any, needle: Any, start: Optional[int],
                 end: Optional[int]) -> Tuple[Any, int]:
    """(status, offset) of fn(out, hay[start:end], needle) with Python's slice rules;
    the offset is relative to hay[0], -1 if not found."""
    if start is None and end is None:
        harg, hn = bytes_arg(hay)
        narg, nn = bytes_arg(needle)
        out = _new_i64()
        return fn(out, harg, hn, narg, nn), _value(out)
    view = memoryview(hay)
    if not view.c_contiguous:
        return _NOT_CONTIGUOUS, -1
    if view.format != "B" or view.ndim != 1:
        view = view.cast("B")
    narg, nn = bytes_arg(needle)
    s, e = _adjust(start, end, view.nbytes)
    if e - s < nn:
        return 0, -1
    harg, hn = bytes_arg(view[s:e])
    out = _new_i64()
    status = fn(out, harg, hn, narg, nn)
    pos = _value(out)
    return status, pos + s if pos >= 0 else -1


def _count_call(hay: Any, needle: Any, overlapping: int) -> Tuple[int, int]:
    harg, hn = bytes_arg(hay)
    narg, nn = bytes_arg(needle)
    out = _new_u64()
    return _hp_count(out, harg, hn, narg, nn, overlapping), _value(out)


def _find_all_call(hay: Any, needle: Any, overlapping: int) -> Tuple[int, array]:
    harg, hn = bytes_arg(hay)
    narg, nn = bytes_arg(needle)
    pp = _new_array_out()
    count = _new_size()
    status = lib.hp_find_all_alloc(pp, count, harg, hn, narg, nn, overlapping)
    return status, _take_array(pp, _value(count) if status == 0 else 0)


def _affix_call(fn: Any, hay: Any, affix: Any) -> bool:
    harg, hn = bytes_arg(hay)
    aarg, an = bytes_arg(affix)
    return bool(fn(harg, hn, aarg, an))


def _to_index_call(offsets: array, data: bytes) -> int:
    arg = _backend.writable_arg(offsets, "int64_t")
    darg, dn = bytes_arg(data)
    return lib.hp_utf8_offset_to_index(arg, len(offsets), darg, dn)


# ------------------------------------------------------------------ byte -> code point

def _to_index_in_place(offsets: array, data: bytes) -> None:
    """Turn ascending byte offsets into data (valid UTF-8) into code-point offsets."""
    if not offsets:
        return
    if _HAVE_OFFSET_TO_INDEX:
        check(_to_index_call(offsets, data))
        return
    # Fallback for a library without hp_utf8_offset_to_index: decode the gaps between
    # consecutive offsets, so the whole conversion stays linear.
    prev_byte = prev_index = 0
    for k, off in enumerate(offsets):
        prev_index += len(data[prev_byte:off].decode("utf-8"))
        prev_byte = off
        offsets[k] = prev_index


def _to_index(data: bytes, off: int) -> int:
    if off <= 0:
        return off
    a = array("q", (off,))
    _to_index_in_place(a, data)
    return a[0]


# ------------------------------------------------------------------ find / rfind

def _find(fn: Any, haystack: Text, needle: Any, start: Any, end: Any) -> int:
    is_str, nb = _pair(haystack, needle)
    start, end = _bound(start, "start"), _bound(end, "end")
    if start == 0 and end is None:
        start = None
    if not is_str:
        status, pos = _search_call(fn, haystack, nb, start, end)
        if status is _NOT_CONTIGUOUS:
            raise _not_contiguous(haystack)
        check(status)
        return pos
    if haystack.isascii():
        status, pos = _search_call(fn, haystack.encode("ascii"), nb, start, end)
        check(status)
        return pos
    # Non-ASCII str: start/end are code-point indices, so slice the str itself.
    base = 0
    if start is not None or end is not None:
        base, e = _adjust(start, end, len(haystack))
        if e - base < len(needle):
            return -1
        haystack = haystack[base:e]
    data = haystack.encode("utf-8")
    status, pos = _search_call(fn, data, nb, None, None)
    check(status)
    return -1 if pos < 0 else base + _to_index(data, pos)


def find(haystack: Text, needle: Any, start: Optional[int] = None,
         end: Optional[int] = None) -> int:
    """Lowest offset of needle in haystack[start:end], or -1: ``haystack.find(needle,
    start, end)``. str: code-point offsets; bytes-like: byte offsets (an int needle is
    one byte, as in bytes.find). The empty needle is found at start (if start <= len)."""
    if type(haystack) is bytes and type(needle) is bytes and start is None and end is None:
        out = _new_i64()
        status = _hp_find(out, haystack, len(haystack), needle, len(needle))
        if not status:
            return _value(out)
        check(status)
    return _find(_hp_find, haystack, needle, start, end)


def rfind(haystack: Text, needle: Any, start: Optional[int] = None,
          end: Optional[int] = None) -> int:
    """Highest offset of needle in haystack[start:end], or -1: ``haystack.rfind(...)``."""
    if type(haystack) is bytes and type(needle) is bytes and start is None and end is None:
        out = _new_i64()
        status = _hp_rfind(out, haystack, len(haystack), needle, len(needle))
        if not status:
            return _value(out)
        check(status)
    return _find(_hp_rfind, haystack, needle, start, end)


# ------------------------------------------------------------------ count / find_all

def count(haystack: Text, needle: Any, overlapping: bool = False) -> int:
    """Number of occurrences of needle: non-overlapping, left to right, as
    ``haystack.count(needle)``; with overlapping=True, every position where it starts.
    The empty needle occurs len(haystack) + 1 times (in code points for str)."""
    ov = 1 if overlapping else 0
    if type(haystack) is bytes and type(needle) is bytes:
        out = _new_u64()
        status = _hp_count(out, haystack, len(haystack), needle, len(needle), ov)
        if not status:
            return _value(out)
        check(status)
    is_str, nb = _pair(haystack, needle)
    if is_str:
        if not needle:
            return len(haystack) + 1
        haystack = haystack.encode("utf-8")
    status, n = _count_call(haystack, nb, ov)
    check(status)
    return n


def find_all(haystack: Text, needle: Any, overlapping: bool = False) -> array:
    """Offsets of all occurrences, ascending, as an ``array('q')``: the starts of
    ``re.finditer(re.escape(needle), haystack)`` (non-overlapping), or of every match
    of a lookahead ``(?=needle)`` with overlapping=True. The empty needle is found at
    every offset 0..len(haystack)."""
    is_str, nb = _pair(haystack, needle)
    ov = 1 if overlapping else 0
    if is_str:
        if not needle:
            return array("q", range(len(haystack) + 1))
        data = haystack.encode("utf-8")
    else:
        data = haystack
    status, result = _find_all_call(data, nb, ov)
    check(status)
    if is_str and not haystack.isascii():
        _to_index_in_place(result, data)
    return result


# ------------------------------------------------------------------ starts/ends with

def _affix(fn: Any, haystack: Text, affix: Any, what: str) -> bool:
    if isinstance(affix, tuple):
        return any(_affix(fn, haystack, a, what) for a in affix)
    if isinstance(affix, int):
        raise TypeError(f"{what} must be str, bytes-like or a tuple, not int")
    is_str, ab = _pair(haystack, affix, what)
    if is_str:
        haystack = haystack.encode("utf-8")
    return _affix_call(fn, haystack, ab)


def startswith(haystack: Text, prefix: Any) -> bool:
    """True if haystack begins with prefix (or with any prefix of a tuple), as
    ``haystack.startswith(prefix)``."""
    if type(haystack) is bytes and type(prefix) is bytes:
        return _hp_starts_with(haystack, len(haystack), prefix, len(prefix)) != 0
    return _affix(_hp_starts_with, haystack, prefix, "prefix")


def endswith(haystack: Text, suffix: Any) -> bool:
    """True if haystack ends with suffix (or with any suffix of a tuple)."""
    if type(haystack) is bytes and type(suffix) is bytes:
        return _hp_ends_with(haystack, len(haystack), suffix, len(suffix)) != 0
    return _affix(_hp_ends_with, haystack, suffix, "suffix")


# ------------------------------------------------------------------ find_any / rfind_any

def _find_any(haystack: Text, chars: Any, last: bool) -> int:
    byteset_fn = _hp_rfind_byteset if last else _hp_find_byteset
    if not isinstance(haystack, str):
        if isinstance(chars, str):
            raise TypeError("chars must be bytes-like for a bytes-like haystack, not str")
        status, pos = _search_call(byteset_fn, haystack, chars, None, None)
        check(status)
        return pos
    if not isinstance(chars, str):
        raise TypeError(f"chars must be str for a str haystack, not {type(chars).__name__}")
    data = haystack.encode("utf-8")
    ascii_chars = "".join(c for c in chars if c < "\x80") if not chars.isascii() else chars
    best = -1
    if ascii_chars:
        status, best = _search_call(byteset_fn, data, ascii_chars.encode("ascii"), None, None)
        check(status)
    # A non-ASCII character is a sequence of 2-4 bytes, not a byte: look for each one
    # with find/rfind, only in the part of the text that could still improve on the
    # best position so far (before it for find_any, after it for rfind_any).
    fn = _hp_rfind if last else _hp_find
    for c in set(chars) - set(ascii_chars):
        if best < 0:
            lo = hi = None
        elif last:
            lo, hi = best + 1, None
        else:
            lo, hi = None, best
        status, pos = _search_call(fn, data, c.encode("utf-8"), lo, hi)
        check(status)
        if pos >= 0:
            best = pos
    if best < 0 or haystack.isascii():
        return best
    return _to_index(data, best)


def find_any(haystack: Text, chars: Any) -> int:
    """Offset of the first element of haystack that is in chars, or -1: for bytes-like
    haystacks any byte of chars (bytes-like); for str any character of chars (str).
    ASCII character sets run as one SIMD byte-set scan; each non-ASCII character in the
    set adds a substring search of its UTF-8 form over the text before the best match
    found so far."""
    if type(haystack) is bytes and type(chars) is bytes:
        out = _new_i64()
        status = _hp_find_byteset(out, haystack, len(haystack), chars, len(chars))
        if not status:
            return _value(out)
        check(status)
    return _find_any(haystack, chars, False)


def rfind_any(haystack: Text, chars: Any) -> int:
    """Offset of the last element of haystack that is in chars, or -1 (see find_any)."""
    if type(haystack) is bytes and type(chars) is bytes:
        out = _new_i64()
        status = _hp_rfind_byteset(out, haystack, len(haystack), chars, len(chars))
        if not status:
            return _value(out)
        check(status)
    return _find_any(haystack, chars, True)


__all__ = ["find", "rfind", "count", "find_all", "startswith", "endswith", "find_any",
           "rfind_any"]
