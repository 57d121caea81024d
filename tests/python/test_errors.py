"""The error model: HotpathError subclasses that are also the matching built-in, carrying
.code, .name and the C detail in .message; raised by real failing calls on both backends."""
from __future__ import annotations

import ctypes
import os
import platform
import subprocess
import sys
import threading

import pytest

import hotpath
from hotpath import _backend, compute, text
from hp_testutil import raises

HIERARCHY = [
    (hotpath.InvalidArgumentError, ValueError, -1, "HP_EINVAL"),
    (hotpath.OutOfMemoryError, MemoryError, -2, "HP_ENOMEM"),
    (hotpath.BufferTooSmallError, ValueError, -3, "HP_EBUFSIZE"),
    (hotpath.Utf8Error, UnicodeError, -4, "HP_EUTF8"),
    (hotpath.SizeOverflowError, OverflowError, -5, "HP_EOVERFLOW"),
    (hotpath.OutOfRangeError, ValueError, -6, "HP_ERANGE"),
    (hotpath.CancelledError, RuntimeError, -7, "HP_ECANCELLED"),
    (hotpath.NotSupportedError, NotImplementedError, -8, "HP_ENOTSUP"),
    (hotpath.BusyError, RuntimeError, -9, "HP_EBUSY"),
    (hotpath.InternalError, RuntimeError, -10, "HP_EINTERNAL"),
]


@pytest.mark.parametrize("cls,builtin,code,name", HIERARCHY, ids=lambda v: getattr(v, "__name__", v))
def test_exception_class_hierarchy_and_codes(cls, builtin, code, name):
    assert issubclass(cls, hotpath.HotpathError)
    assert issubclass(cls, builtin)
    assert issubclass(cls, Exception)
    assert cls.code == code and cls.name == name
    err = cls("detail text")
    assert err.message == "detail text" and str(err) == "detail text"
    assert err.code == code and err.name == name
    with pytest.raises(builtin):
        raise err


def test_hotpath_error_is_not_a_value_error_itself():
    assert not issubclass(hotpath.HotpathError, ValueError)
    assert issubclass(hotpath.HotpathError, Exception)


def test_exception_str_falls_back_to_name():
    assert str(hotpath.Utf8Error()) == "HP_EUTF8"


@pytest.mark.parametrize("cls", [h[0] for h in HIERARCHY], ids=lambda c: c.__name__)
def test_backend_error_builds_each_class_from_its_code(cls):
    # _backend.error() maps a status to its class by the library's own name table.
    err = _backend.error(cls.code)
    assert type(err) is cls
    assert err.code == cls.code and err.name == cls.name


def test_error_classes_exported_in_all():
    for cls, *_ in HIERARCHY:
        assert cls.__name__ in hotpath.__all__
        assert getattr(hotpath, cls.__name__) is cls
    assert "HotpathError" in hotpath.__all__


# ------------------------------------------------------------------ raised by real calls

def test_split_empty_separator_is_value_error_with_c_message():
    e = raises(ValueError, text.split, b"a,b", b"")
    assert isinstance(e, hotpath.InvalidArgumentError) and isinstance(e, hotpath.HotpathError)
    assert e.code == -1 and e.name == "HP_EINVAL"
    assert e.message == "empty separator" == str(e)


def test_validate_utf8_overlong_raises_utf8_error_with_offset():
    e = raises(hotpath.Utf8Error, text.validate_utf8, b"abc\xc0\xaf")
    assert isinstance(e, UnicodeError) and isinstance(e, ValueError)
    assert e.offset == 3
    assert e.code == -4 and e.name == "HP_EUTF8"
    assert "byte 3" in e.message
    assert "overlong" in e.message


@pytest.mark.parametrize("data,offset,why", [
    (b"ab\xff", 2, "invalid start byte"),
    (b"\x80", 0, ""),
    (b"abc\xe2\x82", 3, ""),
    (b"x\xed\xa0\x80", 1, ""),
    (b"\xf4\x90\x80\x80", 0, ""),
])
def test_utf8_error_message_names_the_offset(data, offset, why):
    for buf in (data, bytearray(data), memoryview(data)):
        e = raises(hotpath.Utf8Error, text.validate_utf8, buf)
        assert e.offset == offset
        assert f"at byte {offset}" in e.message
        assert why in e.message


def test_utf8_error_message_is_per_call_not_stale():
    e1 = raises(hotpath.Utf8Error, text.validate_utf8, b"\xff")
    e2 = raises(hotpath.Utf8Error, text.validate_utf8, b"0123456789\xff")
    assert "byte 0" in e1.message
    assert "byte 10" in e2.message


def test_error_detail_is_thread_local():
    # Each thread sees the message of its own failure, never another thread's.
    results = {}
    barrier = threading.Barrier(4)

    def work(i):
        barrier.wait()
        for _ in range(200):
            try:
                text.validate_utf8(b"a" * i + b"\xff")
            except hotpath.Utf8Error as e:
                if e.offset != i or f"byte {i}" not in e.message:
                    results[i] = e.message
                    return
        results[i] = "ok"

    threads = [threading.Thread(target=work, args=(i,)) for i in (1, 22, 333, 4444)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {1: "ok", 22: "ok", 333: "ok", 4444: "ok"}


def test_sum_overflow_is_overflow_error_with_message():
    e = raises(OverflowError, compute.sum, [1e308, 1e308])
    assert isinstance(e, hotpath.SizeOverflowError)
    assert e.code == -5 and e.name == "HP_EOVERFLOW"
    assert "overflow" in e.message


def test_set_simd_level_bogus_is_value_error():
    e = raises(ValueError, hotpath.set_simd_level, "bogus")
    assert "bogus" in str(e)
    assert not isinstance(e, hotpath.NotSupportedError)


def _unsupported_levels():
    detected = hotpath.simd_detected()
    if platform.machine().lower() in ("x86_64", "amd64"):
        order = ["scalar", "sse42", "avx2", "avx512"]
        return order[order.index(detected) + 1:] + ["neon"]
    if platform.machine().lower() in ("aarch64", "arm64"):
        return ["sse42", "avx2", "avx512"]
    return []


@pytest.mark.parametrize("level", ["sse42", "avx2", "avx512", "neon"])
def test_set_simd_level_beyond_cpu_raises_not_supported(restore_simd_level, level):
    if level not in _unsupported_levels():
        hotpath.set_simd_level(level)  # supported here: must succeed
        assert hotpath.simd_level() == level
        return
    before = hotpath.simd_level()
    e = raises(hotpath.NotSupportedError, hotpath.set_simd_level, level)
    assert isinstance(e, NotImplementedError)
    assert e.code == -8 and e.name == "HP_ENOTSUP"
    assert e.message
    assert hotpath.simd_level() == before  # a refused switch changes nothing


def test_set_simd_level_avx512_without_avx512_raises_not_supported(restore_simd_level):
    has_avx512 = {"avx512f", "avx512bw", "avx512vl"} <= set(hotpath.cpu_features())
    if has_avx512:
        hotpath.set_simd_level("avx512")
        assert hotpath.simd_level() == "avx512"
    else:
        with pytest.raises(hotpath.NotSupportedError):
            hotpath.set_simd_level("avx512")


def test_buffer_too_small_reported_through_backend():
    # Not reachable through the Pythonic API (it sizes buffers itself): a raw call with
    # capacity 0 and the package's error() mapping.
    written = _backend.new_out("size_t")
    status = _backend.lib.hp_utf8_to_utf32(_backend.NULL, 0, written, b"abc", 3)
    err = _backend.error(status)
    assert isinstance(err, hotpath.BufferTooSmallError) and isinstance(err, ValueError)
    assert err.code == -3
    assert _backend.out_value(written) == 3
    assert "3" in err.message and "0" in err.message


def test_check_raises_and_passes():
    _backend.check(0)
    with pytest.raises(hotpath.OutOfRangeError):
        _backend.check(-6)


# ------------------------------------------------------------------ via the allocator hooks

MALLOC = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p)
REALLOC = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p)
FREE = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)


def _raw_lib():
    """A second ctypes handle on the very library the package loaded (same globals)."""
    dll = ctypes.CDLL(hotpath.library_path())
    dll.hp_set_allocator.restype = ctypes.c_int
    dll.hp_set_allocator.argtypes = [MALLOC, REALLOC, FREE, ctypes.c_void_p]
    return dll


def test_out_of_memory_raises_memory_error():
    dll = _raw_lib()
    calls = []

    @MALLOC
    def failing_malloc(size, user):
        calls.append(size)
        return None

    @REALLOC
    def failing_realloc(ptr, size, user):
        return None

    @FREE
    def no_free(ptr, user):
        pass

    assert hotpath.live_allocations() == 0
    assert dll.hp_set_allocator(failing_malloc, failing_realloc, no_free, None) == 0
    try:
        # find_all returns a library-allocated array (hp_find_all_alloc)
        e = raises(MemoryError, text.find_all, b"a,b,c", b",")
        raises(hotpath.OutOfMemoryError, text.Hasher64)
        raises(MemoryError, text.find_all, bytearray(b"a,b,c"), b",")
    finally:
        assert dll.hp_set_allocator(MALLOC(), REALLOC(), FREE(), None) == 0
    assert isinstance(e, hotpath.OutOfMemoryError)
    assert e.code == -2 and e.name == "HP_ENOMEM"
    assert e.message
    assert calls  # the library really asked our allocator
    assert list(text.find_all(b"a,b", b",")) == [1]  # libc allocator is back


def test_allocator_switch_with_open_handle_raises_busy():
    dll = _raw_lib()

    @MALLOC
    def m(size, user):
        return None

    @REALLOC
    def r(ptr, size, user):
        return None

    @FREE
    def f(ptr, user):
        pass

    with text.Hasher64() as h:
        status = dll.hp_set_allocator(m, r, f, None)
        err = _backend.error(status)
        h.update(b"still works")
        assert h.digest() == text.hash64(b"still works")
    assert status == -9
    assert isinstance(err, hotpath.BusyError) and isinstance(err, RuntimeError)
    assert err.message


def test_allocator_partial_null_is_invalid_argument():
    dll = _raw_lib()

    @MALLOC
    def m(size, user):
        return None

    status = dll.hp_set_allocator(m, REALLOC(), FREE(), None)
    err = _backend.error(status)
    assert isinstance(err, hotpath.InvalidArgumentError)
    assert text.split(b"a,b", b",") == [b"a", b"b"]


# ------------------------------------------------------------------ exceptions kept alive

# A failing call made on a buffer (bytearray, memoryview, NumPy, or a list that compute
# copies into an array), whose exception the application keeps (logging, retry queues,
# `except ... as e: self.error = e`) in a reference cycle. Freeing that cycle must not
# crash the interpreter. Run in a subprocess so a crash is reported as a failure.
KEPT_EXCEPTION_CALLS = {
    "validate_utf8-bytearray": 'text.validate_utf8(bytearray(b"ok \\xff"))',
    "validate_utf8-memoryview": 'text.validate_utf8(memoryview(b"ok \\xff"))',
    "validate_utf8-numpy": 'text.validate_utf8(numpy.frombuffer(b"ok \\xff", dtype="u1"))',
    "to_codepoints-bytearray": 'text.to_codepoints(bytearray(b"ok \\xff"))',
    "split-bytearray-empty-sep": 'text.split(bytearray(b"a,b"), b"")',
    "hash64-bytearray-bad-seed": 'text.hash64(bytearray(b"a"), -1)',
    "sum-list-overflow": "compute.sum([1e308, 1e308])",
    "sum-numpy-overflow": "compute.sum(numpy.array([1e308, 1e308]))",
    "validate_utf8-bytes": 'text.validate_utf8(b"ok \\xff")',
}

KEPT_EXCEPTION_SCRIPT = """
import gc, sys
import numpy
import hotpath
from hotpath import compute, text
assert hotpath.backend == sys.argv[1], hotpath.backend

def attempt():
    try:
        {call}
    except Exception as e:
        error = e  # kept: error -> traceback -> this frame -> error (a cycle)
    return None

for _ in range(5):
    attempt()
gc.collect()
print("survived gc")
"""


@pytest.mark.parametrize("call", list(KEPT_EXCEPTION_CALLS.values()),
                         ids=list(KEPT_EXCEPTION_CALLS))
def test_failed_buffer_call_with_kept_exception_survives_gc(call):
    env = dict(os.environ, HOTPATH_BACKEND=hotpath.backend)
    proc = subprocess.run([sys.executable, "-c", KEPT_EXCEPTION_SCRIPT.format(call=call),
                           hotpath.backend], env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, (
        f"interpreter died with status {proc.returncode} when the garbage collector freed "
        f"a kept exception of `{call}` ({hotpath.backend} backend); stderr:\n{proc.stderr[-800:]}")
    assert "survived gc" in proc.stdout


def test_failed_validate_utf8_on_bytearray_then_gc_survives():
    # The simplest form: no application cycle at all, validate_utf8's own frame keeps
    # its exception (err = error(...); raise err).
    script = ("import gc\nfrom hotpath import text\n"
              "try:\n    text.validate_utf8(bytearray(b'\\xff'))\n"
              "except UnicodeError:\n    pass\n"
              "gc.collect()\nprint('survived gc')\n")
    env = dict(os.environ, HOTPATH_BACKEND=hotpath.backend)
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, f"status {proc.returncode}; stderr:\n{proc.stderr[-800:]}"
    assert "survived gc" in proc.stdout
