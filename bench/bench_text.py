"""Text benchmark (issue 3): hotpath against Python's str/bytes and StringZilla, one process.

    python bench/bench_text.py [--mib 64] [--quick]

Corpus: a generated mix of English words and Cyrillic, Greek, CJK and emoji (about a
third non-ASCII bytes), in lines of 20-200 bytes, 64 MiB by default. Each figure is the
best of N runs; ratio = peer time / hotpath time (above 1: hotpath is faster).
Needs stringzilla, xxhash (pip install .[test]); missing peers are skipped.
"""
from __future__ import annotations

import argparse
import random
import time
from typing import Callable, List, Optional, Tuple

import hotpath
from hotpath import Strings, text

WORDS = ["data", "pipeline", "kernel", "thread", "buffer", "python", "vector", "stream",
         "привет", "мир", "данные", "καλημέρα", "κόσμε", "東京", "数据", "处理", "😀", "🚀",
         "naïve", "façade", "Zürich", "Straße"]


def corpus(n_bytes: int, seed: int = 1) -> bytes:
    """n_bytes of mixed text in lines; a 4 MiB block of random lines, tiled."""
    rng = random.Random(seed)
    block_target = min(n_bytes, 4 << 20)
    lines, size = [], 0
    while size < block_target:
        k = rng.randint(3, 25)
        line = " ".join(rng.choice(WORDS) for _ in range(k))
        lines.append(line)
        size += len(line.encode()) + 1
    block = ("\n".join(lines) + "\n").encode()
    reps = max(1, n_bytes // len(block))
    return block * reps


def best(fn: Callable[[], object], repeat: int) -> Tuple[float, object]:
    t, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        t = min(t, time.perf_counter() - t0)
    return t, result


def row(rows: List[str], label: str, nbytes: Optional[int], ours: float,
        peers: List[Tuple[str, float]]) -> None:
    def fmt(t: float) -> str:
        return f"{nbytes / t / 1e9:7.2f} GB/s" if nbytes else f"{t * 1e3:8.1f} ms"
    cells = [f"| {label} | {fmt(ours)} |"]
    for name, t in peers:
        cells.append(f" {name}: {fmt(t)} ({t / ours:.2f}x) |")
    line = "".join(cells)
    rows.append(line)
    print(line)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mib", type=int, default=64)
    ap.add_argument("--quick", action="store_true", help="8 MiB, 3 repeats")
    args = ap.parse_args()
    mib = 8 if args.quick else args.mib
    repeat = 3 if args.quick else 5
    try:
        import stringzilla as sz
    except ImportError:
        sz = None
    try:
        import xxhash
    except ImportError:
        xxhash = None

    data = corpus(mib << 20)
    needle = b"qzx7!"  # rare 5-byte needle: absent, then planted near the end
    planted = data[:-1000] + needle + data[-1000:]
    print(f"hotpath {hotpath.version()} ({hotpath.backend}, {hotpath.simd_level()}); "
          f"corpus {len(data) / 2**20:.0f} MiB, "
          f"{sum(b >= 0x80 for b in data[:1 << 20]) / (1 << 20):.0%} non-ASCII bytes; "
          f"stringzilla {getattr(sz, '__version__', 'missing')}\n")
    rows: List[str] = []
    sz_data = sz.Str(planted) if sz else None

    # find a rare 5-byte needle
    ours, at = best(lambda: text.find(planted, needle), repeat)
    assert at == planted.find(needle)
    peers = [("bytes.find", best(lambda: planted.find(needle), repeat)[0])]
    if sz:
        t, r = best(lambda: sz_data.find(needle), repeat)
        assert r == at
        peers.append(("StringZilla", t))
    row(rows, "find rare 5-byte needle", len(planted), ours, peers)

    # count a byte
    ours, n = best(lambda: text.count(data, b"\n"), repeat)
    assert n == data.count(b"\n")
    peers = [("bytes.count", best(lambda: data.count(b"\n"), repeat)[0])]
    if sz:
        szd = sz.Str(data)
        peers.append(("StringZilla", best(lambda: szd.count(b"\n"), repeat)[0]))
    row(rows, "count a byte ('\\n')", len(data), ours, peers)

    # any byte of a set
    ours, at = best(lambda: text.find_any(planted, b"!?#"), repeat)
    if sz:
        t, r = best(lambda: sz_data.find_first_of("!?#"), repeat)
        assert r == at
        row(rows, "find first of a 3-byte set", len(planted), ours, [("StringZilla", t)])

    # split lines: spans (zero-copy) against StringZilla's lazy Strs, and lists
    ours, spans = best(lambda: text.split_spans(data, mode="lines"), repeat)
    peers = []
    if sz:
        szd = sz.Str(data)
        t, parts = best(lambda: szd.splitlines(), repeat)
        assert len(parts) == len(spans) // 2
        peers.append(("StringZilla splitlines", t))
    row(rows, "split lines -> spans", len(data), ours, peers)
    ours, lines = best(lambda: text.splitlines(data), max(1, repeat // 2))
    t, ref = best(lambda: data.splitlines(), max(1, repeat // 2))
    assert lines == ref
    row(rows, "split lines -> list[bytes]", len(data), ours, [("bytes.splitlines", t)])

    # casefold, on text
    s = data[: (16 << 20) if not args.quick else (4 << 20)].decode("utf-8", "ignore")
    ours, folded = best(lambda: text.casefold(s), repeat)
    t, ref = best(lambda: s.casefold(), repeat)
    assert folded == ref
    row(rows, f"casefold str ({len(s.encode()) >> 20} MiB)", len(s.encode()), ours,
        [("str.casefold", t)])
    for name in ("lower", "upper"):
        ours, mapped = best(lambda: getattr(text, name)(s), repeat)
        t, ref = best(lambda: getattr(s, name)(), repeat)
        assert mapped == ref
        row(rows, f"{name} str ({len(s.encode()) >> 20} MiB)", len(s.encode()), ours,
            [(f"str.{name}", t)])
    ascii_s = s.encode("ascii", "ignore").decode()
    ours, folded = best(lambda: text.casefold(ascii_s), repeat)
    t, ref = best(lambda: ascii_s.casefold(), repeat)
    assert folded == ref
    row(rows, "casefold ASCII str", len(ascii_s), ours, [("str.casefold", t)])
    # the same corpus as str without emoji (UCS-2) and Latin-1 only (the other kinds)
    for label, sub in (("BMP", "".join(ch for ch in s[: 4 << 20] if ord(ch) < 0x10000)),
                       ("Latin-1", "".join(ch for ch in s[: 4 << 20] if ord(ch) < 0x100))):
        ours, folded = best(lambda: text.casefold(sub), repeat)
        t, ref = best(lambda: sub.casefold(), repeat)
        assert folded == ref
        row(rows, f"casefold {label} str", len(sub.encode()), ours, [("str.casefold", t)])

    # batch hash of 1M short strings
    n = 100_000 if args.quick else 1_000_000
    words = data[: 40 * n].split()[:n]
    packed = Strings(words)
    ours, hs = best(lambda: text.hash64_batch(packed), repeat)
    peers = []
    if xxhash:
        h = xxhash.xxh3_64_intdigest
        t, ref = best(lambda: [h(w) for w in words], repeat)
        assert hs.tolist() == ref
        peers.append(("loop of xxh3_64_intdigest", t))
    row(rows, f"hash64_batch of {len(words):,} words (packed Strings)", None, ours, peers)
    ours, _ = best(lambda: text.hash64_batch(words), repeat)
    row(rows, f"hash64_batch of {len(words):,} words (list, packed per call)", None, ours, peers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
