"""Starlette and FastAPI: ServerErrorMiddleware sees every exception no handler dealt with
(HTTPException is handled further in, so 4xx never arrive here). We wrap its __call__."""

from . import request_context

_current_client = None
_patched = None


def attach(errors_module, current_client):
    global _current_client, _patched
    _current_client = current_client
    middleware = errors_module.ServerErrorMiddleware
    original = middleware.__call__
    if getattr(original, "__ez_pixel_original__", None) is not None:
        return

    async def __call__(self, scope, receive, send):
        try:
            await original(self, scope, receive, send)
        except Exception as error:
            _report(scope, error)
            raise

    __call__.__ez_pixel_original__ = original
    middleware.__call__ = __call__
    _patched = middleware


def detach():
    global _patched
    if _patched is not None:
        original = getattr(_patched.__call__, "__ez_pixel_original__", None)
        if original is not None:
            _patched.__call__ = original
        _patched = None


def _report(scope, error):
    client = _current_client() if _current_client else None
    if client is None or scope.get("type") != "http":
        return
    status = getattr(error, "status_code", None)
    if isinstance(status, int) and status < 500:
        return
    client.capture_exception(error, level="error", context=_request(scope))


def _request(scope):
    try:
        return request_context(scope.get("method"), scope.get("path"), _route(scope))
    except Exception:
        return None


def _route(scope):
    """The matched route's template: FastAPI puts the route in the scope; for Starlette, the
    router's route whose endpoint handled the request."""
    route = scope.get("route")
    if route is None:
        endpoint, router = scope.get("endpoint"), scope.get("router")
        for candidate in getattr(router, "routes", ()):
            if endpoint is not None and getattr(candidate, "endpoint", None) is endpoint:
                route = candidate
                break
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else None
