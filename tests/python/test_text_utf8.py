"""UTF-8 extras against Python: is_ascii (bytes/str.isascii), count_codepoints
(len(b.decode())), from_codepoints (chr/str.encode), byte_to_char_offsets (len of the
decoded prefix), and hash128 (xxhash.xxh3_128_intdigest, exhaustive over lengths
0..4096 plus random seeds). Every kernel with a SIMD path runs at each SIMD level.
"""
from __future__ import annotations

import random
from array import array

import numpy as np
import pytest
import xxhash
from hypothesis import given
from hypothesis import strategies as st

import hotpath
from hotpath import _text_utf8 as tu
from hp_testutil import raises

U64 = 1 << 64
seeds = st.one_of(st.sampled_from([0, 42, 2**32, 0xDEADBEEFCAFEF00D, U64 - 1]),
                  st.integers(0, U64 - 1))
# Text that exercises every UTF-8 length, long ASCII runs included.
texts = st.one_of(st.text(max_size=400),
                  st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=400),
                  st.lists(st.sampled_from(["a", "é", "€", "😀", "z" * 70]), max_size=60)
                  .map("".join))


def decode_error_start(data: bytes):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.start
    return None


# =================================================================== is_ascii

@given(data=st.binary(max_size=700))
def test_is_ascii_matches_bytes_isascii(data, simd_level):
    assert tu.is_ascii(data) is data.isascii()
    assert tu.is_ascii(bytearray(data)) is data.isascii()
    assert tu.is_ascii(memoryview(data)) is data.isascii()


@given(s=texts)
def test_is_ascii_str_matches_str_isascii(s):
    assert tu.is_ascii(s) is s.isascii()


def test_is_ascii_one_high_byte_at_every_position(simd_level):
    for n in range(0, 300):
        buf = bytearray(b"q" * n)
        assert tu.is_ascii(buf)
        for pos in range(n):
            buf[pos] = 0x80 | (pos & 0x7F)
            assert not tu.is_ascii(buf), (n, pos)
            buf[pos] = ord("q")


def test_is_ascii_long_inputs_and_buffer_types(simd_level):
    data = bytearray(b"x" * (1 << 20))
    assert tu.is_ascii(data) and tu.is_ascii(np.frombuffer(data, np.uint8))
    data[-1] = 0xC3
    assert not tu.is_ascii(data)
    assert tu.is_ascii(memoryview(data)[:-1])
    assert tu.is_ascii(b"") and tu.is_ascii("")


def test_is_ascii_rejects_non_buffers():
    with pytest.raises(TypeError):
        tu.is_ascii(123)
    with pytest.raises(TypeError):
        tu.is_ascii([1, 2])
    with pytest.raises(ValueError):
        tu.is_ascii(memoryview(b"abcdef")[::2])


# =================================================================== count_codepoints

@given(s=texts)
def test_count_codepoints_of_valid_utf8_is_len(s, simd_level):
    b = s.encode("utf-8")
    assert tu.count_codepoints(b) == len(s)
    assert tu.count_codepoints(bytearray(b)) == len(s)
    assert tu.count_codepoints(memoryview(b)) == len(s)
    assert tu.count_codepoints(s) == len(s)


@given(data=st.binary(max_size=300))
def test_count_codepoints_agrees_with_decoder_on_any_bytes(data, simd_level):
    start = decode_error_start(data)
    if start is None:
        assert tu.count_codepoints(data) == len(data.decode("utf-8"))
    else:
        err = raises(hotpath.Utf8Error, tu.count_codepoints, data)
        assert err.offset == start
        assert isinstance(err, UnicodeError)
        assert f"invalid UTF-8 at byte {start}" in str(err)


def test_count_codepoints_bad_byte_at_every_position_of_long_text(simd_level):
    base = ("héllo wörld € 😀 " * 40).encode()
    for pos in range(0, len(base), 7):
        data = bytearray(base)
        data[pos] = 0xFF
        err = raises(hotpath.Utf8Error, tu.count_codepoints, data)
        # at pos, or at the lead byte of the character pos was part of
        assert err.offset == decode_error_start(bytes(data))
        assert pos - 3 <= err.offset <= pos


def test_count_codepoints_large_mixed_text(simd_level):
    s = "".join(random.Random(5).choices(["a", "bc", "é", "€", "😀", " "], k=100000))
    assert tu.count_codepoints(s.encode()) == len(s)
    assert tu.count_codepoints(b"") == 0


def test_count_codepoints_rejects_non_buffers():
    with pytest.raises(TypeError):
        tu.count_codepoints(None)
    with pytest.raises(TypeError):
        tu.count_codepoints(3.5)


# =================================================================== from_codepoints

scalar_values = st.one_of(st.integers(0, 0xD7FF), st.integers(0xE000, 0x10FFFF),
                          st.sampled_from([0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000,
                                           0x10FFFF]))


@given(cps=st.lists(scalar_values, max_size=300))
def test_from_codepoints_matches_chr(cps):
    want = "".join(map(chr, cps))
    assert tu.from_codepoints(cps) == want
    assert tu.from_codepoints(array("I", cps)) == want
    assert tu.from_codepoints(tuple(cps)) == want
    assert tu.from_codepoints(iter(cps)) == want
    assert tu.from_codepoints(cps, as_bytes=True) == want.encode("utf-8")
    assert tu.from_codepoints(np.array(cps, dtype=np.uint32), as_bytes=True) == want.encode()


@given(s=texts)
def test_from_codepoints_round_trips_str(s):
    cps = array("I", map(ord, s))
    out = tu.from_codepoints(cps)
    assert type(out) is str and out == s
    b = tu.from_codepoints(cps, as_bytes=True)
    assert type(b) is bytes and b == s.encode()


def test_from_codepoints_empty():
    assert tu.from_codepoints([]) == ""
    assert tu.from_codepoints(array("I"), as_bytes=True) == b""


@pytest.mark.parametrize("bad", [0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0x110000, 2**32 - 1])
def test_from_codepoints_rejects_non_scalar_values(bad):
    cps = [0x61, 0xE9, bad, 0x62]
    for arg in (cps, array("I", cps), np.array(cps, dtype=np.uint32)):
        err = raises(hotpath.OutOfRangeError, tu.from_codepoints, arg)
        assert isinstance(err, ValueError)
        assert err.code == hotpath.OutOfRangeError.code
        assert "at index 2 is not a Unicode scalar value" in str(err)
        assert f"{bad:#x}".lower() in str(err).lower()


@pytest.mark.parametrize("bad", [-1, 2**32, 2**70, -(2**40)])
def test_from_codepoints_rejects_values_outside_32_bits(bad):
    err = raises(hotpath.OutOfRangeError, tu.from_codepoints, [0x41, 0x42, 0x43, bad])
    assert isinstance(err, ValueError)
    assert "at index 3 is not a Unicode scalar value" in str(err)
    err = raises(hotpath.OutOfRangeError, tu.from_codepoints, (x for x in [bad]), as_bytes=True)
    assert "at index 0" in str(err)


def test_from_codepoints_signed_32_bit_buffers():
    assert tu.from_codepoints(array("i", [104, 105])) == "hi"
    err = raises(hotpath.OutOfRangeError, tu.from_codepoints, np.array([65, -1], np.int32))
    assert "at index 1" in str(err)


def test_from_codepoints_non_contiguous_and_2d_arrays():
    a = np.array([104, 0, 105, 0, 0x1F600], dtype=np.uint32)
    assert tu.from_codepoints(a[::2]) == "hi😀"
    with pytest.raises(TypeError):
        tu.from_codepoints(np.array([[104, 105]], dtype=np.uint32))


def test_from_codepoints_rejects_wrong_types():
    for bad in ("abc", b"abc", bytearray(b"ab"), [1.5], [None], 12):
        with pytest.raises(TypeError):
            tu.from_codepoints(bad)


def test_from_codepoints_long_ascii_and_mixed():
    cps = array("I", [ord("a") + i % 26 for i in range(100003)])
    assert tu.from_codepoints(cps) == "".join(chr(c) for c in cps)
    cps[77777] = 0x1F600
    assert tu.from_codepoints(cps, as_bytes=True) == "".join(chr(c) for c in cps).encode()


# =================================================================== hash128

def xxh128(data, seed=0) -> int:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return xxhash.xxh3_128_intdigest(bytes(data), seed)


def test_hash128_matches_xxh3_128_for_every_length_0_to_4096(simd_level):
    rng = random.Random(0x5EED128)
    blob = rng.randbytes(4096 + 64)
    seed_list = [0, 42, 2**32, 0xDEADBEEFCAFEF00D] + [rng.randrange(U64) for _ in range(2)]
    mismatches = []
    for n in range(4097):
        data = blob[n % 61: n % 61 + n]
        for seed in seed_list:
            if tu.hash128(data, seed) != xxhash.xxh3_128_intdigest(data, seed):
                mismatches.append((n, seed))
    assert mismatches == []


@given(data=st.binary(max_size=3000), seed=seeds)
def test_hash128_matches_xxh3_128_hypothesis(data, seed, simd_level):
    assert tu.hash128(data, seed) == xxh128(data, seed)


def test_hash128_large_inputs(simd_level):
    data = random.Random(7).randbytes((1 << 20) + 17)
    for seed in (0, 2**63 + 5):
        assert tu.hash128(data, seed) == xxh128(data, seed)


@given(s=texts, seed=seeds)
def test_hash128_str_hashes_its_utf8(s, seed):
    assert tu.hash128(s, seed) == xxh128(s.encode(), seed) == tu.hash128(s.encode(), seed)


@given(data=st.binary(max_size=500), seed=seeds)
def test_hash128_buffer_types_agree_with_bytes(data, seed):
    want = xxh128(data, seed)
    assert tu.hash128(bytearray(data), seed) == want
    assert tu.hash128(memoryview(data), seed) == want
    assert tu.hash128(np.frombuffer(bytearray(data), np.uint8), seed) == want


def test_hash128_default_seed_and_seed_types():
    assert tu.hash128(b"hotpath") == xxh128(b"hotpath") == tu.hash128(b"hotpath", 0)
    assert tu.hash128(b"abc", np.uint64(7)) == xxh128(b"abc", 7)
    assert tu.hash128(b"abc", True) == xxh128(b"abc", 1)
    assert 0 <= tu.hash128(b"x" * 300, U64 - 1) < 1 << 128


@pytest.mark.parametrize("seed", [-1, U64, -(2**70)])
def test_hash128_seed_out_of_range_raises_overflow_error(seed):
    with pytest.raises(OverflowError):
        tu.hash128(b"abc", seed)
    with pytest.raises(OverflowError):
        tu.hash128(bytearray(b"abc"), seed)


def test_hash128_rejects_bad_types():
    with pytest.raises(TypeError):
        tu.hash128(b"abc", 1.5)
    with pytest.raises(TypeError):
        tu.hash128(12)
    with pytest.raises(ValueError):
        tu.hash128(memoryview(b"abcdef")[::2])


# =================================================================== byte_to_char_offsets

@given(s=texts, picks=st.lists(st.integers(0, 10**6), max_size=40))
def test_byte_to_char_offsets_matches_decoded_prefix(s, picks, simd_level):
    b = s.encode("utf-8")
    boundaries = sorted({len(s[:i].encode()) for i in range(len(s) + 1)})
    offsets = sorted(boundaries[p % len(boundaries)] for p in picks)
    got = array("q", offsets)
    assert tu.byte_to_char_offsets(b, got) is got
    assert list(got) == [len(b[:o].decode("utf-8")) for o in offsets]
    # what callers use it for: slicing the str with results found on the bytes
    for lo, hi in zip(offsets, offsets[1:]):
        i, j = got[offsets.index(lo)], got[offsets.index(hi)]
        assert s[i:j] == b[lo:hi].decode()


def test_byte_to_char_offsets_long_gaps(simd_level):
    s = ("a" * 100 + "é€😀") * 500
    b = s.encode()
    offsets = array("q", [0, 5, 1000, len(b) // 2, len(b)])
    for k in range(1, 4):  # move onto character boundaries
        while offsets[k] < len(b) and (b[offsets[k]] & 0xC0) == 0x80:
            offsets[k] += 1
    want = [len(b[:o].decode()) for o in offsets]
    assert list(tu.byte_to_char_offsets(b, offsets)) == want


def test_byte_to_char_offsets_numpy_and_empty():
    b = "aé€😀z".encode()
    n = np.array([0, 1, 3, 6, 10, 11], dtype=np.int64)
    assert tu.byte_to_char_offsets(b, n) is n
    assert n.tolist() == [0, 1, 2, 3, 4, 5]
    empty = array("q")
    assert tu.byte_to_char_offsets(b, empty) is empty and len(empty) == 0
    assert list(tu.byte_to_char_offsets(b"", array("q", [0, 0]))) == [0, 0]


@pytest.mark.parametrize("offsets, why", [
    ([0, 3, 1], "offsets[2] = 1 is less than offsets[1] = 3"),
    ([0, 12], "offsets[1] = 12 is past the end of the text (11 bytes)"),
    ([2], "offsets[0] = 2 is inside a character"),
    ([-1], "offsets[0] = -1 is negative"),
])
def test_byte_to_char_offsets_rejects_bad_offsets(offsets, why):
    b = "aé€😀z".encode()
    arr = array("q", offsets)
    err = raises(hotpath.InvalidArgumentError, tu.byte_to_char_offsets, b, arr)
    assert isinstance(err, ValueError)
    assert why in str(err)
    assert list(arr) == offsets  # unchanged on error


def test_byte_to_char_offsets_rejects_wrong_offset_types():
    b = b"abc"
    with pytest.raises(TypeError):
        tu.byte_to_char_offsets(b, [0, 1])
    with pytest.raises(TypeError):
        tu.byte_to_char_offsets(b, array("i", [0, 1]))
    with pytest.raises(TypeError):
        tu.byte_to_char_offsets(b, array("Q", [0, 1]))
    with pytest.raises(TypeError):
        tu.byte_to_char_offsets(b, np.array([0, 1], dtype=np.float64))
    with pytest.raises(TypeError):
        tu.byte_to_char_offsets(b, memoryview(array("q", [0, 1]).tobytes()).cast("q"))
    with pytest.raises(ValueError):
        tu.byte_to_char_offsets(b, np.arange(6, dtype=np.int64)[::2])
