"""Turns init_pixel's arguments and the EZ_PIXEL_* environment into validated Options, or
into the reason the SDK must stay disabled (an error value, never an exception)."""

import os
import re
import sys

from ._version import SDK_NAME, VERSION

# \Z, not $: `$` also matches before a final "\n", which would reach the request head.
KEY_PATTERN = re.compile(r"^pk_(live|test)_[A-Za-z0-9_-]{1,128}\Z")
LEVELS = ("fatal", "error", "warning", "info")
BACKOFF = (0.2, 0.4, 0.8, 1.6, 3.2)
REQUEST_TIMEOUT = 5.0
WORKER_THREAD = "ez-pixel-worker"  # the delivery thread's name (the logging hook skips it)
_TRUTHY = ("1", "true", "yes", "on")


class Options(object):
    __slots__ = (
        "project_key", "ingest_url", "scheme", "host", "port", "path", "runtime",
        "environment", "release", "sample_rate", "before_send", "capture_logging",
        "max_queue", "shutdown_timeout", "debug", "project_root", "backoff",
        "user_agent", "scrub",
    )


def default_runtime():
    v = sys.version_info
    text = "%d.%d.%d" % (v[0], v[1], v[2])
    if v[3] != "final":
        text += "%s%d" % (v[3][0] if v[3] != "candidate" else "rc", v[4])
    return "python-" + text


def disabled_by_env():
    return os.environ.get("EZ_PIXEL_DISABLED", "").strip().lower() in _TRUTHY


def split_url(url):
    """(scheme, host, port, path) for an http(s) URL, or None when it is not one."""
    match = re.match(r"^(https?)://([^/?#@\s]+)([^#\s]*)$", url or "", re.IGNORECASE)
    if not match:
        return None
    scheme, netloc, rest = match.group(1).lower(), match.group(2), match.group(3)
    if rest.startswith("?"):
        rest = "/" + rest
    host, port = netloc, 443 if scheme == "https" else 80
    if netloc.startswith("["):
        end = netloc.find("]")
        if end < 0:
            return None
        host, tail = netloc[1:end], netloc[end + 1:]
        if tail:
            if not tail.startswith(":") or not tail[1:].isdigit():
                return None
            port = int(tail[1:])
    elif ":" in netloc:
        host, _, port_text = netloc.rpartition(":")
        if not port_text.isdigit():
            return None
        port = int(port_text)
    if not host or not 0 < port < 65536:
        return None
    return scheme, host, port, rest or "/"


def build(project_key, ingest_url, runtime=None, environment=None, release=None,
          sample_rate=1.0, before_send=None, capture_logging=True, max_queue=100,
          shutdown_timeout=2.0, debug=False, scrub=True):
    """Returns (Options, None) or (None, reason)."""
    key = project_key if project_key is not None else os.environ.get("EZ_PIXEL_PROJECT_KEY")
    url = ingest_url if ingest_url is not None else os.environ.get("EZ_PIXEL_INGEST_URL")
    if not key:
        return None, "no project key (pass project_key or set EZ_PIXEL_PROJECT_KEY)"
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        return None, "malformed project key %r: expected pk_live_… or pk_test_…" % (key,)
    if not url:
        return None, "no ingest URL (pass ingest_url or set EZ_PIXEL_INGEST_URL)"
    parts = split_url(url) if isinstance(url, str) else None
    if parts is None:
        return None, "malformed ingest URL %r: expected http(s)://host[:port]/path" % (url,)
    if before_send is not None and not callable(before_send):
        return None, "before_send must be callable or None"
    try:
        rate = float(sample_rate)
        queue_size = int(max_queue)
        timeout = float(shutdown_timeout)
    except (TypeError, ValueError):
        return None, "sample_rate, max_queue and shutdown_timeout must be numbers"
    opts = Options()
    opts.project_key, opts.ingest_url = key, url
    opts.scheme, opts.host, opts.port, opts.path = parts
    opts.runtime = str(runtime) if runtime else default_runtime()
    opts.environment = None if environment is None else str(environment)[:128]
    opts.release = None if release is None else str(release)[:256]
    opts.sample_rate = min(1.0, max(0.0, rate))
    opts.before_send = before_send
    opts.capture_logging = bool(capture_logging)
    opts.max_queue = max(1, queue_size)
    opts.shutdown_timeout = max(0.0, timeout)
    opts.debug = bool(debug)
    opts.scrub = scrub is not False  # spec/scrubbing.md: only False turns it off
    opts.project_root = os.getcwd()
    opts.backoff = _backoff()
    opts.user_agent = "%s/%s" % (SDK_NAME, VERSION)
    return opts, None


def _backoff():
    # EZ_PIXEL_BACKOFF_SCALE is a private hook for the SDK's own tests (it shortens the
    # retry waits); production always uses the documented 0.2 … 3.2 s.
    try:
        scale = float(os.environ.get("EZ_PIXEL_BACKOFF_SCALE", "1"))
    except ValueError:
        scale = 1.0
    return tuple(delay * max(0.0, scale) for delay in BACKOFF)
