"""hotpath.fuzz against the installed rapidfuzz.fuzz: every scorer and
partial_ratio_alignment.

Inputs are drawn to hit the scorers' special cases: sentences of words from a small
vocabulary (tokens repeat, so token_set's intersection and differences are all
non-trivial), text mixing Latin-1, wide characters and every class of whitespace
RapidFuzz splits on (which depends on whether a string fits in one byte per
character), empty and whitespace-only strings, bytes, and long texts (> 64 and > 200
code points: multi-word LCS, many partial_ratio windows). Each pair is scored with no
cutoff, a random one, and cutoffs at and next to the true score, where RapidFuzz's own
rounding decides between the score and 0. Then the processor argument, None inputs and
alignment positions.
"""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz as rf
from rapidfuzz import utils as rf_utils

from hotpath import fuzz as hf
from hotpath import utils as hf_utils

NAMES = ["ratio", "partial_ratio", "token_sort_ratio", "token_set_ratio", "token_ratio",
         "partial_token_sort_ratio", "partial_token_set_ratio", "partial_token_ratio",
         "WRatio", "QRatio"]

# ---------------------------------------------------------------- inputs

VOCAB = ["a", "b", "ab", "ba", "abc", "cab", "new", "york"]
SEPARATORS = [" ", "  ", "\t", " \n "]
# RapidFuzz's whitespace; U+0085 and U+00A0 only count in strings with a character
# above U+00FF (its 1-byte strings use the ASCII set). U+180E is not whitespace.
SPACES = " \t\n\x0b\x0c\r\x1c\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\u180e"


@st.composite
def sentences(draw, max_words=12):
    words = draw(st.lists(st.sampled_from(VOCAB), max_size=max_words))
    out = draw(st.sampled_from(["", " "]))
    for w in words:
        out += w + draw(st.sampled_from(SEPARATORS))
    return out if draw(st.booleans()) else out.strip()


unicode_text = st.text(alphabet="abé€😀ĀḀ" + SPACES, max_size=40)
latin1_text = st.text(alphabet="ab\xe9\xff" + " \x85\xa0\t", max_size=40)
long_text = st.text(alphabet="abc d", min_size=60, max_size=300)
long_words = sentences(max_words=80)
texts = st.one_of(sentences(), unicode_text, latin1_text, st.text(max_size=20), st.just(""))
byte_strings = st.binary(max_size=60).map(lambda b: bytes(b" ab\t\x85\xa0c"[x % 7] for x in b))


@st.composite
def related(draw, base):
    """Two strings that share material: b is a slice of a with a few edits, or a
    shuffle of a's words, or unrelated."""
    a = draw(base)
    how = draw(st.integers(0, 3))
    if how == 0:
        return a, draw(base)
    if how == 1:
        i = draw(st.integers(0, len(a)))
        j = draw(st.integers(i, len(a)))
        b = a[i:j]
        extra = draw(base)
        return (a, b + extra[:3]) if draw(st.booleans()) else (b, a)
    if how == 2:
        words = a.split()
        order = draw(st.permutations(words)) if words else []
        return a, (b" " if isinstance(a, bytes) else " ").join(order)
    return a, a


pairs = st.one_of(related(texts), st.tuples(texts, texts))
long_pairs = st.one_of(related(long_text), related(long_words), st.tuples(long_text, texts))


def same(got, want):
    return isinstance(got, float) and math.isclose(got, want, rel_tol=0, abs_tol=1e-9)


def cutoffs(data, score):
    near = [score, math.nextafter(score, 101.0), math.nextafter(score, -1.0), score - 1e-9]
    return [None, data.draw(st.floats(0.0, 100.0)), 0, 100] + [c for c in near if 0 <= c <= 100]


def check_pair(data, s1, s2, names=NAMES):
    for name in names:
        want_fn, got_fn = getattr(rf, name), getattr(hf, name)
        score = want_fn(s1, s2)
        for c in cutoffs(data, score):
            want = want_fn(s1, s2, score_cutoff=c)
            got = got_fn(s1, s2, score_cutoff=c)
            assert same(got, want), (name, s1, s2, c, got, want)


def check_alignment(s1, s2, cutoff=None):
    want = rf.partial_ratio_alignment(s1, s2, score_cutoff=cutoff)
    got = hf.partial_ratio_alignment(s1, s2, score_cutoff=cutoff)
    if want is None:
        assert got is None, (s1, s2, cutoff, got)
        return
    assert got is not None, (s1, s2, cutoff, want)
    assert math.isclose(got.score, want.score, rel_tol=0, abs_tol=1e-9), (s1, s2, got, want)
    assert (got.src_start, got.src_end, got.dest_start, got.dest_end) == \
        (want.src_start, want.src_end, want.dest_start, want.dest_end), (s1, s2, got, want)


# ---------------------------------------------------------------- differential


@given(data=st.data(), pair=pairs)
def test_matches_rapidfuzz(data, pair):
    check_pair(data, *pair)


@given(data=st.data(), pair=long_pairs)
def test_long_inputs_match_rapidfuzz(data, pair):
    check_pair(data, *pair)


@given(data=st.data(), pair=st.one_of(related(byte_strings), st.tuples(byte_strings,
                                                                       byte_strings)))
def test_bytes_match_rapidfuzz(data, pair):
    check_pair(data, *pair)


@given(data=st.data(), pair=st.one_of(pairs, long_pairs))
def test_partial_ratio_alignment(data, pair):
    s1, s2 = pair
    check_alignment(s1, s2)
    score = rf.partial_ratio(s1, s2)
    for c in (data.draw(st.floats(0.0, 100.0)), score, math.nextafter(score, 101.0), 0.0):
        check_alignment(s1, s2, c)


@pytest.mark.parametrize("name", NAMES)
def test_known_values(name):
    cases = [("this is a test", "this is a test!"),
             ("fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear"),
             ("fuzzy was a bear but not a dog", "fuzzy was a bear but not a cat"),
             ("new york mets", "new york mets vs atlanta braves"),
             ("", ""), ("", "a"), ("  ", " "), ("a", "abcdefgh"), ("a", "abcdefghi"),
             ("a\x85b", "b\x85a"), ("a\x85b\u0100", "b\u0100\x85a"), ("a\u3000b", "b a"),
             ("ab" * 40, "ba" * 100), ("abcd " * 50, "dcba " * 60), (b"ab cd", b"cd ab")]
    for s1, s2 in cases:
        want = getattr(rf, name)(s1, s2)
        got = getattr(hf, name)(s1, s2)
        assert same(got, want), (name, s1, s2, got, want)


def test_alignment_known_positions():
    for s1, s2 in [("a certain string", "cetain"), ("cetain", "a certain string"),
                   ("abc", "xyz"), ("", "abc"), ("abc", ""), ("", ""), ("xab", "abx"),
                   ("aaaa", "baaaab"), ("ab" * 50, "b" + "ab" * 120)]:
        check_alignment(s1, s2)
        check_alignment(s1, s2, 50)


# ---------------------------------------------------------------- arguments


@pytest.mark.parametrize("name", NAMES)
def test_processor(name):
    cases = [("New York Mets!", "new york METS"), ("  Fuzzy-Wuzzy ", "wuzzy fuzzy"),
             ("Ça va? Très BIEN", "tres bien ça va"), ("", "!!")]
    for s1, s2 in cases:
        want = getattr(rf, name)(s1, s2, processor=rf_utils.default_process)
        assert same(getattr(hf, name)(s1, s2, processor=hf_utils.default_process), want)
        assert same(getattr(hf, name)(s1, s2, processor=rf_utils.default_process), want)
        want = getattr(rf, name)(s1, s2, processor=str.upper, score_cutoff=50)
        assert same(getattr(hf, name)(s1, s2, processor=str.upper, score_cutoff=50), want)
        assert same(getattr(hf, name)(s1, s2, processor=None), getattr(rf, name)(s1, s2))
    want = rf.partial_ratio_alignment("New York", "new york mets",
                                      processor=rf_utils.default_process)
    got = hf.partial_ratio_alignment("New York", "new york mets",
                                     processor=hf_utils.default_process)
    assert tuple(got) == tuple(want)


@given(data=st.data(), pair=pairs)
def test_default_process_matches(data, pair):
    s1, s2 = pair
    for name in NAMES:
        want = getattr(rf, name)(s1, s2, processor=rf_utils.default_process)
        got = getattr(hf, name)(s1, s2, processor=hf_utils.default_process)
        assert same(got, want), (name, s1, s2, got, want)


@pytest.mark.parametrize("name", NAMES)
def test_none_inputs(name):
    for s1, s2 in ((None, "abc"), ("abc", None), (None, None)):
        assert getattr(rf, name)(s1, s2) == 0
        assert getattr(hf, name)(s1, s2) == 0
    assert hf.partial_ratio_alignment(None, "abc") is None
    assert hf.partial_ratio_alignment("abc", None) is None
