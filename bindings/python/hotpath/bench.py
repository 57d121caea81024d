"""python -m hotpath bench: what one call costs through each bridge, then kernel throughput.

Part 1 times the same kernel — hash64 of 8 bytes (XXH3-64) — called through:
pure Python (the same algorithm written in Python), ctypes, cffi ABI mode (dlopen),
cffi API mode (the compiled module's raw ``lib``) and hotpath's own wrapper.
Part 2 measures throughput of the batch kernels against the usual Python tools, all
in this process, and prints ratios (>1 means hotpath is faster).

Times are best-of-N wall clock; compare ratios from one run, not absolute times
across runs or machines.
"""
from __future__ import annotations

import ctypes
import math
import random
import time
import timeit
from importlib import resources
from typing import Callable, List, Optional, Tuple

import hotpath
from hotpath import compute, text

_M64 = (1 << 64) - 1
# Bytes 8..23 of XXH3's default secret (the spec's kSecret), for the 4..8-byte path.
_SECRET_8_24 = bytes.fromhex("7c01812cf721ad1cded46de9839097db")
_PRIME_MX2 = 0x9FB21C651E98DF25


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (64 - r))) & _M64


def py_xxh3_4to8(data: bytes, seed: int = 0) -> int:
    """XXH3-64 of a 4..8-byte input in pure Python (the spec's 4-8 byte path)."""
    n = len(data)
    seed ^= int.from_bytes((seed & 0xFFFFFFFF).to_bytes(4, "little"), "big") << 32
    lo = int.from_bytes(data[:4], "little")
    hi = int.from_bytes(data[n - 4:], "little")
    bitflip = (int.from_bytes(_SECRET_8_24[:8], "little")
               ^ int.from_bytes(_SECRET_8_24[8:], "little")) - seed & _M64
    h = ((hi + (lo << 32)) & _M64) ^ bitflip
    h ^= _rotl(h, 49) ^ _rotl(h, 24)
    h = h * _PRIME_MX2 & _M64
    h ^= (h >> 35) + n
    h = h * _PRIME_MX2 & _M64
    return h ^ (h >> 28)


def _ns_per_call(stmt: str, env: dict, number: int, repeat: int) -> float:
    """Best time of one `stmt`, run `number` times in timeit's compiled loop."""
    timer = timeit.Timer(stmt, globals=env)
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e9


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bridges() -> List[Tuple[str, str, dict]]:
    """(label, statement, globals) calling hp_hash64 on `d` with seed `s` through each bridge.

    Each statement is what a user of that bridge writes, so the per-call figures include
    the bridge's argument conversion and nothing else.
    """
    out: List[Tuple[str, str, dict]] = [("pure Python", "f(d, s)", {"f": py_xxh3_4to8})]
    dll = ctypes.CDLL(hotpath.library_path())
    fn = dll.hp_hash64
    fn.restype = ctypes.c_uint64
    fn.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64]
    out.append(("ctypes (argtypes set)", "f(d, len(d), s)", {"f": fn}))
    try:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef((resources.files("hotpath") / "_cdef.h").read_text())
        abi = ffi.dlopen(hotpath.library_path())
        out.append(("cffi ABI mode (dlopen)", "f(d, len(d), s)", {"f": abi.hp_hash64}))
    except Exception as exc:  # cffi missing: the ctypes-only install
        print(f"  (cffi ABI mode unavailable: {exc})")
    try:
        from hotpath._hotpath_cffi import lib as api

        out.append((RAW_API, "f(d, len(d), s)", {"f": api.hp_hash64}))
    except ImportError:
        print("  (cffi API module not built)")
    out.append((f"hotpath.text.hash64 [{hotpath.backend}]", "f(d, s)", {"f": text.hash64}))
    return out


RAW_API = "cffi API mode (raw lib)"


def per_call(quick: bool) -> dict:
    data, seed = b"hotpath!", 12345
    number, repeat = (50_000, 3) if quick else (500_000, 7)
    print(f"Cost of one call: hash64 of {len(data)} bytes (best of {repeat} x {number:,} calls)")
    expect = text.hash64(data, seed)
    rows = []
    for label, stmt, env in bridges():
        env = dict(env, d=data, s=seed)
        if eval(stmt, env) != expect:
            raise AssertionError(f"{label} disagrees with hotpath.text.hash64")
        rows.append((label, _ns_per_call(stmt, env, number, repeat)))
    ref = dict(rows).get(RAW_API)
    for label, ns in rows:
        rel = f"{ns / ref:5.2f}x the raw cffi API call" if ref else ""
        print(f"  {label:<34} {ns:8.0f} ns/call   {rel}")
    print()
    return dict(rows)


def _mixed_text(n: int) -> bytes:
    rng = random.Random(7)
    words = ["data", "pipeline", "kernel", "thread", "buffer", "привет", "мир", "καλημέρα",
             "東京", "数据", "处理", "😀", "🚀", "naïve", "façade", "Zürich"]
    out, size = [], 0
    while size < n:
        w = rng.choice(words)
        out.append(w)
        size += len(w.encode()) + 1
    return " ".join(out).encode()


def _ratio_row(label: str, nbytes: Optional[int], ours: float, name: str, theirs: float) -> str:
    if nbytes:
        a, b = f"{nbytes / ours / 1e9:6.2f} GB/s", f"{nbytes / theirs / 1e9:6.2f} GB/s"
    else:
        a, b = f"{ours * 1e3:7.2f} ms", f"{theirs * 1e3:7.2f} ms"
    line = f"  {label:<30} hotpath {a}   {name:<28} {b}   ratio {theirs / ours:6.2f}x"
    print(line)
    return line


def throughput(quick: bool) -> List[Tuple[str, float]]:
    repeat = 3 if quick else 7
    big = (4 << 20) if quick else (64 << 20)
    results: List[Tuple[str, float]] = []
    print(f"Throughput (best of {repeat}; ratio = peer time / hotpath time)")

    ascii_data = (b"The quick brown fox jumps over the lazy dog. 0123456789\n" * (big // 56 + 1))[:big]
    mixed = _mixed_text(big)
    for label, data in (("validate UTF-8, ASCII", ascii_data), ("validate UTF-8, mixed", mixed)):
        ours = _best(lambda: text.is_utf8(data), repeat)
        theirs = _best(lambda: data.decode("utf-8"), repeat)
        _ratio_row(label, len(data), ours, "bytes.decode('utf-8')", theirs)
        results.append((label, theirs / ours))

    try:
        import xxhash
    except ImportError:
        xxhash = None
    mib = bytes(random.Random(3).getrandbits(8) for _ in range(1 << 20))
    reps = 50 if quick else 500
    ours = _best(lambda: [text.hash64(mib) for _ in range(reps)], repeat) / reps
    if xxhash is not None:
        theirs = _best(lambda: [xxhash.xxh3_64_intdigest(mib) for _ in range(reps)], repeat) / reps
        _ratio_row("hash64, 1 MiB", len(mib), ours, "xxhash.xxh3_64_intdigest", theirs)
        results.append(("hash64 1 MiB vs xxhash", theirs / ours))
    else:
        print(f"  hash64, 1 MiB: {len(mib) / ours / 1e9:.2f} GB/s (install xxhash to compare)")

    n_strings = 100_000 if quick else 1_000_000
    rng = random.Random(5)
    words = [("w%d_" % rng.randrange(10**9)).encode() * rng.randint(1, 3) for _ in range(n_strings)]
    ours = _best(lambda: text.hash64_batch(words), repeat)
    if xxhash is not None:
        h = xxhash.xxh3_64_intdigest
        theirs = _best(lambda: [h(w) for w in words], repeat)
        _ratio_row(f"hash64_batch, {n_strings:,} strings", None, ours,
                   "loop of xxh3_64_intdigest", theirs)
        results.append(("hash64_batch vs xxhash loop", theirs / ours))

    line = b",".join(words[: n_strings // 4])
    ours = _best(lambda: text.split(line, b","), repeat)
    theirs = _best(lambda: line.split(b","), repeat)
    _ratio_row("split on b','", len(line), ours, "bytes.split(b',')", theirs)
    results.append(("split vs bytes.split", theirs / ours))

    from array import array

    vals = array("d", (rng.uniform(-1, 1) * 10 ** rng.randint(-8, 8) for _ in range(big // 16)))
    ours = _best(lambda: compute.sum(vals), repeat)
    theirs = _best(lambda: math.fsum(vals), repeat)
    _ratio_row(f"sum, {len(vals):,} f64", len(vals) * 8, ours, "math.fsum", theirs)
    results.append(("sum vs math.fsum", theirs / ours))
    try:
        import numpy as np

        arr = np.frombuffer(vals, dtype=np.float64)
        theirs = _best(lambda: arr.sum(), repeat)
        _ratio_row(f"sum, {len(vals):,} f64", len(vals) * 8, ours, "numpy.sum (not compensated)", theirs)
        results.append(("sum vs numpy.sum", theirs / ours))
    except ImportError:
        pass
    print()
    return results


def main(quick: bool = False) -> int:
    print(f"hotpath {hotpath.version()} — backend {hotpath.backend}, SIMD {hotpath.simd_level()}, "
          f"{hotpath.default_threads()} threads\n")
    per_call(quick)
    throughput(quick)
    return 0
