"""The logging integration: records at ERROR or above become events. With exc_info they are
events for that exception (deduplicated against the other hooks by exception object); without
it they are message events grouped by logger and unformatted template. asyncio's "exception
was never retrieved" arrives this way too.

We wrap Logger.callHandlers instead of adding a handler to the root logger: a root handler
would silence logging's "last resort" stderr output in apps that never configured logging,
and would miss loggers with propagate=False."""

import logging
import threading

from ..options import WORKER_THREAD

_busy = threading.local()
_live = None  # the one wrapper that captures; any other of ours left in a chain only forwards

# Access-log lines about a response the framework integration has already reported:
# Django's dev server logs "GET /x HTTP/1.1" 500 at ERROR, with the status on the record.
_ACCESS_LOGGERS = {"django.server": "status_code"}


def attach(logging_module, current_client):
    """Wraps Logger.callHandlers once. A wrapper of ours that close_pixel could not remove
    (another library wrapped it since) stays in that chain but no longer captures, so a new
    init never stacks a second capturing hook."""
    global _live
    if _live is not None:
        return
    original = logging.Logger.callHandlers

    def callHandlers(self, record):
        if _live is callHandlers and record.levelno >= logging.ERROR:
            _capture(record, current_client)
        return original(self, record)

    callHandlers.__ez_pixel_original__ = original
    logging.Logger.callHandlers = callHandlers
    _live = callHandlers


def detach():
    global _live
    if _live is not None and logging.Logger.callHandlers is _live:
        logging.Logger.callHandlers = _live.__ez_pixel_original__
    _live = None


def _capture(record, current_client):
    name = record.name
    if name == "ez_pixel" or name.startswith("ez_pixel."):
        return  # the SDK's own logger: never captured, so never a loop
    if name in _ACCESS_LOGGERS and hasattr(record, _ACCESS_LOGGERS[name]):
        return
    if getattr(_busy, "active", False) or threading.current_thread().name == WORKER_THREAD:
        return  # e.g. a before_send that logs an error: it must not feed itself events
    _busy.active = True
    try:
        client = current_client()
        if client is None:
            return
        exc_info = record.exc_info
        error = exc_info[1] if isinstance(exc_info, tuple) and len(exc_info) == 3 else None
        text = record_text(record)
        if error is not None:
            # The record's own text, which the exception's event would otherwise lose.
            client.capture_exception(error, level="error", tb=exc_info[2],
                                     context={"logger": record.name, "log_message": text})
        else:
            client.capture_log_message(record, "error", text)
    except Exception:
        pass
    finally:
        _busy.active = False


def record_text(record):
    """The record's message; its template when the arguments do not fit it (logging prints
    its own "Logging error" for that; the event is still sent)."""
    try:
        return record.getMessage()
    except Exception:
        return str(record.msg)
