"""hotpath.distance.Jaro — rapidfuzz.distance.Jaro's functions (see _metric.py)."""
from ._metric import module_functions as _functions

distance, similarity, normalized_distance, normalized_similarity = _functions("Jaro")
__all__ = ["distance", "similarity", "normalized_distance", "normalized_similarity"]
