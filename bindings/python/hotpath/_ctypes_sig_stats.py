"""ctypes signatures of the compute module's reductions, statistics, histogram and sort
functions (merged into hotpath._ctypes_sig.SIGNATURES; checked by tests/python/test_abi.py)."""
from __future__ import annotations

SIGNATURES: dict = {}
