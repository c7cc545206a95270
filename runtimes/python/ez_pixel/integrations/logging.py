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


def attach(current_client):
    original = logging.Logger.callHandlers
    if getattr(original, "__ez_pixel_original__", None) is not None:
        return

    def callHandlers(self, record):
        if record.levelno >= logging.ERROR:
            _capture(record, current_client)
        return original(self, record)

    callHandlers.__ez_pixel_original__ = original
    logging.Logger.callHandlers = callHandlers


def detach():
    original = getattr(logging.Logger.callHandlers, "__ez_pixel_original__", None)
    if original is not None:
        logging.Logger.callHandlers = original


def _capture(record, current_client):
    name = record.name
    if name == "ez_pixel" or name.startswith("ez_pixel."):
        return  # the SDK's own logger: never captured, so never a loop
    if getattr(_busy, "active", False) or threading.current_thread().name == WORKER_THREAD:
        return  # e.g. a before_send that logs an error: it must not feed itself events
    _busy.active = True
    try:
        client = current_client()
        if client is None:
            return
        exc_info = record.exc_info
        error = exc_info[1] if isinstance(exc_info, tuple) and len(exc_info) == 3 else None
        if error is not None:
            client.capture_exception(error, level="error", tb=exc_info[2])
        else:
            client.capture_log_message(record, "error")
    except Exception:
        pass
    finally:
        _busy.active = False
