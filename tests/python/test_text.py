"""hotpath.text against references: xxhash (XXH3-64), bytes.decode('utf-8'), bytes/str.split.

Property tests use hypothesis; the hash test over lengths 0..4096 is exhaustive, as are
the UTF-8 tests that put one bad byte at every position of a buffer (SIMD block edges).
"""
from __future__ import annotations

import random
import threading
from array import array
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import xxhash
from hypothesis import assume, given
from hypothesis import strategies as st

import hotpath
from hotpath import text
from hp_testutil import raises

U64 = 1 << 64
seeds = st.one_of(st.sampled_from([0, 1, 2**32 - 1, 2**32, 2**63, U64 - 1]),
                  st.integers(0, U64 - 1))


def xxh(data, seed=0) -> int:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return xxhash.xxh3_64_intdigest(bytes(data), seed)


def ref_offset(data: bytes):
    """What hotpath.text.utf8_error_offset must return: UnicodeDecodeError.start or None."""
    try:
        bytes(data).decode("utf-8")
    except UnicodeDecodeError as e:
        return e.start
    return None


def check_utf8_all(data: bytes) -> None:
    """Every UTF-8 entry point agrees with Python's decoder on data."""
    expected = ref_offset(data)
    assert text.is_utf8(data) is (expected is None)
    assert text.utf8_error_offset(data) == expected
    if expected is None:
        assert text.validate_utf8(data) is None
        assert list(text.to_codepoints(data)) == [ord(c) for c in bytes(data).decode("utf-8")]
    else:
        assert raises(hotpath.Utf8Error, text.validate_utf8, data).offset == expected
        assert raises(hotpath.Utf8Error, text.to_codepoints, data).offset == expected


# =================================================================== hash64

def test_hash64_matches_xxh3_for_every_length_0_to_4096(simd_level):
    rng = random.Random(0x5EED)
    blob = rng.randbytes(4096 + 64)
    seed_list = [0, 1, 2**32 + 7, U64 - 1] + [rng.randrange(U64) for _ in range(2)]
    mismatches = []
    for n in range(4097):
        # A different window of random bytes for each length, so data differs per length.
        data = blob[n % 61: n % 61 + n]
        for seed in seed_list:
            got = text.hash64(data, seed)
            if got != xxhash.xxh3_64_intdigest(data, seed):
                mismatches.append((n, seed))
    assert mismatches == []


@given(data=st.binary(max_size=5000), seed=seeds)
def test_hash64_matches_xxh3_hypothesis(data, seed):
    assert text.hash64(data, seed) == xxh(data, seed)


def test_hash64_default_seed_is_zero():
    assert text.hash64(b"hotpath") == xxh(b"hotpath", 0) == text.hash64(b"hotpath", 0)


def test_hash64_lengths_around_block_multiples_up_to_64k(simd_level):
    blob = random.Random(4).randbytes(65 * 1024 + 8)
    lengths = sorted({k * m + d for m in (64, 1024) for k in range(1, 65) for d in (-1, 0, 1)})
    bad = [(n, s) for n in lengths for s in (0, 2**33 + 1)
           if text.hash64(blob[:n], s) != xxh(blob[:n], s)]
    assert bad == []


def test_hash64_large_input_1mib():
    data = random.Random(3).randbytes(1 << 20)
    assert text.hash64(data, 12345) == xxh(data, 12345)


@given(s=st.text(max_size=300), seed=seeds)
def test_hash64_str_hashes_its_utf8(s, seed):
    assert text.hash64(s, seed) == xxh(s.encode("utf-8"), seed) == text.hash64(s.encode(), seed)


@given(data=st.binary(max_size=600), seed=seeds)
def test_hash64_buffer_types_agree_with_bytes(data, seed):
    want = xxh(data, seed)
    assert text.hash64(bytearray(data), seed) == want
    assert text.hash64(memoryview(data), seed) == want
    assert text.hash64(memoryview(bytearray(data)), seed) == want
    assert text.hash64(array("B", data), seed) == want
    assert text.hash64(np.frombuffer(data, dtype=np.uint8), seed) == want
    assert text.hash64(np.frombuffer(bytearray(data), dtype=np.uint8), seed) == want


def test_hash64_multibyte_item_buffers_hash_their_raw_bytes():
    a = array("I", range(1000))
    assert text.hash64(a, 9) == xxh(a.tobytes(), 9)
    n = np.arange(777, dtype=np.int64)
    assert text.hash64(n, 9) == xxh(n.tobytes(), 9)
    m = memoryview(bytes(range(256))).cast("H")
    assert text.hash64(m) == xxh(bytes(range(256)))


def test_hash64_memoryview_slice_with_offset():
    data = bytes(range(256)) * 4
    assert text.hash64(memoryview(data)[13:700]) == xxh(data[13:700])
    assert text.hash64(memoryview(bytearray(data))[13:700]) == xxh(data[13:700])


def test_hash64_non_contiguous_buffer_raises_value_error():
    with pytest.raises(ValueError):
        text.hash64(memoryview(b"abcdefgh")[::2])
    with pytest.raises(ValueError):
        text.hash64(np.arange(20, dtype=np.uint8)[::3])


@pytest.mark.parametrize("seed", [-1, U64, U64 + 5, -(2**70)])
def test_hash64_seed_out_of_range_raises_overflow_error(seed):
    with pytest.raises(OverflowError):
        text.hash64(b"abc", seed)
    with pytest.raises(OverflowError):
        text.hash64("abc", seed)


@pytest.mark.parametrize("seed", [1.0, "1", None, b"\x01"])
def test_hash64_non_int_seed_raises_type_error(seed):
    with pytest.raises(TypeError):
        text.hash64(b"abc", seed)


@pytest.mark.parametrize("seed", [Decimal("5.7"), Fraction(11, 2), Decimal(5), Fraction(5)],
                         ids=repr)
@pytest.mark.parametrize("data", [b"abc", bytearray(b"abc"), "abc"], ids=repr)
def test_hash64_non_int_number_seed_raises_type_error(data, seed):
    # The seed must be an int: a Decimal or Fraction is refused, never truncated
    # (Decimal("5.7") silently hashing with seed 5 would be a wrong answer).
    with pytest.raises(TypeError):
        text.hash64(data, seed)


@pytest.mark.parametrize("seed", [np.uint64(5), np.int64(5), True, 5.0, Decimal(5)], ids=repr)
def test_hash64_seed_handling_does_not_depend_on_data_type(seed):
    def outcome(data):
        try:
            return ("ok", text.hash64(data, seed))
        except Exception as e:
            return ("raised", type(e))
    assert outcome(b"abc") == outcome(bytearray(b"abc")) == outcome(memoryview(b"abc"))


@pytest.mark.parametrize("data", [None, 123, 1.5, ["a"]])
def test_hash64_non_buffer_data_raises_type_error(data):
    with pytest.raises(TypeError):
        text.hash64(data)


def test_hash64_empty_inputs():
    assert text.hash64(b"") == text.hash64("") == text.hash64(bytearray()) == xxh(b"")
    assert text.hash64(np.zeros(0, dtype=np.uint8)) == xxh(b"")


# =================================================================== Hasher64

@given(data=st.binary(max_size=3000), seed=seeds,
       cuts=st.lists(st.integers(0, 3000), max_size=12))
def test_hasher64_any_chunking_equals_one_shot(data, seed, cuts):
    points = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    with text.Hasher64(seed) as h:
        for a, b in zip(points, points[1:]):
            h.update(data[a:b])
        assert h.digest() == xxh(data, seed) == text.hash64(data, seed)


def test_hasher64_fixed_chunk_sizes_across_block_boundaries(simd_level):
    rng = random.Random(11)
    data = rng.randbytes(2600)
    bad = []
    for total in (0, 1, 16, 17, 128, 129, 239, 240, 241, 255, 256, 257, 1023, 1024, 1025,
                  2047, 2048, 2049, 2600):
        chunk_data = data[:total]
        for size in (1, 3, 15, 16, 31, 32, 63, 64, 65, 255, 256, 257, 1024):
            with text.Hasher64(99) as h:
                for i in range(0, total, size):
                    h.update(chunk_data[i:i + size])
                if h.digest() != xxh(chunk_data, 99):
                    bad.append((total, size))
    assert bad == []


def test_hasher64_long_stream_in_random_chunks():
    rng = random.Random(17)
    data = rng.randbytes(300_000)
    for seed in (0, 2**50 + 3):
        with text.Hasher64(seed) as h:
            i = 0
            while i < len(data):
                step = rng.choice([1, 7, 64, 255, 1024, 4096, rng.randrange(1, 40_000)])
                h.update(data[i:i + step])
                i += step
                if rng.random() < 0.05:
                    assert h.digest() == xxh(data[:i], seed)
            assert h.digest() == xxh(data, seed)


@given(parts=st.lists(st.one_of(st.binary(max_size=80), st.text(max_size=40)), max_size=10),
       seed=seeds)
def test_hasher64_mixed_str_and_buffer_updates(parts, seed):
    joined = b"".join(p.encode() if isinstance(p, str) else p for p in parts)
    with text.Hasher64(seed) as h:
        for i, p in enumerate(parts):
            if isinstance(p, bytes) and i % 2:
                p = memoryview(bytearray(p))
            h.update(p)
        assert h.digest() == xxh(joined, seed)


def test_hasher64_initial_data_argument():
    with text.Hasher64(5, data=b"hello ") as h:
        h.update("wörld")
        assert h.digest() == xxh("hello wörld".encode(), 5)


def test_hasher64_update_returns_self_for_chaining():
    with text.Hasher64() as h:
        assert h.update(b"a") is h
        assert h.update(b"b").update(b"c").digest() == xxh(b"abc")


def test_hasher64_digest_is_non_destructive():
    data = bytes(range(256)) * 5
    with text.Hasher64(7) as h:
        h.update(data[:300])
        d1 = h.digest()
        assert h.digest() == d1 == xxh(data[:300], 7)
        h.update(data[300:])
        assert h.digest() == xxh(data, 7)
        assert h.digest() == xxh(data, 7)


def test_hasher64_empty_digest():
    with text.Hasher64(2**40) as h:
        assert h.digest() == xxh(b"", 2**40)


def test_hasher64_reset_keeps_seed_or_takes_new_one():
    with text.Hasher64(42) as h:
        h.update(b"garbage" * 100)
        h.reset()
        assert h.digest() == xxh(b"", 42)
        h.update(b"abc")
        assert h.digest() == xxh(b"abc", 42)
        h.reset(2**63 + 1)
        h.update(b"abc")
        assert h.digest() == xxh(b"abc", 2**63 + 1)
        h.reset()  # keeps the seed given to the last reset
        h.update(b"xyz")
        assert h.digest() == xxh(b"xyz", 2**63 + 1)


def test_hasher64_reset_bad_seed_raises():
    with text.Hasher64(3) as h:
        with pytest.raises(OverflowError):
            h.reset(-1)
        with pytest.raises(TypeError):
            h.reset("1")
        h.update(b"q")
        assert h.digest() == xxh(b"q", 3)


@given(data=st.binary(max_size=500), seed=seeds)
def test_hasher64_hexdigest(data, seed):
    with text.Hasher64(seed, data) as h:
        hexd = h.hexdigest()
    assert hexd == xxhash.xxh3_64(data, seed=seed).hexdigest()
    assert hexd == f"{xxh(data, seed):016x}"
    assert len(hexd) == 16


def test_hasher64_context_manager_closes_and_frees_handle():
    before = hotpath.live_allocations()
    with text.Hasher64() as h:
        assert hotpath.live_allocations() == before + 1
        h.update(b"x")
    assert hotpath.live_allocations() == before
    with pytest.raises(ValueError):
        h.update(b"x")


def test_hasher64_context_manager_closes_on_exception():
    before = hotpath.live_allocations()
    with pytest.raises(KeyError):
        with text.Hasher64() as h:
            raise KeyError("boom")
    assert hotpath.live_allocations() == before
    with pytest.raises(ValueError):
        h.digest()


def test_hasher64_use_after_close_raises_value_error():
    h = text.Hasher64()
    h.close()
    for call in (lambda: h.update(b"a"), h.digest, h.hexdigest, h.reset, lambda: h.reset(3)):
        with pytest.raises(ValueError):
            call()


def test_hasher64_close_twice_is_ok():
    h = text.Hasher64()
    h.close()
    h.close()
    with h:
        pass  # entering/leaving a closed hasher closes again: still fine


def test_hasher64_garbage_collection_frees_handle():
    before = hotpath.live_allocations()
    h = text.Hasher64(1, b"abc")
    assert hotpath.live_allocations() == before + 1
    del h
    assert hotpath.live_allocations() == before


@pytest.mark.parametrize("seed", [-1, U64])
def test_hasher64_bad_seed_raises_overflow_error_without_leak(seed):
    before = hotpath.live_allocations()
    with pytest.raises(OverflowError):
        text.Hasher64(seed)
    assert hotpath.live_allocations() == before


def test_hasher64_non_int_seed_raises_type_error():
    with pytest.raises(TypeError):
        text.Hasher64(1.5)


def test_hasher64_update_bad_type_raises_type_error():
    with text.Hasher64() as h:
        with pytest.raises(TypeError):
            h.update(12)
        with pytest.raises(TypeError):
            h.update(None)
        assert h.digest() == xxh(b"")


def test_hasher64_shared_across_threads():
    # All chunks are identical, so the expected digest does not depend on the order the
    # threads' updates land in; torn state from unserialised updates would change it.
    chunk = bytes(range(97)) * 3
    n_threads, per_thread = 8, 300
    errors = []
    with text.Hasher64(77) as h:
        barrier = threading.Barrier(n_threads)

        def work():
            try:
                barrier.wait()
                for _ in range(per_thread):
                    h.update(chunk)
                    h.digest()
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(n_threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert h.digest() == xxh(chunk * (n_threads * per_thread), 77)


def test_separate_hashers_in_threads_are_independent():
    rng = random.Random(5)
    inputs = [rng.randbytes(rng.randrange(5000)) for _ in range(8)]
    results = [None] * len(inputs)

    def work(i):
        with text.Hasher64(i) as h:
            for k in range(0, len(inputs[i]), 37):
                h.update(inputs[i][k:k + 37])
            results[i] = h.digest()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [xxh(d, i) for i, d in enumerate(inputs)]


# =================================================================== hash64_batch

def batch_hashes(*args, **kwargs) -> list:
    """text.hash64_batch, checking the documented result type (array('Q')), as a list."""
    result = text.hash64_batch(*args, **kwargs)
    assert isinstance(result, array) and result.typecode == "Q", type(result)
    return result.tolist()


batch_items = st.lists(st.one_of(st.binary(max_size=300), st.text(max_size=60)), max_size=60)


@given(items=batch_items, seed=seeds, threads=st.sampled_from([0, 1, 2]))
def test_hash64_batch_equals_per_string_xxh3(items, seed, threads):
    assert batch_hashes(items, seed, threads) == [xxh(s, seed) for s in items]


@pytest.mark.parametrize("threads", [0, 1, 2, 3, 16])
def test_hash64_batch_large_50k(threads):
    rng = random.Random(threads)
    items = [rng.randbytes(rng.randrange(0, 70)) for _ in range(50_000)]
    items[::1000] = [rng.randbytes(3000) for _ in items[::1000]]
    seed = 2**40 + threads
    assert batch_hashes(items, seed=seed, threads=threads) == [xxh(s, seed) for s in items]


def test_hash64_batch_concurrent_callers_share_the_pool():
    rng = random.Random(21)
    batches = [[rng.randbytes(rng.randrange(40)) for _ in range(20_000)] for _ in range(4)]
    results = [None] * len(batches)

    def work(i):
        for _ in range(3):
            results[i] = batch_hashes(batches[i], i, 2)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(batches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [[xxh(s, i) for s in b] for i, b in enumerate(batches)]


def test_hash64_batch_many_threads_requested():
    items = [bytes([i % 256]) * (i % 50) for i in range(30_000)]
    assert batch_hashes(items, 1, 1000) == [xxh(s, 1) for s in items]


def test_hash64_batch_empty_list():
    assert batch_hashes([]) == []
    assert batch_hashes([], threads=4) == []


def test_hash64_batch_all_empty_strings():
    assert batch_hashes([b""] * 5000, 3) == [xxh(b"", 3)] * 5000


def test_hash64_batch_accepts_iterables_and_buffers():
    items = [b"a", bytearray(b"bc"), memoryview(b"def"), "ghé", array("B", b"ij")]
    want = [xxh(b"a"), xxh(b"bc"), xxh(b"def"), xxh("ghé".encode()), xxh(b"ij")]
    assert batch_hashes(items) == want
    assert batch_hashes(iter(items)) == want
    assert batch_hashes(x for x in items) == want


@pytest.mark.parametrize("threads", [-1, 2**32, 2**64])
def test_hash64_batch_bad_threads_raises_value_error(threads):
    with pytest.raises(ValueError):
        batch_hashes([b"a"], threads=threads)


@pytest.mark.parametrize("threads", [1.5, "2", None])
def test_hash64_batch_non_int_threads_raises(threads):
    with pytest.raises((TypeError, ValueError)):
        batch_hashes([b"a"], threads=threads)


@pytest.mark.parametrize("seed", [-1, U64])
def test_hash64_batch_bad_seed_raises_overflow_error(seed):
    with pytest.raises(OverflowError):
        batch_hashes([b"a", b"b"], seed=seed)


@pytest.mark.parametrize("item", [5, 0, [104, 105], None, 1.5], ids=repr)
def test_hash64_batch_non_string_item_raises_type_error_like_hash64(item):
    # hash64(5) raises TypeError; a batch must not silently hash bytes(5) == b"\0" * 5
    # (or bytes([104, 105]) == b"hi") instead.
    with pytest.raises(TypeError):
        text.hash64(item)
    with pytest.raises(TypeError):
        batch_hashes([b"a", item])


# =================================================================== UTF-8

@given(data=st.binary(max_size=400))
def test_utf8_random_bytes_agree_with_decode(simd_level, data):
    check_utf8_all(data)


@given(s=st.text(max_size=300))
def test_utf8_valid_text_is_accepted(simd_level, s):
    data = s.encode("utf-8")
    assert text.is_utf8(data)
    assert text.utf8_error_offset(data) is None
    assert text.utf8_error_offset(s) is None
    text.validate_utf8(data)
    assert list(text.to_codepoints(data)) == [ord(c) for c in s]


def _mutate(draw, data: bytes) -> bytes:
    kind = draw(st.sampled_from(["flip", "set", "truncate", "insert_cont", "insert_seq",
                                 "delete"]))
    pos = draw(st.integers(0, len(data)))
    if kind == "flip" and data:
        pos = min(pos, len(data) - 1)
        bit = draw(st.integers(0, 7))
        return data[:pos] + bytes([data[pos] ^ (1 << bit)]) + data[pos + 1:]
    if kind == "set" and data:
        pos = min(pos, len(data) - 1)
        return data[:pos] + bytes([draw(st.integers(0, 255))]) + data[pos + 1:]
    if kind == "truncate":
        return data[:pos]
    if kind == "insert_cont":
        return data[:pos] + bytes([draw(st.integers(0x80, 0xBF))]) + data[pos:]
    if kind == "delete" and data:
        pos = min(pos, len(data) - 1)
        return data[:pos] + data[pos + 1:]
    bad = draw(st.sampled_from(BAD_SEQUENCES))
    return data[:pos] + bad + data[pos:]


def _cp(c: int) -> bytes:
    """Encode a code point the way UTF-8 would, even when it is not allowed (surrogates,
    > U+10FFFF), to produce ill-formed sequences."""
    if c < 0x80:
        return bytes([c])
    if c < 0x800:
        return bytes([0xC0 | c >> 6, 0x80 | c & 0x3F])
    if c < 0x10000:
        return bytes([0xE0 | c >> 12, 0x80 | c >> 6 & 0x3F, 0x80 | c & 0x3F])
    return bytes([0xF0 | c >> 18, 0x80 | c >> 12 & 0x3F, 0x80 | c >> 6 & 0x3F, 0x80 | c & 0x3F])


BAD_SEQUENCES = [
    # surrogates, encoded as Python's 'surrogatepass' would
    "\ud800".encode("utf-8", "surrogatepass"), "\udfff".encode("utf-8", "surrogatepass"),
    "\udbff\udc00".encode("utf-8", "surrogatepass"),
    # overlong forms
    b"\xc0\x80", b"\xc0\xaf", b"\xc1\xbf", b"\xe0\x80\x80", b"\xe0\x9f\xbf",
    b"\xf0\x80\x80\x80", b"\xf0\x8f\xbf\xbf",
    # above U+10FFFF
    _cp(0x110000), _cp(0x13FFFF), b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xf7\xbf\xbf\xbf",
    # bytes never valid
    b"\xf8\x88\x80\x80\x80", b"\xfc\x84\x80\x80\x80\x80", b"\xfe", b"\xff",
    # stray continuation and truncated sequences
    b"\x80", b"\xbf", b"\xc3", b"\xe2\x82", b"\xf0\x9f\x98", b"\xf0\x9f", b"\xe2",
    # a lead byte followed by a non-continuation
    b"\xc3(", b"\xe2\x28\xa1", b"\xf0\x28\x8c\xbc", b"\xe2\x82\x28",
]


@st.composite
def mutated_utf8(draw):
    s = draw(st.text(max_size=200))
    data = s.encode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        data = _mutate(draw, data)
    return data


@given(data=mutated_utf8())
def test_utf8_mutations_of_valid_text_agree_with_decode(simd_level, data):
    check_utf8_all(data)


@pytest.mark.parametrize("bad", BAD_SEQUENCES, ids=lambda b: b.hex())
def test_utf8_known_bad_sequences(simd_level, bad):
    for prefix in (b"", b"abc", "€".encode() * 11, b"x" * 31, b"x" * 63):
        for suffix in (b"", b"tail", b"y" * 70):
            data = prefix + bad + suffix
            assert ref_offset(data) is not None
            check_utf8_all(data)


def test_utf8_validate_offset_examples():
    assert raises(hotpath.Utf8Error, text.validate_utf8, b"abc\xc0\xaf").offset == 3
    assert text.utf8_error_offset(b"ab\xe2\x82") == 2
    assert text.utf8_error_offset(b"\x80") == 0
    assert text.utf8_error_offset("héllo") is None
    assert text.utf8_error_offset(b"") is None
    assert text.is_utf8(b"")


def test_utf8_long_text_with_one_bad_byte_at_every_position(simd_level):
    """A few KB of mixed-width valid text (to reach the SIMD path) with one bad byte at
    every position; checked against bytes.decode for each position."""
    rng = random.Random(1234)
    alphabet = "abcdefgh é ß ж € ✓ 𝄞 😀 中文"
    base = "".join(rng.choice(alphabet) for _ in range(1800)).encode("utf-8")
    assert len(base) > 3000
    mismatches = []
    for bad_byte in (0x80, 0xBF, 0xC0, 0xF5, 0xFF, 0xED):
        for pos in range(0, len(base), 1 if bad_byte == 0xFF else 7):
            data = base[:pos] + bytes([bad_byte]) + base[pos + 1:]
            want = ref_offset(data)
            if text.utf8_error_offset(data) != want or text.is_utf8(data) != (want is None):
                mismatches.append((bad_byte, pos, want, text.utf8_error_offset(data)))
    assert mismatches == []


@pytest.mark.parametrize("bad", [b"\x80", b"\xff", b"\xc0\xaf", b"\xed\xa0\x80",
                                 b"\xf4\x90\x80\x80", b"\xe2\x82", b"\xf0\x9f\x98"],
                         ids=lambda b: b.hex())
def test_utf8_ascii_buffer_bad_sequence_at_every_position(simd_level, bad):
    base = b"The quick brown fox jumps over the lazy dog. " * 6  # 270 bytes of ASCII
    mismatches = []
    for pos in range(len(base) + 1):
        data = base[:pos] + bad + base[pos:]
        if text.utf8_error_offset(data) != pos or text.is_utf8(data):
            mismatches.append((pos, text.utf8_error_offset(data)))
    assert mismatches == []


def test_utf8_truncated_sequence_at_end_for_every_length(simd_level):
    mismatches = []
    for n in range(0, 200):
        for cut in (b"\xc3", b"\xe2", b"\xe2\x82", b"\xf0", b"\xf0\x9f", b"\xf0\x9f\x98"):
            data = b"a" * n + cut
            if text.utf8_error_offset(data) != n:
                mismatches.append((n, cut.hex(), text.utf8_error_offset(data)))
    assert mismatches == []


def test_utf8_multibyte_char_straddling_every_block_edge(simd_level):
    mismatches = []
    for ch in ("é", "€", "😀", "\U0010ffff", "\ud7ff", "\ue000"):
        enc = ch.encode("utf-8")
        for k in range(0, 140):
            data = b"a" * k + enc + b"b" * (140 - k)
            if not text.is_utf8(data) or text.utf8_error_offset(data) is not None:
                mismatches.append((ch, k, "valid rejected"))
            if list(text.to_codepoints(data)) != [ord(c) for c in data.decode()]:
                mismatches.append((ch, k, "codepoints"))
            for cut in range(1, len(enc)):  # drop the tail of the character
                bad = b"a" * k + enc[:cut] + b"b" * (140 - k)
                if text.utf8_error_offset(bad) != k:
                    mismatches.append((ch, k, cut, text.utf8_error_offset(bad)))
    assert mismatches == []


LONG_ALPHABET = ["a", "Z", " ", "\n", "\x7f", "é", "ß", "\u07ff", "\u0800", "€", "\ud7ff",
                 "\ue000", "\uffff", "\U00010000", "😀", "\U0010ffff"]


@given(rng_seed=st.integers(0, 2**32), size=st.integers(2000, 6000),
       pos=st.integers(0, 10**6), bad=st.sampled_from(BAD_SEQUENCES))
def test_utf8_long_text_with_inserted_bad_sequence(simd_level, rng_seed, size, pos, bad):
    # Long inputs (several KB, the SIMD path) of every UTF-8 width, built from a
    # hypothesis-chosen RNG seed (generating such long text directly is slow).
    rnd = random.Random(rng_seed)
    ascii_run = rnd.random() < 0.5  # long ASCII stretches take the SIMD fast path
    chars = [("a" * rnd.randrange(1, 80)) if ascii_run and rnd.random() < 0.2
             else rnd.choice(LONG_ALPHABET) for _ in range(size // 2)]
    data = "".join(chars).encode("utf-8")
    assert len(data) >= 1000
    pos %= len(data) + 1
    check_utf8_all(data)
    check_utf8_all(data[:pos] + bad + data[pos:])


@given(data=st.binary(max_size=200))
def test_utf8_buffer_types(data):
    want = ref_offset(data)
    for buf in (bytearray(data), memoryview(data), np.frombuffer(data, dtype=np.uint8)):
        assert text.is_utf8(buf) is (want is None)
        assert text.utf8_error_offset(buf) == want


def test_utf8_non_contiguous_raises_value_error():
    with pytest.raises(ValueError):
        text.is_utf8(memoryview(b"abcdef")[::2])
    with pytest.raises(ValueError):
        text.validate_utf8(memoryview(b"abcdef")[::2])


def test_utf8_large_valid_input():
    data = ("x" * 1000 + "€𝄞é").encode() * 2000
    assert text.is_utf8(data)
    assert text.utf8_error_offset(data) is None
    bad = data[:-1]
    assert text.utf8_error_offset(bad) == len(data) - 2


# =================================================================== to_codepoints

@given(s=st.text(max_size=400))
def test_to_codepoints_equals_ord_of_decoded(s):
    data = s.encode("utf-8")
    out = text.to_codepoints(data)
    assert isinstance(out, array) and out.typecode == "I"
    assert list(out) == [ord(c) for c in s]
    assert list(text.to_codepoints(bytearray(data))) == [ord(c) for c in s]
    assert list(text.to_codepoints(memoryview(data))) == [ord(c) for c in s]


def test_to_codepoints_empty():
    assert list(text.to_codepoints(b"")) == []


def test_to_codepoints_invalid_raises_utf8_error_with_offset():
    for data in (b"h\xc3\xa9llo\xffmore", bytearray(b"h\xc3\xa9llo\xffmore")):
        err = raises(hotpath.Utf8Error, text.to_codepoints, data)
        assert err.offset == 6
        assert err.code == -4
        assert isinstance(err, UnicodeError)
        assert "6" in err.message


# =================================================================== SIMD vs scalar

def _allowed_levels():
    order = ["scalar", "sse42", "avx2", "avx512"]
    detected = hotpath.simd_detected()
    if detected in order:
        return order[: order.index(detected) + 1]
    return ["scalar", detected]


ALL_ALLOWED_LEVELS = _allowed_levels()  # every level this CPU can run, scalar first


@given(data=st.one_of(st.binary(max_size=3000), mutated_utf8(),
                      st.text(max_size=1500).map(lambda s: s.encode())),
       seed=seeds)
def test_simd_and_scalar_paths_agree(restore_simd_level, data, seed):
    results = {}
    for level in ALL_ALLOWED_LEVELS:
        hotpath.set_simd_level(level)
        try:
            cps = list(text.to_codepoints(data))
        except hotpath.Utf8Error as e:
            cps = ("error", e.offset)
        results[level] = (text.hash64(data, seed), text.is_utf8(data),
                          text.utf8_error_offset(data), cps,
                          batch_hashes([data, data[:17]], seed, 1))
    values = list(results.values())
    assert all(v == values[0] for v in values), results
    assert values[0][0] == xxh(data, seed)
    assert values[0][2] == ref_offset(data)


def test_simd_vs_scalar_on_long_inputs_with_bad_byte(restore_simd_level):
    rng = random.Random(99)
    base = ("abc€dé😀" * 900).encode()
    for _ in range(200):
        pos = rng.randrange(len(base))
        data = base[:pos] + bytes([rng.choice([0x80, 0xC1, 0xF8, 0xFF, 0xE0])]) + base[pos + 1:]
        got = {}
        for level in ALL_ALLOWED_LEVELS:
            hotpath.set_simd_level(level)
            got[level] = (text.utf8_error_offset(data), text.hash64(data, pos))
        assert len(set(got.values())) == 1, (pos, got)
        assert next(iter(got.values()))[0] == ref_offset(data)


# =================================================================== split

def _norm(pieces):
    return [bytes(p) if isinstance(p, (bytearray, memoryview)) else p for p in pieces]


maxsplits = st.one_of(st.integers(-3, 6), st.just(-1))


@given(data=st.binary(max_size=60).map(lambda b: bytes(x % 4 + 0x61 for x in b)),
       sep=st.binary(min_size=1, max_size=3).map(lambda b: bytes(x % 4 + 0x61 for x in b)),
       maxsplit=maxsplits)
def test_split_bytes_small_alphabet_matches_bytes_split(data, sep, maxsplit):
    got = text.split(data, sep, maxsplit)
    assert got == data.split(sep, maxsplit)
    assert all(type(p) is bytes for p in got)


@given(data=st.binary(max_size=200), sep=st.binary(min_size=1, max_size=4), maxsplit=maxsplits)
def test_split_bytes_any_bytes_matches_bytes_split(data, sep, maxsplit):
    assert text.split(data, sep, maxsplit) == data.split(sep, maxsplit)


@given(data=st.text(alphabet="ab,é€𝄞 ", max_size=60),
       sep=st.text(alphabet="ab,é€𝄞 ", min_size=1, max_size=3), maxsplit=maxsplits)
def test_split_str_non_ascii_matches_str_split(data, sep, maxsplit):
    got = text.split(data, sep, maxsplit)
    assert got == data.split(sep, maxsplit)
    assert all(type(p) is str for p in got)


@given(data=st.text(max_size=100), sep=st.text(min_size=1, max_size=2))
def test_split_str_any_text_matches_str_split(data, sep):
    assert text.split(data, sep) == data.split(sep)


@given(data=st.binary(max_size=60).map(lambda b: bytes(x % 3 + 0x61 for x in b)),
       maxsplit=maxsplits)
def test_split_bytearray_and_memoryview_inputs(data, maxsplit):
    want = data.split(b"a", maxsplit)
    assert _norm(text.split(bytearray(data), b"a", maxsplit)) == want
    assert _norm(text.split(memoryview(data), bytearray(b"a"), maxsplit)) == want
    assert _norm(text.split(np.frombuffer(data, dtype=np.uint8), memoryview(b"a"), maxsplit)) == want


@pytest.mark.parametrize("data,sep", [
    (b"", b","), (b",", b","), (b",,", b","), (b"a,b,,c,", b","), (b"abc", b"abcd"),
    (b"aaaa", b"aa"), (b"aaa", b"aa"), (b"a--b---c", b"--"), (b"abc", b"abc"),
    ("", "→"), ("a→b→→c", "→"), ("ßßß", "ß"), ("x😀y😀", "😀"), ("naïve café", "é"),
])
def test_split_edge_cases(data, sep):
    for maxsplit in (-1, 0, 1, 2, 100):
        assert text.split(data, sep, maxsplit) == data.split(sep, maxsplit)
    assert text.split(data, sep) == data.split(sep)


@pytest.mark.parametrize("maxsplit", [2**31, 2**32 + 1, 2**63 - 1, 2**63, 2**64, 2**100])
def test_split_huge_maxsplit_means_no_limit(maxsplit):
    assert text.split(b"a,b,c,d", b",", maxsplit) == [b"a", b"b", b"c", b"d"]
    assert text.split("a,b,c", ",", maxsplit) == ["a", "b", "c"]


@pytest.mark.parametrize("maxsplit", [-1, -2, -(2**63), -(2**100)])
def test_split_negative_maxsplit_means_no_limit(maxsplit):
    assert text.split(b"a,b,c", b",", maxsplit) == [b"a", b"b", b"c"]


def test_split_large_input():
    rng = random.Random(8)
    data = b"".join(rng.choice([b"x", b"yz", b"--", b"-", b"\xff\x00"]) for _ in range(200_000))
    assert text.split(data, b"--") == data.split(b"--")
    assert text.split(data, b"-", 1000) == data.split(b"-", 1000)


@pytest.mark.parametrize("data,sep", [(b"abc", b""), ("abc", ""), (b"", b""),
                                      (bytearray(b"abc"), bytearray())])
def test_split_empty_separator_raises_value_error(data, sep):
    err = raises(ValueError, text.split, data, sep)
    assert isinstance(err, hotpath.InvalidArgumentError)
    assert err.message == "empty separator"
    assert err.code == -1


@pytest.mark.parametrize("data,sep", [(b"a,b", ","), ("a,b", b","), ("a,b", bytearray(b",")),
                                      (bytearray(b"a,b"), ","), (memoryview(b"a"), "a")])
def test_split_mixing_str_and_bytes_raises_type_error(data, sep):
    with pytest.raises(TypeError):
        text.split(data, sep)


@pytest.mark.parametrize("maxsplit", [1.0, "2", None])
def test_split_non_int_maxsplit_raises_type_error(maxsplit):
    with pytest.raises(TypeError):
        text.split(b"a,b", b",", maxsplit)


def test_split_non_buffer_raises_type_error():
    with pytest.raises(TypeError):
        text.split(123, b",")
    with pytest.raises(TypeError):
        text.split(b"a,b", 5)


# =================================================================== str subclasses

class MyStr(str):
    """A str subclass (as enum.StrEnum members and many libraries' string types are)."""


STR_SUBCLASS_CALLS = {
    "hash64": lambda s: text.hash64(s, 3) == xxh(str(s).encode(), 3),
    "hash64_batch": lambda s: batch_hashes([s, "x"]) == [xxh(str(s).encode()), xxh(b"x")],
    "Hasher64.update": lambda s: _hasher_digest(s) == xxh(str(s).encode()),
    "utf8_error_offset": lambda s: text.utf8_error_offset(s) is None,
    "split": lambda s: text.split(s, MyStr("é")) == ["h", "llo"],
}


def _hasher_digest(s):
    with text.Hasher64() as h:
        h.update(s)
        return h.digest()


@pytest.mark.parametrize("name", list(STR_SUBCLASS_CALLS))
def test_str_subclass_is_treated_as_str(name):
    # "str is encoded to UTF-8 first": that holds for instances of str subclasses too.
    assert STR_SUBCLASS_CALLS[name](MyStr("héllo"))
