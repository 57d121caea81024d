"""Argument helpers shared by the binding modules (validation before any C call)."""
from __future__ import annotations

import operator
from typing import Any

from ._backend import error
from ._errors import HotpathError, Utf8Error

U64 = 1 << 64


def encode(data: Any) -> Any:
    """str (or a subclass) as UTF-8 bytes; anything else unchanged (a buffer, or a type the
    buffer conversion will reject with TypeError)."""
    if isinstance(data, str):
        return data.encode("utf-8")
    return data


def check_u64(value: Any, what: str) -> int:
    """value as an int in [0, 2**64): ints and __index__ types (numpy integers) only."""
    try:
        value = operator.index(value)
    except TypeError:
        raise TypeError(f"{what} must be an int, not {type(value).__name__}") from None
    if not 0 <= value < U64:
        raise OverflowError(f"{what} must be in [0, 2**64), got {value}")
    return value


def utf8_error(status: int, offset: int) -> HotpathError:
    """The exception for a failed UTF-8 call, with .offset set when it is a Utf8Error."""
    err = error(status)
    if isinstance(err, Utf8Error):
        err.offset = offset
    return err
