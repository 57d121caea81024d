"""Case mapping against Python: casefold/lower/upper against str.casefold/lower/upper and
default_process against rapidfuzz.utils.default_process, for every code point (in
batches of 4096 per call), on random text (hypothesis, with sigma contexts), on large
inputs (the binding maps those in pieces), on invalid UTF-8 and lone surrogates, at
each SIMD level. Also: the tables' Unicode version is the running Python's.
"""
from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.utils import default_process as rf_default_process

import hotpath
from hotpath import _text_case as tc
from hotpath import text
from hp_testutil import raises

REFERENCE = {
    "casefold": str.casefold,
    "lower": str.lower,
    "upper": str.upper,
    "default_process": rf_default_process,
}
OURS = {name: getattr(tc, name) for name in REFERENCE}
NAMES = list(REFERENCE)
SEP = "\x00"  # maps to itself (to a space in default_process), neither cased nor ignorable


def _all_code_point_chunks(size=4096):
    chunks = []
    for start in range(0, 0x110000, size):
        chars = [chr(cp) for cp in range(start, min(start + size, 0x110000))
                 if not 0xD800 <= cp <= 0xDFFF]
        if chars:
            chunks.append(SEP.join(chars))
    return chunks


CHUNKS = _all_code_point_chunks()


def first_difference(name, chunk, got, want):
    """A readable message naming the first code point whose mapping differs."""
    ins, gots, wants = chunk.split(SEP), got.split(SEP), want.split(SEP)
    if name == "default_process":  # separators became spaces; compare the joined strings
        import rapidfuzz
        return (f"default_process differs on chunk starting U+{ord(chunk[0]):04X}: the "
                f"table comes from the rapidfuzz named in lib/text/unicode_tables.c, this is "
                f"rapidfuzz {rapidfuzz.__version__}; if it changed its table, regenerate "
                f"with `python3 scripts/gen_unicode_tables.py`")
    for c, g, w in zip(ins, gots, wants):
        if g != w:
            return f"{name}(U+{ord(c):04X} {c!r}) = {g!r}, Python gives {w!r}"
    return f"{name}: lengths differ on chunk starting U+{ord(chunk[0]):04X}"


# =================================================================== version

def test_tables_match_the_running_pythons_unicode_version():
    assert text.unicode_version() == tc.unicode_version()
    assert tc.unicode_version() == unicodedata.unidata_version, (
        f"lib/text/unicode_tables.c was generated from Unicode {tc.unicode_version()}, "
        f"this Python has {unicodedata.unidata_version}: regenerate the tables with "
        f"`python3 scripts/gen_unicode_tables.py` and rebuild")


def test_public_names_are_reexported_by_hotpath_text():
    for name in NAMES + ["unicode_version"]:
        assert getattr(text, name) is getattr(tc, name)


# =================================================================== every code point

@pytest.mark.parametrize("name", NAMES)
def test_every_code_point_matches_python(name, simd_level):
    ours, ref = OURS[name], REFERENCE[name]
    for chunk in CHUNKS:
        got, want = ours(chunk), ref(chunk)
        if got != want:
            pytest.fail(first_difference(name, chunk, got, want))


@pytest.mark.parametrize("name", NAMES)
def test_every_code_point_as_utf8_bytes(name):
    ours, ref = OURS[name], REFERENCE[name]
    for chunk in CHUNKS[::3]:
        raw = chunk.encode("utf-8")
        assert ours(raw) == ref(chunk).encode("utf-8")


def test_every_code_point_isolated_final_sigma_neighbours():
    """Each code point c between capital sigmas and cased letters: "AΣcΣ" exercises the
    Case_Ignorable and Cased properties of c on both sides of a sigma."""
    for chunk in CHUNKS:
        s = "".join(f"A\u03a3{c}\u03a3 " for c in chunk.split(SEP))
        got, want = tc.lower(s), s.lower()
        if got != want:
            pieces = [f"A\u03a3{c}\u03a3 " for c in chunk.split(SEP)]
            for p in pieces:
                assert tc.lower(p) == p.lower(), f"lower({p!r})"
            pytest.fail("lower differs on the joined chunk only")


# =================================================================== examples

@pytest.mark.parametrize("name,source,expected", [
    ("casefold", "Straße", "strasse"),
    ("casefold", "ꭰᏸ", "ᎠᏰ"),  # Cherokee folds to the capitals
    ("casefold", "ΣΑΣ", "σασ"),
    ("lower", "İ", "i\u0307"),
    ("lower", "ΣΑΣ", "σας"),
    ("lower", "ΑΣ.", "ας."),
    ("lower", "Σ", "σ"),
    ("lower", "aΣb", "aσb"),
    ("lower", "AΣ'Σ", "aσ'ς"),
    ("lower", "ΌΣΟΣ ΆΣ", "όσος άς"),
    ("upper", "ŉ", "ʼN"),
    ("upper", "ﬃ", "FFI"),
    ("upper", "ı", "I"),
    ("upper", "\u0390", "\u0399\u0308\u0301"),  # ΐ: three code points
    ("default_process", "  Hello, World!  ", "hello  world"),
    ("default_process", "İstanbul", "istanbul"),
    ("default_process", "", ""),
    ("default_process", "!?", ""),
])
def test_known_examples(name, source, expected, simd_level):
    assert REFERENCE[name](source) == expected  # the examples themselves are right
    assert OURS[name](source) == expected
    assert OURS[name](source.encode("utf-8")) == expected.encode("utf-8")


# =================================================================== random text

any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
sigma_text = st.lists(st.sampled_from(
    ["Σ", "Σ", "σ", "ς", "A", "a", "'", ".", ":", "\u0345", "\u00ad", "\u0301", "ʰ", " ",
     "1", "İ", "ß", "\U0001d400", "\U00010400", "ᾼ", "\u200d", "-", "Ω", "x" * 40]),
    max_size=60).map("".join)
mixed_text = st.lists(st.sampled_from(
    ["Hello ", "WORLD", "straße ", "ΣΟΦΊΑ ", "Москва ", "中文 ", "한국어", "ﬁ", "ŉ", "😀",
     "\u3000", "_", "a" * 45, "É" * 20, " " * 33]), max_size=40).map("".join)
texts = st.one_of(any_text, sigma_text, mixed_text)


@given(s=texts)
def test_random_text_matches_python(s, simd_level):
    for name in NAMES:
        want = REFERENCE[name](s)
        assert OURS[name](s) == want, name
        assert OURS[name](s.encode("utf-8")) == want.encode("utf-8"), name


@given(s=texts)
def test_buffer_types(s):
    raw = s.encode("utf-8")
    want = tc.casefold(raw)
    assert tc.casefold(bytearray(raw)) == want
    assert tc.casefold(memoryview(raw)) == want
    assert type(tc.casefold(bytearray(raw))) is bytes

    class Sub(str):
        pass

    assert tc.upper(Sub(s)) == s.upper()
    assert type(tc.upper(Sub(s))) is str


def test_wrong_types_raise_type_error():
    for name in NAMES:
        for bad in (None, 3, ["a"], 1.5):
            raises(TypeError, OURS[name], bad)


# =================================================================== invalid input

def decode_error_start(data: bytes):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.start
    return None


@given(data=st.binary(max_size=200))
def test_invalid_utf8_raises_with_offset(data, simd_level):
    start = decode_error_start(data)
    for name in NAMES:
        if start is None:
            assert OURS[name](data) == REFERENCE[name](data.decode()).encode()
        else:
            err = raises(hotpath.Utf8Error, OURS[name], data)
            assert isinstance(err, UnicodeError)
            assert err.offset == start
            assert f"invalid UTF-8 at byte {start}" in str(err)


@pytest.mark.parametrize("name", NAMES)
def test_invalid_byte_deep_in_long_ascii(name, simd_level):
    data = b"Abc " * 5000 + b"\xc3(" + b"xyz" * 100
    err = raises(hotpath.Utf8Error, OURS[name], data)
    assert err.offset == 20000


def test_lone_surrogate_in_str_reports_code_point_index():
    for name in NAMES:
        err = raises(hotpath.Utf8Error, OURS[name], "aé€\ud800b")
        assert err.offset == 3


# =================================================================== large inputs

def _large(words, n):
    import random
    rng = random.Random(n)
    return " ".join(rng.choice(words) for _ in range(n))


LARGE_WORDS = ["ΣΑΣ", "ΟΔΟΣ", "Σ", "AΣ'", "'Σ", "straße", "İstanbul", "ﬃ", "Москва",
               "hello", "WORLD", "中文", "ΐ", "x'Σ'", "Σ\u0345"]


@pytest.mark.parametrize("name", NAMES)
def test_large_text_in_pieces_matches_python(name, simd_level):
    s = _large(LARGE_WORDS, 80000)  # over 2 * _PIECE code points: several pieces
    assert len(s) > 2 * tc._PIECE
    want = REFERENCE[name](s)
    assert OURS[name](s) == want
    assert OURS[name](s.encode()) == want.encode()


def test_large_text_splits_only_where_final_sigma_cannot_see_across():
    # every capital sigma but the last of each run has a cased neighbour on both sides,
    # so a piece edge anywhere but after a space would turn one into a final sigma
    s = ("Σ" * 100000 + " ") * 4
    assert len(s) > 2 * tc._PIECE
    assert tc.lower(s) == s.lower()
    assert tc.lower(s.encode()) == s.lower().encode()


def test_large_text_without_spaces_maps_whole():
    s = "ΑΣ'Σ" * 60000 + "Σ"
    assert tc.lower(s) == s.lower()
    assert tc.lower(s.encode()) == s.lower().encode()


@pytest.mark.parametrize("name", ["casefold", "lower", "upper"])
def test_large_text_errors_are_reported_for_the_whole_input(name):
    good = _large(LARGE_WORDS, 60000).encode()
    data = good + b"\xed\xa0\x80" + good
    err = raises(hotpath.Utf8Error, OURS[name], data)
    assert err.offset == len(good)
    assert f"invalid UTF-8 at byte {len(good)}: surrogate" in str(err)
    s = _large(LARGE_WORDS, 60000)
    err = raises(hotpath.Utf8Error, OURS[name], s + "\udfff" + s)
    assert err.offset == len(s)


def test_growing_text():
    s = "ß" * 100000 + "ŉ" * 1000 + "ΐ"  # every character grows
    assert tc.upper(s) == s.upper()
    assert tc.casefold(s.encode()) == s.casefold().encode()


@pytest.mark.parametrize("as_bytes", [False, True])
def test_ascii_input_takes_the_exact_size_path_with_same_results(as_bytes):
    # ASCII input is mapped in one call into a buffer of exactly its size (_text_case._map);
    # large, mixed-case, with punctuation and leading/trailing blanks for default_process.
    rng = random.Random(11)
    alphabet = "abcXYZ019 ,.!?-_\t"
    s = "  " + "".join(rng.choice(alphabet) for _ in range(600_000)) + "!! "
    data = s.encode() if as_bytes else s
    for ours, ref in ((text.casefold, str.casefold), (text.lower, str.lower),
                      (text.upper, str.upper), (text.default_process, rf_default_process)):
        got = ours(data)
        want = ref(s)
        assert got == (want.encode() if as_bytes else want), ours.__name__


# =================================================================== str in place (CPython)

def test_in_place_route_is_active_unless_disabled():
    import os
    if os.environ.get("HOTPATH_FAST", "1") == "0":
        assert tc._case_map is None
    else:
        assert tc._case_map is not None, "the installed package must ship hotpath._fast"


KIND_SAMPLES = [
    "Hello, World! " * 40,                       # ASCII
    "Größe Straße naïve ÆØÅ " * 30,              # Latin-1, grows (ß)
    "µ" * 100, "ÿ" * 50 + "a",                   # Latin-1 in, UCS-2 out (fold / upper)
    "K" * 70 + "é",                              # UCS-2 Kelvin sign in, ASCII out (lower)
    "ı" * 40, "ſ" * 33,                          # UCS-2 in, ASCII out (upper, fold)
    "ΣΑΣ ΟΔΟΣ Σ'Α AΣ' " * 20 + "Σ",              # UCS-2, final sigma
    "Москва 中文 한국어 ﬁ ŉ ΐ İ " * 25,           # UCS-2, expansions
    "😀 Deseret 𐐀𐐨 " * 30, "𐐀" * 17,            # UCS-4
    "a😀", "😀", "Ω", "ß", "İ", "", " ",
    "x" * 15 + "É" + "y" * 16 + "Σ" * 9,          # vector and scalar steps mixed
    # the one-pass route (64+ code points): growth beyond its 25% room, a result wider
    # than the input's kind, and one narrow enough for a narrower kind
    "ß" * 100, "İ" * 80 + "a", "ŉ" * 64, "µ" * 64 + "ÿ", "K" * 64, "Ω" * 65 + "😀",
    "ΣΑΣ" * 30, "ß" * 20 + "a" * 80,
]


@pytest.mark.parametrize("s", KIND_SAMPLES)
def test_in_place_results_are_exact_python_strings(s, simd_level):
    import sys
    for name in ("casefold", "lower", "upper"):
        got, want = OURS[name](s), REFERENCE[name](s)
        assert got == want, name
        # same storage kind as Python's (a wider kind would compare unequal elsewhere)
        assert sys.getsizeof(got) == sys.getsizeof(want), (name, s[:20])
        assert hash(got) == hash(want)


@given(s=texts)
def test_in_place_and_utf8_routes_agree(s):
    saved = tc._case_map
    try:
        for name in ("casefold", "lower", "upper"):
            got = OURS[name](s)
            tc._case_map = None
            assert OURS[name](s) == got == REFERENCE[name](s), name
            tc._case_map = saved
    finally:
        tc._case_map = saved


def test_fast_case_map_declines_subclasses_and_surrogates():
    from hotpath import _fast

    class S(str):
        pass
    assert _fast.case_map(0, S("ABC")) is NotImplemented
    assert _fast.case_map(0, "a\ud800") is NotImplemented
    assert _fast.case_map(7, "ABC") is NotImplemented
    assert _fast.case_map(2, "straße") == "STRASSE"
    assert text.casefold(S("ABC")) == "abc"
    with pytest.raises(UnicodeError):  # the UTF-8 route's hotpath.Utf8Error
        text.casefold("a\ud800")


def test_in_place_on_large_text_of_every_kind(simd_level):
    rng = random.Random(5)
    alphabets = ["abcXYZ ,.", "abcXYZ éÉßµÿ", "abcΣΑσ' Жж中ﬁK", "abcΣ Жж中😀𐐀ß"]
    for alphabet in alphabets:
        s = "".join(rng.choice(alphabet) for _ in range(300_000))
        for name in ("casefold", "lower", "upper"):
            assert OURS[name](s) == REFERENCE[name](s), (name, alphabet)


def test_large_str_mapped_in_two_halves_equals_python(simd_level):
    # from 1M code points, casefold and upper run as two halves on two threads
    # (lib/text/case.c, ucs_map_halves); the seam may fall anywhere, even inside a run
    # that expands (ß) or widens (µ -> μ)
    rng = random.Random(11)
    for alphabet in ["abcXYZ ßµ", "abcΣΑσ' Жж中ﬁKß", "abcΣ Жж中😀𐐀ß"]:
        s = "".join(rng.choice(alphabet) for _ in range(1_100_001))
        for name in ("casefold", "upper", "lower"):
            got = OURS[name](s)
            assert got == REFERENCE[name](s), (name, alphabet)
    s = "ß" * 1_200_000  # the second half outgrows its scratch: one pass instead
    assert OURS["upper"](s) == s.upper()
    assert text.casefold(s.encode()) == s.casefold().encode()
