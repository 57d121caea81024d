"""Edit scripts, as rapidfuzz.distance's Editop/Editops/Opcode/Opcodes/MatchingBlock/
ScoreAlignment: the same names, fields, reprs and conversions (the subset of methods
people use: as_list, as_opcodes, as_editops, as_matching_blocks, apply, inverse, copy,
indexing and equality)."""
from __future__ import annotations

from typing import Any, Iterator, List, NamedTuple, Sequence, Tuple

_TAGS = {1: "replace", 2: "insert", 3: "delete"}


class Editop(NamedTuple):
    tag: str
    src_pos: int
    dest_pos: int


class Opcode(NamedTuple):
    tag: str
    src_start: int
    src_end: int
    dest_start: int
    dest_end: int


class MatchingBlock(NamedTuple):
    a: int
    b: int
    size: int


class ScoreAlignment(NamedTuple):
    score: float
    src_start: int
    src_end: int
    dest_start: int
    dest_end: int


def _apply(ops: Sequence[Opcode], s1: Sequence[Any], s2: Sequence[Any]) -> Any:
    out: List[Any] = []
    for op in ops:
        if op.tag == "equal":
            out.extend(s1[op.src_start:op.src_end])
        elif op.tag in ("replace", "insert"):
            out.extend(s2[op.dest_start:op.dest_end])
    if isinstance(s1, str) and isinstance(s2, str):
        return "".join(out)
    return out


class Editops:
    """A list of Editop turning a sequence of src_len elements into one of dest_len."""

    def __init__(self, editops: Sequence[Any] = (), src_len: int = 0, dest_len: int = 0):
        self._ops = [op if isinstance(op, Editop) else Editop(*op) for op in editops]
        self.src_len = src_len
        self.dest_len = dest_len

    @classmethod
    def _from_raw(cls, raw: List[Tuple[int, int, int]], src_len: int, dest_len: int) -> "Editops":
        self = cls.__new__(cls)
        self._ops = [Editop(_TAGS[t], s, d) for t, s, d in raw]
        self.src_len = src_len
        self.dest_len = dest_len
        return self

    def as_list(self) -> List[Tuple[str, int, int]]:
        return [tuple(op) for op in self._ops]

    def copy(self) -> "Editops":
        return Editops(self._ops, self.src_len, self.dest_len)

    def inverse(self) -> "Editops":
        flip = {"insert": "delete", "delete": "insert", "replace": "replace"}
        return Editops([Editop(flip[t], d, s) for t, s, d in self._ops], self.dest_len,
                       self.src_len)

    def as_opcodes(self) -> "Opcodes":
        blocks: List[Opcode] = []
        src = dest = 0
        ops = self._ops
        i = 0
        while i < len(ops):
            op = ops[i]
            if src < op.src_pos or dest < op.dest_pos:
                blocks.append(Opcode("equal", src, op.src_pos, dest, op.dest_pos))
                src, dest = op.src_pos, op.dest_pos
            s0, d0, tag = src, dest, op.tag
            while i < len(ops) and ops[i].tag == tag and ops[i].src_pos == src \
                    and ops[i].dest_pos == dest:
                if tag != "insert":
                    src += 1
                if tag != "delete":
                    dest += 1
                i += 1
            blocks.append(Opcode(tag, s0, src, d0, dest))
        if src < self.src_len or dest < self.dest_len:
            blocks.append(Opcode("equal", src, self.src_len, dest, self.dest_len))
        return Opcodes(blocks, self.src_len, self.dest_len)

    def as_editops(self) -> "Editops":
        return self.copy()

    def as_matching_blocks(self) -> List[MatchingBlock]:
        return self.as_opcodes().as_matching_blocks()

    def apply(self, source_string: Sequence[Any], destination_string: Sequence[Any]) -> Any:
        return self.as_opcodes().apply(source_string, destination_string)

    def __len__(self) -> int:
        return len(self._ops)

    def __iter__(self) -> Iterator[Editop]:
        return iter(self._ops)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return Editops(self._ops[i], self.src_len, self.dest_len)
        return self._ops[i]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Editops):
            return NotImplemented
        return (self._ops, self.src_len, self.dest_len) == \
            (other._ops, other.src_len, other.dest_len)

    def __repr__(self) -> str:
        inner = ", ".join(f"Editop(tag={t!r}, src_pos={s}, dest_pos={d})" for t, s, d in self._ops)
        return f"Editops([{inner}], src_len={self.src_len}, dest_len={self.dest_len})"


class Opcodes:
    """A list of Opcode covering both sequences from start to end."""

    def __init__(self, opcodes: Sequence[Any] = (), src_len: int = 0, dest_len: int = 0):
        self._ops = [op if isinstance(op, Opcode) else Opcode(*op) for op in opcodes]
        self.src_len = src_len
        self.dest_len = dest_len

    def as_list(self) -> List[Tuple[str, int, int, int, int]]:
        return [tuple(op) for op in self._ops]

    def copy(self) -> "Opcodes":
        return Opcodes(self._ops, self.src_len, self.dest_len)

    def as_editops(self) -> Editops:
        ops: List[Editop] = []
        for tag, s0, s1, d0, d1 in self._ops:
            if tag == "replace":
                ops.extend(Editop(tag, s0 + k, d0 + k) for k in range(s1 - s0))
            elif tag == "insert":
                ops.extend(Editop(tag, s0, d0 + k) for k in range(d1 - d0))
            elif tag == "delete":
                ops.extend(Editop(tag, s0 + k, d0) for k in range(s1 - s0))
        return Editops(ops, self.src_len, self.dest_len)

    def as_opcodes(self) -> "Opcodes":
        return self.copy()

    def inverse(self) -> "Opcodes":
        flip = {"insert": "delete", "delete": "insert", "replace": "replace", "equal": "equal"}
        return Opcodes([Opcode(flip[t], d0, d1, s0, s1) for t, s0, s1, d0, d1 in self._ops],
                       self.dest_len, self.src_len)

    def as_matching_blocks(self) -> List[MatchingBlock]:
        blocks = [MatchingBlock(s0, d0, s1 - s0) for t, s0, s1, d0, d1 in self._ops
                  if t == "equal" and s1 > s0]
        blocks.append(MatchingBlock(self.src_len, self.dest_len, 0))
        return blocks

    def apply(self, source_string: Sequence[Any], destination_string: Sequence[Any]) -> Any:
        return _apply(self._ops, source_string, destination_string)

    def __len__(self) -> int:
        return len(self._ops)

    def __iter__(self) -> Iterator[Opcode]:
        return iter(self._ops)

    def __getitem__(self, i: Any) -> Any:
        return self._ops[i]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Opcodes):
            return NotImplemented
        return (self._ops, self.src_len, self.dest_len) == \
            (other._ops, other.src_len, other.dest_len)

    def __repr__(self) -> str:
        inner = ", ".join(f"Opcode(tag={t!r}, src_start={a}, src_end={b}, dest_start={c}, "
                          f"dest_end={d})" for t, a, b, c, d in self._ops)
        return f"Opcodes([{inner}], src_len={self.src_len}, dest_len={self.dest_len})"


__all__ = ["Editop", "Editops", "Opcode", "Opcodes", "MatchingBlock", "ScoreAlignment"]
