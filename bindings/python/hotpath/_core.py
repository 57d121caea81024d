"""Layer 2 for core.h: version, SIMD level, CPU features, threads, live allocations."""
from __future__ import annotations

from typing import List, NamedTuple

from . import _backend
from ._backend import check, lib

_text = _backend._text


class VersionInfo(NamedTuple):
    major: int
    minor: int
    patch: int


def version() -> str:
    """Version of the loaded C library, "MAJOR.MINOR.PATCH"."""
    return _text(lib.hp_version_string())


def version_info() -> VersionInfo:
    """Version of the loaded C library as (major, minor, patch)."""
    v = lib.hp_version()
    return VersionInfo(v // 1_000_000, v // 1000 % 1000, v % 1000)


_SIMD_NAMES = {i: _text(lib.hp_simd_name(i)) for i in range(8)
               if _text(lib.hp_simd_name(i)) != "unknown"}
_SIMD_LEVELS = {name: i for i, name in _SIMD_NAMES.items()}


def simd_level() -> str:
    """SIMD level kernels use now: "scalar", "sse42", "avx2", "avx512" or "neon"."""
    return _SIMD_NAMES[lib.hp_simd_level()]


def simd_detected() -> str:
    """Highest SIMD level this CPU and build support."""
    return _SIMD_NAMES[lib.hp_simd_detected()]


def set_simd_level(level: str) -> None:
    """Force kernels down to `level` (a name from simd_level()) or back up to the detected one.

    Raises ValueError for an unknown name and hotpath.NotSupportedError for a level
    this CPU cannot run. Affects every thread in the process.
    """
    try:
        code = _SIMD_LEVELS[level]
    except KeyError:
        raise ValueError(f"unknown SIMD level {level!r}; expected one of "
                         f"{sorted(_SIMD_LEVELS)}") from None
    check(lib.hp_simd_set_level(code))


_FEATURES = ("sse2", "sse4.2", "avx", "avx2", "bmi2", "fma", "avx512f", "avx512bw", "avx512vl",
             "neon", "popcnt")


def cpu_features() -> List[str]:
    """CPU features hotpath detected (and the OS enables), e.g. ["sse2", "avx2", ...]."""
    bits = lib.hp_cpu_features()
    return [name for i, name in enumerate(_FEATURES) if bits >> i & 1]


def default_threads() -> int:
    """Threads parallel kernels use for threads=0 (HOTPATH_THREADS or the CPU count)."""
    return int(lib.hp_default_threads())


def live_allocations() -> int:
    """Blocks the library has allocated and not freed (for leak checks)."""
    return int(lib.hp_live_allocations())
