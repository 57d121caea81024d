"""Layer 1: backend choice, library location, overrides, cross-backend agreement, GIL.

Checks that need a fresh interpreter (environment variables read at import) run in a
subprocess with sys.executable.
"""
from __future__ import annotations

import ctypes
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import xxhash

import hotpath
from hotpath import _backend, compute, text


def run_python(code: str, env_update=None, drop=(), timeout=120) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    for name in ("HOTPATH_BACKEND", "HOTPATH_LIBRARY", "HOTPATH_SIMD", "HOTPATH_THREADS") + \
            tuple(drop):
        env.pop(name, None)
    env.update(env_update or {})
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=timeout)


# ------------------------------------------------------------------ backend choice

def test_backend_is_cffi_or_ctypes(backend):
    assert backend in ("cffi", "ctypes")
    assert hotpath.backend == _backend.BACKEND == backend


def test_backend_matches_environment_variable():
    want = os.environ.get("HOTPATH_BACKEND", "").strip().lower()
    if want:
        assert hotpath.backend == want
    else:
        assert hotpath.backend == "cffi"  # the extension is built and shipped


def test_cffi_extension_is_shipped():
    assert importlib.util.find_spec("hotpath._hotpath_cffi") is not None


def test_default_backend_is_cffi_in_fresh_process():
    proc = run_python("import hotpath; print(hotpath.backend)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "cffi"


@pytest.mark.parametrize("value,expected", [("cffi", "cffi"), ("ctypes", "ctypes"),
                                            ("CTYPES", "ctypes"), (" cffi ", "cffi"),
                                            ("", "cffi")])
def test_backend_environment_values_in_fresh_process(value, expected):
    proc = run_python("import hotpath; print(hotpath.backend); print(hotpath.text.hash64(b'x'))",
                      {"HOTPATH_BACKEND": value})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.split()
    assert lines[0] == expected
    assert int(lines[1]) == xxhash.xxh3_64_intdigest(b"x")


@pytest.mark.parametrize("value", ["bogus", "cff", "ctypes2", "numpy"])
def test_bad_backend_value_raises_import_error(value):
    proc = run_python("import hotpath", {"HOTPATH_BACKEND": value})
    assert proc.returncode != 0
    assert "ImportError" in proc.stderr
    assert "HOTPATH_BACKEND must be 'cffi' or 'ctypes'" in proc.stderr
    assert repr(value) in proc.stderr


# ------------------------------------------------------------------ library location

def test_library_path_exists_and_loads_with_ctypes():
    path = hotpath.library_path()
    assert os.path.isabs(path) and os.path.isfile(path)
    dll = ctypes.CDLL(path)
    dll.hp_version.restype = ctypes.c_uint32
    v = hotpath.version_info()
    assert dll.hp_version() == v.major * 1_000_000 + v.minor * 1000 + v.patch
    dll.hp_version_string.restype = ctypes.c_char_p
    assert dll.hp_version_string().decode() == hotpath.version()


def test_library_is_inside_the_package():
    pkg_dir = os.path.dirname(os.path.abspath(hotpath.__file__))
    if not os.environ.get("HOTPATH_LIBRARY"):
        assert os.path.dirname(hotpath.library_path()) == pkg_dir


def test_loaded_library_is_library_path():
    # The library mapped into this process is the file library_path() names.
    with open("/proc/self/maps") as f:
        maps = f.read()
    assert os.path.realpath(hotpath.library_path()) in maps


def test_include_dir_has_headers():
    inc = hotpath.include_dir()
    assert os.path.isfile(os.path.join(inc, "hotpath.h"))
    for name in ("core.h", "text.h", "compute.h"):
        assert os.path.isfile(os.path.join(inc, "hotpath", name)), name
    with open(os.path.join(inc, "hotpath", "core.h")) as f:
        core = f.read()
    v = hotpath.version_info()
    assert f"#define HP_VERSION_MAJOR {v.major}" in core
    assert f"#define HP_VERSION_MINOR {v.minor}" in core


def test_abi_major_matches_library():
    assert _backend.ABI_MAJOR == hotpath.version_info().major


def test_hotpath_library_override_loads_that_file(tmp_path):
    which = hotpath.backend
    copy = tmp_path / "custom" / "libhotpath.so.0"
    copy.parent.mkdir()
    shutil.copy2(hotpath.library_path(), copy)
    original = os.path.realpath(hotpath.library_path())
    # live_allocations() asks the library the package calls; the ctypes handle on the
    # override file reads that file's counter. With an open hasher both must say 1.
    code = ("import ctypes, hotpath, json\n"
            "h = hotpath.text.Hasher64()\n"
            "override = ctypes.CDLL(hotpath.library_path()).hp_live_allocations()\n"
            "used = hotpath.live_allocations()\n"
            "h.close()\n"
            "maps = open('/proc/self/maps').read()\n"
            "print(json.dumps({'path': hotpath.library_path(), 'backend': hotpath.backend,"
            " 'maps': [l.split()[-1] for l in maps.splitlines() if 'libhotpath' in l],"
            " 'override_count': override, 'used_count': used,"
            " 'hash': hotpath.text.hash64(b'abc', 5)}))\n")
    proc = run_python(code, {"HOTPATH_LIBRARY": str(copy), "HOTPATH_BACKEND": which})
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["backend"] == which
    assert out["path"] == str(copy)
    assert str(copy) in out["maps"]
    assert out["used_count"] == 1
    assert out["override_count"] == 1, "calls do not go to the HOTPATH_LIBRARY file"
    assert original not in out["maps"], "the bundled library was loaded as well"
    assert out["hash"] == xxhash.xxh3_64_intdigest(b"abc", 5)


def test_hotpath_library_relative_path_is_made_absolute(tmp_path):
    shutil.copy2(hotpath.library_path(), tmp_path / "libhotpath.so.0")
    env = dict(os.environ, HOTPATH_LIBRARY="libhotpath.so.0")
    env.pop("HOTPATH_BACKEND", None)
    proc = subprocess.run([sys.executable, "-c", "import hotpath; print(hotpath.library_path())"],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(tmp_path / "libhotpath.so.0")


def test_hotpath_library_missing_file_fails_import(tmp_path):
    which = hotpath.backend
    missing = tmp_path / "nope" / "libhotpath.so.0"
    proc = run_python("import hotpath", {"HOTPATH_LIBRARY": str(missing),
                                         "HOTPATH_BACKEND": which})
    assert proc.returncode != 0
    assert str(missing) in proc.stderr
    assert "Error" in proc.stderr


# ------------------------------------------------------------------ both backends agree

CROSS_CHECK = r'''
import json, math
from decimal import Decimal
from fractions import Fraction
import numpy
import hotpath
from hotpath import compute, text

def err(fn, *a):
    """The error of fn(*a): class, code, C message (for HotpathError; messages of plain
    Python argument errors may be worded differently), UTF-8 offset."""
    try:
        fn(*a)
    except Exception as e:
        e.__traceback__ = None
        c_detail = e.message if isinstance(e, hotpath.HotpathError) else None
        return [type(e).__name__, getattr(e, "code", None), c_detail, getattr(e, "offset", None)]
    return None

def call(fn, *a):
    """["ok", result] or ["raised", exception class name]."""
    try:
        return ["ok", fn(*a)]
    except Exception as e:
        e.__traceback__ = None
        return ["raised", type(e).__name__]

def fhex(x):
    return float(x).hex()

blob = bytes(range(256)) * 9
utf = "héllo wörld € 😀 ".encode() * 40
out = {
    "backend": hotpath.backend,
    "version": [hotpath.version(), list(hotpath.version_info())],
    "simd": [hotpath.simd_level(), hotpath.simd_detected(), hotpath.cpu_features()],
    "threads": hotpath.default_threads(),
    "hash": [text.hash64(blob[:n], s) for n in (0, 1, 3, 16, 17, 128, 129, 240, 241, 2304)
             for s in (0, 2**32 + 1, 2**64 - 1)],
    "hash_str": text.hash64("héllo", 7),
    "hash_buffers": [text.hash64(bytearray(b"abc")), text.hash64(memoryview(b"abc")[1:])],
    "hasher": None,
    "batch": list(text.hash64_batch([b"", b"a", "é", blob[:300]] * 50, 99, 2)),
    "is_utf8": [text.is_utf8(utf), text.is_utf8(utf[:-1]), text.is_utf8(bytearray(b"\xff"))],
    "offsets": [text.utf8_error_offset(x) for x in (utf, utf[:-1], b"ab\xc0\xaf", b"\xed\xa0\x80")],
    "codepoints": list(text.to_codepoints("a€😀".encode())),
    "split": [[p.hex() for p in text.split(b"a,b,,c", b",", m)] for m in (-1, 0, 1, 2)]
             + [text.split("x→y→z", "→"), [p.hex() for p in text.split(bytearray(b"1--2"), b"--")]],
    "sum": [fhex(compute.sum(x)) for x in ([], [1e100, 1.0, -1e100], [0.1] * 10,
                                           [float(i) for i in range(1000)], [math.inf, 1.0],
                                           [math.inf, -math.inf], [1e16, 1.0, 1e-16])],
    "errors": [err(text.split, b"a", b""), err(text.validate_utf8, b"abc\xc0\xaf"),
               err(text.to_codepoints, b"ab\xff"), err(compute.sum, [1e308, 1e308]),
               err(hotpath.set_simd_level, "bogus"), err(text.hash64, b"a", -1),
               err(text.hash64, b"a", 1.5), err(compute.sum, b"12345678"),
               err(text.split, "a", b"a"), err(text.hash64_batch, [b"a"], 0, -1)],
    "seed_types": [[call(text.hash64, data, seed) for data in (b"abc", bytearray(b"abc"))]
                   for seed in (True, numpy.uint64(5), numpy.int64(5), Decimal(5),
                                Decimal("5.7"), Fraction(11, 2), 5.0)],
}
with text.Hasher64(5) as h:
    h.update(b"abc").update("déf").update(bytearray(300))
    out["hasher"] = [h.digest(), h.hexdigest()]
print(json.dumps(out, sort_keys=True))
'''


CROSS_CHECK_KEYS = ["version", "simd", "threads", "hash", "hash_str", "hash_buffers", "hasher",
                    "batch", "is_utf8", "offsets", "codepoints", "split", "sum", "errors",
                    "seed_types"]


def _cross_check_this_backend() -> dict:
    proc = run_python(CROSS_CHECK, {"HOTPATH_BACKEND": hotpath.backend})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def cross_check_results():
    """(results in this process, results of the other backend in a subprocess)."""
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(CROSS_CHECK, "<cross-check>", "exec"), {})
    here = json.loads(buf.getvalue())
    other = "ctypes" if hotpath.backend == "cffi" else "cffi"
    proc = run_python(CROSS_CHECK, {"HOTPATH_BACKEND": other})
    assert proc.returncode == 0, proc.stderr
    there = json.loads(proc.stdout)
    assert here["backend"] == hotpath.backend
    assert there["backend"] == other
    return here, there


def test_cross_check_covers_every_key(cross_check_results):
    here, there = cross_check_results
    assert sorted(CROSS_CHECK_KEYS) == sorted(k for k in here if k != "backend")
    assert sorted(here) == sorted(there)


@pytest.mark.parametrize("key", CROSS_CHECK_KEYS)
def test_both_backends_give_identical_results(cross_check_results, key):
    """The same calls on this run's backend (in this process) and on the other one (in a
    subprocess): every result, hash, float bit pattern and error must be identical."""
    here, there = cross_check_results
    assert here[key] == there[key]


def test_cross_check_values_are_correct():
    # The agreed-on values are also right (so agreement is not agreement on a bug).
    import math
    out = _cross_check_this_backend()
    blob = bytes(range(256)) * 9
    assert out["hash"] == [xxhash.xxh3_64_intdigest(blob[:n], s)
                           for n in (0, 1, 3, 16, 17, 128, 129, 240, 241, 2304)
                           for s in (0, 2**32 + 1, 2**64 - 1)]
    assert out["codepoints"] == [ord("a"), ord("€"), ord("😀")]
    assert [float.fromhex(x) for x in out["sum"][:4]] == [0.0, 1.0, 1.0, 499500.0]
    assert out["errors"][0][:3] == ["InvalidArgumentError", -1, "empty separator"]
    assert out["seed_types"][0] == [["ok", xxhash.xxh3_64_intdigest(b"abc", 1)]] * 2  # True
    assert out["errors"][1][0] == "Utf8Error" and out["errors"][1][3] == 3
    assert out["errors"][2][3] == 2
    assert out["errors"][3][:2] == ["SizeOverflowError", -5]
    assert out["errors"][5][0] == "OverflowError"
    assert out["errors"][6][0] == "TypeError"
    assert out["errors"][7][0] == "TypeError"
    assert out["errors"][8][0] == "TypeError"
    assert out["errors"][9][0] == "ValueError"
    assert math.isnan(float.fromhex(out["sum"][5]))


# ------------------------------------------------------------------ the GIL

ATTEMPTS = 20


def _counter_progress_during(calls):
    """Run each call in `calls` on its own worker thread while a pure-Python thread
    counts; return, per call, the largest advance of the counter across one single C call
    (over up to ATTEMPTS tries), and the call's result.

    The switch interval is raised to 60 s, so the only way the counter thread can run
    between a worker's two reads of the counter is that the worker released the GIL
    inside the call. With the GIL held the advance is exactly 0 on every try; with it
    released the counter runs during the call. Trying a few times (stopping at the first
    nonzero advance) absorbs scheduler latency on a loaded machine, where the counter
    thread may not get a CPU before a short call ends; no timing thresholds involved.
    """
    counter = [0]
    stop = [False]
    started = threading.Event()

    def count():
        started.set()
        n = 0
        while not stop[0]:
            counter[0] += 1
            n += 1
            if n % 512 == 0:
                time.sleep(0)  # lets a worker re-take the GIL promptly after its call

    advances = [None] * len(calls)
    results = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def worker(i):
        barrier.wait()
        best = 0
        for _ in range(ATTEMPTS):
            before = counter[0]
            results[i] = calls[i]()
            best = max(best, counter[0] - before)
            if best > 0:
                break
        advances[i] = best

    old = sys.getswitchinterval()
    sys.setswitchinterval(60.0)
    try:
        t = threading.Thread(target=count, daemon=True)
        t.start()
        started.wait()
        while counter[0] < 1000:
            time.sleep(0.001)
        workers = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    finally:
        stop[0] = True
        sys.setswitchinterval(old)
    t.join()
    return advances, results


BIG = 64 << 20


@pytest.fixture(scope="module")
def big_bytes():
    return b"\x5a\xa5hotpath" * (BIG // 9)  # not UTF-8 (0xa5 is a stray continuation)


@pytest.fixture(scope="module")
def big_ascii():
    return b"hotpath " * (BIG // 8)


def test_gil_released_during_hash64(big_bytes):
    advances, results = _counter_progress_during([lambda: text.hash64(big_bytes, 3)])
    assert results[0] == xxhash.xxh3_64_intdigest(big_bytes, 3)
    assert advances[0] > 0, "the counter thread never ran during hash64: GIL held"


def test_gil_released_during_hash64_in_two_threads(big_bytes):
    other = bytearray(big_bytes)
    other[-1] ^= 1
    advances, results = _counter_progress_during(
        [lambda: text.hash64(big_bytes, 1), lambda: text.hash64(other, 2)])
    assert results == [xxhash.xxh3_64_intdigest(big_bytes, 1),
                       xxhash.xxh3_64_intdigest(bytes(other), 2)]
    assert all(a > 0 for a in advances), advances


@pytest.mark.parametrize("name", ["is_utf8", "utf8_error_offset", "to_codepoints", "split",
                                  "hasher_update", "hash64_batch", "sum"])
def test_gil_released_during_other_calls(big_bytes, big_ascii, name):
    ascii_data = big_ascii[: 16 << 20]
    floats = np.arange(4 << 20, dtype=np.float64)

    def hasher_update():
        with text.Hasher64() as h:
            h.update(big_bytes)
            return h.digest()

    calls = {
        "is_utf8": lambda: text.is_utf8(big_ascii),
        "utf8_error_offset": lambda: text.utf8_error_offset(big_ascii),
        "to_codepoints": lambda: len(text.to_codepoints(ascii_data)),
        "split": lambda: len(text.split(big_bytes, b"\x00\x01")),
        "hasher_update": hasher_update,
        "hash64_batch": lambda: text.hash64_batch([ascii_data[i:i + 4096] for i in
                                                   range(0, len(ascii_data), 4096)], 0, 1)[0],
        "sum": lambda: compute.sum(floats),
    }
    expected = {
        "is_utf8": True,
        "utf8_error_offset": None,
        "to_codepoints": len(ascii_data),
        "split": 1,
        "hasher_update": xxhash.xxh3_64_intdigest(big_bytes),
        "hash64_batch": xxhash.xxh3_64_intdigest(ascii_data[:4096]),
        "sum": float((4 << 20) * ((4 << 20) - 1) // 2),
    }
    advances, results = _counter_progress_during([calls[name]])
    assert results[0] == expected[name]
    assert advances[0] > 0, f"the counter thread never ran during {name}: GIL held"


def test_gil_probe_detects_a_call_that_holds_the_gil():
    # The probe itself must be able to fail: a long pure-Python loop holds the GIL
    # (the switch interval is 60 s), so the counter cannot advance.
    def hold():
        x = 0
        for i in range(300_000):
            x += i
        return x

    advances, _ = _counter_progress_during([hold])
    assert advances == [0]
