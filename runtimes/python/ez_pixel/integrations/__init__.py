"""Integrations, attached with no code beyond init_pixel: a framework (or logging) that is
already imported is hooked at once, one imported later is hooked right after its module runs
(a post-import hook on sys.meta_path), so a script that never imports logging does not pay
for importing it. detach_all undoes everything."""

import sys

from .. import diagnostics

# module whose import triggers the integration -> integration module (relative name)
TARGETS = {
    "logging": "logging",
    "django.core.signals": "django",
    "flask.app": "flask",
    "starlette.middleware.errors": "starlette",
    "streamlit.error_util": "streamlit",
}

_finder = None
_attached = {}
_wanted = set(TARGETS)  # TARGETS minus logging when capture_logging is off


def _integration(name):
    import importlib
    return importlib.import_module("." + TARGETS[name], __name__)


def _attach(name, module, current_client):
    if name in _attached:
        return
    try:
        integration = _integration(name)
        integration.attach(module, current_client)
        _attached[name] = integration
    except Exception as error:
        diagnostics.debug("could not hook %s: %r" % (name, error))


class _PostImportFinder(object):
    """Finds nothing itself: for a target module it asks the other finders, then wraps the
    loader's exec_module so the integration attaches right after the module has run."""

    def __init__(self, current_client):
        self._current_client = current_client
        self._busy = set()

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _wanted or fullname in self._busy or fullname in _attached:
            return None
        self._busy.add(fullname)
        try:
            import importlib.util
            spec = importlib.util.find_spec(fullname)
        except Exception:
            return None
        finally:
            self._busy.discard(fullname)
        loader = getattr(spec, "loader", None)
        original = getattr(loader, "exec_module", None)
        if original is None:
            return None
        current_client = self._current_client

        def exec_module(module):
            original(module)
            if _finder is not None:
                _attach(fullname, module, current_client)

        try:
            loader.exec_module = exec_module
        except Exception:
            return None
        return spec


def request_context(method, path, route):
    """The context of a 500: method, path (never the query string) and the matched route
    template, as Node's Express handler sends; no headers, no body."""
    if not isinstance(path, str):
        return None
    return {"request": {"method": method if isinstance(method, str) else None,
                        "path": path.split("?", 1)[0], "route": route}}


def attach_all(current_client, with_logging=True):
    global _finder, _wanted
    _wanted = set(TARGETS) if with_logging else set(TARGETS) - {"logging"}
    if not with_logging:
        _detach("logging")
    for name in _wanted:
        module = sys.modules.get(name)
        if module is not None:
            _attach(name, module, current_client)
    if _finder is None and not _wanted <= set(_attached):
        _finder = _PostImportFinder(current_client)
        sys.meta_path.insert(0, _finder)


def detach_all():
    global _finder
    if _finder is not None:
        try:
            sys.meta_path.remove(_finder)
        except ValueError:
            pass
        _finder = None
    for name in list(_attached):
        _detach(name)


def _detach(name):
    integration = _attached.pop(name, None)
    if integration is not None:
        try:
            integration.detach()
        except Exception as error:
            diagnostics.debug("could not unhook %s: %r" % (name, error))
