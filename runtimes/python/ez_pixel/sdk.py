"""The SDK's process-wide state: the active Client, and the init/close life cycle with its
hooks, atexit flush and fork handling. The public functions in __init__ delegate here."""

import atexit
import os
import threading

from . import diagnostics, hooks, integrations, options as options_module, probe
from .integrations import logging as logging_integration

_lock = threading.RLock()
_client = None
_process_hooks_registered = False


def current_client():
    return _client


def init(project_key, ingest_url, **kwargs):
    probe_path = probe.requested()
    if options_module.disabled_by_env():
        _replace(None)
        if probe_path:
            probe.write_failure(probe_path, "disabled by EZ_PIXEL_DISABLED")
        return
    opts, reason = options_module.build(project_key, ingest_url, **kwargs)
    if opts is None:
        diagnostics.warn(reason + "; error reporting is disabled")
        _replace(None)
        if probe_path:
            probe.write_failure(probe_path, reason)
        return
    diagnostics.set_debug(opts.debug)
    from .client import Client  # not needed (nor imported) while disabled
    _replace(Client(opts))
    _register_process_hooks()
    hooks.install(current_client)
    integrations.attach_all(current_client)
    if opts.capture_logging:
        logging_integration.attach(current_client)
    else:
        logging_integration.detach()
    _client.worker.start()  # now: Python 3.12+ cannot start threads during shutdown
    if probe_path:
        probe.run(probe_path, opts)


def _replace(new_client):
    """Makes `new_client` active; a previous client delivers what it can, spools the rest."""
    global _client
    with _lock:
        old, _client = _client, new_client
    if old is not None:
        old.shutdown(old.options.shutdown_timeout)
    if new_client is None:
        _unhook()


def _unhook():
    hooks.uninstall()
    integrations.detach_all()
    logging_integration.detach()


def close():
    _replace(None)


def flush(timeout):
    client = _client
    return client.flush(timeout) if client is not None else True


def dropped_count():
    client = _client
    return client.worker.dropped_count() if client is not None else 0


def _at_exit():
    client = _client
    if client is not None:
        client.shutdown(client.options.shutdown_timeout)


def _after_fork_in_child():
    global _lock
    _lock = threading.RLock()
    client = _client
    if client is not None:
        client.after_fork()


def _register_process_hooks():
    global _process_hooks_registered
    if _process_hooks_registered:
        return
    _process_hooks_registered = True
    atexit.register(_at_exit)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork_in_child)
