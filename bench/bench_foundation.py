"""Foundation benchmark: cost per call for each bridge, then kernel throughput against the
peers (bytes.decode, xxhash, bytes.split, math.fsum, numpy.sum), all in one process.

Run after `pip install .` (xxhash and numpy from `pip install .[test]` for the peers):

    python bench/bench_foundation.py            # full sizes (64 MiB text, 1M strings)
    python bench/bench_foundation.py --quick
    HOTPATH_BACKEND=ctypes python bench/bench_foundation.py

The code lives in the package (hotpath/bench.py) so `python -m hotpath bench` runs the same
thing for users; figures from one run go to docs/performance.md.
"""
import argparse
import sys

from hotpath import bench

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    sys.exit(bench.main(quick=parser.parse_args().quick))
