"""Streamlit: an exception in the user's script never reaches sys.excepthook. Streamlit's script
runner catches it, shows it in the page and logs it on the "streamlit.error_util" logger:
"Uncaught app exception" at WARNING up to 1.4x (ERROR when client.showErrorDetails is off),
"Uncaught app execution" at ERROR since 1.50. With logger.enableRich it prints the traceback
through rich instead and logs nothing.

So a handler on that logger reports the exception of a record that carries one, and a wrap of
error_util._print_rich_exception (looked up by name when called, in every version) covers the
rich path. Each exception object is reported once (the logging integration may see the ERROR
record first). Nothing Streamlit prints or shows changes, and nothing here raises into it."""

import logging

from .logging import record_text

_LOGGER_NAME = "streamlit.error_util"
_RICH = "_print_rich_exception"

_handler = None
_error_util = None
_rich_wrapper = None


class _ScriptErrorHandler(logging.Handler):
    """Reports the exception a Streamlit error record carries; formats and prints nothing."""

    def __init__(self, current_client):
        logging.Handler.__init__(self, logging.WARNING)
        self._current_client = current_client

    def emit(self, record):
        exc_info = record.exc_info
        if isinstance(exc_info, tuple) and len(exc_info) == 3:
            _report(self._current_client, exc_info[1], exc_info[2], record.name,
                    record_text(record))

    def handleError(self, record):
        pass  # never logging's "--- Logging error ---" in the app's output


def _report(current_client, error, tb, logger, text):
    # st.stop() and st.rerun() are BaseExceptions that never get here; an Exception is the
    # script's own failure.
    if not isinstance(error, Exception):
        return
    try:
        client = current_client()
        if client is not None:
            client.capture_exception(error, level="error", tb=tb,
                                     context={"logger": logger, "log_message": text})
    except Exception:
        pass


def attach(error_util, current_client):
    global _handler, _error_util, _rich_wrapper
    if _handler is not None:
        return
    handler = _ScriptErrorHandler(current_client)
    logging.getLogger(_LOGGER_NAME).addHandler(handler)
    _handler, _error_util = handler, error_util
    original = getattr(error_util, _RICH, None)
    if callable(original):
        def _print_rich_exception(*args, **kwargs):
            if args:
                error = args[0]
                _report(current_client, error, getattr(error, "__traceback__", None),
                        _LOGGER_NAME, "Uncaught app exception")
            return original(*args, **kwargs)

        _print_rich_exception.__ez_pixel_original__ = original
        setattr(error_util, _RICH, _print_rich_exception)
        _rich_wrapper = _print_rich_exception


def detach():
    global _handler, _error_util, _rich_wrapper
    if _handler is not None:
        logging.getLogger(_LOGGER_NAME).removeHandler(_handler)
    if _rich_wrapper is not None and getattr(_error_util, _RICH, None) is _rich_wrapper:
        setattr(_error_util, _RICH, _rich_wrapper.__ez_pixel_original__)
    _handler = _error_util = _rich_wrapper = None
