"""Split, tokenize, replace, join and n-grams (re-exported by hotpath.text).

Semantics are Python's: ``split(data)`` is ``bytes.split()`` for bytes-like data (ASCII
whitespace) and ``str.split()`` for str (Unicode whitespace); ``split(data, sep)`` is
``split(sep)``; ``splitlines`` breaks at ``\\n``, ``\\r\\n`` and ``\\r`` as
``bytes.splitlines()`` (for str too: the other line boundaries of ``str.splitlines()``,
such as ``\\v``, ``\\x1c`` or ``\\u2028``, are not breaks here); ``words`` is
``re.findall(r"\\w+", text)``; ``replace`` is ``bytes.replace`` / ``str.replace``.

str in, str out; any other buffer (bytes, bytearray, memoryview, array, NumPy) in, bytes
out. Offsets (``split_spans``, ``ngram_spans``) index the input as given: code points
for str (so ``s[i:j]`` works), bytes for buffers.

Implementation rule (see _backend): buffer arguments are created only inside the small
``_*_call`` helpers, after every other argument is validated, and the helpers return
plain values; exceptions are raised by the public functions, whose frames hold no buffer.
"""
from __future__ import annotations

import ctypes
import operator
from array import array
from itertools import accumulate
from typing import Any, Iterable, Iterator, List, Optional, Tuple, Union

from . import _backend
from ._backend import bytes_arg, check, lib
from ._args import check_u64 as _check_u64
from ._args import encode as _encode

Text = Union[str, bytes, bytearray, memoryview]

_SIZE_MAX = (1 << (8 * ctypes.sizeof(ctypes.c_size_t))) - 1
_I64_MAX = (1 << 63) - 1
_EBUFSIZE = -3

# hp_split_mode
_SEP, _ANY_BYTE, _WHITESPACE, _UNICODE_SPACE, _LINES, _WORDS = range(6)
_MODE_NAMES = {"sep": _SEP, "any": _ANY_BYTE, "whitespace": _WHITESPACE, "lines": _LINES,
               "words": _WORDS}
# hp_ngram_unit
_UNITS = {"bytes": 0, "chars": 1, "words": 2}

_CHUNK = 4096  # spans per call in iter_split


# ------------------------------------------------------------------ helpers

if _backend.BACKEND == "cffi":
    _ffi = _backend.ffi

    def _size_inout(value: int) -> Any:
        return _ffi.new("size_t *", value)
else:
    def _size_inout(value: int) -> Any:
        return ctypes.c_size_t(value)


def _maxsplit(value: Any) -> int:
    """maxsplit as Python reads it (__index__), clamped to int64: negative = no limit."""
    value = operator.index(value)
    if value < 0:
        return -1
    return min(value, _I64_MAX)


def _same_kind(data: Any, other: Any, what: str) -> bool:
    """True if data is str; TypeError unless `other` is the same kind (str / not str)."""
    is_str = isinstance(data, str)
    if is_str != isinstance(other, str):
        raise TypeError(f"data and {what} must both be str or both be bytes-like")
    return is_str


def _as_bytes(data: Any) -> bytes:
    """The bytes of a buffer that a C call has already accepted (a copy unless bytes)."""
    if type(data) is bytes:
        return data
    with memoryview(data) as m:
        return m.tobytes()


def _pieces(raw: bytes, spans: array, text: Optional[str]) -> List[Any]:
    """The pieces of raw (the UTF-8 of text when text is not None) at byte spans."""
    pairs = iter(spans)  # zip(pairs, pairs) walks (start, end); the fastest loop measured
    if text is None:
        return [raw[a:b] for a, b in zip(pairs, pairs)]
    if text.isascii():  # byte offsets are code point offsets
        return [text[a:b] for a, b in zip(pairs, pairs)]
    return [raw[a:b].decode("utf-8") for a, b in zip(pairs, pairs)]


def _index_offsets_py(offsets: array, raw: bytes) -> None:
    """Byte offsets (ascending, on character boundaries) to code point indices, in place
    (used when the library has no hp_utf8_offset_to_index)."""
    prev_byte = prev_index = 0
    for k, off in enumerate(offsets):
        prev_index += len(raw[prev_byte:off].decode("utf-8"))
        prev_byte = off
        offsets[k] = prev_index


def _index_offsets_call(offsets: array, raw: bytes) -> int:
    arg, n = bytes_arg(raw)
    out = _backend.writable_arg(offsets, "int64_t")
    return lib.hp_utf8_offset_to_index(out, len(offsets), arg, n)


def _have_offset_to_index() -> bool:
    if _backend.BACKEND == "cffi":
        return hasattr(lib, "hp_utf8_offset_to_index")
    from . import _ctypes_sig  # ctypes: only a function with a signature is safe to call

    return "hp_utf8_offset_to_index" in _ctypes_sig.SIGNATURES


_HAVE_OFFSET_TO_INDEX = _have_offset_to_index()


def _to_code_points(offsets: array, raw: bytes, text: str) -> None:
    if text.isascii() or not offsets:
        return
    if _HAVE_OFFSET_TO_INDEX:
        check(_index_offsets_call(offsets, raw))
    else:
        _index_offsets_py(offsets, raw)


# ------------------------------------------------------------------ spans

def _spans_call(data: Any, mode: int, sep: Any, maxsplit: int, resume: int, capacity: int,
                result: array, at: int) -> Tuple[int, int, int]:
    """One hp_split_spans call with resume, writing pieces at result[2*at:].
    Returns (status, pieces written, next resume)."""
    arg, n = bytes_arg(data)
    sarg, sn = bytes_arg(sep) if sep is not None else (_backend.NULL, 0)
    count = _backend.new_out("size_t")
    res = _size_inout(resume)
    if capacity:
        out = _backend.writable_arg(memoryview(result)[2 * at:2 * (at + capacity)], "int64_t")
    else:
        out = _backend.NULL
    status = lib.hp_split_spans(out, capacity, count, res, arg, n, mode, sarg, sn, maxsplit)
    return status, int(_backend.out_value(count)), int(_backend.out_value(res))


def _collect_spans(data: Any, nbytes: int, mode: int, sep: Any,
                   maxsplit: int) -> Tuple[int, array]:
    """All spans, through the resume protocol: a first call of up to 1024 pieces, then
    the rest sized from the bytes-per-piece seen so far (one pass over the input, the
    array grown rarely, never sized by the len+1 worst case)."""
    capacity = min(nbytes + 1, 1024)
    result = array("q", [0]) * (2 * capacity)
    count = resume = 0
    while True:
        status, got, resume = _spans_call(data, mode, sep, maxsplit, resume, capacity - count,
                                          result, count)
        if status:
            return status, result
        count += got
        if maxsplit >= 0:
            maxsplit -= got
        if resume == _SIZE_MAX:
            break
        left = nbytes - resume + 1  # pieces left are at most bytes left + 1
        rate = resume / count if count else 1.0
        extra = min(left, int((nbytes - resume) / max(rate, 1.0) * 1.125) + 64)
        capacity = count + extra
        grown = array("q", [0]) * (2 * capacity)  # cheaper than extend(): no temporary
        grown[:2 * count] = result[:2 * count]
        result = grown
    del result[2 * count:]
    return 0, result


def _split_args(data: Any, sep: Any, mode: Optional[str]) -> Tuple[bool, int]:
    """(data is str, C mode) from the public arguments."""
    if mode is None:
        mode = "whitespace" if sep is None else "sep"
    if mode not in _MODE_NAMES:
        raise ValueError(f"mode must be one of {sorted(_MODE_NAMES)}, not {mode!r}")
    code = _MODE_NAMES[mode]
    if code in (_SEP, _ANY_BYTE):
        if sep is None:
            raise TypeError(f"mode {mode!r} needs a separator")
        is_str = _same_kind(data, sep, "sep")
        if is_str and code == _ANY_BYTE and not sep.isascii():
            raise ValueError("split on any of several characters needs ASCII characters for str")
    elif sep is not None:
        raise TypeError(f"mode {mode!r} takes no separator")
    else:
        is_str = isinstance(data, str)
    if code == _WHITESPACE and is_str:
        code = _UNICODE_SPACE
    return is_str, code


def _small_arg(value: Any) -> bytes:
    """A separator-like argument as bytes (UTF-8 for str), copied up front so that the C
    call helpers cannot fail on it after creating a buffer argument."""
    return value.encode("utf-8") if isinstance(value, str) else _as_bytes(value)


def _spans(data: Any, sep: Any, maxsplit: int, mode: Optional[str]
           ) -> Tuple[int, array, Any, Optional[str]]:
    """(status, byte spans, raw bytes-like input, the str or None)."""
    is_str, code = _split_args(data, sep, mode)
    raw = data.encode("utf-8") if is_str else data
    text = str(data) if is_str else None
    sep = None if sep is None else _small_arg(sep)
    maxsplit = _maxsplit(maxsplit)
    try:
        with memoryview(raw) as m:
            n = m.nbytes
    except TypeError:
        n = 0  # not a buffer: the C call below rejects it with TypeError
    status, result = _collect_spans(raw, n, code, sep, maxsplit)
    return status, result, raw, text


def split_spans(data: Text, sep: Optional[Text] = None, maxsplit: int = -1, *,
                mode: Optional[str] = None) -> array:
    """Zero-copy split: an ``array('q')`` of start, end pairs, piece i being
    ``data[a[2*i]:a[2*i+1]]`` (code point offsets for str, byte offsets otherwise).

    mode: "sep" (the default when sep is given: ``split(sep)``), "whitespace" (the
    default without sep: ``split()``), "any" (on any byte of sep, empty pieces kept),
    "lines" (``splitlines()``) or "words" (``re.findall(r"\\w+")``, UTF-8 required).
    maxsplit applies to "sep", "any" and "whitespace".
    """
    status, result, raw, text = _spans(data, sep, maxsplit, mode)
    check(status)
    if text is not None:
        _to_code_points(result, raw, text)
    return result


def _split_list(data: Any, sep: Any, maxsplit: Any, mode: Optional[str]) -> List[Any]:
    status, spans, raw, text = _spans(data, sep, maxsplit, mode)
    check(status)
    return _pieces(raw if text is not None else _as_bytes(raw), spans, text)


def split(data: Text, sep: Optional[Text] = None, maxsplit: int = -1) -> List[Any]:
    """``data.split(sep, maxsplit)``: on every sep (empty pieces kept; an empty sep raises
    ValueError), or with sep None on runs of whitespace (ASCII for bytes-like data, Unicode
    for str, as bytes.split() / str.split())."""
    return _split_list(data, sep, maxsplit, None)


def split_any(data: Text, chars: Text, maxsplit: int = -1) -> List[Any]:
    """Split on every byte that is one of chars (empty pieces kept), as
    ``re.split("[" + chars + "]", data)`` with a ``split``-style maxsplit (negative: no
    limit). For str, chars must be ASCII."""
    return _split_list(data, chars, maxsplit, "any")


def splitlines(data: Text) -> List[Any]:
    """Lines ended by ``\\n``, ``\\r\\n`` or ``\\r``, as ``bytes.splitlines()``."""
    return _split_list(data, None, -1, "lines")


def words(data: Text) -> List[Any]:
    """Word tokens, as ``re.findall(r"\\w+", text)``: runs of characters for which
    ``str.isalnum()`` is true, and '_'. Bytes-like data must be UTF-8 (Utf8Error)."""
    return _split_list(data, None, -1, "words")


def iter_split(data: Text, sep: Optional[Text] = None, maxsplit: int = -1) -> Iterator[Any]:
    """Lazily yield the pieces of ``split(data, sep, maxsplit)``, computing them 4096 at a
    time (never the whole list). A buffer other than bytes is copied once up front, so
    changing it while iterating does not change the pieces."""
    is_str, code = _split_args(data, sep, None)
    maxsplit = _maxsplit(maxsplit)
    sep = None if sep is None else _small_arg(sep)
    # Raise bad arguments now rather than at the first next() (a capacity-0 call only
    # looks for the first piece).
    check(_spans_call(_encode(data), code, sep, maxsplit, 0, 0, array("q"), 0)[0])
    if is_str:
        raw, text = data.encode("utf-8"), str(data)
    else:
        raw, text = _as_bytes(data), None
    return _iter_split(raw, text, code, sep, maxsplit)


def _iter_split(raw: bytes, text: Optional[str], code: int, sep: Any,
                maxsplit: int) -> Iterator[Any]:
    result = array("q", [0]) * (2 * _CHUNK)
    resume = 0
    while resume != _SIZE_MAX:
        status, got, resume = _spans_call(raw, code, sep, maxsplit, resume, _CHUNK, result, 0)
        check(status)
        if maxsplit >= 0:
            maxsplit -= got
        yield from _pieces(raw, result[:2 * got], text)


# ------------------------------------------------------------------ replace and join

def _replace_call(data: Any, old: Any, new: Any, count: int, capacity: int
                  ) -> Tuple[int, int, Optional[bytearray]]:
    arg, n = bytes_arg(data)
    oarg, on = bytes_arg(old)
    narg, nn = bytes_arg(new)
    if capacity < 0:  # ask the bound, then call with that much room
        capacity = int(lib.hp_replace_bound(n, on, nn))
        if capacity > n + (n >> 2) + 4096:
            capacity = 0  # a large worst case: ask for the exact size first
    buf = bytearray(capacity)
    out_len = _backend.new_out("size_t")
    out = _backend.writable_arg(buf, "char") if capacity else _backend.NULL
    status = lib.hp_replace(out, capacity, out_len, arg, n, oarg, on, narg, nn, count)
    return status, int(_backend.out_value(out_len)), buf


def replace(data: Text, old: Text, new: Text, count: int = -1) -> Any:
    """``data.replace(old, new, count)``: occurrences of old, left to right and not
    overlapping, at most count of them (negative: all). An empty old inserts new before
    every byte and at the end, as bytes.replace; for str, before every character."""
    is_str = _same_kind(data, old, "old")
    _same_kind(data, new, "new")
    count = _maxsplit(count)
    if is_str and not old and not data.isascii():
        # Between characters, not bytes: the C kernel works on bytes, so this one case
        # (an empty `old` in non-ASCII text) is Python's own str.replace.
        return str(data).replace(old, new, count)
    args = (_encode(data), _small_arg(old), _small_arg(new), count)
    status, size, buf = _replace_call(*args, -1)
    if status == _EBUFSIZE:
        status, size, buf = _replace_call(*args, size)
    check(status)
    del buf[size:]
    return buf.decode("utf-8") if is_str else bytes(buf)


def _join_call(data: bytes, offsets: array, count: int, sep: Any, capacity: int
               ) -> Tuple[int, int, bytearray]:
    batch, keep = _backend.strings_arg(data, offsets, count)
    sarg, sn = bytes_arg(sep)
    buf = bytearray(capacity)
    out_len = _backend.new_out("size_t")
    out = _backend.writable_arg(buf, "char") if capacity else _backend.NULL
    status = lib.hp_join(out, capacity, out_len, batch, sarg, sn)
    return status, int(_backend.out_value(out_len)), buf


def _item(x: Any, is_str: bool, i: int) -> bytes:
    if is_str:
        if not isinstance(x, str):
            raise TypeError(f"sequence item {i}: expected str instance, {type(x).__name__} found")
        return x.encode("utf-8")
    if isinstance(x, str):
        raise TypeError(f"sequence item {i}: expected a bytes-like object, str found")
    if type(x) is bytes:
        return x
    try:
        with memoryview(x) as m:
            return m.tobytes()
    except TypeError:
        raise TypeError(f"sequence item {i}: expected a bytes-like object, "
                        f"{type(x).__name__} found") from None


def join(sep: Text, items: Iterable[Text]) -> Any:
    """``sep.join(items)``: str sep joins str items into a str; a bytes-like sep joins
    bytes-like items into bytes."""
    is_str = isinstance(sep, str)
    parts = [_item(x, is_str, i) for i, x in enumerate(items)]
    data = b"".join(parts)
    offsets = array("q", accumulate(map(len, parts), initial=0))
    raw_sep = _small_arg(sep)
    capacity = len(data) + len(raw_sep) * max(len(parts) - 1, 0)
    status, size, buf = _join_call(data, offsets, len(parts), raw_sep, capacity)
    check(status)
    del buf[size:]
    return buf.decode("utf-8") if is_str else bytes(buf)


# ------------------------------------------------------------------ n-grams

def _ngram_args(data: Any, n: Any, unit: Any) -> Tuple[int, int]:
    if unit not in _UNITS:
        raise ValueError(f"unit must be one of {sorted(_UNITS)}, not {unit!r}")
    n = operator.index(n)
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    return min(n, _I64_MAX), _UNITS[unit]


def _ngram_call(data: Any, n: int, unit: int, hashes: bool, seed: int
                ) -> Tuple[int, int, array]:
    arg, size = bytes_arg(data)
    if unit == _UNITS["words"]:
        bound = (size + 1) // 2  # words are separated by at least one byte
    else:
        bound = size
    capacity = max(bound - n + 1, 0)
    count = _backend.new_out("size_t")
    if hashes:
        result = array("Q", [0]) * capacity
        out = _backend.writable_arg(result, "uint64_t") if capacity else _backend.NULL
        status = lib.hp_ngram_hashes(out, capacity, count, arg, size, unit, n, seed)
    else:
        result = array("q", [0]) * (2 * capacity)
        out = _backend.writable_arg(result, "int64_t") if capacity else _backend.NULL
        status = lib.hp_ngram_spans(out, capacity, count, arg, size, unit, n)
    return status, int(_backend.out_value(count)), result


def ngram_spans(data: Text, n: int, unit: str = "chars") -> array:
    """Spans of the n-grams (shingles) of data as an ``array('q')`` of start, end pairs
    (code point offsets for str, byte offsets otherwise). unit: "chars" (code points of
    UTF-8 text), "bytes", or "words" (``\\w+`` tokens; a span runs from the first word's
    start to the last word's end)."""
    n, code = _ngram_args(data, n, unit)
    is_str = isinstance(data, str)
    if is_str and code == _UNITS["bytes"] and not data.isascii():
        raise ValueError("unit='bytes' spans of non-ASCII str cannot index the str; "
                         "pass data.encode()")
    raw = _encode(data)
    status, count, result = _ngram_call(raw, n, code, False, 0)
    check(status)
    del result[2 * count:]
    if is_str and not data.isascii() and count:
        # n-grams overlap: starts and ends are each ascending, the pairs are not.
        starts, ends = result[0::2], result[1::2]
        _to_code_points(starts, raw, str(data))
        _to_code_points(ends, raw, str(data))
        result[0::2], result[1::2] = starts, ends
    return result


def ngrams(data: Text, n: int, unit: str = "chars") -> List[Any]:
    """The n-grams of data, in order: ``[s[i:i+n] for i in range(len(s) - n + 1)]`` over
    characters (str or UTF-8 bytes) or bytes (bytes-like data only); for unit="words",
    each n-gram is its n words joined by one space (so ``hash64(ngrams(...)[i]) ==
    ngram_hashes(...)[i]``)."""
    n, code = _ngram_args(data, n, unit)
    is_str = isinstance(data, str)
    if is_str and code == _UNITS["bytes"]:
        raise ValueError("unit='bytes' needs bytes-like data (str n-grams are characters)")
    if code == _UNITS["words"]:
        tokens = words(data)
        space = " " if is_str else b" "
        return [space.join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    raw = _encode(data)
    status, count, spans = _ngram_call(raw, n, code, False, 0)
    check(status)
    del spans[2 * count:]
    return _pieces(raw if is_str else _as_bytes(raw), spans, str(data) if is_str else None)


def ngram_hashes(data: Text, n: int, unit: str = "chars", seed: int = 0) -> array:
    """``hash64`` (XXH3-64) with seed of every n-gram, as an ``array('Q')``: of its UTF-8
    bytes for "chars" and "bytes", of its words joined by one space for "words"
    (equal to ``xxhash.xxh3_64_intdigest(" ".join(words[i:i+n]).encode(), seed)``)."""
    n, code = _ngram_args(data, n, unit)
    seed = _check_u64(seed, "seed")
    status, count, result = _ngram_call(_encode(data), n, code, True, seed)
    check(status)
    del result[count:]
    return result


__all__ = ["split", "split_any", "splitlines", "words", "split_spans", "iter_split", "replace",
           "join", "ngram_spans", "ngrams", "ngram_hashes"]
