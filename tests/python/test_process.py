"""hotpath.process against rapidfuzz.process: extract, extractOne, extract_iter, cdist,
cpdist on random choices, with every kind of scorer, processor, cutoff, limit and
choices container; plus what RapidFuzz lacks: workers on extract, progress/cancel,
and the sparse all-pairs mode checked against a brute-force cdist."""
from __future__ import annotations

import math

import numpy as np
import pytest
import rapidfuzz
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz as rf_fuzz
from rapidfuzz import process as rf_process
from rapidfuzz.distance import Indel as rf_Indel
from rapidfuzz.distance import Levenshtein as rf_Lev

import hotpath
from hotpath import fuzz, process, utils
from hotpath.distance import OSA, Indel, JaroWinkler, LCSseq, Levenshtein

WORDS = st.text(alphabet="abcde é", min_size=0, max_size=12)
CHOICES = st.lists(st.one_of(WORDS, st.none()), min_size=0, max_size=30)

# (hotpath scorer, rapidfuzz scorer) pairs, covering both result kinds
SCORERS = [
    (fuzz.ratio, rf_fuzz.ratio),
    (fuzz.WRatio, rf_fuzz.WRatio),
    (fuzz.partial_ratio, rf_fuzz.partial_ratio),
    (fuzz.token_set_ratio, rf_fuzz.token_set_ratio),
    (fuzz.QRatio, rf_fuzz.QRatio),
    (Levenshtein.distance, rf_Lev.distance),
    (Levenshtein.normalized_similarity, rf_Lev.normalized_similarity),
    (Indel.similarity, rf_Indel.similarity),
    (Indel.normalized_distance, rf_Indel.normalized_distance),
    (JaroWinkler.similarity, rapidfuzz.distance.JaroWinkler.similarity),
    (OSA.distance, rapidfuzz.distance.OSA.distance),
    (LCSseq.similarity, rapidfuzz.distance.LCSseq.similarity),
]
IDS = [f"{h.__module__.rsplit('.', 1)[-1]}.{h.__name__}" for h, _ in SCORERS]


def close(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def same_results(ours, theirs):
    assert len(ours) == len(theirs), (ours, theirs)
    for (c1, s1, k1), (c2, s2, k2) in zip(ours, theirs):
        assert c1 == c2 and k1 == k2 and close(s1, s2), (ours, theirs)


@pytest.mark.parametrize("pair", SCORERS, ids=IDS)
@given(query=WORDS, choices=CHOICES, limit=st.sampled_from([None, 1, 3, 100]))
def test_extract_matches_rapidfuzz(pair, query, choices, limit):
    ours, theirs = pair
    got = process.extract(query, choices, scorer=ours, limit=limit)
    want = rf_process.extract(query, choices, scorer=theirs, limit=limit)
    same_results(got, want)


@pytest.mark.parametrize("pair", SCORERS, ids=IDS)
@given(query=WORDS, choices=CHOICES, workers=st.sampled_from([1, 2, -1]))
def test_extract_one_matches_rapidfuzz(pair, query, choices, workers):
    ours, theirs = pair
    got = process.extractOne(query, choices, scorer=ours, workers=workers)
    want = rf_process.extractOne(query, choices, scorer=theirs)
    if want is None:
        assert got is None
    else:
        same_results([got], [want])


@given(query=WORDS, choices=CHOICES, cutoff=st.integers(0, 100))
def test_score_cutoff_filters_like_rapidfuzz(query, choices, cutoff):
    for ours, theirs in [(fuzz.ratio, rf_fuzz.ratio), (fuzz.WRatio, rf_fuzz.WRatio)]:
        same_results(process.extract(query, choices, scorer=ours, score_cutoff=cutoff, limit=None),
                     rf_process.extract(query, choices, scorer=theirs, score_cutoff=cutoff,
                                        limit=None))
    d = cutoff % 5
    same_results(process.extract(query, choices, scorer=Levenshtein.distance, score_cutoff=d,
                                 limit=None),
                 rf_process.extract(query, choices, scorer=rf_Lev.distance, score_cutoff=d,
                                    limit=None))
    got = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    want = rf_process.extractOne(query, choices, scorer=rf_fuzz.ratio, score_cutoff=cutoff)
    assert (got is None) == (want is None)
    if want is not None:
        same_results([got], [want])


@given(query=WORDS, choices=CHOICES)
def test_extract_iter_matches_rapidfuzz(query, choices):
    got = list(process.extract_iter(query, choices, scorer=fuzz.ratio, score_cutoff=50))
    want = list(rf_process.extract_iter(query, choices, scorer=rf_fuzz.ratio, score_cutoff=50))
    same_results(got, want)


def test_dict_choices_return_keys_and_processor_applies():
    choices = {"a": "New York Yankees", "b": "new york mets", "c": None, "d": "Boston"}
    for proc in (None, utils.default_process, rapidfuzz.utils.default_process):
        got = process.extract("new YORK", choices, scorer=fuzz.WRatio, processor=proc, limit=None)
        want = rf_process.extract("new YORK", choices, scorer=rf_fuzz.WRatio,
                                  processor=rapidfuzz.utils.default_process if proc else None,
                                  limit=None)
        same_results(got, want)


def test_pandas_like_series_and_strings_batch():
    class Series:  # what process needs of a pandas Series: .items()
        def __init__(self, values, index):
            self._v, self._i = values, index

        def items(self):
            return zip(self._i, self._v)

    s = Series(["apple", "apply", "ample"], [10, 20, 30])
    assert process.extractOne("appl", s, scorer=fuzz.ratio)[2] == 10
    batch = hotpath.Strings(["apple", "apply", "ample"])
    assert process.extract("apply", batch, scorer=fuzz.ratio, limit=1)[0][1:] == (100.0, 1)


def test_rapidfuzz_scorers_run_natively_and_lists_of_tokens_work():
    choices = [["new", "york"], ["york", "new"], ["boston"]]
    got = process.extract(["new", "york"], choices, scorer=rf_Lev.distance, limit=None)
    want = rf_process.extract(["new", "york"], choices, scorer=rf_Lev.distance, limit=None)
    same_results(got, want)


def test_python_scorer_falls_back_to_the_reference_loop():
    def my_scorer(a, b, **kw):
        return 100.0 if a == b else 0.0
    assert process.extractOne("x", ["a", "x"], scorer=my_scorer) == ("x", 100.0, 1)
    assert process.extract("x", ["a", "x", "x"], scorer=my_scorer, limit=2) == \
        [("x", 100.0, 1), ("x", 100.0, 2)]


def test_edge_cases():
    assert process.extractOne(None, ["a"]) is None
    assert process.extractOne("a", []) is None
    assert process.extract("a", ["a"], limit=0) == []
    assert process.extract("a", [None, None]) == []
    with pytest.raises(ValueError):
        process.extract("a", ["a"], workers=0)
    with pytest.raises(TypeError):
        process.extract("a", ["a"], scorer=fuzz.ratio, scorer_kwargs={"weights": (1, 1, 1)})


@pytest.mark.parametrize("pair", SCORERS, ids=IDS)
@given(queries=st.lists(WORDS, max_size=8), choices=CHOICES)
def test_cdist_matches_rapidfuzz(pair, queries, choices):
    # (RapidFuzz 3.14 leaves rows of None *queries* uninitialised, so only choices hold
    # None here; integer measures refuse None in both, as RapidFuzz does.)
    ours, theirs = pair
    try:
        want = rf_process.cdist(queries, choices, scorer=theirs)
    except ValueError:
        with pytest.raises(ValueError):
            process.cdist(queries, choices, scorer=ours, workers=2)
        return
    got = process.cdist(queries, choices, scorer=ours, workers=2)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


@given(queries=st.lists(WORDS, min_size=1, max_size=8),
       dtype=st.sampled_from([None, np.int32, np.uint8, np.float64, np.int64, np.int16]),
       mult=st.sampled_from([1, 2]))
def test_cdist_dtypes_cutoffs_multiplier(queries, dtype, mult):
    kw = dict(dtype=dtype, score_multiplier=mult, score_cutoff=50)
    got = process.cdist(queries, queries, scorer=fuzz.ratio, **kw)
    want = rf_process.cdist(queries, queries, scorer=rf_fuzz.ratio, **kw)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


@given(pairs=st.lists(st.tuples(WORDS, WORDS), max_size=20))
def test_cpdist_matches_rapidfuzz(pairs):
    q = [a for a, _ in pairs]
    c = [b for _, b in pairs]
    for ours, theirs in SCORERS[:6]:
        got = process.cpdist(q, c, scorer=ours, workers=-1)
        want = rf_process.cpdist(q, c, scorer=theirs)
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
    with pytest.raises(ValueError):
        process.cpdist(["a"], [], scorer=fuzz.ratio)


def test_extract_workers_agree_on_a_large_batch():
    rng = np.random.default_rng(7)
    alphabet = list("abcdefgh ")
    choices = ["".join(rng.choice(alphabet, rng.integers(3, 30))) for _ in range(40000)]
    q = "abc defg hab"
    want = rf_process.extract(q, choices, scorer=rf_fuzz.ratio, limit=20)
    for workers in (1, 2, -1):
        same_results(process.extract(q, choices, scorer=fuzz.ratio, limit=20, workers=workers),
                     want)
    best = rf_process.extractOne(q, choices, scorer=rf_Lev.distance)
    same_results([process.extractOne(q, choices, scorer=Levenshtein.distance, workers=-1)], [best])


def test_progress_reports_and_cancels():
    choices = ["abc"] * 50000
    seen = []
    process.extract("abc", choices, scorer=fuzz.ratio, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1] == (50000, 50000)
    with pytest.raises(hotpath.HotpathError) as e:
        process.extract("abc", choices, scorer=fuzz.ratio, progress=lambda d, t: True)
    assert e.value.name == "HP_ECANCELLED"

    def boom(d, t):
        raise KeyError("from progress")
    with pytest.raises(KeyError):
        process.cdist(["a"] * 10, choices[:1000], scorer=fuzz.ratio, progress=boom)


def brute_pairs(strings, scorer, cutoff, higher=True):
    m = rf_process.cdist(strings, strings, scorer=scorer, dtype=np.float64)
    out = []
    for i in range(len(strings)):
        for j in range(i + 1, len(strings)):
            s = m[i, j]
            if (s >= cutoff) if higher else (s <= cutoff):
                out.append((i, j, s))
    return out


@given(strings=st.lists(st.text(alphabet="abc", max_size=8), max_size=40),
       cutoff=st.sampled_from([0, 50, 75, 90, 100]))
def test_pairs_equals_brute_force(strings, cutoff):
    got = process.pairs(strings, scorer=fuzz.ratio, score_cutoff=cutoff)
    want = brute_pairs(strings, rf_fuzz.ratio, cutoff)
    assert [(i, j) for i, j, _ in got] == [(i, j) for i, j, _ in want]
    for (_, _, a), (_, _, b) in zip(got, want):
        assert close(a, b)
    d = cutoff // 25
    got = process.pairs(strings, scorer=Levenshtein.distance, score_cutoff=d, workers=2)
    want = brute_pairs(strings, rf_Lev.distance, d, higher=False)
    assert [(i, j, int(s)) for i, j, s in want] == got
    got = process.pairs(strings, scorer=fuzz.partial_ratio, score_cutoff=cutoff)
    want = brute_pairs(strings, rf_fuzz.partial_ratio, cutoff)
    assert [(i, j) for i, j, _ in got] == [(i, j) for i, j, _ in want]


def test_pairs_errors_and_none():
    assert process.pairs(["abc", None, "abc"], score_cutoff=90) == [(0, 2, 100.0)]
    with pytest.raises(TypeError):
        process.pairs(["a"], score_cutoff=None)
    with pytest.raises(TypeError):
        process.pairs(["a"], scorer=lambda a, b, **k: 0, score_cutoff=1)


def test_progress_true_uses_tqdm_when_installed(capsys):
    choices = ["abc", "abd", "xyz"] * 1000
    want = process.extract("abc", choices, scorer=fuzz.ratio)
    assert process.extract("abc", choices, scorer=fuzz.ratio, progress=True) == want


LONGISH = st.text(alphabet="abcdé€ ", min_size=0, max_size=80)  # across the 32/64 lanes


@given(queries=st.lists(LONGISH, min_size=1, max_size=4), choices=st.lists(LONGISH, max_size=40))
def test_many_at_once_lcs_equals_scalar_at_every_simd_level(simd_level, queries, choices):
    # AVX2 scores short choices 8 or 4 at a time (lib/fuzzy/lcs_multi.c); scalar one by
    # one: every level must give RapidFuzz's numbers
    for ours, theirs in [(fuzz.ratio, rf_fuzz.ratio), (fuzz.QRatio, rf_fuzz.QRatio),
                         (Indel.normalized_similarity, rf_Indel.normalized_similarity),
                         (LCSseq.distance, rapidfuzz.distance.LCSseq.distance)]:
        got = process.cdist(queries, choices, scorer=ours, workers=2, score_cutoff=None)
        want = rf_process.cdist(queries, choices, scorer=theirs)
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
        same_results(process.extract(queries[0], choices, scorer=ours, limit=None),
                     rf_process.extract(queries[0], choices, scorer=theirs, limit=None))
    cut = process.cdist(queries, choices, scorer=fuzz.ratio, score_cutoff=60)
    np.testing.assert_allclose(cut, rf_process.cdist(queries, choices, scorer=rf_fuzz.ratio,
                                                     score_cutoff=60), rtol=1e-6, atol=1e-6)


def test_prepared_choices_are_reused_and_never_stale():
    choices = ["apple", "apply", "ample", None, "maple"]
    q = "appel"
    first = process.extractOne(q, choices, scorer=fuzz.ratio)
    assert process._PREPARED is not None and process._PREPARED[0] is choices
    handle = process._PREPARED[3]
    assert process.extractOne(q, choices, scorer=fuzz.ratio) == first
    assert process._PREPARED[3] is handle  # reused
    choices[0] = "appel"  # mutated in place: the snapshot no longer matches
    assert process.extractOne(q, choices, scorer=fuzz.ratio) == ("appel", 100.0, 0)
    assert process._PREPARED[3] is not handle
    before = hotpath.live_allocations()
    process.clear_cache()
    assert hotpath.live_allocations() < before
    batch = hotpath.Strings(["apple", "apply"])
    assert process.extract(q, batch, scorer=Indel.distance, limit=1) == \
        [("apple", 2, 0)] == rf_process.extract(q, ["apple", "apply"], scorer=rf_Indel.distance,
                                                  limit=1)


@given(strings=st.lists(LONGISH, max_size=60), cutoff=st.sampled_from([50, 70, 90]))
def test_pairs_equal_brute_force_at_every_simd_level(simd_level, strings, cutoff):
    # the LCS-based scorers take SIMD groups over the length-sorted strings at AVX2+
    got = process.pairs(strings, scorer=fuzz.ratio, score_cutoff=cutoff, workers=2)
    want = brute_pairs(strings, rf_fuzz.ratio, cutoff)
    assert [(i, j) for i, j, _ in got] == [(i, j) for i, j, _ in want]
    for (_, _, a), (_, _, b) in zip(got, want):
        assert close(a, b)
    got = process.pairs(strings, scorer=Indel.distance, score_cutoff=cutoff // 10)
    want = brute_pairs(strings, rf_Indel.distance, cutoff // 10, higher=False)
    assert [(i, j, int(s)) for i, j, s in want] == got
