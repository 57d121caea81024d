"""hotpath.text split / words / lines / replace / join / n-grams against Python itself:
bytes.split, str.split (Unicode whitespace), bytes.splitlines, re.findall(r"\\w+"),
re.split, bytes.replace / str.replace, sep.join, slicing, and xxhash for n-gram hashes.

Unicode classes are checked exhaustively: one call over a string holding every code
point compares the word and whitespace tables with re and str.split.
"""
from __future__ import annotations

import random
import re
import sys
from array import array

import numpy as np
import pytest
import xxhash
from hypothesis import given
from hypothesis import strategies as st

import hotpath
from hotpath import _text_split, text
from hp_testutil import raises

WORD = re.compile(r"\w+")
ALL_CHARS = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp < 0xE000)

# Alphabets that make every rule fire: ASCII whitespace, the str-only separators
# U+001C..U+001F, Unicode spaces, line breaks, word characters of 1..4 UTF-8 bytes,
# digits and numerics (², ½), a combining mark (not \w), punctuation and '_'.
UNI = " \t\n\r\v\f\x1c\x1f\x85\xa0\u2028\u3000ab,_1²½é\u0301日😀-"
BYTE_ALPHABET = b" \t\n\r\v\f\x1c\x1fab,;_\x00\x85\xa0\xff"
maxsplits = st.one_of(st.just(-1), st.integers(-2, 6))
unitext = st.text(alphabet=UNI, max_size=60)
bytes_ws = st.lists(st.sampled_from(list(BYTE_ALPHABET)), max_size=80).map(bytes)


# =================================================================== split

@given(data=bytes_ws, maxsplit=maxsplits)
def test_split_bytes_whitespace_is_bytes_split(data, maxsplit):
    assert text.split(data, None, maxsplit) == data.split(None, maxsplit)
    assert text.split(data) == data.split()


@given(data=unitext, maxsplit=maxsplits)
def test_split_str_whitespace_is_str_split(data, maxsplit):
    got = text.split(data, None, maxsplit)
    assert got == data.split(None, maxsplit)
    assert all(type(p) is str for p in got)


@given(data=st.text(max_size=80), maxsplit=maxsplits)
def test_split_any_str_is_str_split(data, maxsplit):
    assert text.split(data, maxsplit=maxsplit) == data.split(maxsplit=maxsplit)


def test_unicode_whitespace_table_is_str_isspace_for_every_code_point():
    joined = "a".join(ALL_CHARS)
    assert text.split(joined) == joined.split()


def test_python_w_is_isalnum_or_underscore_for_every_code_point():
    # The claim behind HP_SPLIT_WORDS: re's \w for str is exactly str.isalnum() plus "_".
    w = re.compile(r"\w")
    assert [c for c in ALL_CHARS if bool(w.match(c)) != (c.isalnum() or c == "_")] == []


def test_words_table_is_re_w_for_every_code_point():
    joined = " ".join(ALL_CHARS)
    assert text.words(joined) == WORD.findall(joined)
    assert text.words("".join(ALL_CHARS)) == WORD.findall("".join(ALL_CHARS))


@given(data=st.binary(max_size=60).map(lambda b: bytes(x % 4 + 0x61 for x in b)),
       sep=st.binary(min_size=1, max_size=3).map(lambda b: bytes(x % 4 + 0x61 for x in b)),
       maxsplit=maxsplits)
def test_split_sep_bytes_is_bytes_split(data, sep, maxsplit):
    got = text.split(data, sep, maxsplit)
    assert got == data.split(sep, maxsplit)
    assert all(type(p) is bytes for p in got)


@given(data=unitext, sep=st.text(alphabet="a,é😀 ", min_size=1, max_size=2), maxsplit=maxsplits)
def test_split_sep_str_is_str_split(data, sep, maxsplit):
    assert text.split(data, sep, maxsplit) == data.split(sep, maxsplit)


@given(data=st.text(alphabet="ab,;é", max_size=50), chars=st.sampled_from([",", ",;", ";a"]),
       maxsplit=maxsplits)
def test_split_any_is_re_split(data, chars, maxsplit):
    pattern = "[" + re.escape(chars) + "]"
    want = [data] if maxsplit == 0 else re.split(pattern, data, maxsplit=max(maxsplit, 0))
    assert text.split_any(data, chars, maxsplit) == want
    assert text.split_any(data.encode(), chars.encode(), maxsplit) == [w.encode() for w in want]


def test_split_inputs_of_every_buffer_type():
    data = b" a b\tc "
    for buf in (bytearray(data), memoryview(data), np.frombuffer(data, dtype=np.uint8)):
        assert text.split(buf) == [b"a", b"b", b"c"]
        assert text.split(buf, b" ") == data.split(b" ")
        assert text.splitlines(buf) == [data]
        assert list(text.split_spans(buf)) == [1, 2, 3, 4, 5, 6]
        assert list(text.iter_split(buf)) == [b"a", b"b", b"c"]


class MyStr(str):
    pass


def test_str_subclass_is_str():
    assert text.split(MyStr("a b")) == ["a", "b"]
    assert text.words(MyStr("é x")) == ["é", "x"]
    assert list(text.split_spans(MyStr("é b"), MyStr(" "))) == [0, 1, 2, 3]
    assert text.replace(MyStr("aé"), "é", MyStr("b")) == "ab"
    assert text.join(MyStr("-"), ["a", MyStr("b")]) == "a-b"


# =================================================================== lines

line_bytes = st.lists(st.sampled_from([b"x", b"yy", b"\xc3\xa9", b"\n", b"\r", b"\r\n",
                                       b"\v", b"\x1c", b" " * 40]), max_size=40).map(b"".join)


@given(data=line_bytes)
def test_splitlines_is_bytes_splitlines(simd_level, data):
    assert text.splitlines(data) == data.splitlines()
    spans = text.split_spans(data, mode="lines")
    assert [data[a:b] for a, b in zip(spans[0::2], spans[1::2])] == data.splitlines()


@given(data=st.text(alphabet="ab\n\r€😀", max_size=60))
def test_splitlines_str_breaks_like_bytes_splitlines(data):
    # The breaks are \n, \r\n, \r only; with those, str.splitlines agrees.
    assert text.splitlines(data) == data.splitlines()


def test_splitlines_str_ignores_other_unicode_line_boundaries():
    assert text.splitlines("a\vb\x1cc\u2028d\x85e") == ["a\vb\x1cc\u2028d\x85e"]


def test_splitlines_large_input_at_both_simd_levels(simd_level):
    rng = random.Random(4)
    parts = []
    for _ in range(20000):
        parts.append(b"z" * rng.choice([0, 1, 30, 31, 32, 33, 63, 64, 65, 150]))
        parts.append(rng.choice([b"\n", b"\r", b"\r\n", b"\n\r", b""]))
    data = b"".join(parts)
    assert text.splitlines(data) == data.splitlines()
    assert list(text.iter_split(data.decode(), "\n")) == data.decode().split("\n")


# =================================================================== words

@given(data=st.text(max_size=80))
def test_words_is_findall_w(data):
    assert text.words(data) == WORD.findall(data)
    assert text.words(data.encode()) == [w.encode() for w in WORD.findall(data)]


@given(data=unitext)
def test_words_spans_are_code_point_offsets(data):
    spans = text.split_spans(data, mode="words")
    assert [data[a:b] for a, b in zip(spans[0::2], spans[1::2])] == WORD.findall(data)


@pytest.mark.parametrize("data,offset", [(b"ok \xff", 3), (b"\xc3", 0), (b"ab \xed\xa0\x80 c", 3),
                                         (b"a" * 5000 + b" \x80", 5001)])
def test_unicode_modes_reject_invalid_utf8(simd_level, data, offset):
    for fn in (text.words, lambda d: text.split_spans(d, mode="words")):
        err = raises(hotpath.Utf8Error, fn, data)
        assert f"byte {offset}:" in err.message
        assert isinstance(err, UnicodeError) and isinstance(err, ValueError)
    # bytes whitespace splitting is ASCII rules and never decodes
    assert text.split(data) == data.split()


# =================================================================== spans and iter_split

@given(data=unitext, sep=st.sampled_from([None, " ", ",", "é"]), maxsplit=maxsplits)
def test_split_spans_slice_the_input(data, sep, maxsplit):
    spans = text.split_spans(data, sep, maxsplit)
    assert isinstance(spans, array) and spans.typecode == "q"
    assert [data[a:b] for a, b in zip(spans[0::2], spans[1::2])] == data.split(sep, maxsplit)
    raw = data.encode()
    bspans = text.split_spans(raw, None if sep is None else sep.encode(), maxsplit)
    want = raw.split(None if sep is None else sep.encode(), maxsplit)
    assert [raw[a:b] for a, b in zip(bspans[0::2], bspans[1::2])] == want


def test_split_spans_without_library_offset_conversion(monkeypatch):
    monkeypatch.setattr(_text_split, "_HAVE_OFFSET_TO_INDEX", False)
    data = "é,日😀,,x é"
    spans = text.split_spans(data, ",")
    assert [data[a:b] for a, b in zip(spans[0::2], spans[1::2])] == data.split(",")
    grams = text.ngram_spans(data, 2, "words")  # words é 日 x é
    assert list(grams) == [0, 3, 2, 7, 6, 9]


@given(data=unitext, sep=st.sampled_from([None, ",", " "]), maxsplit=maxsplits)
def test_iter_split_is_split(data, sep, maxsplit):
    it = text.iter_split(data, sep, maxsplit)
    assert not isinstance(it, list)
    assert list(it) == data.split(sep, maxsplit)


@pytest.mark.parametrize("maxsplit", [-1, 0, 4095, 4096, 4097, 9000])
def test_iter_split_across_chunks_keeps_maxsplit(maxsplit):
    data = ",".join(str(i) for i in range(10000))
    assert list(text.iter_split(data, ",", maxsplit)) == data.split(",", maxsplit)
    raw = " ".join(str(i) for i in range(10000)).encode() + b"  "
    assert list(text.iter_split(raw, None, maxsplit)) == raw.split(None, maxsplit)


def test_iter_split_is_lazy_and_copies_mutable_input():
    buf = bytearray(b"a,b,c")
    it = text.iter_split(buf, b",")
    buf[:] = b"x"
    assert list(it) == [b"a", b"b", b"c"]
    it = text.iter_split(b"a,b", b",")
    assert next(it) == b"a"


def test_iter_split_raises_bad_arguments_at_once():
    for args in ((b"abc", b""), ("abc", b","), (b"abc", 5)):
        with pytest.raises((ValueError, TypeError)):
            text.iter_split(*args)


def test_spans_grow_past_the_first_estimate():
    # 1500 long lines, then 200000 short ones: the estimate from the first call is far
    # too low, so the array is extended more than once.
    data = b"x" * 100 + (b"y" * 300 + b"\n") * 1500 + b"a\n" * 200000
    spans = text.split_spans(data, mode="lines")
    assert len(spans) == 2 * len(data.splitlines())
    assert text.splitlines(data) == data.splitlines()


@given(data=st.binary(max_size=40), mode=st.sampled_from(["sep", "any", "whitespace", "lines"]))
def test_split_spans_modes_on_bytes(data, mode):
    sep = b"," if mode in ("sep", "any") else None
    spans = text.split_spans(data, sep, mode=mode)
    pieces = [data[a:b] for a, b in zip(spans[0::2], spans[1::2])]
    want = {"sep": lambda: data.split(b","), "any": lambda: data.split(b","),
            "whitespace": data.split, "lines": data.splitlines}[mode]()
    assert pieces == want


# =================================================================== replace and join

small = st.text(alphabet="abé", max_size=3)


@given(data=st.text(alphabet="abé😀", max_size=30), old=small, new=small,
       count=st.one_of(st.just(-1), st.integers(-2, 5)))
def test_replace_is_str_and_bytes_replace(data, old, new, count):
    assert text.replace(data, old, new, count) == data.replace(old, new, count)
    raw, bold, bnew = data.encode(), old.encode(), new.encode()
    assert text.replace(raw, bold, bnew, count) == raw.replace(bold, bnew, count)
    assert text.replace(bytearray(raw), memoryview(bold), bnew, count) == raw.replace(bold, bnew,
                                                                                      count)


def test_replace_empty_old_and_large_growth():
    assert text.replace(b"ab", b"", b"-") == b"-a-b-"
    assert text.replace(b"ab", b"", b"-", 2) == b"-a-b"
    assert text.replace("日本", "", "-") == "-日-本-"
    assert text.replace("", "", "x") == "x"
    data = b"a" * 100000
    # a worst case far above the input size: sized exactly, not by the bound
    assert text.replace(data, b"a", b"xyz" * 20) == data.replace(b"a", b"xyz" * 20)
    assert text.replace(data, b"a", b"xyz" * 20, 3) == data.replace(b"a", b"xyz" * 20, 3)


def test_replace_type_errors():
    for args in (("a", b"a", "b"), (b"a", "a", b"b"), (b"a", b"a", "b"), (5, b"a", b"b")):
        with pytest.raises(TypeError):
            text.replace(*args)
    with pytest.raises(TypeError):
        text.replace(b"a", b"a", b"b", 1.0)


@given(items=st.lists(st.text(alphabet="ab,é", max_size=4), max_size=8),
       sep=st.text(alphabet=",é ", max_size=2))
def test_join_is_sep_join(items, sep):
    assert text.join(sep, items) == sep.join(items)
    b = [x.encode() for x in items]
    assert text.join(sep.encode(), b) == sep.encode().join(b)
    assert text.join(bytearray(sep.encode()), iter(b)) == sep.encode().join(b)


def test_join_type_errors():
    with pytest.raises(TypeError):
        text.join(",", ["a", b"b"])
    with pytest.raises(TypeError):
        text.join(b",", [b"a", "b"])
    with pytest.raises(TypeError):
        text.join(b",", [b"a", 3])
    assert text.join(b",", [bytearray(b"a"), memoryview(b"b")]) == b"a,b"


# =================================================================== n-grams

@given(data=st.text(alphabet=UNI, max_size=40), n=st.integers(1, 5), seed=st.integers(0, 2**64 - 1))
def test_ngrams_chars_and_bytes(data, n, seed):
    want = [data[i:i + n] for i in range(len(data) - n + 1)]
    assert text.ngrams(data, n) == want
    assert list(text.ngram_hashes(data, n, seed=seed)) == [
        xxhash.xxh3_64_intdigest(g.encode(), seed) for g in want]
    spans = text.ngram_spans(data, n)
    assert [data[a:b] for a, b in zip(spans[0::2], spans[1::2])] == want
    raw = data.encode()
    bwant = [raw[i:i + n] for i in range(len(raw) - n + 1)]
    assert text.ngrams(raw, n, "bytes") == bwant
    assert list(text.ngram_hashes(raw, n, "bytes", seed)) == [
        xxhash.xxh3_64_intdigest(g, seed) for g in bwant]
    assert text.ngrams(raw, n, "chars") == [g.encode() for g in want]


@given(data=st.text(alphabet=UNI, max_size=60), n=st.integers(1, 4), seed=st.integers(0, 2**64 - 1))
def test_ngrams_words(data, n, seed):
    w = WORD.findall(data)
    want = [" ".join(w[i:i + n]) for i in range(len(w) - n + 1)]
    assert text.ngrams(data, n, "words") == want
    hashes = text.ngram_hashes(data, n, "words", seed)
    assert hashes.typecode == "Q"
    assert list(hashes) == [xxhash.xxh3_64_intdigest(g.encode(), seed) for g in want]
    assert list(text.ngram_hashes(data.encode(), n, "words", seed)) == list(hashes)
    spans = text.ngram_spans(data, n, "words")
    assert [WORD.findall(data[a:b]) for a, b in zip(spans[0::2], spans[1::2])] == [
        w[i:i + n] for i in range(len(w) - n + 1)]


def test_ngram_hashes_of_long_word_ngrams():
    data = " ,".join("w%d" % i * 400 for i in range(30))
    w = WORD.findall(data)
    for n in (1, 5, 30):
        assert list(text.ngram_hashes(data, n, "words")) == [
            xxhash.xxh3_64_intdigest(" ".join(w[i:i + n]).encode()) for i in range(len(w) - n + 1)]


def test_ngram_errors():
    for bad_n in (0, -1):
        assert raises(ValueError, text.ngrams, "abc", bad_n)
    with pytest.raises(ValueError):
        text.ngram_hashes("abc", 2, "lines")
    with pytest.raises(ValueError):
        text.ngrams("abc", 2, "bytes")  # str n-grams are characters
    with pytest.raises(TypeError):
        text.ngrams("abc", 2.0)
    with pytest.raises(OverflowError):
        text.ngram_hashes("abc", 2, seed=-1)
    raises(hotpath.Utf8Error, text.ngram_hashes, b"a\xff", 1)
    raises(hotpath.Utf8Error, text.ngrams, b"a \xff", 1, "words")
    assert text.ngram_hashes(b"a\xff", 1, "bytes").tolist() == [
        xxhash.xxh3_64_intdigest(b"a"), xxhash.xxh3_64_intdigest(b"\xff")]
    assert text.ngrams("abc", 2**70) == []
    assert list(text.ngram_hashes(b"", 1, "words")) == []


# =================================================================== errors

@pytest.mark.parametrize("call", [
    lambda: text.split(b"abc", b""),
    lambda: text.split_any(b"abc", b""),
    lambda: text.split_any("abc", "é"),
    lambda: text.split_spans(b"abc", mode="paragraphs"),
])
def test_value_errors(call):
    err = raises(ValueError, call)
    if isinstance(err, hotpath.HotpathError):
        assert err.code == -1


@pytest.mark.parametrize("call", [
    lambda: text.split("a,b", b","),
    lambda: text.split(b"a,b", ","),
    lambda: text.split(123),
    lambda: text.split(b"a", 5),
    lambda: text.split(b"a", maxsplit=1.5),
    lambda: text.split_spans(b"a", b",", mode="lines"),
    lambda: text.split_spans(b"a", mode="sep"),
    lambda: text.splitlines(None),
    lambda: text.words(3),
])
def test_type_errors(call):
    with pytest.raises(TypeError):
        call()


def test_non_contiguous_buffer_is_rejected():
    arr = np.frombuffer(b"a b c d", dtype=np.uint8)[::2]
    with pytest.raises(ValueError):
        text.split(arr)


def test_empty_inputs():
    assert text.split(b"") == [] and text.split("") == []
    assert text.split(b"", b",") == [b""] and text.split("", ",") == [""]
    assert text.splitlines(b"") == [] and text.words("") == []
    assert list(text.split_spans(b"")) == [] and list(text.iter_split("")) == []
    assert text.replace(b"", b"a", b"b") == b"" and text.join(b",", []) == b""
    assert text.ngrams("", 1) == [] and list(text.ngram_hashes(b"", 1)) == []
