"""hotpath.process — rapidfuzz.process: extract, extractOne, extract_iter, cdist, cpdist,
plus ``pairs`` (thresholded sparse all-pairs).

Same names, parameters, defaults and results as RapidFuzz 3.x. When the scorer is one
of hotpath's (hotpath.fuzz.*, hotpath.distance.<Metric>.*) or the RapidFuzz function of
the same name, the whole call runs in C on the thread pool with the GIL released: the
choices are packed once per call into one buffer (or pass a ``hotpath.Strings`` to pack
them once for many calls), None choices are skipped, and ``workers`` threads score them
(RapidFuzz parallelises only cdist; here extract and extractOne use ``workers`` too).
Any other callable scorer runs the same loop in Python, exactly as RapidFuzz's
reference implementation does.

Beyond RapidFuzz: ``workers`` on extract/extractOne; ``progress=`` on every function
(a callable ``progress(done, total)`` whose true return value cancels the call with
hotpath.CancelledError, or ``True`` for a tqdm bar when tqdm is installed); and
``pairs(strings, score_cutoff=...)``.
"""
from __future__ import annotations

import heapq
import operator
import struct
from array import array
from itertools import accumulate
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from . import _backend, _fuzzy
from ._backend import check, lib
from ._strings import Strings
from .distance._metric import _int_cutoff, _unit_cutoff, _weights, is_none
from .fuzz import WRatio, ratio

_NAN = float("nan")
_INT_MAX = 9223372036854775807
_PLAIN_KINDS = frozenset((str, bytes, bytearray, list, tuple))  # never "none"
_TEXT_KINDS = frozenset((str, bytes, type(None)))  # choices the prepared path takes
_is = operator.is_

# ------------------------------------------------------------------ scorer resolution


class _Native:
    """A scorer hotpath runs in C: its hp_scorer and RapidFuzz's scorer flags."""

    __slots__ = ("sc", "kind", "id", "measure", "integer", "worst", "optimal", "higher",
                 "cutoff_conv", "symmetric")

    def __init__(self, kind: int, id_: int, measure: int, kwargs: Dict[str, Any]):
        settings: Dict[str, Any] = {}
        for k, v in kwargs.items():
            if k == "weights" and id_ == _fuzzy.LEVENSHTEIN and kind == _fuzzy.KIND_METRIC:
                settings["weights"] = _weights(v)
            elif k == "pad" and id_ == _fuzzy.HAMMING and kind == _fuzzy.KIND_METRIC:
                settings["pad"] = bool(v)
            elif k == "prefix_weight" and id_ == _fuzzy.JARO_WINKLER:
                settings["prefix_weight"] = 0.1 if v is None else float(v)
            elif k == "processor" or k == "score_hint":
                continue
            else:
                raise TypeError(f"got an unexpected keyword argument '{k}'")
        self.sc = _fuzzy.scorer(kind, id_, measure, **settings).c
        self.kind, self.id, self.measure = kind, id_, measure
        jaro = kind == _fuzzy.KIND_METRIC and id_ in (_fuzzy.JARO, _fuzzy.JARO_WINKLER)
        self.integer = kind == _fuzzy.KIND_METRIC and measure < 2 and not jaro
        if kind == _fuzzy.KIND_FUZZ:
            self.worst, self.optimal = 0, 100
        elif measure in (_fuzzy.NORMALIZED_DISTANCE,) or (jaro and measure == _fuzzy.DISTANCE):
            self.worst, self.optimal = 1, 0
        elif measure == _fuzzy.NORMALIZED_SIMILARITY or jaro:
            self.worst, self.optimal = 0, 1
        elif measure == _fuzzy.DISTANCE:
            self.worst, self.optimal = _INT_MAX, 0
        else:
            self.worst, self.optimal = 0, _INT_MAX
        self.higher = self.optimal > self.worst
        self.cutoff_conv = _int_cutoff if self.integer else (
            _unit_cutoff if kind == _fuzzy.KIND_METRIC else _fuzz_cutoff)
        self.symmetric = not (kind == _fuzzy.KIND_METRIC and id_ == _fuzzy.LEVENSHTEIN and
                              settings.get("weights", (1, 1, 1))[0] !=
                              settings.get("weights", (1, 1, 1))[1])

    def value(self, v: float) -> Any:
        return int(v) if self.integer else v


def _fuzz_cutoff(c: Any) -> float:
    return _NAN if c is None else float(c)


_RAPIDFUZZ: Optional[Dict[Any, Tuple[int, int, int]]] = None
_METRIC_NAMES = ["Levenshtein", "Indel", "LCSseq", "Hamming", "Jaro", "JaroWinkler", "OSA",
                 "DamerauLevenshtein", "Prefix", "Postfix"]
_FUZZ_NAMES = ["ratio", "partial_ratio", "token_sort_ratio", "token_set_ratio", "token_ratio",
               "partial_token_sort_ratio", "partial_token_set_ratio", "partial_token_ratio",
               "WRatio", "QRatio"]
_MEASURE_NAMES = ["distance", "similarity", "normalized_distance", "normalized_similarity"]


def _rapidfuzz_table() -> Dict[Any, Tuple[int, int, int]]:
    """RapidFuzz's own scorer functions -> the hotpath scorer computing the same thing, so
    ``process.extract(q, choices, scorer=rapidfuzz.fuzz.ratio)`` runs in C too."""
    global _RAPIDFUZZ
    if _RAPIDFUZZ is None:
        table: Dict[Any, Tuple[int, int, int]] = {}
        try:
            import importlib

            rf_fuzz = importlib.import_module("rapidfuzz.fuzz")
            for i, name in enumerate(_FUZZ_NAMES):
                table[getattr(rf_fuzz, name)] = (_fuzzy.KIND_FUZZ, i, 0)
            for i, mod in enumerate(_METRIC_NAMES):
                m = importlib.import_module("rapidfuzz.distance." + mod)
                for measure, fn in enumerate(_MEASURE_NAMES):
                    table[getattr(m, fn)] = (_fuzzy.KIND_METRIC, i, measure)
        except (ImportError, AttributeError):
            pass
        _RAPIDFUZZ = table
    return _RAPIDFUZZ


def _native(scorer: Any, kwargs: Dict[str, Any]) -> Optional[_Native]:
    spec = getattr(scorer, "_hotpath_scorer", None)
    if spec is None:
        try:
            spec = _rapidfuzz_table().get(scorer)
        except TypeError:  # unhashable scorer
            spec = None
    if spec is None:
        return None
    return _Native(spec[0], spec[1], spec[2], kwargs)


def _flags_py(scorer: Any, kwargs: Dict[str, Any]) -> Tuple[Any, Any]:
    params = getattr(scorer, "_RF_ScorerPy", None)
    if params is not None:
        flags = params["get_scorer_flags"](**kwargs)
        return flags["worst_score"], flags["optimal_score"]
    return 0, 100


# ------------------------------------------------------------------ choices


def _items(choices: Any) -> Tuple[List[Any], Optional[List[Any]]]:
    """(values, keys or None) of a list, a mapping or a pandas Series."""
    if hasattr(choices, "items"):
        keys, values = [], []
        for k, v in choices.items():
            keys.append(k)
            values.append(v)
        return values, keys
    return (choices if isinstance(choices, list) else list(choices)), None


class _Packed:
    """Choices packed for one C call: data, offsets, count, encoding, skip flags."""

    __slots__ = ("data", "offsets", "count", "enc", "skip")

    def __init__(self, data: Any, offsets: Any, count: int, enc: int, skip: Optional[bytes]):
        self.data, self.offsets, self.count, self.enc, self.skip = data, offsets, count, enc, skip


def _pack(values: Sequence[Any], ids: Optional[Dict[Any, int]] = None) -> _Packed:
    """Pack processed choices. str batches become one ASCII buffer or one UTF-32 buffer
    (no per-item encoding); bytes batches one byte buffer; anything else UTF-32/ids."""
    n = len(values)
    kinds = set(map(type, values))
    skip = None
    vals = values
    if not kinds <= _PLAIN_KINDS:  # only then can a value be None/NaN (skipped)
        skip_list = [is_none(v) for v in values]
        if any(skip_list):
            skip = bytes(skip_list)
            vals = [("" if sk else v) for v, sk in zip(values, skip_list)]
            kinds = set(map(type, vals))
    if kinds <= {str}:
        joined = "".join(vals)
        if joined.isascii():
            return _Packed(joined.encode("ascii"),
                           array("q", accumulate(map(len, vals), initial=0)), n,
                           _fuzzy.ENC_BYTES, skip)
        return _Packed(joined.encode("utf-32-le", "surrogatepass"),
                       array("q", accumulate(map((4).__mul__, map(len, vals)), initial=0)), n,
                       _fuzzy.ENC_U32, skip)
    if kinds <= {bytes}:
        return _Packed(b"".join(vals), array("q", accumulate(map(len, vals), initial=0)), n,
                       _fuzzy.ENC_BYTES, skip)
    table = {} if ids is None else ids
    parts = []
    for v in vals:
        if isinstance(v, (bytes, bytearray)):
            parts.append(array("I", bytes(v)).tobytes())
        elif isinstance(v, str):
            parts.append(v.encode("utf-32-le", "surrogatepass"))
        else:
            parts.append(_fuzzy.conv(v, table)[0])
    return _Packed(b"".join(parts), array("q", accumulate(map(len, parts), initial=0)), n,
                   _fuzzy.ENC_U32, skip)


def _packed_strings(s: Strings) -> _Packed:
    data, offsets, count = s._buffers()
    return _Packed(data, offsets, count, _fuzzy.ENC_UTF8 if s._text else _fuzzy.ENC_BYTES, None)


def _workers(workers: Any) -> int:
    w = int(workers)
    if w == 0 or w < -1:
        raise ValueError("workers must be -1 (all cores) or a positive number")
    return 0 if w == -1 else w


# ------------------------------------------------------------------ progress callbacks


class _Progress:
    """Wraps progress= for the C callback: a callable(done, total) -> truthy cancels, or
    True for a tqdm bar. Exceptions inside it cancel the call and are re-raised."""

    def __init__(self, progress: Any, desc: str):
        self.error: Optional[BaseException] = None
        self.bar = None
        self.fn: Optional[Callable[[int, int], Any]] = None
        if progress is True:
            try:
                from tqdm import tqdm  # type: ignore[import-not-found]
            except ImportError:
                return
            self.bar = tqdm(desc=desc, total=0)
        elif progress:
            self.fn = progress

    def __call__(self, done: int, total: int, user: Any = None) -> int:
        try:
            if self.bar is not None:
                self.bar.total = total
                self.bar.n = done
                self.bar.refresh()
                return 0
            return 1 if self.fn(done, total) else 0  # type: ignore[misc]
        except BaseException as e:  # noqa: BLE001 - re-raised after the C call
            self.error = e
            return 1

    @property
    def active(self) -> bool:
        return self.bar is not None or self.fn is not None

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


if _backend.BACKEND == "cffi":
    _ffi = _backend.ffi

    def _c_progress(p: _Progress) -> Any:
        if not p.active:
            return _ffi.NULL
        return _ffi.callback("hp_progress_fn", p)

    def _new_scores(n: int) -> Any:
        return _ffi.new("hp_match[]", max(n, 1))

    def _strings(p: _Packed) -> Tuple[Any, Any]:
        return _backend.strings_arg(p.data, p.offsets, p.count)

    def _query_matches(q: Any, sc: Any, count: int, limit: int,
                       run: Callable[[Any, Any, int, Any], int]
                       ) -> Tuple[int, List[Tuple[float, int]]]:
        """Makes the query handle, lets run(query, out, want, n) fill a match array (an
        hp_fuzzy_extract* call), returns (status, [(score, index)]); frees the handle."""
        qa, ql, qe = q
        hp = _ffi.new("hp_fuzzy_query **")
        st = lib.hp_fuzzy_query_new(hp, sc, qa, ql, qe)
        if st:
            return st, []
        query = hp[0]
        try:
            want = count if limit == 0 else min(limit, count)
            out = _ffi.new("hp_match[]", max(want, 1))
            n = _ffi.new("size_t *")
            st = run(query, out, want, n)
            if st:
                return st, []
            return 0, [(out[i].score, out[i].index) for i in range(n[0])]
        finally:
            lib.hp_fuzzy_query_free(query)

    def _extract_call(q: Any, sc: Any, packed: _Packed, cutoff: float, limit: int,
                      threads: int, prog: _Progress) -> Tuple[int, List[Tuple[float, int]]]:
        batch, keep = _strings(packed)
        skip = _ffi.NULL if packed.skip is None else packed.skip
        cb = _c_progress(prog)
        return _query_matches(q, sc, packed.count, limit, lambda query, out, want, n: (
            lib.hp_fuzzy_extract(out, want, n, query, batch, packed.enc, skip, cutoff, limit,
                                 threads, cb, _ffi.NULL)))

    def _choices_new(packed: _Packed, threads: int) -> Tuple[int, Any]:
        pp = _ffi.new("hp_fuzzy_choices **")
        batch, keep = _strings(packed)
        st = lib.hp_fuzzy_choices_new(pp, batch, packed.enc, threads)
        return st, (_ffi.gc(pp[0], lib.hp_fuzzy_choices_free) if st == 0 else None)

    def _extract_prepared_call(q: Any, sc: Any, handle: Any, skip: Optional[bytes], count: int,
                               cutoff: float, limit: int, threads: int,
                               prog: _Progress) -> Tuple[int, List[Tuple[float, int]]]:
        cskip = _ffi.NULL if skip is None else skip
        cb = _c_progress(prog)
        return _query_matches(q, sc, count, limit, lambda query, out, want, n: (
            lib.hp_fuzzy_extract_prepared(out, want, n, query, handle, cskip, cutoff, limit,
                                          threads, cb, _ffi.NULL)))

    def _matrix_call(fn: str, out: Any, dtype: int, stride: int, sc: Any, qp: _Packed,
                     cp: _Packed, cutoff: float, threads: int, prog: _Progress) -> int:
        dest = _ffi.from_buffer(out, require_writable=True)
        qb, qk = _strings(qp)
        cb_, ck = _strings(cp)
        cb = _c_progress(prog)
        if fn == "cdist":
            return lib.hp_fuzzy_cdist(dest, dtype, stride, sc, qb, qp.enc, cb_, cp.enc, cutoff,
                                      threads, cb, _ffi.NULL)
        return lib.hp_fuzzy_cpdist(dest, dtype, sc, qb, qp.enc, cb_, cp.enc, cutoff, threads, cb,
                                   _ffi.NULL)

    def _pairs_call(sc: Any, packed: _Packed, cutoff: float, threads: int, prog: _Progress,
                    sink: bytearray) -> int:
        def emit(pairs: Any, n: int, user: Any) -> int:
            try:
                sink.extend(_ffi.buffer(pairs, 24 * n))
                return 0
            except BaseException as e:  # noqa: BLE001
                prog.error = e
                return 1
        cb_emit = _ffi.callback("hp_pairs_fn", emit)
        batch, keep = _strings(packed)
        return lib.hp_fuzzy_pairs(sc, batch, packed.enc, cutoff, threads, cb_emit,
                                  _c_progress(prog), _ffi.NULL)
else:
    import ctypes

    from ._ctypes_sig_fuzzy import Match, pairs_fn, progress_fn

    def _c_progress(p: _Progress) -> Any:
        if not p.active:
            return progress_fn()
        return progress_fn(p)

    def _strings(p: _Packed) -> Tuple[Any, Any]:
        return _backend.strings_arg(p.data, p.offsets, p.count)

    def _query_matches(q: Any, sc: Any, count: int, limit: int,
                       run: Callable[[Any, Any, int, Any], int]
                       ) -> Tuple[int, List[Tuple[float, int]]]:
        """As the cffi one: the query handle, run(query, out, want, n), the matches."""
        qa, ql, qe = q
        hp = ctypes.c_void_p()
        st = lib.hp_fuzzy_query_new(ctypes.byref(hp), sc, qa, ql, qe)
        if st:
            return st, []
        try:
            want = count if limit == 0 else min(limit, count)
            out = (Match * max(want, 1))()
            n = ctypes.c_size_t()
            st = run(hp, out, want, ctypes.byref(n))
            if st:
                return st, []
            return 0, [(out[i].score, out[i].index) for i in range(n.value)]
        finally:
            lib.hp_fuzzy_query_free(hp)

    def _extract_call(q: Any, sc: Any, packed: _Packed, cutoff: float, limit: int,
                      threads: int, prog: _Progress) -> Tuple[int, List[Tuple[float, int]]]:
        batch, keep = _strings(packed)
        cb = _c_progress(prog)
        return _query_matches(q, sc, packed.count, limit, lambda query, out, want, n: (
            lib.hp_fuzzy_extract(out, want, n, query, batch, packed.enc, packed.skip, cutoff,
                                 limit, threads, cb, None)))

    class _CHandle:
        """Owns an hp_fuzzy_choices * (ctypes has no ffi.gc)."""

        def __init__(self, ptr: ctypes.c_void_p):
            self.ptr = ptr

        def __del__(self) -> None:
            if self.ptr:
                lib.hp_fuzzy_choices_free(self.ptr)
                self.ptr = None

    def _choices_new(packed: _Packed, threads: int) -> Tuple[int, Any]:
        pp = ctypes.c_void_p()
        batch, keep = _strings(packed)
        st = lib.hp_fuzzy_choices_new(ctypes.byref(pp), batch, packed.enc, threads)
        return st, (_CHandle(pp) if st == 0 else None)

    def _extract_prepared_call(q: Any, sc: Any, handle: Any, skip: Optional[bytes], count: int,
                               cutoff: float, limit: int, threads: int,
                               prog: _Progress) -> Tuple[int, List[Tuple[float, int]]]:
        cb = _c_progress(prog)
        return _query_matches(q, sc, count, limit, lambda query, out, want, n: (
            lib.hp_fuzzy_extract_prepared(out, want, n, query, handle.ptr, skip, cutoff, limit,
                                          threads, cb, None)))

    def _matrix_call(fn: str, out: Any, dtype: int, stride: int, sc: Any, qp: _Packed,
                     cp: _Packed, cutoff: float, threads: int, prog: _Progress) -> int:
        dest = _backend.writable_arg(out, "char")
        qb, qk = _strings(qp)
        cb_, ck = _strings(cp)
        cb = _c_progress(prog)
        if fn == "cdist":
            return lib.hp_fuzzy_cdist(dest, dtype, stride, sc, qb, qp.enc, cb_, cp.enc, cutoff,
                                      threads, cb, None)
        return lib.hp_fuzzy_cpdist(dest, dtype, sc, qb, qp.enc, cb_, cp.enc, cutoff, threads, cb,
                                   None)

    def _pairs_call(sc: Any, packed: _Packed, cutoff: float, threads: int, prog: _Progress,
                    sink: bytearray) -> int:
        def emit(pairs: Any, n: int, user: Any) -> int:
            try:
                sink.extend(ctypes.string_at(pairs, 24 * n))
                return 0
            except BaseException as e:  # noqa: BLE001
                prog.error = e
                return 1
        cb_emit = pairs_fn(emit)
        batch, keep = _strings(packed)
        return lib.hp_fuzzy_pairs(sc, batch, packed.enc, cutoff, threads, cb_emit,
                                  _c_progress(prog), None)


def _raise(status: int, prog: _Progress) -> None:
    prog.close()
    if prog.error is not None:
        raise prog.error
    check(status)


# ------------------------------------------------------------------ extract family


def _prepare(query: Any, choices: Any, processor: Any) -> Tuple[Any, _Packed, Any,
                                                                  Optional[List[Any]],
                                                                  Dict[Any, int]]:
    """(processed query, packed processed choices, original values, keys, id table)."""
    if processor is not None:
        query = processor(query)
    ids: Dict[Any, int] = {}
    if isinstance(choices, Strings):
        if processor is None:
            return query, _packed_strings(choices), choices, None, ids
        values = choices.tolist()
        return query, _pack([processor(v) for v in values], ids), values, None, ids
    values, keys = _items(choices)
    proc = values if processor is None else [v if is_none(v) else processor(v) for v in values]
    return query, _pack(proc, ids), values, keys, ids


# The last choices prepared for extract (decoded, SIMD tables built; hp_fuzzy_choices):
# (the choices object, a snapshot of its items, the packed form, the handle). A later
# call with the same items -- the same objects in the same order, which for str and
# bytes means the same content -- reuses them, so a loop of extractOne over one list
# packs and prepares it once, as RapidFuzz users expect of a "choices" argument.
_PREPARED: Optional[Tuple[Any, Any, _Packed, Any]] = None


def clear_cache() -> None:
    """Release the choices extract/extractOne keep prepared for the next call (see
    docs/fuzzy.md). They are also replaced by the next call with other choices. Call this
    before hotpath.live_allocations() leak checks or a custom allocator switch."""
    global _PREPARED
    _PREPARED = None


def _is_prepared(choices: Any) -> bool:
    """True if choices holds the same items as the prepared ones (then they are known to
    be str/bytes/None, so the type scan can be skipped)."""
    cached = _PREPARED
    if cached is None or cached[0] is not choices or cached[1] is None:
        return False
    snapshot = cached[1]
    if _fuzzy.FAST is not None:  # the same check in C (a Python-level map costs ~30 ns/item)
        same = _fuzzy.FAST.same_items(snapshot, choices)
        if same is not NotImplemented:
            return bool(same)
    return len(snapshot) == len(choices) and all(map(_is, snapshot, choices))


def _prepared_for(choices: Any, hit: bool, packed_fn: Callable[[], _Packed],
                  threads: int) -> Tuple[_Packed, Any]:
    """The prepared form of choices: the cached one when hit (checked by _is_prepared) or
    when choices is the cached Strings, else made now and cached."""
    global _PREPARED
    cached = _PREPARED
    if cached is not None and cached[0] is choices and (hit or isinstance(choices, Strings)):
        return cached[2], cached[3]
    packed = packed_fn()
    st, handle = _choices_new(packed, threads)
    check(st)
    snapshot = None if isinstance(choices, Strings) else tuple(choices)
    _PREPARED = (choices, snapshot, packed, handle)
    return packed, handle


def _native_extract_call(nat: _Native, query: Any, choices: Any, processor: Any, limit: int,
                         cutoff: float, threads: int, prog: _Progress
                         ) -> Tuple[int, List[Tuple[float, int]], Any, Optional[List[Any]]]:
    """The C call of extract: (status, [(score, index)], values, keys). Raises nothing
    after the call, so no frame holding the prepared choices ends up in a traceback."""
    hit = processor is None and type(choices) in (list, tuple) and _is_prepared(choices)
    reusable = hit or processor is None and (isinstance(choices, Strings) or (
        type(choices) in (list, tuple) and set(map(type, choices)) <= _TEXT_KINDS))
    if reusable:
        packed, handle = _prepared_for(choices, hit, lambda: (
            _packed_strings(choices) if isinstance(choices, Strings) else _pack(choices)), threads)
        st, found = _extract_prepared_call(_fuzzy.conv(query), nat.sc, handle, packed.skip,
                                           packed.count, cutoff, limit, threads, prog)
        return st, found, choices, None
    query, packed, values, keys, ids = _prepare(query, choices, processor)
    st, found = _extract_call(_fuzzy.conv(query, ids), nat.sc, packed, cutoff, limit, threads,
                              prog)
    return st, found, values, keys


def _native_extract(nat: _Native, query: Any, choices: Any, processor: Any, limit: int,
                    score_cutoff: Any, workers: Any, progress: Any) -> List[Tuple[Any, Any, Any]]:
    cutoff = nat.cutoff_conv(score_cutoff)
    threads = _workers(workers)
    prog = _Progress(progress, "extract")
    st, found, values, keys = _native_extract_call(nat, query, choices, processor, limit, cutoff,
                                                   threads, prog)
    _raise(st, prog)
    prog.close()
    out = []
    for score, i in found:
        out.append((values[i], nat.value(score), keys[i] if keys is not None else i))
    return out


def extractOne(query: Any, choices: Any, *, scorer: Callable[..., Any] = WRatio,
               processor: Optional[Callable[[Any], Any]] = None, score_cutoff: Any = None,
               score_hint: Any = None, scorer_kwargs: Optional[Dict[str, Any]] = None,
               workers: int = 1, progress: Any = None) -> Optional[Tuple[Any, Any, Any]]:
    """The best match of query in choices as (choice, score, index or key), or None.
    Ties go to the first choice, as in RapidFuzz."""
    scorer_kwargs = scorer_kwargs or {}
    if is_none(query):
        return None
    nat = _native(scorer, scorer_kwargs)
    if nat is not None:
        found = _native_extract(nat, query, choices, processor, 1, score_cutoff, workers, progress)
        return found[0] if found else None
    return _py_extract_one(query, choices, scorer, processor, score_cutoff, scorer_kwargs)


def extract(query: Any, choices: Any, *, scorer: Callable[..., Any] = WRatio,
            processor: Optional[Callable[[Any], Any]] = None, limit: Optional[int] = 5,
            score_cutoff: Any = None, score_hint: Any = None,
            scorer_kwargs: Optional[Dict[str, Any]] = None, workers: int = 1,
            progress: Any = None) -> List[Tuple[Any, Any, Any]]:
    """The best `limit` matches (all for limit=None), best first, ties by position."""
    scorer_kwargs = scorer_kwargs or {}
    if limit is not None and limit <= 0:
        return []
    if is_none(query):
        return []
    nat = _native(scorer, scorer_kwargs)
    if nat is not None:
        return _native_extract(nat, query, choices, processor, limit or 0, score_cutoff,
                               workers, progress)
    if limit == 1:
        res = _py_extract_one(query, choices, scorer, processor, score_cutoff, scorer_kwargs)
        return [] if res is None else [res]
    worst, optimal = _flags_py(scorer, scorer_kwargs)
    it = _py_extract_iter(query, choices, scorer, processor, score_cutoff, scorer_kwargs)
    if limit is None:
        return sorted(it, key=lambda r: r[1], reverse=optimal > worst)
    if optimal > worst:
        return heapq.nlargest(limit, it, key=lambda r: r[1])
    return heapq.nsmallest(limit, it, key=lambda r: r[1])


def extract_iter(query: Any, choices: Any, *, scorer: Callable[..., Any] = WRatio,
                 processor: Optional[Callable[[Any], Any]] = None, score_cutoff: Any = None,
                 score_hint: Any = None, scorer_kwargs: Optional[Dict[str, Any]] = None
                 ) -> Iterator[Tuple[Any, Any, Any]]:
    """Yield (choice, score, index or key) for every choice meeting score_cutoff, in
    order. Runs lazily in Python (one scorer call per choice), as in RapidFuzz."""
    return _py_extract_iter(query, choices, scorer, processor, score_cutoff, scorer_kwargs or {})


def _py_extract_iter(query: Any, choices: Any, scorer: Any, processor: Any, score_cutoff: Any,
                     kwargs: Dict[str, Any]) -> Iterator[Tuple[Any, Any, Any]]:
    worst, optimal = _flags_py(scorer, kwargs)
    nat = _native(scorer, kwargs)
    if nat is not None:
        worst, optimal = nat.worst, nat.optimal
    higher = optimal > worst
    if is_none(query):
        return
    if score_cutoff is None:
        score_cutoff = worst
    if processor is not None:
        query = processor(query)
    it = choices.items() if hasattr(choices, "items") else enumerate(choices)
    for key, choice in it:
        if is_none(choice):
            continue
        c = choice if processor is None else processor(choice)
        score = scorer(query, c, score_cutoff=score_cutoff, **kwargs)
        if (score >= score_cutoff) if higher else (score <= score_cutoff):
            yield (choice, score, key)


def _py_extract_one(query: Any, choices: Any, scorer: Any, processor: Any, score_cutoff: Any,
                    kwargs: Dict[str, Any]) -> Optional[Tuple[Any, Any, Any]]:
    worst, optimal = _flags_py(scorer, kwargs)
    higher = optimal > worst
    if is_none(query):
        return None
    if score_cutoff is None:
        score_cutoff = worst
    if processor is not None:
        query = processor(query)
    result = None
    it = choices.items() if hasattr(choices, "items") else enumerate(choices)
    for key, choice in it:
        if is_none(choice):
            continue
        c = choice if processor is None else processor(choice)
        score = scorer(query, c, score_cutoff=score_cutoff, **kwargs)
        if higher:
            if score >= score_cutoff and (result is None or score > result[1]):
                score_cutoff = score
                result = (choice, score, key)
        elif score <= score_cutoff and (result is None or score < result[1]):
            score_cutoff = score
            result = (choice, score, key)
        if score == optimal:
            break
    return result


# ------------------------------------------------------------------ cdist / cpdist

_DTYPES = {"float64": 0, "float32": 1, "int32": 2, "int64": 3, "uint8": 4, "uint32": 5}


def _numpy() -> Any:
    try:
        import numpy as np
    except ImportError:
        raise ImportError("hotpath.process.cdist and cpdist return NumPy arrays: "
                          "install numpy") from None
    return np


def _result_dtype(np: Any, dtype: Any, nat: Optional[_Native], scorer: Any,
                  kwargs: Dict[str, Any]) -> Any:
    if dtype is not None:
        return np.dtype(dtype)
    if nat is not None:
        return np.dtype(np.uint32 if nat.integer else np.float32)
    params = getattr(scorer, "_RF_ScorerPy", None)
    if params is not None:
        flags = params["get_scorer_flags"](**kwargs)["flags"]
        if flags & 64:  # ScorerFlag.RESULT_I64
            return np.dtype(np.int32)
        if flags & 128:  # ScorerFlag.RESULT_SIZE_T
            return np.dtype(np.uint32)
    return np.dtype(np.float32)


def _matrix(fn: str, queries: Any, choices: Any, scorer: Any, processor: Any, score_cutoff: Any,
            score_multiplier: Any, dtype: Any, workers: Any, kwargs: Dict[str, Any],
            progress: Any) -> Any:
    np = _numpy()
    nat = _native(scorer, kwargs)
    qvals = queries.tolist() if isinstance(queries, Strings) else list(queries)
    cvals = choices.tolist() if isinstance(choices, Strings) else list(choices)
    if fn == "cpdist" and len(qvals) != len(cvals):
        raise ValueError("Length of queries and choices must be the same!")
    rdtype = _result_dtype(np, dtype, nat, scorer, kwargs)
    shape = (len(qvals), len(cvals)) if fn == "cdist" else (len(qvals),)
    if nat is None:
        return _py_matrix(np, fn, qvals, cvals, scorer, processor, score_cutoff,
                          score_multiplier, rdtype, kwargs)
    if processor is not None:
        qvals = [v if is_none(v) else processor(v) for v in qvals]
        cvals = [v if is_none(v) else processor(v) for v in cvals]
    if nat.integer and (any(map(is_none, qvals)) or any(map(is_none, cvals))):
        raise ValueError("passed unsupported element None")
    cutoff = nat.cutoff_conv(score_cutoff)
    code = _DTYPES.get(rdtype.name) if score_multiplier == 1 else None
    buf_dtype = rdtype if code is not None else np.dtype(np.float64)
    out = np.zeros(shape, dtype=buf_dtype)
    if out.size == 0:
        return out.astype(rdtype, copy=False)
    ids: Dict[Any, int] = {}
    qp = _pack(qvals, ids)
    cp = _pack(cvals, ids)
    # None inputs score like RapidFuzz: the worst score (0 for similarities)
    prog = _Progress(progress, fn)
    st = _matrix_call(fn, out, _DTYPES[buf_dtype.name], len(cvals), nat.sc, qp, cp, cutoff,
                      _workers(workers), prog)
    _raise(st, prog)
    prog.close()
    if qp.skip or cp.skip:
        _none_scores(np, fn, out, qp.skip, cp.skip, nat)
    if code is None:
        out = out * score_multiplier
        if np.issubdtype(rdtype, np.integer):
            out = np.rint(out)
        out = out.astype(rdtype)
    return out


def _none_scores(np: Any, fn: str, out: Any, qskip: Optional[bytes], cskip: Optional[bytes],
                 nat: _Native) -> None:
    """RapidFuzz scores a None query or choice as the worst score in cdist: 0 for fuzz
    scorers and normalized similarities, 1.0 for normalized distances (integer measures
    refuse None before this point)."""
    worst = 0 if nat.higher else 1
    if fn == "cdist":
        if qskip:
            out[np.frombuffer(qskip, dtype=np.uint8).astype(bool), :] = worst
        if cskip:
            out[:, np.frombuffer(cskip, dtype=np.uint8).astype(bool)] = worst
    else:
        mask = np.zeros(out.shape[0], dtype=bool)
        if qskip:
            mask |= np.frombuffer(qskip, dtype=np.uint8).astype(bool)
        if cskip:
            mask |= np.frombuffer(cskip, dtype=np.uint8).astype(bool)
        out[mask] = worst


def _py_matrix(np: Any, fn: str, qvals: List[Any], cvals: List[Any], scorer: Any,
               processor: Any, score_cutoff: Any, mult: Any, dtype: Any,
               kwargs: Dict[str, Any]) -> Any:
    integer = np.issubdtype(dtype, np.integer)
    proc = (lambda x: x) if processor is None else (lambda x: x if is_none(x) else processor(x))
    pq = [proc(q) for q in qvals]
    pc = [proc(c) for c in cvals]
    if fn == "cdist":
        out = np.zeros((len(pq), len(pc)), dtype=dtype)
        for i, q in enumerate(pq):
            for j, c in enumerate(pc):
                s = scorer(q, c, score_cutoff=score_cutoff, **kwargs) * mult
                out[i, j] = round(s) if integer else s
        return out
    out = np.zeros((len(pq),), dtype=dtype)
    for i, (q, c) in enumerate(zip(pq, pc)):
        s = scorer(q, c, score_cutoff=score_cutoff, **kwargs) * mult
        out[i] = round(s) if integer else s
    return out


def cdist(queries: Any, choices: Any, *, scorer: Callable[..., Any] = ratio,
          processor: Optional[Callable[[Any], Any]] = None, score_cutoff: Any = None,
          score_hint: Any = None, score_multiplier: Any = 1, dtype: Any = None,
          workers: int = 1, scorer_kwargs: Optional[Dict[str, Any]] = None,
          progress: Any = None) -> Any:
    """Matrix of scorer(queries[i], choices[j]) as a NumPy array (float32 for similarity
    scores, uint32 for integer distances, unless dtype says otherwise), rows on
    `workers` threads (-1: all cores)."""
    return _matrix("cdist", queries, choices, scorer, processor, score_cutoff,
                   score_multiplier, dtype, workers, scorer_kwargs or {}, progress)


def cpdist(queries: Any, choices: Any, *, scorer: Callable[..., Any] = ratio,
           processor: Optional[Callable[[Any], Any]] = None, score_cutoff: Any = None,
           score_hint: Any = None, score_multiplier: Any = 1, dtype: Any = None,
           workers: int = 1, scorer_kwargs: Optional[Dict[str, Any]] = None,
           progress: Any = None) -> Any:
    """Element-wise scorer(queries[i], choices[i]) as a 1-D NumPy array; the two
    sequences must have the same length (ValueError otherwise)."""
    return _matrix("cpdist", queries, choices, scorer, processor, score_cutoff,
                   score_multiplier, dtype, workers, scorer_kwargs or {}, progress)


# ------------------------------------------------------------------ sparse all-pairs


def pairs(strings: Any, *, score_cutoff: Any, scorer: Callable[..., Any] = ratio,
          processor: Optional[Callable[[Any], Any]] = None,
          scorer_kwargs: Optional[Dict[str, Any]] = None, workers: int = -1,
          progress: Any = None) -> List[Tuple[int, int, Any]]:
    """Every pair i < j of `strings` whose score meets score_cutoff, as (i, j, score)
    sorted by (i, j), without building the len(strings)**2 matrix (hotpath only; no
    RapidFuzz equivalent). Memory is O(len(strings) + pairs found). For ratio/QRatio and
    the edit-distance metrics a length filter skips pairs that cannot qualify; other
    scorers score all n*(n-1)/2 pairs (on `workers` threads). Only hotpath's (or
    RapidFuzz's) scorers are accepted. None entries never pair."""
    kwargs = scorer_kwargs or {}
    nat = _native(scorer, kwargs)
    if nat is None:
        raise TypeError("pairs() needs one of hotpath's (or RapidFuzz's) scorers")
    if score_cutoff is None:
        raise TypeError("pairs() needs a score_cutoff")
    cutoff = nat.cutoff_conv(score_cutoff)
    if isinstance(strings, Strings) and processor is None:
        packed = _packed_strings(strings)
    else:
        vals = strings.tolist() if isinstance(strings, Strings) else list(strings)
        if processor is not None:
            vals = [v if is_none(v) else processor(v) for v in vals]
        packed = _pack(vals)
    sink = bytearray()
    prog = _Progress(progress, "pairs")
    st = _pairs_call(nat.sc, packed, cutoff, _workers(workers), prog, sink)
    _raise(st, prog)
    prog.close()
    skip = packed.skip
    found = [(i, j, nat.value(s)) for i, j, s in struct.iter_unpack("=QQd", sink)
             if not skip or not (skip[i] or skip[j])]
    found.sort()
    return found


__all__ = ["extract", "extractOne", "extract_iter", "cdist", "cpdist", "pairs", "clear_cache"]
