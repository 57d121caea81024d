"""UTF-8 extras for hotpath.text: is_ascii, count_codepoints, from_codepoints, hash128,
and byte_to_char_offsets (byte offsets into UTF-8 text -> code-point indices, for the
other text modules that report offsets on str inputs).

Implementation rule (see _backend): buffer arguments are created only inside the small
``_*_call`` helpers, after every other argument is validated, and the helpers return
plain values; exceptions are raised by the public functions, whose frames hold no buffer.
"""
from __future__ import annotations

import operator
from array import array
from typing import Any, Iterable, Tuple, Union

from . import _backend
from ._backend import bytes_arg, check, error, lib
from ._errors import OutOfRangeError
from ._args import U64 as _U64
from ._args import check_u64 as _check_u64
from ._args import encode as _encode
from ._args import utf8_error as _utf8_error

BytesLike = Union[bytes, bytearray, memoryview]
Text = Union[str, bytes, bytearray, memoryview]

_new_out = _backend.new_out
_out_value = _backend.out_value
_hash128 = lib.hp_hash128
_ascii_prefix = lib.hp_ascii_prefix


# ------------------------------------------------------------------ ASCII and counting

def _ascii_prefix_call(data: Any) -> Tuple[int, int]:
    arg, n = bytes_arg(data)
    return int(_ascii_prefix(arg, n)), n


def is_ascii(data: Text) -> bool:
    """True if every byte is below 0x80 (``bytes.isascii()``; ``str.isascii()`` for str)."""
    if type(data) is bytes:  # the common case, straight to C
        return _ascii_prefix(data, len(data)) == len(data)
    if isinstance(data, str):
        return data.isascii()  # CPython knows this without looking at the characters
    prefix, n = _ascii_prefix_call(data)
    return prefix == n


def _count_call(data: Any) -> Tuple[int, int]:
    arg, n = bytes_arg(data)
    out = _new_out("size_t")
    return lib.hp_utf8_count(out, arg, n), int(_out_value(out))


def count_codepoints(data: Text) -> int:
    """Number of code points: ``len(data.decode('utf-8'))`` without decoding.

    bytes-like input is validated: invalid UTF-8 raises ``hotpath.Utf8Error`` (a
    UnicodeError) whose ``.offset`` is the first bad byte. For str this is ``len(data)``.
    """
    if isinstance(data, str):
        return len(data)
    status, value = _count_call(data)
    if status:
        raise _utf8_error(status, value)
    return value


# ------------------------------------------------------------------ code points -> UTF-8

_CP_FORMATS = ("I", "=I", "<I", "i", "=i", "<i", "L", "l")


def _codepoint_buffer(cps: Any) -> Tuple[Any, Any]:
    """(buffer of 32-bit code points, the values as a sequence or None).

    A 4-byte integer buffer (array('I'), NumPy uint32/int32) is used as is; anything else
    (a list of ints, a generator, ...) is converted to array('I'). The buffer is None
    when a value does not fit in 32 bits; the caller then reports which one.
    """
    if isinstance(cps, (str, bytes, bytearray)):
        raise TypeError(f"code points must be ints, not {type(cps).__name__}")
    if isinstance(cps, array):
        if cps.typecode in "Ii" and cps.itemsize == 4:
            return cps, None
    else:
        try:
            m = memoryview(cps)
        except TypeError:
            pass
        else:
            with m:
                if (m.itemsize == 4 and m.format in _CP_FORMATS and m.ndim == 1
                        and m.c_contiguous):
                    return cps, None
    items = cps if isinstance(cps, (list, tuple)) else list(cps)
    try:
        return array("I", items), items
    except OverflowError:
        return None, items
    except TypeError:
        raise TypeError("code points must be ints or a 32-bit integer array") from None


def _bad_codepoint(items: Iterable[Any]) -> OutOfRangeError:
    """The error for the first value that is not a Unicode scalar value."""
    for i, cp in enumerate(items):
        cp = operator.index(cp)
        if not (0 <= cp <= 0x10FFFF) or 0xD800 <= cp <= 0xDFFF:
            msg = f"code point {cp:#x} at index {i} is not a Unicode scalar value"
            return OutOfRangeError(msg, code=OutOfRangeError.code, name=OutOfRangeError.name)
    return OutOfRangeError("code point out of range", code=OutOfRangeError.code,
                           name=OutOfRangeError.name)


def _from_codepoints_call(buf: Any) -> Tuple[int, int, bytearray]:
    with memoryview(buf) as m:
        n = m.nbytes // 4
    cap = int(lib.hp_utf32_to_utf8_bound(n))
    result = bytearray(cap)
    written = _new_out("size_t")
    cps = _backend.typed_arg(buf, "uint32_t") if n else _backend.NULL
    out = _backend.writable_arg(result, "char") if cap else _backend.NULL
    status = lib.hp_utf32_to_utf8(out, cap, written, cps, n)
    return status, int(_out_value(written)), result


def from_codepoints(cps: Any, *, as_bytes: bool = False) -> Union[str, bytes]:
    """Code points (``array('I')``, a 32-bit NumPy array, or a list of ints) as a str,
    or as its UTF-8 bytes with ``as_bytes=True``: ``"".join(map(chr, cps))``.

    Raises ``hotpath.OutOfRangeError`` (a ValueError) naming the index of the first
    value that is negative, a surrogate (U+D800..U+DFFF) or above U+10FFFF.
    """
    buf, items = _codepoint_buffer(cps)
    if buf is None:
        raise _bad_codepoint(items)
    status, written, result = _from_codepoints_call(buf)
    if status:
        raise error(status)
    del result[written:]
    return bytes(result) if as_bytes else result.decode("utf-8")


# ------------------------------------------------------------------ hashing

def _hash128_call(data: Any, seed: int) -> Any:
    arg, n = bytes_arg(_encode(data))
    return _hash128(arg, n, seed)


def hash128(data: Text, seed: int = 0) -> int:
    """XXH3-128 of data with seed, as an int: ``xxhash.xxh3_128_intdigest(data, seed)``.

    str is hashed as its UTF-8 bytes.
    """
    if type(data) is bytes and type(seed) is int and 0 <= seed < _U64:
        h = _hash128(data, len(data), seed)
    else:
        h = _hash128_call(data, _check_u64(seed, "seed"))
    return (h.high << 64) | h.low


# ------------------------------------------------------------------ byte -> char offsets

def _offsets_count(offsets: Any) -> int:
    """Number of int64 elements of a writable offsets buffer (array('q'), NumPy int64)."""
    if isinstance(offsets, array):
        if offsets.typecode not in "ql" or offsets.itemsize != 8:
            raise TypeError(f"offsets must be array('q'), not array({offsets.typecode!r})")
        return len(offsets)
    try:
        m = memoryview(offsets)
    except TypeError:
        raise TypeError(f"offsets must be array('q'), not {type(offsets).__name__}") from None
    with m:
        if m.itemsize != 8 or m.format not in ("q", "l", "=q", "<q", "=l", "<l"):
            raise TypeError(f"offsets must hold int64 values, not format {m.format!r}")
        if m.readonly:
            raise TypeError("offsets buffer is read-only")
        if not m.c_contiguous:
            raise ValueError("offsets buffer must be C-contiguous")
        return m.nbytes // 8


def _offset_to_index_call(data: Any, offsets: Any, count: int) -> int:
    arg, n = bytes_arg(data)
    out = _backend.writable_arg(offsets, "int64_t") if count else _backend.NULL
    return lib.hp_utf8_offset_to_index(out, count, arg, n)


def byte_to_char_offsets(data: BytesLike, offsets: Any) -> Any:
    """Turn ascending byte offsets into ``data`` (UTF-8 bytes) into code-point indices,
    in place, and return ``offsets`` (an ``array('q')`` or int64 NumPy array).

    For the text modules that search the UTF-8 encoding of a str: after this,
    ``s[i:j]`` on the str selects what ``data[bi:bj]`` selected. data is assumed valid
    UTF-8. Raises InvalidArgumentError (a ValueError) for offsets that decrease, are
    negative or past the end, or fall inside a character; the array is unchanged then.
    """
    count = _offsets_count(offsets)
    check(_offset_to_index_call(data, offsets, count))
    return offsets


__all__ = ["is_ascii", "count_codepoints", "from_codepoints", "hash128",
           "byte_to_char_offsets"]
