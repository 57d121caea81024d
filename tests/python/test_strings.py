"""hotpath.Strings: packing, buffers, zero-copy from Arrow, use by batch kernels."""
from __future__ import annotations

from array import array

import numpy as np
import pytest
import xxhash
from hypothesis import given
from hypothesis import strategies as st

import hotpath
from hotpath import Strings, text


@given(st.lists(st.text(max_size=20), max_size=50))
def test_strings_round_trip_str(items):
    s = Strings(items)
    assert len(s) == len(items)
    assert s.tolist() == items
    assert list(s) == items
    if items:
        assert s[0] == items[0] and s[-1] == items[-1]
    assert s.nbytes == sum(len(x.encode()) for x in items)


@given(st.lists(st.binary(max_size=20), max_size=50))
def test_strings_round_trip_bytes(items):
    s = Strings(items)
    assert s.tolist() == items
    assert bytes(s.data) == b"".join(items)
    assert s.offsets.tolist()[0] == 0 and len(s.offsets) == len(items) + 1


def test_strings_mixed_items_are_bytes_and_str_is_utf8():
    s = Strings(["é", b"x", bytearray(b"yz"), memoryview(b"w")])
    assert s.tolist() == ["é".encode(), b"x", b"yz", b"w"]


@pytest.mark.parametrize("bad", [1, 2.5, None, [104, 105]])
def test_strings_rejects_non_string_items(bad):
    with pytest.raises(TypeError):
        Strings(["ok", bad])


def test_strings_indexing_and_slicing():
    s = Strings(["a", "bb", "ccc"])
    assert s[1] == "bb" and s[-3] == "a" and s[0:2] == ["a", "bb"] and s[::-1] == ["ccc", "bb", "a"]
    with pytest.raises(IndexError):
        s[3]
    with pytest.raises(IndexError):
        s[-4]
    assert "3 str items" in repr(s)


@given(st.lists(st.text(max_size=30), max_size=80), st.integers(0, 2**64 - 1))
def test_hash64_batch_on_strings_equals_list(items, seed):
    packed = Strings(items)
    want = [xxhash.xxh3_64_intdigest(x.encode(), seed) for x in items]
    assert text.hash64_batch(packed, seed).tolist() == want
    assert text.hash64_batch(packed, seed).tolist() == text.hash64_batch(items, seed).tolist()


def test_from_buffers_zero_copy_and_offsets_not_starting_at_zero():
    data = bytearray(b"__abcdef")
    offs = array("q", [2, 4, 4, 8])
    s = Strings.from_buffers(data, offs, text=True)
    assert s.tolist() == ["ab", "", "cdef"]
    assert np.shares_memory(np.frombuffer(s.data, np.uint8), np.frombuffer(data, np.uint8))
    assert text.hash64_batch(s).tolist() == [xxhash.xxh3_64_intdigest(x) for x in (b"ab", b"", b"cdef")]


@pytest.mark.parametrize("offsets, exc", [
    (array("q", [0, 5, 2]), ValueError),     # decreasing
    (array("q", [-1, 2]), ValueError),       # negative
    (array("q", [0, 99]), ValueError),       # past the data
    (array("i", [0, 1]), TypeError),         # not int64
    (array("q", []), ValueError),            # not even offsets[0]
])
def test_from_buffers_rejects_bad_offsets(offsets, exc):
    with pytest.raises(exc):
        Strings.from_buffers(b"abc", offsets)


def test_from_buffers_bad_offsets_raise_hotpath_error_with_detail():
    with pytest.raises(hotpath.InvalidArgumentError, match="decrease at index 2"):
        Strings.from_buffers(b"abc", array("q", [0, 3, 1]))


pa = pytest.importorskip("pyarrow")


def test_from_arrow_large_string_is_zero_copy():
    arr = pa.array(["x", "héllo", "", "zz"], type=pa.large_string())
    s = Strings.from_arrow(arr)
    assert s.tolist() == ["x", "héllo", "", "zz"]
    data_buf = arr.buffers()[2]
    assert np.shares_memory(np.frombuffer(s.data, np.uint8), np.frombuffer(data_buf, np.uint8))
    assert text.hash64_batch(s).tolist() == [xxhash.xxh3_64_intdigest(x.encode())
                                             for x in ["x", "héllo", "", "zz"]]


def test_from_arrow_slices_binary_and_chunked():
    arr = pa.array([b"a", b"bc", b"def", b"g"], type=pa.large_binary())
    assert Strings.from_arrow(arr.slice(1, 2)).tolist() == [b"bc", b"def"]
    chunked = pa.chunked_array([pa.array(["a"], pa.large_string()), pa.array(["b"], pa.large_string())])
    assert Strings.from_arrow(chunked).tolist() == ["a", "b"]


def test_from_arrow_rejects_nulls_and_small_offsets():
    with pytest.raises(ValueError, match="nulls"):
        Strings.from_arrow(pa.array(["a", None], type=pa.large_string()))
    with pytest.raises(TypeError, match="large_string"):
        Strings.from_arrow(pa.array(["a"]))
