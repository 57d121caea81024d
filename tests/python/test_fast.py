"""hotpath._fast, the CPython fast path for single-pair calls: present in the installed
package (unless HOTPATH_FAST=0), identical results to the cffi/ctypes path on every
str storage kind (Latin-1, UCS-2, UCS-4) and on bytes, NotImplemented for what it does
not handle, and errors raised as the library's exceptions."""
from __future__ import annotations

import os
import struct

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import hotpath
from hotpath import _compute_vec, _fuzzy, compute, fuzz
from hotpath.distance import Indel, JaroWinkler, Levenshtein

# The module itself, whether or not this run routes calls through it (HOTPATH_FAST=0
# turns the routing off; the installed package always ships the module).
from hotpath import _fast as FAST  # noqa: E402  isort: skip

FAST.set_error_hook(_fuzzy._raise_status)


def test_fast_path_is_routed_unless_disabled():
    if os.environ.get("HOTPATH_FAST", "1") == "0":
        assert _fuzzy.FAST is None and _fuzzy.fast_score is None
    else:
        assert _fuzzy.FAST is FAST
    assert FAST.SCORER_SIZE == struct.calcsize("=iiiiQQQd")


TEXT = st.text(alphabet=st.sampled_from(list("abcé") + ["\u03b1", "\u4e2d", "\U0001F600"]),
               max_size=90)


@given(a=TEXT, b=TEXT)
def test_fast_equals_bound_path_on_every_storage_kind(a, b):
    for measure in range(4):
        sc = _fuzzy.scorer(_fuzzy.KIND_METRIC, _fuzzy.LEVENSHTEIN, measure)
        want = _fuzzy._score_bound(sc.c, a, b, float("nan"))
        got = FAST.fuzzy_score(sc.raw, a, b, float("nan"))
        assert got == want
        assert type(got) is (int if measure < 2 else float)
    for fid in range(10):
        sc = _fuzzy.scorer(_fuzzy.KIND_FUZZ, fid)
        assert FAST.fuzzy_score(sc.raw, a, b, 50.0) == _fuzzy._score_bound(sc.c, a, b, 50.0)
    ba, bb = a.encode(), b.encode()
    sc = _fuzzy.scorer(_fuzzy.KIND_METRIC, _fuzzy.INDEL, 0)
    assert FAST.fuzzy_score(sc.raw, ba, bb, float("nan")) == Indel.distance(list(ba), list(bb))


def test_fast_declines_what_it_does_not_handle():
    sc = _fuzzy.scorer(_fuzzy.KIND_METRIC, _fuzzy.LEVENSHTEIN, 0)
    nan = float("nan")

    class S(str):
        pass
    for a, b in [(["a"], "a"), (None, "a"), (S("ab"), "ab"), ("a", bytearray(b"a"))]:
        assert FAST.fuzzy_score(sc.raw, a, b, nan) is NotImplemented
    assert FAST.fuzzy_score(sc.raw[:-1], "a", "b", nan) is NotImplemented
    assert FAST.fuzzy_score(sc.raw, "a", "b", 1) is NotImplemented  # cutoff must be a float
    assert FAST.fuzzy_score(sc.raw, "a", "b") is NotImplemented
    # the public functions then take the regular path, with RapidFuzz's answers
    assert Levenshtein.distance(S("ab"), "ab") == 0
    assert Levenshtein.distance(["a", "b"], "ab") == 0
    assert fuzz.ratio(None, "a") == 0


def test_fast_errors_raise_library_exceptions():
    bad = struct.pack("=iiiiQQQd", 0, 42, 0, 1, 1, 1, 1, 0.1)  # unknown metric id
    with pytest.raises(hotpath.InvalidArgumentError):
        FAST.fuzzy_score(bad, "a", "b", float("nan"))
    pw = _fuzzy.scorer(_fuzzy.KIND_METRIC, _fuzzy.JARO_WINKLER, 1).raw
    bad_pw = pw[:-8] + struct.pack("=d", 5.0)
    with pytest.raises(ValueError):
        FAST.fuzzy_score(bad_pw, "a", "b", float("nan"))
    assert JaroWinkler.similarity("abc", "abd") == pytest.approx(0.8222222222222223)
    with pytest.raises(TypeError):
        FAST.set_error_hook(42)


def test_fast_releases_the_gil_on_long_inputs_with_the_same_results():
    a = "ab" * 5000 + "é"
    b = "ba" * 5000
    sc = _fuzzy.scorer(_fuzzy.KIND_METRIC, _fuzzy.LEVENSHTEIN, 0)
    assert FAST.fuzzy_score(sc.raw, a, b, float("nan")) == \
        _fuzzy._score_bound(sc.c, a, b, float("nan"))


def test_fast_vector_pair():
    rng = np.random.default_rng(1)
    for dtype in (np.float32, np.float64, np.int8):
        x = (rng.standard_normal(300) * 20).astype(dtype)
        y = (rng.standard_normal(300) * 20).astype(dtype)
        for metric in range(5):
            got = FAST.vec_score(metric, x, y)
            ref = _compute_vec._pair_call_checked(x, y, metric)[1]
            assert got == ref
    x = np.ones(4, dtype=np.float32)
    assert FAST.vec_score(0, x, np.ones(4, dtype=np.float64)) is NotImplemented
    assert FAST.vec_score(0, x, np.ones(5, dtype=np.float32)) is NotImplemented
    assert FAST.vec_score(0, np.ones((2, 2), np.float32), np.ones((2, 2), np.float32)) \
        is NotImplemented
    assert FAST.vec_score(0, x[::2], x[::2]) is NotImplemented
    assert FAST.vec_score(0, "ab", "ab") is NotImplemented
    with pytest.raises(hotpath.InvalidArgumentError):
        FAST.vec_score(99, x, x)
    assert compute.dot(x, x) == 4.0


def test_public_scorers_are_c_callables_with_the_python_signature():
    import inspect

    from hotpath import process
    fns = [Levenshtein.distance, Levenshtein.normalized_similarity, Indel.similarity,
           JaroWinkler.distance, fuzz.ratio, fuzz.WRatio]
    for fn in fns:
        if _fuzzy.FAST is not None:
            assert type(fn).__name__ == "Scorer" and fn.__wrapped__ is not None
        assert fn.__module__.startswith("hotpath.") and fn.__name__ in repr(fn)
        assert "score_cutoff" in inspect.signature(fn).parameters
        assert fn._hotpath_scorer[0] in (0, 1)
    # plain calls (C), keyword calls and other types (the Python implementation) agree
    assert Levenshtein.distance("kitten", "sitting") == 3
    assert Levenshtein.distance("kitten", "sitting", score_cutoff=2) == 3
    assert Levenshtein.distance("kitten", "sitting", weights=(1, 1, 2)) == 5
    assert Levenshtein.distance(["k", "i"], "ki") == 0
    assert Levenshtein.normalized_similarity(None, "a") == 0.0
    assert fuzz.ratio("abc", "abd") == fuzz.ratio("abc", "abd", processor=None)
    with pytest.raises(TypeError):
        Levenshtein.distance("a")
    with pytest.raises(TypeError):
        fuzz.ratio("a", "b", weights=(1, 1, 1))
    assert process.extractOne("abc", ["abd", "abc"], scorer=Levenshtein.distance) == ("abc", 0, 1)


def test_public_vector_functions_are_c_callables_with_python_fallback():
    import inspect

    rng = np.random.default_rng(2)
    x = rng.standard_normal(37).astype(np.float32)
    y = rng.standard_normal(37).astype(np.float32)
    m = rng.standard_normal((3, 37)).astype(np.float32)
    for name, metric in (("dot", 0), ("cosine", 1), ("sqeuclidean", 3), ("euclidean", 4)):
        fn = getattr(compute, name)
        if _fuzzy.FAST is not None:
            assert type(fn).__name__ == "Scorer" and fn.__wrapped__ is not None
            # the C route and the Python implementation give the same float
            assert fn(x, y) == fn.__wrapped__(x, y) == FAST.vec_score(metric, x, y)
        assert fn.__name__ == name and name in repr(fn)
        assert list(inspect.signature(fn).parameters) == ["a", "b"]
        # calls the fast path declines reach the Python implementation
        assert fn(a=x, b=y) == fn(x, y)
        rows = fn(x, m)  # 2-D b: one value per row
        assert len(rows) == 3 and rows[1] == fn(x, m[1].copy())
        with pytest.raises(ValueError, match="dimensions differ"):
            fn(x, y[:5])
        with pytest.raises(TypeError):
            fn([1.0, 2.0], [1.0, 2.0])
        with pytest.raises(TypeError):
            fn(x)


def test_public_functions_pickle_by_reference():
    # process pools ship scorers by pickling them, as they do RapidFuzz's functions
    import copy
    import pickle

    from hotpath import distance
    fns = [getattr(fuzz, n) for n in ("ratio", "partial_ratio", "token_sort_ratio", "WRatio",
                                       "QRatio")]
    for metric in ("Levenshtein", "Indel", "JaroWinkler", "OSA", "Postfix"):
        mod = getattr(distance, metric)
        fns += [mod.distance, mod.similarity, mod.normalized_distance, mod.normalized_similarity]
    fns += [compute.dot, compute.cosine, compute.sqeuclidean, compute.euclidean]
    for fn in fns:
        for proto in (2, pickle.HIGHEST_PROTOCOL):
            assert pickle.loads(pickle.dumps(fn, proto)) is fn
        assert copy.copy(fn) is fn and copy.deepcopy(fn) is fn


def test_same_items_checks_identity_in_order():
    a, b = "x" * 3, "y" * 3
    assert FAST.same_items([a, b], (a, b)) is True
    assert FAST.same_items([a, b], [b, a]) is False
    assert FAST.same_items([a], [a, b]) is False
    assert FAST.same_items([], ()) is True
    assert FAST.same_items([a], "x") is NotImplemented
    # what it guards: a mutated list of prepared choices is prepared again
    from hotpath import process
    choices = ["apple", "banana", "cherry"]
    assert process.extractOne("banana", choices, scorer=fuzz.ratio)[2] == 1
    choices[1] = "grape"
    assert process.extractOne("banana", choices, scorer=fuzz.ratio)[0] != "banana"
    process.clear_cache()
