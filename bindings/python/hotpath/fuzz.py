"""hotpath.fuzz — rapidfuzz.fuzz's scorers with the same names, parameters and results.

Every scorer takes ``(s1, s2, *, processor=None, score_cutoff=None)`` and returns a float
in [0, 100]; a score below score_cutoff is returned as 0, and None (or NaN) input
scores 0. str compares code points, bytes compare bytes, other sequences compare their
elements (see hotpath._fuzzy). The work happens in C (lib/fuzzy/fuzz.c) with the GIL
released.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Optional

from . import _fuzzy
from .distance._editops import ScoreAlignment
from .distance._metric import _PLAIN, is_none

_NAN = float("nan")


def _make(fuzz_id: int, name: str) -> Callable[..., float]:
    sc = _fuzzy.scorer(_fuzzy.KIND_FUZZ, fuzz_id)
    score = _fuzzy.score
    fast, raw = _fuzzy.fast_score, sc.raw

    def scorer(s1: Any, s2: Any, *, processor: Optional[Callable[[Any], Any]] = None,
               score_cutoff: Optional[float] = None, score_hint: Any = None) -> float:
        if fast is not None and processor is None and score_cutoff is None:
            r = fast(raw, s1, s2, _NAN)
            if r is not NotImplemented:
                return r
        if (type(s1) not in _PLAIN or type(s2) not in _PLAIN) and (is_none(s1) or is_none(s2)):
            return 0
        if processor is not None:
            s1 = processor(s1)
            s2 = processor(s2)
        if score_cutoff is None:
            return score(sc, s1, s2, _NAN)
        c = float(score_cutoff)
        if math.isnan(c):
            return 0.0
        return score(sc, s1, s2, c)

    scorer.__doc__ = f"rapidfuzz.fuzz.{name}: a similarity in [0, 100]."
    return _fuzzy.public(scorer, sc, name, "hotpath.fuzz",
                         _hotpath_scorer=(_fuzzy.KIND_FUZZ, fuzz_id, 0))


ratio = _make(_fuzzy.RATIO, "ratio")
partial_ratio = _make(_fuzzy.PARTIAL_RATIO, "partial_ratio")
token_sort_ratio = _make(_fuzzy.TOKEN_SORT_RATIO, "token_sort_ratio")
token_set_ratio = _make(_fuzzy.TOKEN_SET_RATIO, "token_set_ratio")
token_ratio = _make(_fuzzy.TOKEN_RATIO, "token_ratio")
partial_token_sort_ratio = _make(_fuzzy.PARTIAL_TOKEN_SORT_RATIO, "partial_token_sort_ratio")
partial_token_set_ratio = _make(_fuzzy.PARTIAL_TOKEN_SET_RATIO, "partial_token_set_ratio")
partial_token_ratio = _make(_fuzzy.PARTIAL_TOKEN_RATIO, "partial_token_ratio")
WRatio = _make(_fuzzy.WRATIO, "WRatio")
QRatio = _make(_fuzzy.QRATIO, "QRatio")


def partial_ratio_alignment(s1: Any, s2: Any, *,
                            processor: Optional[Callable[[Any], Any]] = None,
                            score_cutoff: Optional[float] = None,
                            score_hint: Any = None) -> Optional[ScoreAlignment]:
    """rapidfuzz.fuzz.partial_ratio_alignment: the partial_ratio score and where it was
    found (src_start, src_end, dest_start, dest_end), or None when below score_cutoff or
    for None input."""
    if is_none(s1) or is_none(s2):
        return None
    if processor is not None:
        s1 = processor(s1)
        s2 = processor(s2)
    c = _NAN if score_cutoff is None else float(score_cutoff)
    if math.isnan(c) and score_cutoff is not None:
        return None
    score, a0, a1, b0, b1 = _fuzzy.partial_ratio_alignment(s1, s2, c)
    if score_cutoff is not None and score < c:
        return None
    if score == 0 and score_cutoff is not None and c > 0:
        return None
    return ScoreAlignment(score, a0, a1, b0, b1)


__all__ = ["ratio", "partial_ratio", "partial_ratio_alignment", "token_sort_ratio",
           "token_set_ratio", "token_ratio", "partial_token_sort_ratio",
           "partial_token_set_ratio", "partial_token_ratio", "WRatio", "QRatio"]
