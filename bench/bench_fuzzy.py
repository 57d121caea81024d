"""Fuzzy-matching benchmark (issue 4): hotpath against RapidFuzz (and python-Levenshtein,
jellyfish, polyleven where they apply), all in one process.

    python bench/bench_fuzzy.py [--quick] [--pairs-n 200000] [--skip-pairs]

Workloads (each the best of a few runs; ratio = peer time / hotpath time, above 1 means
hotpath is faster):
  1. single-pair fuzz.ratio and Levenshtein.distance, short (8-16) and long (200-500)
     strings, one Python call per pair;
  2. extractOne of 1,000 queries over 100k choices: RapidFuzz's extractOne (it has no
     workers parameter) and RapidFuzz's cdist(workers=-1) + argmax, against hotpath's
     extractOne(workers=-1) with the choices as a list, and as a hotpath.Strings packed
     once;
  3. cdist 5k x 5k with ratio, workers=-1; then, one thread each, cdist 2k x 2k and
     extractOne of 20 queries over 100k choices with other scorers (Levenshtein,
     Indel, JaroWinkler, token_sort_ratio, WRatio);
  4. sparse all-pairs at cutoff 90 on 200k strings: time, pairs found and peak memory
     (resident set of a child process), against the memory the dense matrix would need.
Install the peers with `pip install .[bench]`; missing ones are skipped.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from typing import Callable, List, Optional, Tuple

import hotpath
from hotpath import fuzz, process
from hotpath.distance import Levenshtein

try:
    import rapidfuzz
    from rapidfuzz import fuzz as rf_fuzz
    from rapidfuzz import process as rf_process
    from rapidfuzz.distance import Levenshtein as rf_Lev
except ImportError:  # pragma: no cover - the bench needs its anchor
    sys.exit("bench_fuzzy needs rapidfuzz: pip install .[bench]")


def optional(name: str):
    try:
        return __import__(name)
    except ImportError:
        return None


pyLevenshtein = optional("Levenshtein")
jellyfish = optional("jellyfish")
polyleven = optional("polyleven")

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zen", "dor", "bel", "quin", "ar",
             "ost", "ell", "um", "ix", "pra", "gal", "nov"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))


def phrase(rng: random.Random, lo: int, hi: int) -> str:
    target = rng.randint(lo, hi)
    s = ""
    while len(s) < target:
        s += word(rng) + " "
    return s[:target]


def mutate(rng: random.Random, s: str, edits: int) -> str:
    chars = list(s)
    for _ in range(edits):
        op = rng.random()
        pos = rng.randrange(len(chars) + 1)
        if op < 0.4 and chars:
            chars[min(pos, len(chars) - 1)] = rng.choice("abcdefghijklmnopqrstuvwxyz ")
        elif op < 0.7:
            chars.insert(pos, rng.choice("abcdefghijklmnopqrstuvwxyz"))
        elif chars:
            del chars[min(pos, len(chars) - 1)]
    return "".join(chars)


def best(fn: Callable[[], object], repeat: int) -> Tuple[float, object]:
    t, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        t = min(t, time.perf_counter() - t0)
    return t, result


ROWS: List[str] = []


def report(label: str, ours: float, peers: List[Tuple[str, Optional[float]]], unit: str = "ms",
           per: int = 1) -> None:
    scale = {"ms": 1e3, "us": 1e6, "ns": 1e9}[unit]
    cells = [f"| {label} | {ours / per * scale:.1f} {unit} |"]
    for name, t in peers:
        if t is None:
            continue
        cells.append(f" {name}: {t / per * scale:.1f} {unit} ({t / ours:.2f}x) |")
    line = "".join(cells)
    ROWS.append(line)
    print(line, flush=True)


def single_pairs(quick: bool) -> None:
    rng = random.Random(1)
    for label, lo, hi, n in (("short 8-16", 8, 16, 20000), ("long 200-500", 200, 500, 2000)):
        if quick:
            n //= 10
        pairs = []
        for _ in range(n):
            a = phrase(rng, lo, hi)
            pairs.append((a, mutate(rng, a, max(1, len(a) // 6))))

        def loop(f: Callable[[str, str], object]) -> Callable[[], object]:
            return lambda: [f(a, b) for a, b in pairs]
        t_ours, r_ours = best(loop(fuzz.ratio), 5)
        t_rf, r_rf = best(loop(rf_fuzz.ratio), 5)
        assert all(abs(x - y) < 1e-9 for x, y in zip(r_ours, r_rf))
        report(f"fuzz.ratio, {label}, per pair", t_ours, [("rapidfuzz", t_rf)], "ns", n)
        t_ours, r_ours = best(loop(Levenshtein.distance), 5)
        t_rf, r_rf = best(loop(rf_Lev.distance), 5)
        assert r_ours == r_rf
        peers: List[Tuple[str, Optional[float]]] = [("rapidfuzz", t_rf)]
        if pyLevenshtein:
            peers.append(("Levenshtein", best(loop(pyLevenshtein.distance), 5)[0]))
        if jellyfish:
            peers.append(("jellyfish", best(loop(jellyfish.levenshtein_distance), 3)[0]))
        if polyleven:
            peers.append(("polyleven", best(loop(polyleven.levenshtein), 5)[0]))
        report(f"Levenshtein.distance, {label}, per pair", t_ours, peers, "ns", n)


def extract_one(quick: bool) -> None:
    rng = random.Random(2)
    n_choices, n_queries = (100_000, 1000) if not quick else (20_000, 100)
    choices = [phrase(rng, 10, 40) for _ in range(n_choices)]
    queries = [mutate(rng, rng.choice(choices), 3) for _ in range(n_queries)]
    packed = hotpath.Strings(choices)
    for name, ours_s, rf_s in (("ratio", fuzz.ratio, rf_fuzz.ratio),
                               ("WRatio", fuzz.WRatio, rf_fuzz.WRatio)):
        qs = queries if name == "ratio" else queries[: max(10, n_queries // 10)]
        t_list, r_list = best(lambda: [process.extractOne(q, choices, scorer=ours_s, workers=-1)
                                       for q in qs], 1)
        t_packed, r_packed = best(lambda: [process.extractOne(q, packed, scorer=ours_s,
                                                              workers=-1) for q in qs], 1)
        t_rf, r_rf = best(lambda: [rf_process.extractOne(q, choices, scorer=rf_s) for q in qs], 1)
        assert [(c, i) for c, _, i in r_list] == [(c, i) for c, _, i in r_rf]
        assert [i for _, _, i in r_packed] == [i for _, _, i in r_rf]

        def rf_cdist() -> object:
            m = rf_process.cdist(qs, choices, scorer=rf_s, workers=-1)
            return m.argmax(axis=1)
        t_rfc, _ = best(rf_cdist, 1)
        label = f"extractOne {name}, {len(qs)} queries x {n_choices} choices"
        report(label + " (choices as list)", t_list,
               [("rapidfuzz extractOne", t_rf), ("rapidfuzz cdist(workers=-1)+argmax", t_rfc)])
        report(label + " (hotpath.Strings, packed once)", t_packed,
               [("rapidfuzz extractOne", t_rf), ("rapidfuzz cdist(workers=-1)+argmax", t_rfc)])


def cdist(quick: bool) -> None:
    rng = random.Random(3)
    n = 5000 if not quick else 1000
    strings = [phrase(rng, 10, 40) for _ in range(n)]
    # best of 3: the first calls after the extract section pay for faulting in a fresh
    # 100 MB result (transparent huge pages are compacted on demand here), either library
    t_ours, m_ours = best(lambda: process.cdist(strings, strings, scorer=fuzz.ratio, workers=-1),
                          3)
    t_rf, m_rf = best(lambda: rf_process.cdist(strings, strings, scorer=rf_fuzz.ratio,
                                               workers=-1), 3)
    assert abs(m_ours - m_rf).max() < 1e-4
    report(f"cdist ratio {n} x {n}, workers=-1", t_ours, [("rapidfuzz", t_rf)])


def other_scorers(quick: bool) -> None:
    """cdist and extractOne with the other common scorers, one thread each (RapidFuzz's
    extractOne has no workers; its cdist has SIMD paths for several of these)."""
    from hotpath.distance import Indel, JaroWinkler
    from rapidfuzz.distance import Indel as rf_Indel
    from rapidfuzz.distance import JaroWinkler as rf_JW
    rng = random.Random(5)
    n, nchoices, nq = (2000, 100_000, 20) if not quick else (300, 10_000, 5)
    strings = [phrase(rng, 10, 40) for _ in range(n)]
    choices = [phrase(rng, 10, 40) for _ in range(nchoices)]
    queries = [mutate(rng, rng.choice(choices), 3) for _ in range(nq)]
    pairs = [("Levenshtein.distance", Levenshtein.distance, rf_Lev.distance),
             ("Indel.normalized_similarity", Indel.normalized_similarity,
              rf_Indel.normalized_similarity),
             ("JaroWinkler.similarity", JaroWinkler.similarity, rf_JW.similarity),
             ("fuzz.token_sort_ratio", fuzz.token_sort_ratio, rf_fuzz.token_sort_ratio),
             ("fuzz.WRatio", fuzz.WRatio, rf_fuzz.WRatio)]
    for label, ours, theirs in pairs:
        if label != "fuzz.WRatio":
            t_ours, m_ours = best(lambda: process.cdist(strings, strings, scorer=ours, workers=1), 2)
            t_rf, m_rf = best(lambda: rf_process.cdist(strings, strings, scorer=theirs, workers=1),
                              2)
            assert abs(m_ours.astype(float) - m_rf.astype(float)).max() < 1e-4, label
            report(f"cdist {label} {n} x {n}, 1 thread", t_ours, [("rapidfuzz", t_rf)])
        t_ours, r_ours = best(lambda: [process.extractOne(q, choices, scorer=ours)
                                       for q in queries], 2)
        t_rf, r_rf = best(lambda: [rf_process.extractOne(q, choices, scorer=theirs)
                                   for q in queries], 2)
        assert [r[2] for r in r_ours] == [r[2] for r in r_rf], label
        report(f"extractOne {label}, {nq} x {nchoices // 1000}k, 1 thread", t_ours,
               [("rapidfuzz", t_rf)])


PAIRS_CHILD = r"""
import json, random, resource, sys, time
sys.path[:0] = [p for p in sys.argv[3:]]
from hotpath import process, fuzz
import bench_fuzzy as b
n, cutoff = int(sys.argv[1]), float(sys.argv[2])
rng = random.Random(4)
base = [b.phrase(rng, 15, 60) for _ in range(n * 9 // 10)]
dups = [b.mutate(rng, rng.choice(base), rng.randint(1, 3)) for _ in range(n - len(base))]
strings = base + dups
rng.shuffle(strings)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
found = process.pairs(strings, scorer=fuzz.ratio, score_cutoff=cutoff, workers=-1)
t = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": t, "pairs": len(found), "rss_before_kib": before,
                  "rss_peak_kib": peak}))
"""


def sparse_pairs(n: int) -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run([sys.executable, "-c", PAIRS_CHILD, str(n), "90", here],
                         capture_output=True, text=True, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    dense_gib = n * n * 4 / 2**30
    line = (f"| process.pairs ratio >= 90, {n} strings | {r['seconds']:.1f} s | "
            f"{r['pairs']} pairs | peak RSS {r['rss_peak_kib'] / 1024:.0f} MiB "
            f"(before the call {r['rss_before_kib'] / 1024:.0f} MiB); a dense float32 cdist "
            f"would need {dense_gib:.0f} GiB |")
    ROWS.append(line)
    print(line, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    ap.add_argument("--pairs-n", type=int, default=200_000)
    ap.add_argument("--skip-pairs", action="store_true")
    args = ap.parse_args()
    print(f"hotpath {hotpath.version()} ({hotpath.backend}, simd {hotpath.simd_level()}), "
          f"rapidfuzz {rapidfuzz.__version__}, {os.cpu_count()} CPUs", flush=True)
    single_pairs(args.quick)
    extract_one(args.quick)
    cdist(args.quick)
    other_scorers(args.quick)
    if not args.skip_pairs:
        sparse_pairs(20_000 if args.quick else args.pairs_n)
    print("\n".join(["", "markdown:"] + ROWS))


if __name__ == "__main__":
    main()
