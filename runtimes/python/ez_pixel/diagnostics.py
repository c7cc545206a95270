"""The SDK's own messages. They go to stderr, never through `logging`, so the logging
integration can never capture the SDK talking about itself."""

import sys

_warned = set()
_debug = False


def set_debug(enabled):
    global _debug
    _debug = bool(enabled)


def warn(text):
    """A message the developer must see (bad configuration, rejected events)."""
    try:
        sys.stderr.write("ez-pixel: " + text + "\n")
        sys.stderr.flush()
    except Exception:  # a closed stderr must not break the app
        pass


def warn_once(key, text):
    """Warns the first time for `key`; True when it did."""
    if key in _warned:
        return False
    _warned.add(key)
    warn(text)
    return True


def debug(text):
    """Internal errors: only shown with init_pixel(debug=True)."""
    if _debug:
        warn("debug: " + text)
