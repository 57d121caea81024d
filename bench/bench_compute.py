"""Compute benchmark (vectors): hotpath.compute against NumPy and SimSIMD in one run.

    python bench/bench_compute.py            # full sizes (top-k: 1,000 x 1M x 384 f32)
    python bench/bench_compute.py --quick    # top-k corpus of 100k rows
    HOTPATH_BACKEND=ctypes python bench/bench_compute.py

Needs numpy; simsimd (``pip install simsimd``) for the SimSIMD columns. Ratios are peer
time / hotpath time (above 1: hotpath faster), all measured in this run, best of N.

Peak memory of top-k: each contender runs in its own subprocess, which generates the same
data, resets the peak-RSS counter (``/proc/self/clear_refs``), runs once and reports
VmHWM minus the RSS before the call. tracemalloc is not used: it sees NumPy's buffers
(NumPy reports them in its own tracemalloc domain) but not memory malloc'd by C libraries
such as hotpath or OpenBLAS, so it would compare unlike things; the RSS high-water mark
counts every page either side touches.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import timeit

import numpy as np

from hotpath import compute

try:
    import simsimd
except ImportError:
    simsimd = None


def best(fn, number, repeat=7):
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def row(name, ours, peer_name, peer):
    ratio = peer / ours
    print(f"| {name} | {ours * 1e3:.4g} ms | {peer_name} | {peer * 1e3:.4g} ms | {ratio:.2f}x |")
    return ratio


def bench_pair():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((2, 1536), dtype=np.float32)
    ours = best(lambda: compute.cosine(a, b), 20000)
    row("cosine f32, dim 1536, one pair", ours, "NumPy dot/(norm*norm)",
        best(lambda: np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)), 20000))
    if simsimd:
        row("cosine f32, dim 1536, one pair", ours, "simsimd.cosine",
            best(lambda: simsimd.cosine(a, b), 20000))
    ours = best(lambda: compute.dot(a, b), 20000)
    row("dot f32, dim 1536, one pair", ours, "numpy.dot", best(lambda: np.dot(a, b), 20000))
    if simsimd:
        row("dot f32, dim 1536, one pair", ours, "simsimd.dot",
            best(lambda: simsimd.dot(a, b), 20000))


def bench_cdist():
    rng = np.random.default_rng(2)
    a = rng.standard_normal((2000, 384), dtype=np.float32)
    b = rng.standard_normal((2000, 384), dtype=np.float32)
    out = np.empty((2000, 2000), np.float32)
    for metric, ss_metric in (("cosine_distance", "cosine"), ("sqeuclidean", "sqeuclidean")):
        ours = best(lambda: compute.cdist(a, b, metric, out=out), 1, 5)
        if simsimd:
            row(f"cdist {metric} 2k x 2k x 384 f32", ours, f"simsimd.cdist {ss_metric} (all threads)",
                best(lambda: simsimd.cdist(a, b, metric=ss_metric, threads=0), 1, 5))
    ours = best(lambda: compute.cdist(a, b, "dot", out=out), 1, 5)
    row("cdist dot 2k x 2k x 384 f32", ours, "numpy a @ b.T (OpenBLAS sgemm)",
        best(lambda: np.matmul(a, b.T), 1, 5))


# ---------------------------------------------------------------- top-k (subprocesses)

CHUNK = 100  # NumPy queries per matmul: all 1,000 at once would need 4 GB + 8 GB of indices


def _peak_reset():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def topk_child(who, n, metric):
    rng = np.random.default_rng(3)
    corpus = rng.standard_normal((n, 384), dtype=np.float32)
    queries = rng.standard_normal((1000, 384), dtype=np.float32)
    _peak_reset()
    before = _status_kb("VmRSS")
    t = time.perf_counter()
    if who == "hotpath":
        idx, _ = compute.topk(queries, corpus, 10, metric=metric)
    else:
        c, q = corpus, queries
        if metric == "cosine":
            c = corpus / np.linalg.norm(corpus, axis=1, keepdims=True)
            q = queries / np.linalg.norm(queries, axis=1, keepdims=True)
        parts = []
        for s in range(0, len(q), CHUNK):
            scores = q[s:s + CHUNK] @ c.T
            part = np.argpartition(-scores, 10, axis=1)[:, :10]
            vals = np.take_along_axis(scores, part, 1)
            parts.append(np.take_along_axis(part, np.argsort(-vals, axis=1, kind="stable"), 1))
        idx = np.vstack(parts)
    elapsed = time.perf_counter() - t
    peak = _status_kb("VmHWM") - before
    print(json.dumps({"time": elapsed, "peak_mb": peak / 1024, "first": idx[0].tolist()}))


def bench_topk(n):
    results = {}
    for metric in ("dot", "cosine"):
        for who in ("hotpath", "numpy"):
            out = subprocess.run([sys.executable, __file__, "--topk-child", who, str(n), metric],
                                 check=True, capture_output=True, text=True, env=os.environ)
            results[who, metric] = json.loads(out.stdout)
        h, p = results["hotpath", metric], results["numpy", metric]
        same = set(h["first"]) == set(p["first"])
        print(f"| top-10 {metric}, 1,000 x {n:,} x 384 f32 | {h['time']:.2f} s, "
              f"peak +{h['peak_mb']:.0f} MB | NumPy matmul + argpartition ({CHUNK} queries "
              f"per step) | {p['time']:.2f} s, peak +{p['peak_mb']:.0f} MB | "
              f"{p['time'] / h['time']:.2f}x time, {p['peak_mb'] / max(h['peak_mb'], 1):.0f}x "
              f"memory (same top-10 for query 0: {same}) |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--topk-child", nargs=3, metavar=("WHO", "N", "METRIC"))
    args = parser.parse_args()
    if args.topk_child:
        who, n, metric = args.topk_child
        topk_child(who, int(n), metric)
        return
    import hotpath
    print(f"hotpath {hotpath.version()} backend {hotpath.backend}, simd {hotpath.simd_level()}, "
          f"threads {hotpath.default_threads() if hasattr(hotpath, 'default_threads') else '?'}; "
          f"numpy {np.__version__}; simsimd "
          f"{simsimd.__version__ if simsimd else 'not installed'}")
    print("| operation | hotpath | peer | peer figure | ratio |\n|---|---:|---|---:|---:|")
    bench_pair()
    bench_cdist()
    bench_topk(100_000 if args.quick else 1_000_000)


if __name__ == "__main__":
    main()
