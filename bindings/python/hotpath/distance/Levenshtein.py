"""hotpath.distance.Levenshtein — rapidfuzz.distance.Levenshtein's functions (see _metric.py)."""
from ._metric import make as _make
from ._metric import make_editops as _make_editops
from .._fuzzy import LEVENSHTEIN as _METRIC

_f = _make(_METRIC, integer=True, options="weights")
distance = _f["distance"]
similarity = _f["similarity"]
normalized_distance = _f["normalized_distance"]
normalized_similarity = _f["normalized_similarity"]
_e = _make_editops(_METRIC)
editops = _e["editops"]
opcodes = _e["opcodes"]

__all__ = ["distance", "similarity", "normalized_distance", "normalized_similarity", "editops",
           "opcodes"]
