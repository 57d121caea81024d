"""hotpath.distance's simple metrics against the installed rapidfuzz: Hamming (pad True
and False), Jaro, JaroWinkler (random prefix_weight), OSA, DamerauLevenshtein, Prefix
and Postfix.

Every function (distance, similarity, normalized_distance, normalized_similarity) is
compared on random str (ASCII and non-ASCII), bytes and lists of hashables, short and
longer than one 64-element machine word, without a cutoff, with a random one and with
cutoffs at and next to the true score (where RapidFuzz's rules decide between the score
and the worst value). Then None inputs, the processor argument, and RapidFuzz's errors.
"""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import distance as rf

from hotpath import distance as hd
from hp_testutil import raises

NAMES = ["Hamming", "Jaro", "JaroWinkler", "OSA", "DamerauLevenshtein", "Prefix", "Postfix"]
FUNCS = ["distance", "similarity", "normalized_distance", "normalized_similarity"]
FLOAT_VALUED = {"Jaro", "JaroWinkler"}  # distance and similarity are floats too

# ---------------------------------------------------------------- inputs

# Small alphabets make matches, transpositions and common affixes frequent.
ascii_text = st.text(alphabet="abcd", max_size=90)
wide_text = st.text(alphabet="aé€😀b", max_size=90)
any_text = st.text(max_size=40)
texts = st.one_of(ascii_text, wide_text, any_text)
byte_strings = st.binary(max_size=80).map(lambda b: bytes(x % 5 for x in b))
hashables = st.lists(st.one_of(st.integers(0, 4), st.sampled_from(["x", "yz", (1, 2)])),
                     max_size=80)


@st.composite
def edited(draw, base):
    """A random sequence and a copy of it with a few edits (swaps included), so
    distances are often small and the kernels' early exits and affix removal matter."""
    a = draw(base)
    b = list(a)
    for _ in range(draw(st.integers(0, 5))):
        if len(b) < 2:
            break
        p = draw(st.integers(0, len(b) - 2))
        op = draw(st.integers(0, 3))
        if op == 0:
            b[p], b[p + 1] = b[p + 1], b[p]
        elif op == 1:
            del b[p]
        elif op == 2:
            b.insert(p, b[-1])
        else:
            b[p] = b[0]
    if isinstance(a, str):
        b = "".join(b)
    elif isinstance(a, bytes):
        b = bytes(b)
    return a, b


def pairs_of(base):
    return st.one_of(st.tuples(base, base), edited(base))


any_pair = st.one_of(pairs_of(texts), pairs_of(byte_strings), pairs_of(hashables))


def kwargs_for(name, data, s1, s2):
    if name == "JaroWinkler":
        return {"prefix_weight": data.draw(st.one_of(st.just(0.1), st.floats(0.0, 1.0)))}
    if name == "Hamming":
        return {"pad": len(s1) != len(s2) or data.draw(st.booleans())}
    return {}


def same(got, want):
    if isinstance(want, int):
        return type(got) is int and got == want
    return isinstance(got, float) and math.isclose(got, want, rel_tol=0, abs_tol=1e-12)


def cutoffs(data, name, func, true_score):
    """No cutoff, the true score itself, its neighbours and a random value in range."""
    normalized = func.startswith("normalized") or name in FLOAT_VALUED
    if normalized:
        near = [true_score, math.nextafter(true_score, 2.0), math.nextafter(true_score, -1.0),
                true_score + 1e-9, true_score - 1e-9]
        near = [c for c in near if 0.0 <= c <= 1.0]
        rand = data.draw(st.floats(0.0, 1.0))
    else:
        near = [c for c in (true_score, true_score + 1, true_score - 1) if c >= 0]
        rand = data.draw(st.integers(0, 100))
    return [None, rand] + near


# ---------------------------------------------------------------- differential


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data(), pair=any_pair)
def test_matches_rapidfuzz(name, data, pair):
    s1, s2 = pair
    kw = kwargs_for(name, data, s1, s2)
    for func in FUNCS:
        want_fn = getattr(getattr(rf, name), func)
        got_fn = getattr(getattr(hd, name), func)
        true_score = want_fn(s1, s2, **kw)
        for c in cutoffs(data, name, func, true_score):
            want = want_fn(s1, s2, score_cutoff=c, **kw)
            got = got_fn(s1, s2, score_cutoff=c, **kw)
            assert same(got, want), (name, func, s1, s2, kw, c, got, want)


@pytest.mark.parametrize("name", ["Jaro", "JaroWinkler", "OSA", "DamerauLevenshtein"])
@given(data=st.data(), pair=st.one_of(pairs_of(st.text(alphabet="abcdefgh", min_size=60,
                                                       max_size=300)),
                                      pairs_of(st.text(alphabet="aé€😀bc", min_size=60,
                                                       max_size=300))))
def test_long_inputs_match_rapidfuzz(name, data, pair):
    """Lengths around and beyond one 64-element word (the blocked kernels)."""
    s1, s2 = pair
    kw = kwargs_for(name, data, s1, s2)
    for func in FUNCS:
        want = getattr(getattr(rf, name), func)(s1, s2, **kw)
        got = getattr(getattr(hd, name), func)(s1, s2, **kw)
        assert same(got, want), (name, func, len(s1), len(s2), got, want)
        want_c = getattr(getattr(rf, name), func)(s1, s2, score_cutoff=want, **kw)
        got_c = getattr(getattr(hd, name), func)(s1, s2, score_cutoff=want, **kw)
        assert same(got_c, want_c), (name, func, "cutoff", got_c, want_c)


@pytest.mark.parametrize("name", NAMES)
def test_known_pairs(name):
    cases = [("", ""), ("abc", ""), ("", "abc"), ("martha", "marhta"), ("dwayne", "duane"),
             ("dixon", "dicksonx"), ("CA", "ABC"), ("ab", "ba"), ("abcd", "badc"),
             ("héllo wörld", "hello world"), ("a" * 70, "a" * 69 + "b"),
             ("ab" * 40, "ba" * 40), (b"\x00\xff", b"\xff\x00")]
    for s1, s2 in cases:
        kw = {"pad": True} if name == "Hamming" else {}
        for func in FUNCS:
            want = getattr(getattr(rf, name), func)(s1, s2, **kw)
            got = getattr(getattr(hd, name), func)(s1, s2, **kw)
            assert same(got, want), (name, func, s1, s2, got, want)


# ---------------------------------------------------------------- argument handling


@pytest.mark.parametrize("name", NAMES)
def test_none_inputs(name):
    for func in FUNCS:
        rf_fn = getattr(getattr(rf, name), func)
        hd_fn = getattr(getattr(hd, name), func)
        for s1, s2 in ((None, "abc"), ("abc", None), (None, None), (float("nan"), "a")):
            try:
                want = rf_fn(s1, s2)
            except TypeError:
                raises(TypeError, hd_fn, s1, s2)
                continue
            assert same(hd_fn(s1, s2), want), (name, func, s1, s2)


@pytest.mark.parametrize("name", NAMES)
def test_processor(name):
    for func in FUNCS:
        rf_fn = getattr(getattr(rf, name), func)
        hd_fn = getattr(getattr(hd, name), func)
        for s1, s2 in (("Martha ", "MARHTA "), ("kitten", "SITTIN")):
            want = rf_fn(s1, s2, processor=str.lower)
            assert same(hd_fn(s1, s2, processor=str.lower), want)
            want = rf_fn(s1, s2, processor=lambda s: s[::-1])
            assert same(hd_fn(s1, s2, processor=lambda s: s[::-1]), want)


@pytest.mark.parametrize("name", NAMES)
def test_mixed_sequence_types(name):
    """Elements compare by value across str, bytes and lists (RapidFuzz hashes list
    elements; a one-character str element equals that character)."""
    kw = {"pad": True} if name == "Hamming" else {}
    cases = [(list("martha"), "marhta"), ("martha", list("marhta")), (b"abcd", "abdc"),
             ([1, 2, 3, 4], [1, 3, 2, 4]), ([(1, 2), "x", 3], [(1, 2), 3, "x"]),
             ("naïve", list("naive")), (["ab", "cd"], ["cd", "ab"])]
    for s1, s2 in cases:
        for func in FUNCS:
            want = getattr(getattr(rf, name), func)(s1, s2, **kw)
            got = getattr(getattr(hd, name), func)(s1, s2, **kw)
            assert same(got, want), (name, func, s1, s2, got, want)


def test_hamming_without_pad():
    for func in FUNCS:
        rf_fn = getattr(rf.Hamming, func)
        hd_fn = getattr(hd.Hamming, func)
        raises(ValueError, rf_fn, "abc", "ab", pad=False)
        raises(ValueError, hd_fn, "abc", "ab", pad=False)
        assert same(hd_fn("abc", "abd", pad=False), rf_fn("abc", "abd", pad=False))
        assert same(hd_fn("abc", "ab"), rf_fn("abc", "ab"))  # pad defaults to True


def test_prefix_weight_range():
    for func in FUNCS:
        hd_fn = getattr(hd.JaroWinkler, func)
        rf_fn = getattr(rf.JaroWinkler, func)
        for pw in (-0.01, 1.01, 5.0):
            raises(ValueError, rf_fn, "abc", "abd", prefix_weight=pw)
            raises(ValueError, hd_fn, "abc", "abd", prefix_weight=pw)
        for pw in (0.0, 0.25, 1.0):
            assert same(hd_fn("abcd", "abce", prefix_weight=pw),
                        rf_fn("abcd", "abce", prefix_weight=pw))


@pytest.mark.parametrize("name", NAMES)
def test_cutoff_range_errors(name):
    """Normalized (and Jaro-family) cutoffs outside [0, 1] raise TypeError in RapidFuzz;
    negative integer cutoffs OverflowError."""
    kw = {"pad": True} if name == "Hamming" else {}
    for func in FUNCS:
        rf_fn = getattr(getattr(rf, name), func)
        hd_fn = getattr(getattr(hd, name), func)
        if func.startswith("normalized") or name in FLOAT_VALUED:
            for c in (-0.5, 1.5):
                raises(TypeError, rf_fn, "ab", "ac", score_cutoff=c, **kw)
                raises(TypeError, hd_fn, "ab", "ac", score_cutoff=c, **kw)
        else:
            raises(OverflowError, rf_fn, "ab", "ac", score_cutoff=-1, **kw)
            raises(OverflowError, hd_fn, "ab", "ac", score_cutoff=-1, **kw)
            # a float cutoff is truncated
            assert same(hd_fn("abc", "xyz", score_cutoff=1.7, **kw),
                        rf_fn("abc", "xyz", score_cutoff=1.7, **kw))
