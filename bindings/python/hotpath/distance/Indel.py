"""hotpath.distance.Indel — rapidfuzz.distance.Indel's functions (see _metric.py)."""
from ._metric import module_functions as _functions

(distance, similarity, normalized_distance, normalized_similarity, editops,
 opcodes) = _functions("Indel")
__all__ = ["distance", "similarity", "normalized_distance", "normalized_similarity", "editops",
           "opcodes"]
