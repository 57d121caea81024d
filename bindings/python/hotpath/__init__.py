"""hotpath: fast compute and text kernels behind a flat C ABI.

The same library is used from C (pkg-config hotpath) and from Python through either
cffi (compiled API-mode module, the default) or ctypes (HOTPATH_BACKEND=ctypes).
The API below is identical on both; ``hotpath.backend`` says which one runs.

Modules: ``hotpath.text`` (UTF-8, case, search, split, hashing), ``hotpath.compute``
(vectors, top-k, reductions), and the RapidFuzz-compatible fuzzy matching modules
``hotpath.distance``, ``hotpath.fuzz``, ``hotpath.process`` and ``hotpath.utils``.
Errors are ``hotpath.HotpathError`` subclasses that are also the matching built-in
exception (ValueError, MemoryError, OverflowError, UnicodeError, ...).
The GIL is released during every C call.
"""
from __future__ import annotations

from . import _backend
from ._backend import include_dir, library_path
from ._core import (VersionInfo, cpu_features, default_threads, live_allocations, set_simd_level,
                    simd_detected, simd_level, version, version_info)
from ._errors import (BufferTooSmallError, BusyError, CancelledError, HotpathError, InternalError,
                      InvalidArgumentError, NotSupportedError, OutOfMemoryError, OutOfRangeError,
                      SizeOverflowError, Utf8Error)
from . import compute, text
from ._strings import Strings
from . import distance, fuzz, process, utils

__version__ = "0.1.0"

#: "cffi" or "ctypes": the bridge this process uses (HOTPATH_BACKEND chooses).
backend: str = _backend.BACKEND

__all__ = [
    "backend", "library_path", "include_dir", "version", "version_info", "VersionInfo",
    "simd_level", "simd_detected", "set_simd_level", "cpu_features", "default_threads",
    "live_allocations", "text", "compute", "Strings", "distance", "fuzz", "process", "utils",
    "HotpathError", "InvalidArgumentError", "OutOfMemoryError", "BufferTooSmallError",
    "Utf8Error", "SizeOverflowError", "OutOfRangeError", "CancelledError", "NotSupportedError",
    "BusyError", "InternalError",
]
