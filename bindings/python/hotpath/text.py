"""Text and byte-string kernels: UTF-8 validation and decoding, XXH3-64 hashing, split.

Inputs: ``bytes`` and any C-contiguous buffer (bytearray, memoryview, array, NumPy) are
used as raw bytes without copying; ``str`` is encoded to UTF-8 first (so hashes of a str
equal the hash of its UTF-8 bytes, and split of a str returns str pieces).
Every call releases the GIL.
"""
from __future__ import annotations

import threading
from array import array
from itertools import accumulate
from typing import Any, Iterable, List, Optional, Union

from . import _backend
from ._backend import bytes_arg, check, error, lib
from ._errors import Utf8Error

BytesLike = Union[bytes, bytearray, memoryview]
Text = Union[str, bytes, bytearray, memoryview]

_hash64 = lib.hp_hash64
_validate = lib.hp_utf8_validate
_U64 = 1 << 64


def _encode(data: Any) -> Any:
    if type(data) is str:
        return data.encode("utf-8")
    return data


def _check_u64(value: int, what: str) -> int:
    if not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not 0 <= value < _U64:
        raise OverflowError(f"{what} must be in [0, 2**64), got {value}")
    return value


# ------------------------------------------------------------------ UTF-8

def utf8_error_offset(data: Text) -> Optional[int]:
    """Offset of the first invalid byte (as ``UnicodeDecodeError.start``), or None if valid."""
    arg, n = bytes_arg(_encode(data))
    off = _backend.new_out("size_t")
    status = _validate(arg, n, off)
    if status == 0:
        return None
    if status != Utf8Error.code:
        check(status)
    return int(_backend.out_value(off))


def is_utf8(data: BytesLike) -> bool:
    """True if data is well-formed UTF-8 (exactly what ``bytes.decode('utf-8')`` accepts)."""
    arg, n = bytes_arg(data)
    return _validate(arg, n, _backend.NULL) == 0


def validate_utf8(data: BytesLike) -> None:
    """Raise ``hotpath.Utf8Error`` (a UnicodeError) with ``.offset`` if data is not UTF-8."""
    arg, n = bytes_arg(data)
    off = _backend.new_out("size_t")
    status = _validate(arg, n, off)
    if status:
        err = error(status)
        if isinstance(err, Utf8Error):
            err.offset = int(_backend.out_value(off))
        raise err


def to_codepoints(data: BytesLike) -> array:
    """Decode UTF-8 to an ``array('I')`` of code points (``[ord(c) for c in s]``).

    Uses the caller-buffer pattern: asks the library for the bound, decodes into an
    array of that size, then trims it. Raises Utf8Error on invalid input.
    """
    arg, n = bytes_arg(data)
    cap = int(lib.hp_utf8_to_utf32_bound(n))
    result = array("I", bytes(4 * cap))
    written = _backend.new_out("size_t")
    out = _backend.writable_arg(result, "uint32_t") if cap else _backend.NULL
    status = lib.hp_utf8_to_utf32(out, cap, written, arg, n)
    del out  # release the buffer export so the array can be trimmed
    if status:
        err = error(status)
        if isinstance(err, Utf8Error):
            err.offset = int(_backend.out_value(written))
        raise err
    del result[int(_backend.out_value(written)):]
    return result


# ------------------------------------------------------------------ hashing

def _hash64_any(data: Text, seed: int) -> int:
    arg, n = bytes_arg(_encode(data))
    return _hash64(arg, n, _check_u64(seed, "seed"))


if _backend.BACKEND == "cffi":
    # The hot path: bytes go straight to C. cffi itself rejects a seed that is not an
    # int in [0, 2**64) (TypeError / OverflowError), so no Python check is needed.
    def hash64(data: Text, seed: int = 0) -> int:
        """XXH3-64 of data with seed, identical to ``xxhash.xxh3_64_intdigest(data, seed)``."""
        if type(data) is bytes:
            return _hash64(data, len(data), seed)
        return _hash64_any(data, seed)
else:
    # ctypes wraps out-of-range integers silently, so the seed is checked here.
    def hash64(data: Text, seed: int = 0) -> int:
        """XXH3-64 of data with seed, identical to ``xxhash.xxh3_64_intdigest(data, seed)``."""
        if type(data) is bytes and type(seed) is int and 0 <= seed < _U64:
            return _hash64(data, len(data), seed)
        return _hash64_any(data, seed)


class Hasher64:
    """Streaming XXH3-64: ``update()`` any number of times, ``digest()`` at any point.

    Owns a C handle: use ``with Hasher64() as h:`` or call ``close()``; garbage
    collection frees it too, as a safety net. A lock makes one object safe to share
    between threads (calls on it are serialised).
    """

    __slots__ = ("_h", "_lock", "_seed")

    def __init__(self, seed: int = 0, data: Optional[Text] = None):
        self._h = None
        self._lock = threading.Lock()
        self._seed = _check_u64(seed, "seed")
        out = _backend.new_handle_out("hp_hasher64")
        check(lib.hp_hasher64_new(out, self._seed))
        self._h = _backend.handle_value(out)
        if data is not None:
            self.update(data)

    def _handle(self) -> Any:
        if self._h is None:
            raise ValueError("Hasher64 is closed")
        return self._h

    def update(self, data: Text) -> "Hasher64":
        """Feed more bytes (str is encoded as UTF-8). Returns self."""
        arg, n = bytes_arg(_encode(data))
        with self._lock:
            check(lib.hp_hasher64_update(self._handle(), arg, n))
        return self

    def digest(self) -> int:
        """Hash of everything fed so far, as an int; the state is unchanged."""
        out = _backend.new_out("uint64_t")
        with self._lock:
            check(lib.hp_hasher64_digest(self._handle(), out))
        return int(_backend.out_value(out))

    def hexdigest(self) -> str:
        """digest() as 16 lowercase hex digits (as xxhash's hexdigest)."""
        return f"{self.digest():016x}"

    def reset(self, seed: Optional[int] = None) -> None:
        """Start over, with a new seed if given."""
        if seed is not None:
            self._seed = _check_u64(seed, "seed")
        with self._lock:
            check(lib.hp_hasher64_reset(self._handle(), self._seed))

    def close(self) -> None:
        """Free the C handle. Further calls raise ValueError; closing twice is fine."""
        with self._lock:
            h, self._h = self._h, None
            if h is not None:
                lib.hp_hasher64_free(h)

    def __enter__(self) -> "Hasher64":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_h", None) is not None:
            self.close()


def _pack(strings: Iterable[Text]) -> tuple:
    """Pack strings into (data, int64 offsets, count): the hp_strings layout.

    Lists of only bytes or only ASCII str take joins (no per-item Python work beyond
    len); anything else is encoded item by item.
    """
    items = strings if isinstance(strings, list) else list(strings)
    kinds = set(map(type, items))
    if kinds <= {bytes}:
        parts = items
    elif kinds == {str}:
        joined = "".join(items)
        if joined.isascii():
            offsets = array("q", accumulate(map(len, items), initial=0))
            return joined.encode("ascii"), offsets, len(items)
        parts = [s.encode("utf-8") for s in items]
    else:
        parts = [s.encode("utf-8") if type(s) is str else bytes(s) for s in items]
    offsets = array("q", accumulate(map(len, parts), initial=0))
    return b"".join(parts), offsets, len(parts)


def hash64_batch(strings: Iterable[Text], seed: int = 0, threads: int = 0) -> array:
    """hash64 of every string, in one call (multi-threaded for large batches).

    Returns an ``array('Q')`` of the hashes (use ``.tolist()`` for a list).
    threads: worker threads, 0 = hotpath.default_threads().
    """
    if not isinstance(threads, int) or not 0 <= threads < 1 << 32:
        raise ValueError(f"threads must be an int in [0, 2**32), got {threads!r}")
    seed = _check_u64(seed, "seed")
    data, offsets, count = _pack(strings)
    result = array("Q", bytes(8 * count))
    if count:
        batch, keep = _backend.strings_arg(data, offsets, count)
        check(lib.hp_hash64_batch(_backend.writable_arg(result, "uint64_t"), count, batch, seed,
                                  threads))
        del keep
    return result


# ------------------------------------------------------------------ split

def split(data: Text, sep: Text, maxsplit: int = -1) -> List[Any]:
    """Split on every occurrence of sep, as ``bytes.split(sep, maxsplit)`` / ``str.split``.

    str in, list of str out; otherwise list of bytes. sep must not be empty
    (ValueError, as in Python). A separator is always required: whitespace splitting
    is a different function.
    """
    is_str = type(data) is str
    if is_str != (type(sep) is str):
        raise TypeError("data and sep must both be str or both be bytes-like")
    if not isinstance(maxsplit, int):
        raise TypeError("maxsplit must be an int")
    if maxsplit < 0:
        maxsplit = -1
    elif maxsplit >= 1 << 63:
        maxsplit = (1 << 63) - 1
    arg, n = bytes_arg(_encode(data))
    sarg, sn = bytes_arg(_encode(sep))
    out = _backend.new_strings_out()
    check(lib.hp_split(out, arg, n, sarg, sn, maxsplit))
    blob, offsets = _backend.read_strings(out)
    pieces = [blob[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]
    if is_str:
        return [p.decode("utf-8") for p in pieces]
    return pieces


__all__ = ["hash64", "Hasher64", "hash64_batch", "is_utf8", "validate_utf8", "utf8_error_offset",
           "to_codepoints", "split"]
