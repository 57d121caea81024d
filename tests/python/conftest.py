"""Shared fixtures for the hotpath Python tests.

The whole suite runs once per backend (HOTPATH_BACKEND=cffi, then =ctypes); the header
line printed by pytest says which one this run exercises. Every test is wrapped in a
leak check through the library's own allocation counter (hp_live_allocations).
"""
from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import HealthCheck, configuration, settings
from hypothesis.database import DirectoryBasedExampleDatabase

import hotpath

# Hypothesis keeps its example database and patch files outside the source tree.
_HYPOTHESIS_HOME = os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY") or os.path.join(
    tempfile.gettempdir(), "hotpath-hypothesis")
configuration.set_hypothesis_home_dir(_HYPOTHESIS_HOME)
_DB = DirectoryBasedExampleDatabase(os.path.join(_HYPOTHESIS_HOME, "examples"))

# One profile for the whole suite: enough examples to find edge cases, fast enough that
# a run per backend stays well under a minute. HYPOTHESIS_PROFILE=thorough for more.
settings.register_profile(
    "hotpath",
    max_examples=120,
    deadline=None,
    database=_DB,
    # The leak check and the SIMD-level fixture are meant to wrap all examples of a test.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    database=_DB,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "hotpath"))


def pytest_report_header(config):
    return (f"hotpath backend: {hotpath.backend} "
            f"(HOTPATH_BACKEND={os.environ.get('HOTPATH_BACKEND', '<unset>')}), "
            f"library {hotpath.version()} at {hotpath.library_path()}, "
            f"simd {hotpath.simd_level()} (detected {hotpath.simd_detected()})")


@pytest.fixture(scope="session")
def backend() -> str:
    """The backend this run exercises ("cffi" or "ctypes")."""
    return hotpath.backend


@pytest.fixture(autouse=True)
def no_library_leaks():
    """Every test must leave the library's live allocation count where it found it
    (results freed, handles closed). The one cache the package keeps (the choices
    process.extract prepared last) is dropped first, so what remains is a leak."""
    hotpath.process.clear_cache()
    before = hotpath.live_allocations()
    yield
    hotpath.process.clear_cache()
    after = hotpath.live_allocations()
    assert after == before, f"hotpath allocations leaked: {before} live before, {after} after"


def _simd_levels():
    """Every level this machine can run, scalar first: on x86-64 each level up to the
    detected one (sse42 has its own kernels for some functions), elsewhere scalar and
    the detected level."""
    detected = hotpath.simd_detected()
    x86 = ["scalar", "sse42", "avx2", "avx512"]
    if detected in x86:
        return x86[: x86.index(detected) + 1]
    return ["scalar", detected]


SIMD_LEVELS = _simd_levels()


@pytest.fixture(params=SIMD_LEVELS)
def simd_level(request):
    """Run the test with kernels forced to each level in {scalar, detected}; restore after."""
    saved = hotpath.simd_level()
    hotpath.set_simd_level(request.param)
    assert hotpath.simd_level() == request.param
    yield request.param
    hotpath.set_simd_level(saved)


@pytest.fixture
def restore_simd_level():
    """For tests that switch levels themselves: put the original level back."""
    saved = hotpath.simd_level()
    yield saved
    hotpath.set_simd_level(saved)
