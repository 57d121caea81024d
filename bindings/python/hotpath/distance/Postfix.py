"""hotpath.distance.Postfix — rapidfuzz.distance.Postfix's functions (see _metric.py)."""
from ._metric import make as _make
from .._fuzzy import POSTFIX as _METRIC

_f = _make(_METRIC, integer=True, options="")
distance = _f["distance"]
similarity = _f["similarity"]
normalized_distance = _f["normalized_distance"]
normalized_similarity = _f["normalized_similarity"]

__all__ = ["distance", "similarity", "normalized_distance", "normalized_similarity"]
