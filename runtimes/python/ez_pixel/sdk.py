"""The SDK's process-wide state: the active Client, and the init/close life cycle with its
hooks, atexit flush and fork handling. The public functions in __init__ delegate here."""

import atexit
import os
import threading
import time

from . import diagnostics, hooks, integrations, options as options_module, probe

_lock = threading.RLock()
_client = None
_process_hooks_registered = False
_retiring = []  # (thread, deadline) of replaced clients finishing in the background
_SPOOL_GRACE = 0.25


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
    integrations.attach_all(current_client, with_logging=opts.capture_logging)
    _client.worker.start()  # now: Python 3.12+ cannot start threads during shutdown
    if probe_path:
        probe.run(probe_path, opts)


def _replace(new_client):
    """Makes `new_client` active at once. A previous client delivers what it can and spools
    the rest within its shutdown_timeout: in the background when a new client takes over (a
    second init_pixel never blocks the app), before returning when the SDK closes."""
    global _client
    with _lock:
        old, _client = _client, new_client
    if old is not None:
        if new_client is None or not _retire_in_background(old):
            old.shutdown(old.options.shutdown_timeout)
    if new_client is None:
        _unhook()


def _retire_in_background(old):
    deadline = time.monotonic() + old.options.shutdown_timeout
    try:
        thread = threading.Thread(target=old.shutdown, args=(old.options.shutdown_timeout,),
                                  name="ez-pixel-retire", daemon=True)
        thread.start()
    except RuntimeError:  # Python 3.12+ during interpreter shutdown
        return False
    _retiring.append((thread, deadline))
    return True


def _wait_for_retiring():
    """At exit: a client replaced shortly before still gets the rest of its own time (and a
    moment more to write the spool once its flush ends at that deadline)."""
    while _retiring:
        thread, deadline = _retiring.pop()
        thread.join(max(0.0, deadline - time.monotonic()) + _SPOOL_GRACE)


def _unhook():
    hooks.uninstall()
    integrations.detach_all()


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
    _wait_for_retiring()


def _after_fork_in_child():
    global _lock
    _lock = threading.RLock()
    del _retiring[:]  # their threads exist only in the parent
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
