"""Flask: unhandled exceptions (500s) reach us through got_request_exception. HTTP errors
below 500 (abort(404), ...) are not reported."""

from . import request_context

_current_client = None
_signal = None


def attach(signals_module, current_client):
    global _current_client, _signal
    _current_client = current_client
    _signal = signals_module.got_request_exception
    _signal.connect(_on_request_exception, weak=False)


def detach():
    global _signal
    if _signal is not None:
        _signal.disconnect(_on_request_exception)
        _signal = None


def _on_request_exception(sender, exception=None, **extra):
    client = _current_client() if _current_client else None
    if client is None or exception is None:
        return
    code = getattr(exception, "code", None)
    if isinstance(code, int) and code < 500:
        return
    client.capture_exception(exception, level="error", context=_request())


def _request():
    try:
        from flask import request
        rule = request.url_rule
        return request_context(request.method, request.path,
                               rule.rule if rule is not None else None)
    except Exception:
        return None
