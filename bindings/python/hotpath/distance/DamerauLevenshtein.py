"""hotpath.distance.DamerauLevenshtein — rapidfuzz.distance.DamerauLevenshtein's functions (see _metric.py)."""
from ._metric import module_functions as _functions

distance, similarity, normalized_distance, normalized_similarity = _functions("DamerauLevenshtein")
__all__ = ["distance", "similarity", "normalized_distance", "normalized_similarity"]
