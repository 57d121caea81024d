"""core.h through Python: version, SIMD level, CPU features, threads, CLI entry points."""
from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import threading

import pytest
import xxhash

import hotpath
from hotpath import text

ALL_LEVELS = ["scalar", "sse42", "avx2", "avx512", "neon"]
FEATURES = ["sse2", "sse4.2", "avx", "avx2", "bmi2", "fma", "avx512f", "avx512bw", "avx512vl",
            "neon", "popcnt"]
IS_X86 = platform.machine().lower() in ("x86_64", "amd64")


def run_python(args, env_update=None, timeout=120):
    env = dict(os.environ, HOTPATH_BACKEND=hotpath.backend)
    for name in ("HOTPATH_SIMD", "HOTPATH_THREADS", "HOTPATH_LIBRARY"):
        env.pop(name, None)
    env.update(env_update or {})
    return subprocess.run([sys.executable] + args, env=env, capture_output=True, text=True,
                          timeout=timeout)


# ------------------------------------------------------------------ version

def test_version_string_format():
    assert re.fullmatch(r"\d+\.\d+\.\d+", hotpath.version())


def test_version_info_agrees_with_version_string():
    v = hotpath.version_info()
    assert isinstance(v, hotpath.VersionInfo)
    assert all(isinstance(p, int) and p >= 0 for p in v)
    assert hotpath.version() == f"{v.major}.{v.minor}.{v.patch}"
    assert (v.major, v.minor, v.patch) == tuple(v)


def test_version_matches_package_and_header():
    assert hotpath.version() == hotpath.__version__
    with open(os.path.join(hotpath.include_dir(), "hotpath", "core.h")) as f:
        core = f.read()
    nums = [int(re.search(rf"#define HP_VERSION_{p} (\d+)", core).group(1))
            for p in ("MAJOR", "MINOR", "PATCH")]
    assert tuple(nums) == tuple(hotpath.version_info())


# ------------------------------------------------------------------ SIMD

def test_simd_level_and_detected_are_known_names():
    assert hotpath.simd_level() in ALL_LEVELS
    assert hotpath.simd_detected() in ALL_LEVELS


def test_simd_level_defaults_to_detected_without_env():
    proc = run_python(["-c", "import hotpath; print(hotpath.simd_level(), hotpath.simd_detected())"])
    assert proc.returncode == 0, proc.stderr
    level, detected = proc.stdout.split()
    assert level == detected == hotpath.simd_detected()


def test_simd_detected_is_consistent_with_cpu_features():
    detected, feats = hotpath.simd_detected(), set(hotpath.cpu_features())
    requirements = {"sse42": {"sse4.2"}, "avx2": {"avx2", "bmi2", "fma"},
                    "avx512": {"avx512f", "avx512bw", "avx512vl"}, "neon": {"neon"},
                    "scalar": set()}
    assert requirements[detected] <= feats
    if IS_X86:
        # the highest level the features allow (the build has every x86 path)
        best = "scalar"
        for level in ("sse42", "avx2"):
            if requirements[level] <= feats:
                best = level
        if detected != "avx512":
            assert detected == best


def test_set_simd_level_round_trip(restore_simd_level):
    detected = hotpath.simd_detected()
    hotpath.set_simd_level("scalar")
    assert hotpath.simd_level() == "scalar"
    assert hotpath.simd_detected() == detected  # detection is not affected
    assert text.hash64(b"x" * 1000, 1) == xxhash.xxh3_64_intdigest(b"x" * 1000, 1)
    hotpath.set_simd_level(detected)
    assert hotpath.simd_level() == detected


def test_set_simd_level_every_level_up_to_detected(restore_simd_level):
    detected = hotpath.simd_detected()
    order = ["scalar", "sse42", "avx2", "avx512"] if IS_X86 else ["scalar", detected]
    for level in order[: order.index(detected) + 1]:
        hotpath.set_simd_level(level)
        assert hotpath.simd_level() == level
        data = ("abc€" * 300).encode()
        assert text.is_utf8(data) and text.utf8_error_offset(data + b"\x80") == len(data)


def test_set_simd_level_is_process_wide(restore_simd_level):
    hotpath.set_simd_level("scalar")
    seen = []
    t = threading.Thread(target=lambda: seen.append(hotpath.simd_level()))
    t.start()
    t.join()
    assert seen == ["scalar"]


@pytest.mark.parametrize("bad", ["bogus", "", "AVX2", "Scalar", "unknown"])
def test_set_simd_level_unknown_name_raises_value_error(restore_simd_level, bad):
    before = hotpath.simd_level()
    with pytest.raises(ValueError):
        hotpath.set_simd_level(bad)
    assert hotpath.simd_level() == before


@pytest.mark.parametrize("bad", [None, 2, 0, b"scalar"])
def test_set_simd_level_non_name_raises(restore_simd_level, bad):
    before = hotpath.simd_level()
    with pytest.raises((ValueError, TypeError)):
        hotpath.set_simd_level(bad)
    assert hotpath.simd_level() == before


def test_hotpath_simd_env_lowers_level():
    proc = run_python(["-c", "import hotpath; print(hotpath.simd_level(), hotpath.simd_detected())"],
                      {"HOTPATH_SIMD": "scalar"})
    assert proc.returncode == 0, proc.stderr
    level, detected = proc.stdout.split()
    assert level == "scalar"
    assert detected == hotpath.simd_detected()


def test_hotpath_simd_env_cannot_raise_level_above_detected():
    above = "neon" if IS_X86 else "avx512"
    proc = run_python(["-c", "import hotpath; print(hotpath.simd_level())"],
                      {"HOTPATH_SIMD": above})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() in ALL_LEVELS
    assert proc.stdout.strip() != above


# ------------------------------------------------------------------ CPU features, threads

def test_cpu_features_list():
    feats = hotpath.cpu_features()
    assert isinstance(feats, list)
    assert set(feats) <= set(FEATURES)
    assert len(set(feats)) == len(feats)
    assert feats == [f for f in FEATURES if f in feats]  # in bit order
    if IS_X86:
        assert "sse2" in feats  # baseline of x86-64
        assert "neon" not in feats
    if platform.machine().lower() in ("aarch64", "arm64"):
        assert "neon" in feats


def test_cpu_features_agree_with_proc_cpuinfo():
    if not (IS_X86 and os.path.exists("/proc/cpuinfo")):
        return
    with open("/proc/cpuinfo") as f:
        flags = set(next(line for line in f if line.startswith("flags")).split(":")[1].split())
    feats = set(hotpath.cpu_features())
    names = {"sse2": "sse2", "sse4.2": "sse4_2", "avx": "avx", "avx2": "avx2", "bmi2": "bmi2",
             "fma": "fma", "avx512f": "avx512f", "avx512bw": "avx512bw",
             "avx512vl": "avx512vl", "popcnt": "popcnt"}
    for ours, linux in names.items():
        # /proc/cpuinfo flags are what the kernel enables, the same view hotpath reports
        assert (ours in feats) == (linux in flags), ours


def test_default_threads_at_least_one():
    n = hotpath.default_threads()
    assert isinstance(n, int) and n >= 1
    if not os.environ.get("HOTPATH_THREADS"):
        assert n == os.cpu_count()  # online CPUs


@pytest.mark.parametrize("value,expected", [("3", 3), ("1", 1), ("17", 17)])
def test_hotpath_threads_env(value, expected):
    proc = run_python(["-c", "import hotpath; print(hotpath.default_threads())"],
                      {"HOTPATH_THREADS": value})
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) == expected


@pytest.mark.parametrize("value", ["0", "-2", "abc", ""])
def test_hotpath_threads_env_invalid_falls_back_to_cpu_count(value):
    proc = run_python(["-c", "import hotpath; print(hotpath.default_threads())"],
                      {"HOTPATH_THREADS": value})
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) >= 1
    assert int(proc.stdout) == int(run_python(
        ["-c", "import hotpath; print(hotpath.default_threads())"]).stdout)


FORK_SCRIPT = r"""
import os, xxhash
from hotpath import text
items = [bytes([i % 256]) * (i % 50) for i in range(100_000)]
want = [xxhash.xxh3_64_intdigest(s, 4) for s in items]
assert list(text.hash64_batch(items, 4, 2)) == want          # the pool exists before fork
pid = os.fork()
if pid == 0:
    ok = list(text.hash64_batch(items, 4, 2)) == want and list(text.hash64_batch(items, 5, 0)) == \
        [xxhash.xxh3_64_intdigest(s, 5) for s in items]
    os._exit(0 if ok else 3)
_, status = os.waitpid(pid, 0)
print("child", os.waitstatus_to_exitcode(status))
print("parent", list(text.hash64_batch(items, 4, 2)) == want)
"""


def test_thread_pool_survives_fork():
    # In a subprocess with a timeout: a pool that does not survive fork() deadlocks.
    proc = run_python(["-c", FORK_SCRIPT], timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["child", "0", "parent", "True"]


def test_live_allocations_counts_open_handles():
    base = hotpath.live_allocations()
    assert isinstance(base, int) and base >= 0
    hashers = [text.Hasher64(i) for i in range(3)]
    assert hotpath.live_allocations() == base + 3
    for h in hashers:
        h.close()
    assert hotpath.live_allocations() == base


def test_split_result_is_freed():
    base = hotpath.live_allocations()
    for _ in range(100):
        text.split(b"a,b,c" * 100, b",")
    assert hotpath.live_allocations() == base


def test_public_api_names():
    for name in hotpath.__all__:
        assert hasattr(hotpath, name), name


# ------------------------------------------------------------------ python -m hotpath

def test_cli_info_runs():
    proc = run_python(["-m", "hotpath", "info"])
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"backend:  {hotpath.backend}" in out
    assert hotpath.version() in out
    assert hotpath.library_path() in out
    assert f"simd:     {hotpath.simd_level()}" in out


def test_cli_demo_quick_runs():
    proc = run_python(["-m", "hotpath", "demo", "--quick"], timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
    assert "Traceback" not in proc.stderr


def test_cli_without_command_fails_with_usage():
    proc = run_python(["-m", "hotpath"])
    assert proc.returncode == 2
    assert "usage" in proc.stderr.lower()
