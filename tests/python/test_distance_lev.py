"""hotpath.distance.Levenshtein / Indel / LCSseq against the installed rapidfuzz.

distance, similarity, normalized_distance and normalized_similarity on random str
(small ASCII and non-ASCII alphabets, so matches and common affixes are frequent), bytes
and lists of hashables, 0..150 elements (one machine word, blocked, banded), without a
cutoff, with a random one and with cutoffs at and next to the true value; Levenshtein
with every kind of weights (uniform, Indel-like, generic, zero). editops and opcodes
must be the very scripts RapidFuzz picks (compared as lists of tuples), also on long
inputs where the kernels split the problem.
"""
from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import distance as rf

from hotpath import distance as hd

NAMES = ["Levenshtein", "Indel", "LCSseq"]
FUNCS = ["distance", "similarity", "normalized_distance", "normalized_similarity"]
INTEGER_FUNCS = {"distance", "similarity"}

# ---------------------------------------------------------------- inputs

ascii_text = st.text(alphabet="abc", max_size=150)
wide_text = st.text(alphabet="abcé€😀", max_size=150)
bytes_text = st.binary(max_size=150).map(lambda b: bytes(x % 4 for x in b))
hashables = st.lists(st.one_of(st.integers(0, 3), st.sampled_from(["x", (1, 2)])),
                     max_size=100)


@st.composite
def edited(draw, base):
    """A sequence and a copy with a few edits: small distances, long common affixes."""
    a = draw(base)
    b = list(a)
    for _ in range(draw(st.integers(0, 6))):
        p = draw(st.integers(0, len(b)))
        op = draw(st.integers(0, 2))
        if op == 0:
            b.insert(p, a[0] if a else "a")
        elif p < len(b):
            if op == 1:
                del b[p]
            else:
                b[p] = b[-1]
    if isinstance(a, str):
        b = "".join(x if isinstance(x, str) else "a" for x in b)
    elif isinstance(a, bytes):
        b = bytes(x if isinstance(x, int) else 0 for x in b)
    return a, b


def _pair(base):
    return st.one_of(st.tuples(base, base), edited(base))


pairs = st.one_of(_pair(ascii_text), _pair(wide_text), _pair(bytes_text), _pair(hashables))

WEIGHTS = [(1, 1, 1), (1, 1, 2), (2, 2, 2), (3, 3, 7), (1, 2, 3), (5, 1, 1), (0, 0, 1),
           (0, 1, 1), (1, 1, 0), (4, 7, 2)]


def _kwargs(name, weights):
    return {"weights": weights} if name == "Levenshtein" else {}


def _same(got, want, func):
    if func in INTEGER_FUNCS:
        assert got == want
    else:
        assert got == pytest.approx(want, abs=1e-9)


# ---------------------------------------------------------------- scores


@pytest.mark.parametrize("name", NAMES)
@given(pair=pairs, weights=st.sampled_from(WEIGHTS), data=st.data())
def test_scores_match_rapidfuzz(name, pair, weights, data):
    a, b = pair
    kw = _kwargs(name, weights)
    ours, theirs = getattr(hd, name), getattr(rf, name)
    for func in FUNCS:
        want = getattr(theirs, func)(a, b, **kw)
        _same(getattr(ours, func)(a, b, **kw), want, func)
        # cutoffs at, next to and away from the answer
        if func in INTEGER_FUNCS:
            cuts = {want, max(want - 1, 0), want + 1, data.draw(st.integers(0, 40))}
        else:
            # (a cutoff exactly equal to a normalized score is left out: RapidFuzz's
            # compiled and pure-Python implementations disagree there, e.g.
            # normalized_similarity("a", "aaa", score_cutoff=1 - 2 / 3))
            cuts = {max(want - 0.01, 0.0), min(want + 0.01, 1.0), data.draw(st.floats(0, 1))}
        for cut in cuts:
            _same(getattr(ours, func)(a, b, score_cutoff=cut, **kw),
                  getattr(theirs, func)(a, b, score_cutoff=cut, **kw), func)


def test_known_values():
    assert hd.Levenshtein.distance("lewenstein", "levenshtein") == 2
    assert hd.Levenshtein.distance("lewenstein", "levenshtein", weights=(1, 1, 2)) == 3
    assert hd.Levenshtein.distance("lewenstein", "levenshtein", score_cutoff=1) == 2
    assert hd.Indel.distance("kitten", "sitting") == 5
    assert hd.LCSseq.similarity("kitten", "sitting") == 4
    assert hd.Levenshtein.normalized_similarity("", "") == 1.0


def test_long_inputs_match_rapidfuzz():
    rnd = random.Random(4)
    for n in (70, 130, 300, 1100):
        for edits in (1, 5, 40, n):
            a = "".join(rnd.choice("abcé") for _ in range(n))
            b = list(a)
            for _ in range(edits):
                p = rnd.randrange(len(b))
                b[p] = rnd.choice("abcd€")
            b = "".join(b)
            for name in NAMES:
                ours, theirs = getattr(hd, name), getattr(rf, name)
                want = theirs.distance(a, b)
                assert ours.distance(a, b) == want
                for cut in (0, 3, want - 1, want, want + 1):
                    if cut >= 0:
                        assert ours.distance(a, b, score_cutoff=cut) == \
                            theirs.distance(a, b, score_cutoff=cut)


# ---------------------------------------------------------------- edit scripts


def _ops(x):
    return [tuple(op) for op in x.as_list()]


@pytest.mark.parametrize("name", NAMES)
@given(pair=pairs)
def test_editops_and_opcodes_match_rapidfuzz(name, pair):
    a, b = pair
    ours, theirs = getattr(hd, name), getattr(rf, name)
    got, want = ours.editops(a, b), theirs.editops(a, b)
    assert _ops(got) == _ops(want)
    assert (got.src_len, got.dest_len) == (want.src_len, want.dest_len)
    assert _ops(ours.opcodes(a, b)) == _ops(theirs.opcodes(a, b))


@pytest.mark.parametrize("name", ["Levenshtein", "Indel"])
def test_editops_long_inputs_match_rapidfuzz(name):
    """Long inputs: blocked matrices, and for Levenshtein the Hirschberg split (above
    about 2048 x 2048 elements) with its own affix removal in every part."""
    rnd = random.Random(9)
    ours, theirs = getattr(hd, name), getattr(rf, name)
    for n, edits in ((200, 10), (1000, 300), (2100, 8), (2500, 800)):
        a = "".join(rnd.choice("ab€") for _ in range(n))
        b = list(a)
        for _ in range(edits):
            p = rnd.randrange(len(b))
            op = rnd.randrange(3)
            if op == 0:
                b.insert(p, rnd.choice("abc"))
            elif op == 1:
                del b[p]
            else:
                b[p] = rnd.choice("abc")
        b = "".join(b)
        assert _ops(ours.editops(a, b)) == _ops(theirs.editops(a, b))
    # a unique optimum that puts the whole first half of b before all of a
    a, b = "b" * 2100 + "d", "a" * 4500 + "b" * 2100 + "e"
    assert _ops(ours.editops(a, b)) == _ops(theirs.editops(a, b))


@given(a=st.text(alphabet="abcé€😀", max_size=20), b=st.text(alphabet="abcé€😀", max_size=20))
def test_short_pairs_agree_at_every_simd_level(simd_level, a, b):
    # patterns of up to 16 elements take a table-free AVX2 path (pm.c); every level must
    # give RapidFuzz's numbers
    from rapidfuzz.distance import Indel as RIndel
    from rapidfuzz.distance import Levenshtein as RLev

    from hotpath.distance import Indel as HIndel
    from hotpath.distance import Levenshtein as HLev
    assert HLev.distance(a, b) == RLev.distance(a, b)
    assert HLev.distance(a, b, score_cutoff=2) == RLev.distance(a, b, score_cutoff=2)
    assert HIndel.distance(a, b) == RIndel.distance(a, b)
    assert HLev.distance(a.encode(), b.encode()) == RLev.distance(a.encode(), b.encode())
