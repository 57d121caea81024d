"""Strings: a packed batch of strings, built once and passed to batch kernels as is.

The layout is the C library's hp_strings (and Arrow's large_string): one contiguous
buffer of UTF-8 / raw bytes plus count+1 int64 offsets; string i is
data[offsets[i]:offsets[i+1]]. Packing a Python list costs a join and a pass over the
lengths; after that every batch call on the same Strings is free of per-item Python work.
"""
from __future__ import annotations

from array import array
from itertools import accumulate
from typing import Any, Iterable, Iterator, List, Tuple, Union, overload

from . import _backend
from ._backend import check, lib

Item = Union[str, bytes]


def _item_bytes(s: Any) -> bytes:
    """One item as bytes: str is UTF-8 encoded, buffers are copied, the rest rejected
    (as hash64 rejects them: no int or list of ints turned into bytes)."""
    if isinstance(s, str):
        return s.encode("utf-8")
    if isinstance(s, bytes):
        return s
    try:
        with memoryview(s) as m:
            return m.tobytes()
    except TypeError:
        raise TypeError(f"batch items must be str or bytes-like, not {type(s).__name__}") from None


def pack(items: Iterable[Any]) -> Tuple[bytes, array, int, bool]:
    """(data, int64 offsets, count, all_str) for items.

    Lists of only bytes or only ASCII str take joins (no per-item Python work beyond
    len); anything else is converted item by item.
    """
    items = items if isinstance(items, list) else list(items)
    kinds = set(map(type, items))
    all_str = bool(items) and all(issubclass(k, str) for k in kinds)
    if kinds <= {bytes}:
        parts = items
    elif kinds == {str}:
        joined = "".join(items)
        if joined.isascii():
            offsets = array("q", accumulate(map(len, items), initial=0))
            return joined.encode("ascii"), offsets, len(items), True
        parts = [s.encode("utf-8") for s in items]
    else:
        parts = [_item_bytes(s) for s in items]
    offsets = array("q", accumulate(map(len, parts), initial=0))
    return b"".join(parts), offsets, len(parts), all_str


def _check_call(data: Any, offsets: Any, count: int) -> int:
    batch, keep = _backend.strings_arg(data, offsets, count)
    return lib.hp_strings_check(batch)


class Strings:
    """A packed, immutable batch of strings.

    ``Strings(["a", "b"])`` packs a list (str items are UTF-8 encoded; indexing gives str
    back when every item was str, bytes otherwise). ``Strings.from_buffers(data, offsets)``
    and ``Strings.from_arrow(array)`` wrap existing buffers without copying.
    """

    __slots__ = ("_data", "_offsets", "_count", "_text", "_owner")

    def __init__(self, items: Iterable[Any] = ()):
        data, offsets, count, all_str = pack(items)
        self._data, self._offsets, self._count, self._text = data, offsets, count, all_str
        self._owner = None

    @classmethod
    def from_buffers(cls, data: Any, offsets: Any, *, text: bool = False,
                     owner: Any = None) -> "Strings":
        """Wrap a data buffer and an int64 offsets buffer (count+1 entries) without copying.

        text: decode items as UTF-8 str when indexing. owner: an object to keep alive with
        the buffers. Raises ValueError (hotpath.InvalidArgumentError) for malformed offsets.
        """
        with memoryview(offsets) as m:
            if m.format not in ("q", "l", "<q", "=q", "@q") or m.itemsize != 8:
                raise TypeError(f"offsets must be int64 (format 'q'), got {m.format!r}")
            if not m.c_contiguous or m.nbytes < 8:
                raise ValueError("offsets must be a C-contiguous array of count+1 int64")
            count = m.nbytes // 8 - 1
        self = cls.__new__(cls)
        self._data, self._offsets, self._count, self._text = data, offsets, count, text
        self._owner = owner
        check(_check_call(data if len(memoryview(data)) else b"\0", offsets, count))
        with memoryview(offsets) as m, memoryview(data) as d:
            end = m.cast("B").cast("q")[count]
            if end > d.nbytes:
                raise ValueError(f"offsets end at {end} but data has {d.nbytes} bytes")
        return self

    @classmethod
    def from_arrow(cls, arr: Any) -> "Strings":
        """Wrap a pyarrow ``large_string`` / ``large_binary`` array without copying.

        (``string``/``binary`` arrays have int32 offsets: cast them with
        ``arr.cast(pyarrow.large_string())`` first, which copies the offsets.) Arrays with
        nulls are rejected with ValueError; slices are fine.
        """
        import pyarrow as pa

        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if arr.null_count:
            raise ValueError("Strings.from_arrow: the array has nulls")
        if pa.types.is_large_string(arr.type):
            text = True
        elif pa.types.is_large_binary(arr.type):
            text = False
        else:
            raise TypeError(f"expected a large_string or large_binary array, got {arr.type}; "
                            "cast with arr.cast(pyarrow.large_string())")
        _, offsets_buf, data_buf = arr.buffers()
        n = len(arr)
        offsets = memoryview(offsets_buf).cast("B")[arr.offset * 8:(arr.offset + n + 1) * 8]
        data = memoryview(data_buf) if data_buf is not None else b""
        return cls.from_buffers(data, offsets.cast("q"), text=text, owner=arr)

    # -- buffers ---------------------------------------------------------------------

    @property
    def data(self) -> memoryview:
        """The packed bytes (read-only view)."""
        return memoryview(self._data).toreadonly()

    @property
    def offsets(self) -> memoryview:
        """The count+1 int64 offsets (read-only view)."""
        return memoryview(self._offsets).cast("B").cast("q").toreadonly()

    @property
    def nbytes(self) -> int:
        """Total bytes of all strings (offsets[-1] - offsets[0])."""
        o = self.offsets
        return int(o[self._count] - o[0])

    def _buffers(self) -> Tuple[Any, Any, int]:
        return self._data, self._offsets, self._count

    # -- sequence ----------------------------------------------------------------------

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, i: int) -> Item: ...
    @overload
    def __getitem__(self, i: slice) -> List[Item]: ...

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._count))]
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError("Strings index out of range")
        o = self.offsets
        raw = bytes(memoryview(self._data)[o[i]:o[i + 1]])
        return raw.decode("utf-8") if self._text else raw

    def __iter__(self) -> Iterator[Item]:
        o = self.offsets.tolist()
        blob = bytes(self._data)
        pieces = [blob[o[i]:o[i + 1]] for i in range(self._count)]
        if self._text:
            return iter([p.decode("utf-8") for p in pieces])
        return iter(pieces)

    def tolist(self) -> List[Item]:
        """The strings as a list of str (text batches) or bytes."""
        return list(self)

    def __repr__(self) -> str:
        kind = "str" if self._text else "bytes"
        return f"<hotpath.Strings of {self._count} {kind} items, {self.nbytes} bytes>"


def as_batch(items: Any) -> Tuple[Any, Any, int]:
    """(data, offsets, count) of a Strings, or of a list/iterable packed now."""
    if isinstance(items, Strings):
        return items._buffers()
    data, offsets, count, _ = pack(items)
    return data, offsets, count
