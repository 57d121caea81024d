"""Exceptions: one HotpathError subclass per C status, each also the matching built-in.

``except ValueError`` catches a bad argument from hotpath as from anything else;
``except hotpath.HotpathError`` catches every hotpath failure. Each carries ``.code``
(the negative hp_status value), ``.name`` ("HP_EINVAL") and ``.message`` (the C detail
from hp_last_error_message()).
"""
from __future__ import annotations

from typing import Dict, Optional, Type


class HotpathError(Exception):
    """Base class of every error raised for a failing hotpath call."""

    code: int = -10
    name: str = "HP_EINTERNAL"

    def __init__(self, message: str = "", code: Optional[int] = None, name: Optional[str] = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if name is not None:
            self.name = name

    def __str__(self) -> str:
        return self.message or self.name


class InvalidArgumentError(HotpathError, ValueError):
    """HP_EINVAL: an argument was NULL, empty where it may not be, or malformed."""
    code, name = -1, "HP_EINVAL"


class OutOfMemoryError(HotpathError, MemoryError):
    """HP_ENOMEM: the allocator returned NULL."""
    code, name = -2, "HP_ENOMEM"


class BufferTooSmallError(HotpathError, ValueError):
    """HP_EBUFSIZE: a caller-provided output buffer is too small; ``needed`` says how big."""
    code, name = -3, "HP_EBUFSIZE"
    needed: Optional[int] = None


class Utf8Error(HotpathError, UnicodeError):
    """HP_EUTF8: the input is not well-formed UTF-8; ``offset`` is the first bad byte."""
    code, name = -4, "HP_EUTF8"
    offset: Optional[int] = None


class SizeOverflowError(HotpathError, OverflowError):
    """HP_EOVERFLOW: a size or a result does not fit."""
    code, name = -5, "HP_EOVERFLOW"


class OutOfRangeError(HotpathError, ValueError):
    """HP_ERANGE: a value is outside the range the function accepts."""
    code, name = -6, "HP_ERANGE"


class CancelledError(HotpathError, RuntimeError):
    """HP_ECANCELLED: a progress callback asked to stop."""
    code, name = -7, "HP_ECANCELLED"


class NotSupportedError(HotpathError, NotImplementedError):
    """HP_ENOTSUP: this build or CPU cannot do what was asked."""
    code, name = -8, "HP_ENOTSUP"


class BusyError(HotpathError, RuntimeError):
    """HP_EBUSY: the resource is in use (e.g. allocator switch with live blocks)."""
    code, name = -9, "HP_EBUSY"


class InternalError(HotpathError, RuntimeError):
    """HP_EINTERNAL: a bug in hotpath; please report it."""
    code, name = -10, "HP_EINTERNAL"


ERRORS_BY_NAME: Dict[str, Type[HotpathError]] = {
    cls.name: cls
    for cls in (InvalidArgumentError, OutOfMemoryError, BufferTooSmallError, Utf8Error,
                SizeOverflowError, OutOfRangeError, CancelledError, NotSupportedError,
                BusyError, InternalError)
}


def error_class(name: str) -> Type[HotpathError]:
    """The exception class for a status name; HotpathError for names added later."""
    return ERRORS_BY_NAME.get(name, HotpathError)
