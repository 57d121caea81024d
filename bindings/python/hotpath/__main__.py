"""python -m hotpath {demo,bench,info}: a tour, the bridge benchmark, and build facts."""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional


def _info() -> int:
    import hotpath

    print(f"hotpath {hotpath.__version__} (library {hotpath.version()})")
    print(f"backend:  {hotpath.backend}")
    print(f"library:  {hotpath.library_path()}")
    print(f"simd:     {hotpath.simd_level()} (detected {hotpath.simd_detected()})")
    print(f"cpu:      {' '.join(hotpath.cpu_features())}")
    print(f"threads:  {hotpath.default_threads()}")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hotpath", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="version, backend, library path, CPU features")
    demo = sub.add_parser("demo", help="a short tour with timings against pure Python")
    demo.add_argument("--quick", action="store_true", help="smaller inputs, fewer repeats")
    bench = sub.add_parser("bench", help="cost per call through each bridge, then kernel throughput")
    bench.add_argument("--quick", action="store_true", help="fewer repeats (for tests)")
    args = parser.parse_args(argv)
    if args.command == "info":
        return _info()
    if args.command == "demo":
        from . import demo as demo_mod

        return demo_mod.main(quick=args.quick)
    from . import bench as bench_mod

    return bench_mod.main(quick=args.quick)


if __name__ == "__main__":
    sys.exit(main())
