"""ctypes signatures of the compute module's vector and top-k functions (merged into
hotpath._ctypes_sig.SIGNATURES; checked against the headers by tests/python/test_abi.py)."""
from __future__ import annotations

SIGNATURES: dict = {}
