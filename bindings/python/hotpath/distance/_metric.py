"""The four functions of every rapidfuzz.distance metric, built once per metric.

Each metric module (hotpath.distance.Levenshtein, ...) is a handful of lines calling
``make`` below; the functions follow RapidFuzz 3.x exactly: names, keyword-only
parameters and defaults, return types (int for integer distances and similarities,
float otherwise), None handling (normalized functions return their worst score for
None or NaN input, the others raise TypeError), the ``processor`` argument, and
cutoff rules and range checks (integer measures truncate a float cutoff; normalized
cutoffs outside [0, 1] raise TypeError, and are rounded to float32 first, as RapidFuzz
does).
"""
from __future__ import annotations

import math
import struct
from typing import Any, Callable, Dict, Optional, Tuple

from .. import _fuzzy
from .._backend import error
from ._editops import Editops, Opcodes

_NAN = float("nan")
_F32 = struct.Struct("f")
_PLAIN = frozenset((str, bytes, bytearray, list, tuple))  # types that are never "none"


def is_none(s: Any) -> bool:
    """RapidFuzz's notion of a missing value: None, or a float NaN (pandas' NA too)."""
    if s is None:
        return True
    if type(s) is float:
        return math.isnan(s)
    return getattr(type(s), "__name__", "") in ("NAType", "NaTType")


def _int_cutoff(c: Any) -> float:
    if c is None:
        return _NAN
    v = int(c)
    if v < 0:
        raise OverflowError("can't convert negative value to uint64_t")
    return float(v)


def _unit_cutoff(c: Any) -> float:
    """A cutoff in [0, 1], rounded to float32 as RapidFuzz's bindings store it (so a
    cutoff equal to a score in double precision may round above it, as there)."""
    if c is None:
        return _NAN
    v = float(c)
    try:
        v = _F32.unpack(_F32.pack(v))[0]
    except OverflowError:
        v = math.copysign(math.inf, v)
    if not 0.0 <= v <= 1.0:
        raise TypeError("score_cutoff has to be in the range of 0.0 - 1.0")
    return v


def _weights(weights: Any) -> Tuple[int, int, int]:
    if weights is None:
        return (1, 1, 1)
    ins, dele, sub = weights
    w = (int(ins), int(dele), int(sub))
    if min(w) < 0:
        raise OverflowError("can't convert negative value to size_t")
    return w


_UNSET: Any = object()  # "keyword not given" for the metric-specific options


def make(metric: int, *, integer: bool, options: str = "") -> Dict[str, Callable[..., Any]]:
    """distance, similarity, normalized_distance, normalized_similarity for one metric.

    integer: whether distance/similarity are integers (False for Jaro and JaroWinkler).
    options: "weights", "pad" or "prefix_weight" -- the metric's extra keyword. Every
    function accepts the three keywords (so the common call needs no **kwargs dict) and
    rejects the ones that are not its metric's with TypeError, as RapidFuzz does.
    """
    raw_cutoff = _int_cutoff if integer else _unit_cutoff
    score = _fuzzy.score
    scorer = _fuzzy.scorer
    K = _fuzzy.KIND_METRIC

    def settings(weights: Any, pad: Any, prefix_weight: Any) -> Dict[str, Any]:
        given = {"weights": weights, "pad": pad, "prefix_weight": prefix_weight}
        for k, v in given.items():
            if v is not _UNSET and k != options:
                raise TypeError(f"got an unexpected keyword argument '{k}'")
        if options == "weights":
            return {"weights": _weights(None if weights is _UNSET else weights)}
        if options == "pad":
            return {"pad": True if pad is _UNSET else bool(pad)}
        if options == "prefix_weight":
            pw = 0.1 if prefix_weight is _UNSET or prefix_weight is None else float(prefix_weight)
            if not 0.0 <= pw <= 1.0:
                raise ValueError("prefix_weight has to be in the range 0.0 - 1.0")
            return {"prefix_weight": pw}
        return {}

    default = {m: scorer(K, metric, m) for m in range(4)}
    fast = _fuzzy.fast_score

    def plain(measure: int, cutoff_conv: Callable[[Any], float], as_int: bool,
              none_value: Any) -> Callable[..., Any]:
        raw = default[measure].raw

        def general(s1: Any, s2: Any, processor: Any, score_cutoff: Any, weights: Any, pad: Any,
                    prefix_weight: Any) -> Any:
            if none_value is not None and (type(s1) not in _PLAIN or type(s2) not in _PLAIN) \
                    and (is_none(s1) or is_none(s2)):
                return none_value
            if processor is not None:
                s1 = processor(s1)
                s2 = processor(s2)
            if weights is _UNSET and pad is _UNSET and prefix_weight is _UNSET:
                sc = default[measure]
            else:
                sc = scorer(K, metric, measure, **settings(weights, pad, prefix_weight))
            r = score(sc, s1, s2, cutoff_conv(score_cutoff))
            return int(r) if as_int else r

        def fn(s1: Any, s2: Any, *, processor: Optional[Callable[[Any], Any]] = None,
               score_cutoff: Any = None, score_hint: Any = None, weights: Any = _UNSET,
               pad: Any = _UNSET, prefix_weight: Any = _UNSET) -> Any:
            if fast is not None and processor is None and score_cutoff is None and \
                    weights is _UNSET and pad is _UNSET and prefix_weight is _UNSET:
                r = fast(raw, s1, s2, _NAN)  # int for integer measures, as RapidFuzz
                if r is not NotImplemented:
                    return r
            return general(s1, s2, processor, score_cutoff, weights, pad, prefix_weight)
        return fn

    fns = {
        # Jaro and JaroWinkler treat None like the normalized functions do
        "distance": plain(_fuzzy.DISTANCE, raw_cutoff, integer, None if integer else 1.0),
        "similarity": plain(_fuzzy.SIMILARITY, raw_cutoff, integer, None if integer else 0.0),
        "normalized_distance": plain(_fuzzy.NORMALIZED_DISTANCE, _unit_cutoff, False, 1.0),
        "normalized_similarity": plain(_fuzzy.NORMALIZED_SIMILARITY, _unit_cutoff, False, 0.0),
    }
    return fns


_MODULES = {  # name: (metric id, integer results, extra keyword, has editops)
    "Levenshtein": (_fuzzy.LEVENSHTEIN, True, "weights", True),
    "Indel": (_fuzzy.INDEL, True, "", True),
    "LCSseq": (_fuzzy.LCSSEQ, True, "", True),
    "Hamming": (_fuzzy.HAMMING, True, "pad", False),
    "Jaro": (_fuzzy.JARO, False, "", False),
    "JaroWinkler": (_fuzzy.JARO_WINKLER, False, "prefix_weight", False),
    "OSA": (_fuzzy.OSA, True, "", False),
    "DamerauLevenshtein": (_fuzzy.DAMERAU_LEVENSHTEIN, True, "", False),
    "Prefix": (_fuzzy.PREFIX, True, "", False),
    "Postfix": (_fuzzy.POSTFIX, True, "", False),
}


def module_functions(name: str) -> Tuple[Callable[..., Any], ...]:
    """The public functions of hotpath.distance.<name>: distance, similarity,
    normalized_distance, normalized_similarity, then editops and opcodes where the metric
    has them."""
    metric, integer, option, has_editops = _MODULES[name]
    fns = make(metric, integer=integer, options=option)
    module = "hotpath.distance." + name
    for measure, (fname, fn) in enumerate(list(fns.items())):
        fns[fname] = _fuzzy.public(fn, _fuzzy.scorer(_fuzzy.KIND_METRIC, metric, measure), fname,
                                   module, _hotpath_scorer=(_fuzzy.KIND_METRIC, metric, measure))
    if has_editops:
        for fname, fn in make_editops(metric).items():
            fn.__name__ = fn.__qualname__ = fname
            fn.__module__ = module
            fns[fname] = fn
    return tuple(fns.values())


def make_editops(metric: int) -> Dict[str, Callable[..., Any]]:
    """editops and opcodes for Levenshtein, Indel and LCSseq."""
    def editops(s1: Any, s2: Any, *, processor: Optional[Callable[[Any], Any]] = None,
                score_hint: Any = None) -> Editops:
        if processor is not None:
            s1 = processor(s1)
            s2 = processor(s2)
        ops, n1, n2 = _fuzzy.editops(metric, s1, s2)
        return Editops._from_raw(ops, n1, n2)

    def opcodes(s1: Any, s2: Any, *, processor: Optional[Callable[[Any], Any]] = None,
                score_hint: Any = None) -> Opcodes:
        return editops(s1, s2, processor=processor).as_opcodes()

    return {"editops": editops, "opcodes": opcodes}


__all__ = ["make", "make_editops", "module_functions", "is_none", "error"]
