"""The logging integration: records at ERROR or above become events. With exc_info they are
events for that exception (deduplicated against the other hooks by exception object); without
it they are message events grouped by logger and unformatted template. asyncio's "exception
was never retrieved" arrives this way too."""

import logging
import threading

_handler = None


class PixelHandler(logging.Handler):
    def __init__(self, current_client):
        logging.Handler.__init__(self, level=logging.ERROR)
        self._current_client = current_client
        self._busy = threading.local()

    def emit(self, record):
        if record.name == "ez_pixel" or record.name.startswith("ez_pixel."):
            return  # the SDK's own logger: never captured, so never a loop
        if getattr(self._busy, "active", False):
            return
        client = self._current_client()
        if client is None:
            return
        self._busy.active = True
        try:
            exc_info = record.exc_info
            error = exc_info[1] if isinstance(exc_info, tuple) and len(exc_info) == 3 else None
            if error is not None:
                client.capture_exception(error, level="error", tb=exc_info[2])
            else:
                client.capture_log_message(record, "error")
        except Exception:
            pass
        finally:
            self._busy.active = False


def attach(current_client):
    global _handler
    if _handler is None:
        _handler = PixelHandler(current_client)
        logging.getLogger().addHandler(_handler)


def detach():
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler = None
