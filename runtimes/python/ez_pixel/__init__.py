"""ez-pixel: error tracking for Python, with no dependencies.

    import ez_pixel
    ez_pixel.init_pixel("pk_live_…", "https://ingest.example/ingest")

Importing this package is cheap: the SDK's modules load when init_pixel is first called.
See README.md for the full API."""

from ._version import VERSION as __version__

__all__ = ["init_pixel", "report_pixel", "flush_pixel", "close_pixel", "dropped_count",
           "import_init_beside", "__version__"]

_LEVELS = ("fatal", "error", "warning", "info")


def init_pixel(project_key=None, ingest_url=None, *, runtime=None, environment=None,
               release=None, sample_rate=1.0, before_send=None, capture_logging=True,
               max_queue=100, shutdown_timeout=2.0, debug=False, scrub=True):
    """Starts reporting. `project_key`/`ingest_url` fall back to EZ_PIXEL_PROJECT_KEY and
    EZ_PIXEL_INGEST_URL; EZ_PIXEL_DISABLED=1 makes this a no-op. Calling it again
    reconfigures the SDK. `scrub=False` turns off the default scrubber (e-mail addresses and
    credential-like keys become "[scrubbed]"). Never raises: bad settings print a warning and
    disable the SDK."""
    try:
        from . import sdk
        sdk.init(project_key, ingest_url, runtime=runtime, environment=environment,
                 release=release, sample_rate=sample_rate, before_send=before_send,
                 capture_logging=capture_logging, max_queue=max_queue,
                 shutdown_timeout=shutdown_timeout, debug=debug, scrub=scrub)
    except Exception as error:
        _internal_error("init_pixel", error)


def report_pixel(message, error=None, level="error", *, context=None):
    """Reports an exception (`error`) or, without one, a message. Returns the event id, or
    None when nothing was queued (SDK not initialised, duplicate, sampled out, queue full)."""
    try:
        from . import sdk
        client = sdk.current_client()
        if client is None:
            return None
        if level not in _LEVELS:
            level = "error"
        if context is not None and not isinstance(context, dict):
            context = {"value": repr(context)}
        if isinstance(error, BaseException):
            return client.capture_exception(error, level=level, manual=True, message=message,
                                            context=context)
        return client.capture_message(message, level=level, manual=True, context=context)
    except Exception as failure:
        _internal_error("report_pixel", failure)
        return None


def flush_pixel(timeout=2.0):
    """Waits up to `timeout` seconds. True when everything queued before the call was
    delivered or definitively rejected (the in-flight request has finished)."""
    try:
        from . import sdk
        return sdk.flush(timeout)
    except Exception as error:
        _internal_error("flush_pixel", error)
        return False


def close_pixel():
    """Flushes (within shutdown_timeout), removes every hook, restores the previous ones and
    stops the worker. Undelivered events are spooled for the next start."""
    try:
        from . import sdk
        sdk.close()
    except Exception as error:
        _internal_error("close_pixel", error)


def dropped_count():
    """How many events were dropped because the queue (max_queue) was full."""
    try:
        from . import sdk
        return sdk.dropped_count()
    except Exception:
        return 0


def import_init_beside(script_file, name="ez_pixel_init", up=0):
    """Imports the module `name` from the folder of `script_file` (or `up` folders above it),
    once per process, whatever sys.path holds, and returns it. A Streamlit entry loads its init
    this way: Streamlit runs the script again on every interaction (the init must still run
    once), and its AppTest runs the script without putting the script's folder on sys.path,
    where `import ez_pixel_init` fails. A page in pages/ loads the entry's init with up=1: a
    fresh server runs only the page a visitor opens, never the entry.
    Raises ImportError, as that import would, when the file is not there."""
    import sys
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    import importlib.util
    import os
    folder = os.path.dirname(os.path.abspath(script_file))
    for _ in range(up):
        folder = os.path.dirname(folder)
    path = os.path.join(folder, name + ".py")
    if not os.path.isfile(path):
        raise ImportError("no module named %r beside %s" % (name, script_file), name=name,
                          path=path)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _internal_error(where, error):
    try:
        from . import diagnostics
        diagnostics.debug("%s failed: %r" % (where, error))
    except Exception:
        pass
