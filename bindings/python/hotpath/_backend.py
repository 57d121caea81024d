"""Layer 1: find the shared library, pick the backend, check the ABI, and offer the few
primitives (buffers, out-parameters, batches, errors) that differ between cffi and ctypes.

HOTPATH_LIBRARY=/path/libhotpath.so.0 loads that file instead of the one inside the
package (with cffi it is loaded first, so the extension binds to it by SONAME).
HOTPATH_BACKEND=cffi|ctypes picks the bridge; the default is the compiled cffi API-mode
module, falling back to ctypes when that module is missing.

Everything above this module is written once and runs unchanged on both backends.
"""
from __future__ import annotations

import ctypes
import os
from importlib import resources
from typing import Any, List, Tuple

from . import _errors

ABI_MAJOR = 0  # the HP_VERSION_MAJOR this package was written for
_LIB_NAMES = ("libhotpath.so.0", "libhotpath.so", "libhotpath.0.dylib", "libhotpath.dylib",
              "hotpath.dll")


def library_path() -> str:
    """Absolute path of the shared library this package loads (HOTPATH_LIBRARY wins)."""
    env = os.environ.get("HOTPATH_LIBRARY")
    if env:
        return os.path.abspath(env)
    pkg = resources.files(__package__)
    for name in _LIB_NAMES:
        candidate = pkg / name
        if candidate.is_file():
            return str(candidate)
    raise ImportError(f"hotpath: no shared library found in {pkg}; set HOTPATH_LIBRARY")


def include_dir() -> str:
    """Directory holding hotpath.h, for compiling C against the bundled library."""
    return str(resources.files(__package__) / "include")


_path = library_path()
# With HOTPATH_LIBRARY set, that file is loaded before the cffi extension is first
# imported: the dynamic linker then satisfies the extension's DT_NEEDED
# (libhotpath.so.0) with the already-loaded object of the same SONAME, instead of the
# copy beside the extension.
_preloaded = (ctypes.CDLL(_path, mode=getattr(os, "RTLD_GLOBAL", 0))
              if os.environ.get("HOTPATH_LIBRARY") else None)


def _choose() -> str:
    want = os.environ.get("HOTPATH_BACKEND", "").strip().lower()
    if want not in ("", "cffi", "ctypes"):
        raise ImportError(f"HOTPATH_BACKEND must be 'cffi' or 'ctypes', not {want!r}")
    if want == "ctypes":
        return "ctypes"
    try:
        from . import _hotpath_cffi  # noqa: F401
    except ImportError:
        if want == "cffi":
            raise
        return "ctypes"
    return "cffi"


BACKEND = _choose()

if BACKEND == "cffi":
    from ._hotpath_cffi import ffi, lib  # type: ignore[import-not-found]
else:
    from . import _ctypes_sig

    ffi = None
    lib = _ctypes_sig.bind(_preloaded or ctypes.CDLL(_path))


def _text(ptr: Any) -> str:
    """A static or thread-local C string returned by the library, as str."""
    if BACKEND == "cffi":
        return ffi.string(ptr).decode("utf-8", "replace")
    return (ptr or b"").decode("utf-8", "replace")


_version = lib.hp_version()
if _version // 1_000_000 != ABI_MAJOR:
    raise ImportError(f"hotpath: library {_path} has ABI {_version // 1_000_000}.x, "
                      f"this package needs {ABI_MAJOR}.x")

# Status code -> exception class, from the library's own table (hp_status_name), so a
# code added in C maps by name without editing Python.
_ERRORS = {}
for _code in range(-1, -64, -1):
    _name = _text(lib.hp_status_name(_code))
    if _name != "HP_EUNKNOWN":
        _ERRORS[_code] = (_name, _errors.error_class(_name))


def error(status: int) -> _errors.HotpathError:
    """The exception for a failed call; read right after the call, on the same thread."""
    name, cls = _ERRORS.get(status, (f"HP_STATUS_{status}", _errors.HotpathError))
    message = _text(lib.hp_last_error_message())
    return cls(message, code=status, name=name)


def check(status: int) -> None:
    """Raise the matching HotpathError subclass if status is not HP_OK."""
    if status:
        raise error(status)


# ------------------------------------------------------------------ per-backend primitives
#
# Buffer arguments hold an export of the caller's buffer for as long as they live. A
# frame that holds one must not end up in a traceback: an exception kept in a reference
# cycle (``except E as e`` stored away, or ``err = ...; raise err``) puts the frame's
# locals in cyclic garbage, and the garbage collector may then clear an exporting
# memoryview before the argument that holds its export, which crashes CPython. So the
# layer-2 modules create buffer arguments only inside small helpers that validate every
# other argument first, make the C call, and return plain values; they raise afterwards,
# in a frame that holds no buffer.


def _contiguity_error(obj: Any) -> ValueError:
    return ValueError(f"{type(obj).__name__} buffer must be C-contiguous")


if BACKEND == "cffi":
    _from_buffer = ffi.from_buffer
    _new = ffi.new
    NULL = ffi.NULL

    def bytes_arg(obj: Any) -> Tuple[Any, int]:
        """(argument for a const char * parameter, length in bytes) of a bytes-like object,
        without copying. Raises TypeError for non-buffers, ValueError if not contiguous."""
        if type(obj) is bytes:
            return obj, len(obj)
        try:
            c = _from_buffer("char[]", obj)
        except BufferError:
            raise _contiguity_error(obj) from None
        return c, len(c)

    def typed_arg(obj: Any, ctype: str) -> Any:
        """Argument for a `const T *` parameter from a buffer already checked for T."""
        try:
            return _from_buffer(ctype + "[]", obj)
        except BufferError:
            raise _contiguity_error(obj) from None

    def writable_arg(obj: Any, ctype: str) -> Any:
        """Argument for a `T *` output parameter writing straight into a Python buffer."""
        return _from_buffer(ctype + "[]", obj, require_writable=True)

    def new_out(ctype: str) -> Any:
        return _new(ctype + " *")

    def out_value(p: Any) -> Any:
        return p[0]

    def new_handle_out(ctype: str) -> Any:
        """Out-parameter for `ctype **` (an opaque handle)."""
        return _new(ctype + " **")

    def handle_value(p: Any) -> Any:
        return p[0]

    def new_strings_out() -> Any:
        return _new("hp_strings **")

    def read_strings(pp: Any) -> Tuple[bytes, List[int]]:
        """Copy out a library-allocated batch and free it."""
        batch = pp[0]
        try:
            n = batch.count
            offsets = ffi.unpack(batch.offsets, n + 1)
            data = ffi.unpack(batch.data, offsets[n]) if offsets[n] else b""
        finally:
            lib.hp_strings_free(batch)
        return data, offsets

    def strings_arg(data: Any, offsets: Any, count: int) -> Tuple[Any, Any]:
        """An hp_strings * over a data buffer and an int64 offsets buffer (kept alive
        by the returned tuple's second item)."""
        keep = (_from_buffer("char[]", data), _from_buffer("int64_t[]", offsets))
        s = _new("hp_strings *", {"data": keep[0], "offsets": keep[1], "count": count})
        return s, keep

else:
    from ._ctypes_sig import Strings

    _c_char = ctypes.c_char
    NULL = None

    def _buffer_info(obj: Any) -> Tuple[int, bool]:
        with memoryview(obj) as m:
            if not m.c_contiguous:
                raise _contiguity_error(obj)
            return m.nbytes, m.readonly

    def bytes_arg(obj: Any) -> Tuple[Any, int]:
        if type(obj) is bytes:
            return obj, len(obj)
        nbytes, readonly = _buffer_info(obj)
        if readonly:
            # ctypes cannot take the address of a read-only buffer without a copy;
            # bytes objects (the common case) avoid it above. Documented in docs/abi.md.
            data = memoryview(obj).tobytes()
            return data, nbytes
        return (_c_char * nbytes).from_buffer(obj), nbytes

    def typed_arg(obj: Any, ctype: str) -> Any:
        return bytes_arg(obj)[0]

    def writable_arg(obj: Any, ctype: str) -> Any:
        nbytes, readonly = _buffer_info(obj)
        if readonly:
            raise TypeError("output buffer is read-only")
        return (_c_char * nbytes).from_buffer(obj)

    _CTYPES = {"uint64_t": ctypes.c_uint64, "uint32_t": ctypes.c_uint32,
               "size_t": ctypes.c_size_t, "double": ctypes.c_double, "int64_t": ctypes.c_int64}

    def new_out(ctype: str) -> Any:
        return _CTYPES[ctype]()

    def out_value(p: Any) -> Any:
        return p.value

    def new_handle_out(ctype: str) -> Any:
        return ctypes.c_void_p()

    def handle_value(p: Any) -> Any:
        return p.value

    def new_strings_out() -> Any:
        return ctypes.POINTER(Strings)()

    def read_strings(pp: Any) -> Tuple[bytes, List[int]]:
        try:
            batch = pp.contents
            n = batch.count
            offsets = batch.offsets[: n + 1]
            data = ctypes.string_at(batch.data, offsets[n]) if offsets[n] else b""
        finally:
            lib.hp_strings_free(pp)
        return data, offsets

    def strings_arg(data: Any, offsets: Any, count: int) -> Tuple[Any, Any]:
        keep = (typed_arg(data, "char"), typed_arg(offsets, "int64_t"))
        s = Strings(ctypes.cast(keep[0], ctypes.c_void_p),
                    ctypes.cast(keep[1], ctypes.POINTER(ctypes.c_int64)), count)
        return ctypes.byref(s), (keep, s)


__all__ = ["BACKEND", "ffi", "lib", "library_path", "include_dir", "check", "error"]
