"""A short tour of hotpath on built-in data, with timings against pure Python."""
from __future__ import annotations

import math
import random
import time
import zlib
from typing import Callable, Tuple

import hotpath
from hotpath import compute, text


def _best(fn: Callable[[], object], repeat: int) -> Tuple[float, object]:
    """Best wall time of `repeat` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def _row(label: str, ours: float, theirs: float, baseline: str) -> None:
    print(f"  {label:<34} hotpath {ours * 1e3:8.2f} ms   {baseline:<22} {theirs * 1e3:8.2f} ms"
          f"   {theirs / ours:6.1f}x")


def _corpus(n_bytes: int) -> bytes:
    """Mixed text: English words with Cyrillic, Greek, CJK and emoji sprinkled in."""
    rng = random.Random(42)
    words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "data", "pipeline",
             "привет", "мир", "καλημέρα", "κόσμε", "東京", "数据", "😀", "🚀", "naïve", "café"]
    out, size = [], 0
    while size < n_bytes:
        w = rng.choice(words)
        out.append(w)
        size += len(w.encode()) + 1
    return " ".join(out).encode()[:n_bytes].decode("utf-8", "ignore").encode()


def main(quick: bool = False) -> int:
    repeat = 3 if quick else 7
    size = (1 << 20) if quick else (16 << 20)
    print(f"hotpath {hotpath.version()} — backend {hotpath.backend}, SIMD {hotpath.simd_level()}, "
          f"{hotpath.default_threads()} threads\n")

    data = _corpus(size)
    print(f"UTF-8 validation of {len(data) / 2**20:.0f} MiB of mixed text")
    ours, ok = _best(lambda: text.is_utf8(data), repeat)
    theirs, _ = _best(lambda: data.decode("utf-8"), repeat)
    _row("is_utf8(data)", ours, theirs, "bytes.decode('utf-8')")
    bad = data[: len(data) // 2] + b"\xff" + data[len(data) // 2:]
    print(f"  valid: {ok};  with one 0xFF inserted: first bad byte at {text.utf8_error_offset(bad)}"
          f" (Python says {_decode_error_start(bad)})\n")

    print(f"Hashing {len(data) / 2**20:.0f} MiB (XXH3-64)")
    ours, h = _best(lambda: text.hash64(data), repeat)
    theirs, _ = _best(lambda: zlib.crc32(data), repeat)
    _row("hash64(data)", ours, theirs, "zlib.crc32(data)")
    print(f"  hash64 = {h:016x}\n")

    words = [w.encode() for w in data.decode().split()][: 200_000 if not quick else 20_000]
    print(f"Hashing {len(words):,} short strings in one batch call")
    ours, hs = _best(lambda: text.hash64_batch(words), repeat)
    theirs, _ = _best(lambda: [text.hash64(w) for w in words], max(1, repeat // 2))
    _row("hash64_batch(words)", ours, theirs, "loop of hash64(w)")
    print()

    print("Splitting on a separator")
    line = b",".join(words)
    ours, parts = _best(lambda: text.split(line, b","), repeat)
    theirs, ref = _best(lambda: line.split(b","), repeat)
    _row("split(line, b',')", ours, theirs, "bytes.split(b',')")
    print(f"  {len(parts):,} pieces, same as bytes.split: {parts == ref}\n")

    rng = random.Random(1)
    values = [rng.uniform(-1, 1) * 10 ** rng.randint(-10, 10) for _ in range(100_000 if quick else 1_000_000)]
    from array import array

    buf = array("d", values)
    print(f"Accurate sum of {len(buf):,} doubles spread over 20 orders of magnitude")
    ours, s = _best(lambda: compute.sum(buf), repeat)
    theirs, ref = _best(lambda: math.fsum(buf), repeat)
    _row("compute.sum(buf)", ours, theirs, "math.fsum(buf)")
    naive = 0.0
    for v in values:
        naive += v
    print(f"  hotpath {s!r}\n  fsum    {ref!r}\n  naive   {naive!r}\n")
    _fuzzy_demo(quick)
    print("Errors are exceptions with the C detail:")
    try:
        text.validate_utf8(b"abc\xc0\xafdef")
    except hotpath.Utf8Error as e:
        print(f"  {type(e).__name__} (also a {UnicodeError.__name__}): {e}  [code {e.code}, "
              f"offset {e.offset}]")
    return 0


def _fuzzy_demo(quick: bool) -> None:
    """RapidFuzz-compatible fuzzy matching: the best match of a few queries among many
    names, on every core; the same answer as a plain Python loop over fuzz.ratio."""
    from hotpath import fuzz, process

    rng = random.Random(7)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zen", "dor", "bel", "quin"]
    choices = [" ".join("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
                        for _ in range(rng.randint(1, 3)))
               for _ in range(5_000 if quick else 50_000)]
    queries = [c[1:] + "x" for c in rng.sample(choices, 20)]
    print(f"Fuzzy matching (RapidFuzz API): best of {len(choices):,} names for {len(queries)} "
          "queries")
    ours, found = _best(lambda: [process.extractOne(q, choices, scorer=fuzz.ratio, workers=-1)
                                 for q in queries], 3)

    def loop() -> list:
        out = []
        for q in queries:
            best = max(range(len(choices)), key=lambda i: (fuzz.ratio(q, choices[i]), -i))
            out.append((choices[best], fuzz.ratio(q, choices[best]), best))
        return out
    theirs, ref = _best(loop, 1)
    _row("process.extractOne(q, names)", ours, theirs, "loop of fuzz.ratio")
    print(f"  e.g. {queries[0]!r} -> {found[0][0]!r} ({found[0][1]:.1f}); same as the loop: "
          f"{found == ref}\n")


def _decode_error_start(b: bytes) -> int:
    try:
        b.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.start
    return -1
