"""hotpath.distance.Hamming — rapidfuzz.distance.Hamming's functions (see _metric.py)."""
from ._metric import module_functions as _functions

distance, similarity, normalized_distance, normalized_similarity = _functions("Hamming")
__all__ = ["distance", "similarity", "normalized_distance", "normalized_similarity"]
