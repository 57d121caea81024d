"""Text and byte-string kernels: UTF-8, case mapping, search, split, transform, hashing.

Inputs: ``bytes`` and any C-contiguous buffer (bytearray, memoryview, array, NumPy) are
used as raw bytes without copying; ``str`` (and str subclasses) is encoded to UTF-8 first,
so the hash of a str is the hash of its UTF-8 bytes, and split of a str returns str pieces.
Every call releases the GIL.

Implementation rule (see _backend): buffer arguments are created only inside the small
``_*_call`` helpers, after every other argument is validated, and the helpers return
plain values; exceptions are raised by the public functions, whose frames hold no buffer.
"""
from __future__ import annotations

import threading
from array import array
from typing import Any, Iterable, Optional, Tuple, Union

from . import _backend
from ._args import U64 as _U64
from ._args import check_u64 as _check_u64
from ._args import encode as _encode
from ._args import utf8_error as _utf8_error
from ._backend import bytes_arg, check, lib
from ._errors import Utf8Error
from ._strings import Strings, as_batch

BytesLike = Union[bytes, bytearray, memoryview]
Text = Union[str, bytes, bytearray, memoryview]

_hash64 = lib.hp_hash64
_validate = lib.hp_utf8_validate
_new_out = _backend.new_out
_out_value = _backend.out_value


# ------------------------------------------------------------------ UTF-8

def _validate_call(data: Any) -> Tuple[int, int]:
    arg, n = bytes_arg(_encode(data))
    off = _new_out("size_t")
    return _validate(arg, n, off), int(_out_value(off))


def utf8_error_offset(data: Text) -> Optional[int]:
    """Offset of the first invalid byte (as ``UnicodeDecodeError.start``), or None if valid."""
    status, offset = _validate_call(data)
    if status == 0:
        return None
    if status != Utf8Error.code:
        check(status)
    return offset


def _is_utf8_call(data: Any) -> int:
    arg, n = bytes_arg(data)
    return _validate(arg, n, _backend.NULL)


def is_utf8(data: BytesLike) -> bool:
    """True if data is well-formed UTF-8 (exactly what ``bytes.decode('utf-8')`` accepts)."""
    status = _is_utf8_call(data)
    if status not in (0, Utf8Error.code):
        check(status)
    return status == 0


def validate_utf8(data: BytesLike) -> None:
    """Raise ``hotpath.Utf8Error`` (a UnicodeError) with ``.offset`` if data is not UTF-8."""
    status, offset = _validate_call(data)
    if status:
        raise _utf8_error(status, offset)


def _to_codepoints_call(data: Any) -> Tuple[int, int, array]:
    arg, n = bytes_arg(data)
    cap = int(lib.hp_utf8_to_utf32_bound(n))
    result = array("I", bytes(4 * cap))
    written = _new_out("size_t")
    out = _backend.writable_arg(result, "uint32_t") if cap else _backend.NULL
    status = lib.hp_utf8_to_utf32(out, cap, written, arg, n)
    return status, int(_out_value(written)), result


def to_codepoints(data: BytesLike) -> array:
    """Decode UTF-8 to an ``array('I')`` of code points (``[ord(c) for c in s]``).

    Uses the caller-buffer pattern: asks the library for the bound, decodes into an
    array of that size, then trims it. Raises Utf8Error on invalid input.
    """
    status, count, result = _to_codepoints_call(data)
    if status:
        raise _utf8_error(status, count)
    del result[count:]
    return result


# ------------------------------------------------------------------ hashing

def _hash64_call(data: Any, seed: int) -> int:
    arg, n = bytes_arg(_encode(data))
    return _hash64(arg, n, seed)


if _backend.BACKEND == "cffi":
    def hash64(data: Text, seed: int = 0) -> int:
        """XXH3-64 of data with seed, identical to ``xxhash.xxh3_64_intdigest(data, seed)``."""
        # The hot path: bytes and an int seed go straight to C; cffi itself raises
        # OverflowError for an int outside [0, 2**64).
        if type(data) is bytes and type(seed) is int:
            return _hash64(data, len(data), seed)
        return _hash64_call(data, _check_u64(seed, "seed"))
else:
    def hash64(data: Text, seed: int = 0) -> int:
        """XXH3-64 of data with seed, identical to ``xxhash.xxh3_64_intdigest(data, seed)``."""
        # ctypes wraps out-of-range integers silently, so the range is checked here.
        if type(data) is bytes and type(seed) is int and 0 <= seed < _U64:
            return _hash64(data, len(data), seed)
        return _hash64_call(data, _check_u64(seed, "seed"))


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

    def _update_call(self, data: Any) -> int:
        arg, n = bytes_arg(_encode(data))
        with self._lock:
            h = self._handle()
            return lib.hp_hasher64_update(h, arg, n)

    def update(self, data: Text) -> "Hasher64":
        """Feed more bytes (str is encoded as UTF-8). Returns self."""
        check(self._update_call(data))
        return self

    def digest(self) -> int:
        """Hash of everything fed so far, as an int; the state is unchanged."""
        out = _new_out("uint64_t")
        with self._lock:
            check(lib.hp_hasher64_digest(self._handle(), out))
        return int(_out_value(out))

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


def _hash64_batch_call(data: bytes, offsets: array, count: int, seed: int, threads: int,
                       result: array) -> int:
    batch, keep = _backend.strings_arg(data, offsets, count)
    out = _backend.writable_arg(result, "uint64_t")
    return lib.hp_hash64_batch(out, count, batch, seed, threads)


def hash64_batch(strings: Union[Strings, Iterable[Text]], seed: int = 0,
                 threads: int = 0) -> array:
    """hash64 of every string, in one call (multi-threaded for large batches).

    strings: a ``hotpath.Strings`` (packed once, reused without per-item work) or any
    iterable of str / bytes-like (packed on each call).

    Returns an ``array('Q')`` of the hashes (use ``.tolist()`` for a list).
    threads: worker threads, 0 = hotpath.default_threads().
    """
    if type(threads) is not int or not 0 <= threads < 1 << 32:
        raise ValueError(f"threads must be an int in [0, 2**32), got {threads!r}")
    seed = _check_u64(seed, "seed")
    data, offsets, count = as_batch(strings)
    result = array("Q", bytes(8 * count))
    if count:
        check(_hash64_batch_call(data, offsets, count, seed, threads, result))
    return result


# ------------------------------------------------------------------ the rest of the module

from ._text_case import casefold, default_process, lower, unicode_version, upper  # noqa: E402
from ._text_search import (count, endswith, find, find_all, find_any, rfind,  # noqa: E402
                           rfind_any, startswith)
from ._text_split import (iter_split, join, ngram_hashes, ngram_spans, ngrams,  # noqa: E402
                          replace, split, split_any, split_spans, splitlines, words)
from ._text_utf8 import count_codepoints, from_codepoints, hash128, is_ascii  # noqa: E402

__all__ = [
    "Strings",
    # UTF-8
    "is_utf8", "validate_utf8", "utf8_error_offset", "to_codepoints", "from_codepoints",
    "is_ascii", "count_codepoints",
    # case
    "casefold", "lower", "upper", "default_process", "unicode_version",
    # search
    "find", "rfind", "count", "find_all", "startswith", "endswith", "find_any", "rfind_any",
    # split and transform
    "split", "split_any", "splitlines", "words", "split_spans", "iter_split", "replace",
    "join", "ngrams", "ngram_spans", "ngram_hashes",
    # hashing
    "hash64", "hash128", "Hasher64", "hash64_batch",
]
