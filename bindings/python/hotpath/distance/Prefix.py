"""hotpath.distance.Prefix — rapidfuzz.distance.Prefix's functions (see _metric.py)."""
from ._metric import module_functions as _functions

distance, similarity, normalized_distance, normalized_similarity = _functions("Prefix")
__all__ = ["distance", "similarity", "normalized_distance", "normalized_similarity"]
