"""Case mapping for hotpath.text: casefold, lower, upper (as Python's str methods, with
the full Unicode mappings and the final-sigma rule), RapidFuzz's default_process, and
the Unicode version of the tables.

str in -> str out; bytes-like in (UTF-8) -> bytes out. Invalid UTF-8 raises
``hotpath.Utf8Error`` with ``.offset``: a byte offset for bytes-like input, a
code-point index for str (only a str holding a lone surrogate can fail).

Output buffers. The C functions write into a caller buffer of hp_utf8_case_bound(n)
bytes (three times the input). Python zero-fills every bytearray, and on large inputs
the page faults of fresh output memory cost more than the mapping itself, so:

- inputs up to 2 * _PIECE bytes (or code points) are mapped in one call into a buffer of
  the bound;
- larger str and bytes inputs are mapped in pieces of about _PIECE, each into the same
  small scratch buffer (sized by the bound, so it never overflows) that stays in the
  CPU cache, and the pieces are joined once at the end: the only large allocation is
  the result. A str is also encoded and decoded piece by piece, for the same reason.
  (Other buffers are mapped whole: slicing them would copy or pin them.)

Pieces give exactly the whole-input result: casefold and upper map every code point on
its own; lower splits only right after an ASCII space, a character that is neither
cased nor case-ignorable, so the final-sigma rule (which looks past case-ignorable
characters to the nearest other one) sees the same answer at a piece edge as in the
whole text; default_process trims the ends of the whole text, so it is never split.
Text with no space to split at is mapped in one call. If a piece fails (invalid UTF-8,
a lone surrogate), the whole input is mapped in one call to raise the exact error.

Implementation rule (see _backend): buffer arguments are created only inside the small
``_*_call`` helpers, after every other argument is validated, and the helpers return
plain values; exceptions are raised by the public functions, whose frames hold no buffer.
"""
from __future__ import annotations

from typing import Any, List, Tuple, Union

from . import _backend, _fuzzy
from ._backend import bytes_arg, error, lib
from ._errors import Utf8Error

Text = Union[str, bytes, bytearray, memoryview]

_new_out = _backend.new_out
_out_value = _backend.out_value
_case_bound = lib.hp_utf8_case_bound
_PIECE = 1 << 17  # bytes (or code points of a str) per piece for large inputs


def _case_call(fn: Any, data: Any) -> Tuple[int, int, bytearray]:
    """One call of fn(out, capacity, out_len, s, len) into a buffer of the bound.
    Returns (status, out_len, output buffer)."""
    arg, n = bytes_arg(data)
    capacity = int(_case_bound(n))
    buf = bytearray(capacity)
    out = _backend.writable_arg(buf, "char") if capacity else _backend.NULL
    written = _new_out("size_t")
    status = fn(out, capacity, written, arg, n)
    return status, int(_out_value(written)), buf


def _pieces_call(fn: Any, pieces: List[Any], as_str: bool) -> Tuple[int, List[Any]]:
    """fn over each piece (bytes, or str to encode), through one scratch buffer.
    Returns (status, mapped pieces as str or bytes); stops at the first failure."""
    longest = max(len(p) for p in pieces) * (4 if as_str else 1)
    capacity = int(_case_bound(longest))
    buf = bytearray(capacity)
    out = _backend.writable_arg(buf, "char")
    written = _new_out("size_t")
    result: List[Any] = []
    with memoryview(buf) as view:
        for piece in pieces:
            raw = piece.encode("utf-8", "surrogatepass") if as_str else piece
            status = fn(out, capacity, written, raw, len(raw))
            if status:
                return status, []
            with view[:int(_out_value(written))] as mapped:
                result.append(str(mapped, "utf-8") if as_str else bytes(mapped))
    return 0, result


def _split(data: Any, is_str: bool, at_space: bool) -> List[Any]:
    """data (str or bytes) cut into pieces of about _PIECE at character boundaries;
    with at_space, only right after a space (or not at all)."""
    n = len(data)
    space = " " if is_str else b" "
    pieces = []
    i = 0
    while n - i > _PIECE:
        j = i + _PIECE
        if at_space:
            k = data.rfind(space, i + _PIECE // 2, j)
            if k < 0:
                break
            j = k + 1
        elif not is_str:
            while j < n and (data[j] & 0xC0) == 0x80:  # continuation bytes
                j += 1
        pieces.append(data[i:j])
        i = j
    pieces.append(data[i:])
    return pieces


def _code_point_offset(raw: bytes, offset: int) -> int:
    """The code-point index of byte `offset` in raw, whose bytes before it are valid."""
    return len(raw[:offset].decode("utf-8"))


def _map_whole(fn: Any, data: Any, is_str: bool) -> Any:
    # surrogatepass: a lone surrogate reaches the C validator, which reports where it is
    raw = data.encode("utf-8", "surrogatepass") if is_str else data
    status, value, buf = _case_call(fn, raw)
    if status:
        err = error(status)
        if isinstance(err, Utf8Error):
            err.offset = _code_point_offset(raw, value) if is_str else value
        raise err
    with memoryview(buf) as m, m[:value] as result:
        return str(result, "utf-8") if is_str else bytes(result)


def _ascii_call(fn: Any, raw: bytes) -> Tuple[int, int, bytearray]:
    """fn on ASCII input into a buffer of exactly len(raw) bytes: every mapping here sends
    ASCII to ASCII one-to-one (default_process may also shorten it), so that is enough
    and avoids zero-filling the 3x bound."""
    buf = bytearray(len(raw))
    out = _backend.writable_arg(buf, "char") if raw else _backend.NULL
    written = _new_out("size_t")
    status = fn(out, len(raw), written, raw, len(raw))
    return status, int(_out_value(written)), buf


# ------------------------------------------------------------------ str in place (CPython)
#
# A CPython str keeps its code points in one array of 1, 2 or 4 bytes per code point
# (PEP 393). Encoding it to UTF-8 and decoding the result costs several times the
# mapping, so the CPython fast-path module (hotpath._fast.case_map, see _fast.c) maps
# that array straight into the array of a new str with the hp_ucs_* functions. It
# declines (NotImplemented) str subclasses and text with lone surrogates, which then take
# the UTF-8 route below and raise there as before. HOTPATH_FAST=0, or a build without
# the module, sends every str through UTF-8.

_CASEFOLD, _LOWER, _UPPER = 0, 1, 2
_case_map = _fuzzy.FAST.case_map if _fuzzy.FAST is not None else None


def _map(fn: Any, data: Any, splittable: bool, at_space: bool = False,
         ucs: Any = None) -> Any:
    """fn (an hp_utf8_* function) on data; ucs, the fast path's number of the same
    mapping if there is one, maps a str through its own storage."""
    is_str = isinstance(data, str)
    if is_str and ucs is not None and _case_map is not None:
        result = _case_map(ucs, data)
        if result is not NotImplemented:
            return result
    # ASCII text (str.isascii() is O(1) in CPython) takes one call with an exact-size buffer.
    if (data.isascii() if is_str or type(data) is bytes else False):
        raw = data.encode("ascii") if is_str else data
        status, n, buf = _ascii_call(fn, raw)
        if status == 0:
            del buf[n:]
            return buf.decode("ascii") if is_str else bytes(buf)
    if splittable and (is_str or type(data) is bytes) and len(data) > 2 * _PIECE:
        pieces = _split(data, is_str, at_space)
        if len(pieces) > 1:
            status, mapped = _pieces_call(fn, pieces, is_str)
            if status == 0:
                return ("" if is_str else b"").join(mapped)
    return _map_whole(fn, data, is_str)


def casefold(data: Text) -> Union[str, bytes]:
    """Full Unicode case folding, as ``str.casefold()`` ("Straße" -> "strasse").

    str -> str; bytes, bytearray or memoryview holding UTF-8 -> bytes.
    Raises ``hotpath.Utf8Error`` (a UnicodeError) with ``.offset`` on invalid UTF-8.
    """
    return _map(lib.hp_utf8_casefold, data, True, ucs=_CASEFOLD)


def lower(data: Text) -> Union[str, bytes]:
    """Lowercase with the full mappings, as ``str.lower()``: "İ" -> "i̇", and a capital
    sigma at the end of a word becomes "ς" ("ΣΑΣ" -> "σας"). Types as for casefold."""
    return _map(lib.hp_utf8_lower, data, True, at_space=True, ucs=_LOWER)


def upper(data: Text) -> Union[str, bytes]:
    """Uppercase with the full mappings, as ``str.upper()`` ("ß" -> "SS", "ﬃ" -> "FFI").
    Types as for casefold."""
    return _map(lib.hp_utf8_upper, data, True, ucs=_UPPER)


def default_process(data: Text) -> Union[str, bytes]:
    """Exactly ``rapidfuzz.utils.default_process``: characters that are not alphanumeric
    (in RapidFuzz's own table) become spaces, letters are lowercased one-to-one, and
    spaces are trimmed from both ends. Types as for casefold."""
    return _map(lib.hp_utf8_default_process, data, False)


def unicode_version() -> str:
    """The Unicode version of the case and property tables, e.g. "14.0.0" (the
    ``unicodedata.unidata_version`` of the Python that generated them)."""
    return _backend._text(lib.hp_unicode_version())


__all__ = ["casefold", "lower", "upper", "default_process", "unicode_version"]
