"""Django: a 500 reaches us through the got_request_exception signal. Http404 never does."""

import sys

from . import request_context

_UID = "ez_pixel"
_current_client = None
_signal = None


def attach(signals_module, current_client):
    global _current_client, _signal
    _current_client = current_client
    _signal = signals_module.got_request_exception
    _signal.connect(_on_request_exception, weak=False, dispatch_uid=_UID)


def detach():
    global _signal
    if _signal is not None:
        _signal.disconnect(dispatch_uid=_UID)
        _signal = None


def _on_request_exception(sender, request=None, **kwargs):
    client = _current_client() if _current_client else None
    error = sys.exc_info()[1]
    if client is None or error is None:
        return
    from django.http import Http404
    if isinstance(error, Http404):
        return
    client.capture_exception(error, level="error", context=_request(request))


def _request(request):
    try:
        match = getattr(request, "resolver_match", None)
        return request_context(request.method, request.path, getattr(match, "route", None))
    except Exception:
        return None
