"""hotpath.distance — rapidfuzz.distance's metrics, with the same module layout:
``from hotpath.distance import Levenshtein; Levenshtein.distance(a, b)``."""
from . import (DamerauLevenshtein, Hamming, Indel, Jaro, JaroWinkler, LCSseq, Levenshtein, OSA,
               Postfix, Prefix)
from ._editops import Editop, Editops, MatchingBlock, Opcode, Opcodes, ScoreAlignment

__all__ = ["DamerauLevenshtein", "Hamming", "Indel", "Jaro", "JaroWinkler", "LCSseq",
           "Levenshtein", "OSA", "Postfix", "Prefix", "Editop", "Editops", "MatchingBlock",
           "Opcode", "Opcodes", "ScoreAlignment"]
