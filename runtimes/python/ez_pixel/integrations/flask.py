"""Flask: unhandled exceptions (500s) reach us through got_request_exception. HTTP errors
below 500 (abort(404), ...) are not reported.

Before Flask 2.3 blinker was optional, and without it the signal cannot be connected (connect
raises, send does nothing). There we wrap Flask.handle_exception instead: the method that sends
the signal, for the same exceptions, before the app's 500 handler runs. So the hook attaches once
flask.app has run (flask.signals is imported half-way through it, before the Flask class exists)."""

import importlib

from . import request_context

_current_client = None
_signal = None
_patched = None


def attach(app_module, current_client):
    global _current_client, _signal
    _current_client = current_client
    signal = importlib.import_module("flask.signals").got_request_exception
    try:
        signal.connect(_on_request_exception, weak=False)
        _signal = signal
    except RuntimeError:  # "signalling support is unavailable because blinker is not installed"
        _wrap_handle_exception(app_module.Flask)


def _wrap_handle_exception(flask_class):
    global _patched
    original = flask_class.handle_exception
    if getattr(original, "__ez_pixel_original__", None) is not None:
        return

    def handle_exception(self, e):
        _on_request_exception(self, exception=e)
        return original(self, e)

    handle_exception.__ez_pixel_original__ = original
    flask_class.handle_exception = handle_exception
    _patched = flask_class


def detach():
    global _signal, _patched
    if _signal is not None:
        _signal.disconnect(_on_request_exception)
        _signal = None
    if _patched is not None:
        original = getattr(_patched.handle_exception, "__ez_pixel_original__", None)
        if original is not None:
            _patched.handle_exception = original
        _patched = None


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
