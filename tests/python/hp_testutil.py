"""Small helpers shared by the test modules (imported as a plain module: pytest puts
this directory on sys.path)."""
from __future__ import annotations

from typing import Any, Callable, Type, TypeVar

E = TypeVar("E", bound=BaseException)


def raises(exc_type: Type[E], fn: Callable[..., Any], *args: Any, **kwargs: Any) -> E:
    """Call fn(*args, **kwargs), check that it raises exc_type, and return the exception
    with its traceback dropped.

    Why not ``with pytest.raises(...) as ei``: that keeps the exception, its traceback and
    the test frame in a reference cycle. On the cffi backend a cycle that holds the frame
    of a failed call made on a buffer crashes the interpreter when the garbage collector
    frees it (test_errors.py::test_failed_buffer_call_with_kept_exception_survives_gc shows
    the bug). Dropping the traceback breaks the cycle so the rest of the suite can run.
    """
    try:
        fn(*args, **kwargs)
    except exc_type as e:
        e.__traceback__ = None
        return e
    raise AssertionError(f"{getattr(fn, '__name__', fn)} did not raise {exc_type.__name__}")
