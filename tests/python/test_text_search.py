"""Substring and byte-set search against Python: bytes/str find, rfind, count,
startswith, endswith, and re.finditer (plain, and a lookahead for overlapping matches).

Property tests run at every SIMD level (simd_level fixture), over random bytes (so
invalid UTF-8 too), small alphabets (dense and overlapping matches), and non-ASCII
text (offsets must be code points). Deterministic tests put needles at every position
of buffers that span several SIMD blocks.
"""
from __future__ import annotations

import re
from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hotpath
from hotpath import _text_search as search
from hp_testutil import raises

# Small alphabets make matches dense, overlapping and close to block edges.
small_bytes = st.text(alphabet="ab\x00c", max_size=300).map(lambda s: s.encode("latin-1"))
any_bytes = st.one_of(st.binary(max_size=400), small_bytes)
small_needles = st.text(alphabet="ab\x00c", max_size=6).map(lambda s: s.encode("latin-1"))
needles = st.one_of(small_needles, st.binary(max_size=8))

# Text mixing 1- to 4-byte UTF-8 characters (no lone surrogates: str.encode refuses them).
small_text = st.text(alphabet="aé€😀 b", max_size=200)
any_text = st.one_of(small_text, st.text(max_size=200))
text_needles = st.one_of(st.text(alphabet="aé€😀 b", max_size=5), st.text(max_size=3))
bounds = st.one_of(st.none(), st.integers(-400, 400))


def regex_starts(haystack, needle, overlapping: bool):
    pattern = re.escape(needle)
    if overlapping:
        pattern = (b"(?=" + pattern + b")") if isinstance(needle, bytes) else f"(?={pattern})"
    return [m.start() for m in re.finditer(pattern, haystack)]


def first_of(haystack, chars, last: bool) -> int:
    hits = [i for i, c in enumerate(haystack) if c in chars]
    if not hits:
        return -1
    return hits[-1] if last else hits[0]


# =================================================================== bytes

@given(h=any_bytes, n=needles, start=bounds, end=bounds)
def test_bytes_find_rfind_match_python(simd_level, h, n, start, end):
    assert search.find(h, n, start, end) == h.find(n, start, end)
    assert search.rfind(h, n, start, end) == h.rfind(n, start, end)


@given(h=any_bytes, n=needles)
def test_bytes_find_default_bounds(simd_level, h, n):
    assert search.find(h, n) == h.find(n)
    assert search.rfind(h, n) == h.rfind(n)


@given(h=any_bytes, n=needles)
def test_bytes_count_matches_python_and_re(simd_level, h, n):
    assert search.count(h, n) == h.count(n)
    assert search.count(h, n, overlapping=True) == len(regex_starts(h, n, True))


@given(h=any_bytes, n=needles)
def test_bytes_find_all_matches_re_finditer(simd_level, h, n):
    got = search.find_all(h, n)
    assert isinstance(got, array) and got.typecode == "q"
    assert got.tolist() == regex_starts(h, n, False)
    assert search.find_all(h, n, overlapping=True).tolist() == regex_starts(h, n, True)


@given(h=any_bytes, p=needles)
def test_bytes_startswith_endswith(h, p):
    assert search.startswith(h, p) is h.startswith(p)
    assert search.endswith(h, p) is h.endswith(p)
    assert search.startswith(h, (b"zz", p)) is h.startswith((b"zz", p))
    assert search.endswith(h, (p, b"zz")) is h.endswith((p, b"zz"))


@given(h=any_bytes, chars=st.binary(max_size=6))
def test_bytes_find_any(simd_level, h, chars):
    assert search.find_any(h, chars) == first_of(h, chars, last=False)
    assert search.rfind_any(h, chars) == first_of(h, chars, last=True)


@given(h=st.binary(min_size=64, max_size=400), chars=st.binary(min_size=1, max_size=300))
def test_bytes_find_any_large_sets(simd_level, h, chars):
    assert search.find_any(h, chars) == first_of(h, chars, last=False)
    assert search.rfind_any(h, chars) == first_of(h, chars, last=True)


def test_needle_at_every_position_across_blocks(simd_level):
    for nlen in (1, 2, 3, 5, 8, 31, 33, 64):
        needle = bytes(0x41 + (i * 7) % 26 for i in range(nlen))
        for hlen in (nlen, 31, 32, 33, 63, 64, 65, 97, 130, 200):
            if hlen < nlen:
                continue
            for at in range(hlen - nlen + 1):
                h = bytearray(b"z" * hlen)
                h[at:at + nlen] = needle
                h = bytes(h)
                assert search.find(h, needle) == at
                assert search.rfind(h, needle) == at
                assert search.count(h, needle) == 1
                assert search.find_any(h, needle[:1]) == h.find(needle[:1])
                assert search.rfind_any(h, needle[-1:]) == h.rfind(needle[-1:])


def test_long_haystack_rare_needle(simd_level):
    h = bytearray(b"the quick brown fox jumps over the lazy dog. " * 30000)
    h[-1000:-995] = b"Xq!zJ"
    h = bytes(h)
    assert search.find(h, b"Xq!zJ") == h.find(b"Xq!zJ")
    assert search.rfind(h, b"Xq!zJ") == h.rfind(b"Xq!zJ")
    assert search.find(h, b"Xq!zK") == -1
    assert search.count(h, b"o") == h.count(b"o")
    assert search.count(h, b"the ") == h.count(b"the ")
    assert search.find_any(h, b"!J") == len(h) - 998


def test_periodic_needle_overlapping(simd_level):
    h = b"a" * 50000
    n = b"a" * 700
    assert search.count(h, n, overlapping=True) == 50000 - 700 + 1
    assert search.count(h, n) == 50000 // 700
    assert search.find_all(h, n).tolist() == list(range(0, 50000 - 699, 700))
    assert search.rfind(h, n + b"b") == -1


def test_python_empty_needle_rules():
    assert search.find(b"abc", b"") == 0
    assert search.rfind(b"abc", b"") == 3
    assert search.find(b"abc", b"", 3) == 3
    assert search.find(b"abc", b"", 4) == -1 == b"abc".find(b"", 4)
    assert search.rfind(b"abc", b"", 2, 1) == -1
    assert search.count(b"abc", b"") == 4
    assert search.count(b"", b"") == 1
    assert search.find_all(b"ab", b"").tolist() == [0, 1, 2]
    assert search.find("héllo", "", 2) == 2
    assert search.rfind("héllo", "") == 5
    assert search.count("héllo", "") == 6
    assert search.count("héllo", "", overlapping=True) == 6
    assert search.find_all("hé", "").tolist() == [0, 1, 2]


def test_int_needle_is_one_byte():
    assert search.find(b"abc", 99) == 2
    assert search.rfind(b"abca", ord("a")) == 3
    assert search.count(b"abca", 97) == 2
    assert isinstance(raises(ValueError, search.find, b"abc", 256), ValueError)


# =================================================================== buffers

def test_accepts_bytearray_memoryview_and_typed_buffers():
    data = b"xxabcxxabc"
    for h in (bytearray(data), memoryview(data), memoryview(bytearray(data))):
        assert search.find(h, b"abc") == 2
        assert search.rfind(h, memoryview(b"abc")) == 7
        assert search.find(h, bytearray(b"abc"), 3) == 7
        assert search.find(h, b"abc", -3) == 7
        assert search.count(h, b"x") == 4
        assert search.find_all(h, b"abc").tolist() == [2, 7]
        assert search.find_any(h, bytearray(b"cb")) == 3
        assert search.startswith(h, b"xxa") and search.endswith(h, memoryview(b"bc"))
    words = array("I", [1, 2, 3])  # offsets are byte offsets into the buffer
    assert search.find(words, bytes(array("I", [3]))) == 8
    assert search.find(words, b"\x02", 1, 8) == 4


def test_memoryview_slice_searches_only_its_bytes():
    base = b"needle....needle"
    view = memoryview(base)[3:13]
    assert search.find(view, b"needle") == -1
    assert search.find(view, b"dle") == 0
    assert search.find(view, b"dle", 1) == -1
    assert search.rfind(view, b"nee") == 7


def test_non_contiguous_buffer_is_rejected():
    view = memoryview(b"abcdefgh")[::2]
    assert isinstance(raises(ValueError, search.find, view, b"c"), ValueError)
    assert isinstance(raises(ValueError, search.find, view, b"c", 1), ValueError)
    assert isinstance(raises(ValueError, search.count, view, b"c"), ValueError)


def test_type_errors():
    assert isinstance(raises(TypeError, search.find, "abc", b"a"), TypeError)
    assert isinstance(raises(TypeError, search.find, b"abc", "a"), TypeError)
    assert isinstance(raises(TypeError, search.count, "abc", 1), TypeError)
    assert isinstance(raises(TypeError, search.find_all, 123, b"a"), TypeError)
    assert isinstance(raises(TypeError, search.find_any, "abc", b"a"), TypeError)
    assert isinstance(raises(TypeError, search.find_any, b"abc", "a"), TypeError)
    assert isinstance(raises(TypeError, search.startswith, b"abc", 97), TypeError)
    assert isinstance(raises(TypeError, search.startswith, "abc", b"a"), TypeError)
    assert isinstance(raises(TypeError, search.find, b"abc", b"a", "1"), TypeError)


def test_lone_surrogates_cannot_be_searched():
    assert isinstance(raises(UnicodeEncodeError, search.find, "a\ud800b", "b"),
                      UnicodeEncodeError)


# =================================================================== str

@given(h=any_text, n=text_needles, start=bounds, end=bounds)
def test_str_find_rfind_give_code_point_offsets(simd_level, h, n, start, end):
    assert search.find(h, n, start, end) == h.find(n, start, end)
    assert search.rfind(h, n, start, end) == h.rfind(n, start, end)


@given(h=any_text, n=text_needles)
def test_str_count_and_find_all(simd_level, h, n):
    assert search.count(h, n) == h.count(n)
    assert search.count(h, n, overlapping=True) == len(regex_starts(h, n, True))
    assert search.find_all(h, n).tolist() == regex_starts(h, n, False)
    assert search.find_all(h, n, overlapping=True).tolist() == regex_starts(h, n, True)


@given(h=any_text, p=text_needles)
def test_str_startswith_endswith(h, p):
    assert search.startswith(h, p) is h.startswith(p)
    assert search.endswith(h, p) is h.endswith(p)
    assert search.startswith(h, ("\x00z", p)) is h.startswith(("\x00z", p))


char_sets = st.one_of(st.text(alphabet="aé€😀 b", max_size=4), st.text(max_size=4))


@given(h=any_text, chars=char_sets)
def test_str_find_any_by_characters(simd_level, h, chars):
    assert search.find_any(h, chars) == first_of(h, chars, last=False)
    assert search.rfind_any(h, chars) == first_of(h, chars, last=True)


@given(h=small_text, n=st.text(alphabet="aé€😀 b", min_size=1, max_size=4))
def test_str_offsets_without_the_c_offset_converter(monkeypatch, h, n):
    """The Python fallback used with a library that lacks hp_utf8_offset_to_index."""
    monkeypatch.setattr(search, "_HAVE_OFFSET_TO_INDEX", False)
    assert search.find(h, n) == h.find(n)
    assert search.rfind(h, n) == h.rfind(n)
    assert search.find_all(h, n, overlapping=True).tolist() == regex_starts(h, n, True)
    assert search.find_any(h, n) == first_of(h, n, last=False)


def test_str_examples():
    s = "naïve café, naïve 😀 café"
    assert search.find(s, "café") == s.find("café") == 6
    assert search.rfind(s, "café") == s.rfind("café")
    assert s[search.rfind(s, "😀"):].startswith("😀")
    assert search.find_all(s, "naïve").tolist() == [0, 12]
    assert search.find_any(s, "ï😀") == 2
    assert search.rfind_any(s, "ï😀") == 18
    assert search.find_any(s, ",") == 10
    assert search.find_any(s, "") == -1
    assert search.find(s, "café", 7) == s.find("café", 7)
    assert search.find(s, "café", -6, None) == s.find("café", -6)
