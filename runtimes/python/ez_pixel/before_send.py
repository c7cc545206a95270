"""Runs the application's before_send on a built event, by the rules of spec/hooks.md: whatever
the hook returns or raises, one event (or none, for None) comes out, and a report made from
inside the hook is dropped (re-entrancy), so one report never yields more than one event."""

import threading
from collections.abc import Awaitable

from . import diagnostics
from .trim import unserialisable

_running = threading.local()


def running():
    """True on a thread that is inside before_send right now."""
    return getattr(_running, "depth", 0) > 0


def apply(hook, event):
    """The event to send (a dict), or None when the hook dropped it. `event` is never mutated:
    the hook gets a copy, and `event` itself is what a failing hook's result falls back to."""
    _running.depth = getattr(_running, "depth", 0) + 1
    try:
        result = hook(_copy(event))
    except BaseException as failure:  # even SystemExit: a hook cannot end the process from here
        return _unchanged(event, "raised", "before_send raised (%r); sending the event "
                                           "unchanged" % (failure,))
    finally:
        _running.depth -= 1
    if result is None:
        return None
    if isinstance(result, Awaitable):  # (not inspect: its import costs more than the SDK's)
        close = getattr(result, "close", None)
        if callable(close):
            close()  # a coroutine never awaited would warn "was never awaited"
        return _unchanged(event, "awaitable", "before_send returned an awaitable; promises are "
                                              "not supported (the hook must return the event "
                                              "synchronously); sending the event unchanged")
    if not isinstance(result, dict):
        return _unchanged(event, "type", "before_send returned a %s, not an event dict or "
                                         "None; sending the event unchanged"
                          % type(result).__name__)
    problem = unserialisable(result)
    if problem is not None:
        return _unchanged(event, "unserialisable", "before_send returned an event that cannot "
                                                   "be serialised (%s); sending the event "
                                                   "unchanged" % problem)
    return result


def _unchanged(event, row, text):
    if not diagnostics.warn_once(("before_send", row), text):
        diagnostics.debug(text)
    return event


def _copy(value):
    """A deep copy of plain JSON data, so before_send cannot corrupt the original (the event
    is at most MAX_DEPTH deep here: build() replaced a deeper context)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
