"""Statistics benchmark: hotpath.compute reductions, sort and median against NumPy in
one run.

    python bench/bench_stats.py              # 10M elements
    python bench/bench_stats.py --n 1000000  # smaller
    HOTPATH_BACKEND=ctypes python bench/bench_stats.py

Needs numpy. Ratios are NumPy time / hotpath time (above 1: hotpath faster), best of N,
all measured in this run (the machine may be shared: compare ratios within one run).
"""
from __future__ import annotations

import argparse
import math
import timeit

import numpy as np

import hotpath
from hotpath import compute


def best(fn, repeat):
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def row(name, ours, peer_name, peer, target=None):
    ratio = peer / ours
    goal = f" (target {target:.1f}x)" if target else ""
    print(f"| {name} | {ours * 1e3:.4g} ms | {peer_name} | {peer * 1e3:.4g} ms | "
          f"{ratio:.2f}x{goal} |")
    return ratio


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    n, rep = args.n, args.repeat
    rng = np.random.default_rng(1)
    f = rng.standard_normal(n)
    ints = rng.integers(-2**63, 2**63 - 1, n, dtype=np.int64, endpoint=True)
    print(f"hotpath {hotpath.version()} backend {hotpath.backend} simd {hotpath.simd_level()}, "
          f"numpy {np.__version__}, n = {n:,}\n")
    print("| operation | hotpath | NumPy | NumPy time | ratio |")
    print("|---|---|---|---|---|")
    # correctness in passing: the same answers
    assert compute.sort(ints).tobytes() == np.sort(ints).tobytes()
    assert compute.median(f) == np.median(f)
    assert math.isclose(compute.var(f), np.var(f), rel_tol=1e-12)
    row("sum f64", best(lambda: compute.sum(f), rep), "numpy.sum", best(lambda: np.sum(f), rep),
        1.0)
    row("mean f64", best(lambda: compute.mean(f), rep), "numpy.mean",
        best(lambda: np.mean(f), rep), 1.0)
    row("var f64", best(lambda: compute.var(f), rep), "numpy.var",
        best(lambda: np.var(f), rep), 1.0)
    row("sum f64, exact (= math.fsum)", best(lambda: compute.sum(f, exact=True), 3),
        "math.fsum", best(lambda: math.fsum(f), 1))
    row("min+max f64 (minmax, one pass)", best(lambda: compute.minmax(f), rep),
        "numpy.min + numpy.max", best(lambda: (np.min(f), np.max(f)), rep))
    row("sort int64", best(lambda: compute.sort(ints), 3), "numpy.sort",
        best(lambda: np.sort(ints), 3), 1.5)
    row("sort int64, 1 thread", best(lambda: compute.sort(ints, workers=1), 3), "numpy.sort",
        best(lambda: np.sort(ints), 3))
    row("sort f64", best(lambda: compute.sort(f), 3), "numpy.sort",
        best(lambda: np.sort(f), 3))
    row("argsort int64 (stable)", best(lambda: compute.argsort(ints), 3),
        "numpy.argsort(kind='stable')", best(lambda: np.argsort(ints, kind="stable"), 3))
    row("median f64", best(lambda: compute.median(f), rep), "numpy.median",
        best(lambda: np.median(f), rep), 1.0)
    row("quantile f64, 5 q", best(lambda: compute.quantile(f, [.1, .25, .5, .75, .9]), rep),
        "numpy.quantile", best(lambda: np.quantile(f, [.1, .25, .5, .75, .9]), rep))
    row("histogram f64, 100 bins", best(lambda: compute.histogram(f, 100), rep),
        "numpy.histogram", best(lambda: np.histogram(f, 100), 3))
    row("cumsum f64", best(lambda: compute.cumsum(f), rep), "numpy.cumsum",
        best(lambda: np.cumsum(f), rep))


if __name__ == "__main__":
    main()
