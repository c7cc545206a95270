"""sys.excepthook and threading.excepthook: report, then hand over to the hook that was there
before, so tracebacks still print and exit codes stay the same. Installed once however often
init_pixel is called; uninstall restores the previous hooks."""

import sys
import threading

_previous_sys = None
_previous_threading = None


def install(current_client):
    """`current_client()` returns the active Client or None."""
    global _previous_sys, _previous_threading
    if _previous_sys is not None:
        return
    previous_sys, previous_threading = sys.excepthook, threading.excepthook

    def sys_hook(exc_type, exc_value, tb):
        client = current_client()
        if (client is not None and exc_value is not None and _not_interactive()
                and not issubclass(exc_type, (KeyboardInterrupt, SystemExit))):
            client.capture_exception(exc_value, level="fatal", tb=tb)
        previous_sys(exc_type, exc_value, tb)

    def threading_hook(args):
        client = current_client()
        if (client is not None and args.exc_value is not None
                and not issubclass(args.exc_type, (KeyboardInterrupt, SystemExit))):
            client.capture_exception(args.exc_value, level="error", tb=args.exc_traceback)
        previous_threading(args)

    sys_hook.__ez_pixel__ = True
    threading_hook.__ez_pixel__ = True
    _previous_sys, _previous_threading = previous_sys, previous_threading
    sys.excepthook = sys_hook
    threading.excepthook = threading_hook


def uninstall():
    """Restores the previous hooks where ours is still the one installed. If another library
    wrapped ours since, it stays in its chain but reports nothing (no client is active)."""
    global _previous_sys, _previous_threading
    if _previous_sys is None:
        return
    if getattr(sys.excepthook, "__ez_pixel__", False):
        sys.excepthook = _previous_sys
    if getattr(threading.excepthook, "__ez_pixel__", False):
        threading.excepthook = _previous_threading
    _previous_sys = _previous_threading = None


def _not_interactive():
    """The REPL (and `python -i`, whose REPL starts after the script's error) is left alone."""
    return not hasattr(sys, "ps1") and not sys.flags.interactive
