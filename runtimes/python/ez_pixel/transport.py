"""One keep-alive HTTP connection to the ingest host. `post` returns an Outcome value and
never raises: the worker decides what a status means."""

import encodings.idna  # noqa: F401  (used by socket for host names; see below)
import http.client
import socket
import time
from email.utils import parsedate_to_datetime

from .options import REQUEST_TIMEOUT

# Everything the worker thread uses is imported when the SDK initialises, never lazily on
# the worker: an import in progress on the worker when the app forks would leave the child a
# module lock that nobody releases.

DEFAULT_RETRY_AFTER = 60.0
MAX_RETRY_AFTER = 24 * 3600.0


class Outcome(object):
    __slots__ = ("status", "retry_after", "error")

    def __init__(self, status=None, retry_after=None, error=None):
        self.status, self.retry_after, self.error = status, retry_after, error

    def describe(self):
        return "HTTP %d" % self.status if self.status is not None else str(self.error)


class Transport(object):
    def __init__(self, options, timeout=REQUEST_TIMEOUT):
        self._options = options
        self._timeout = timeout
        self._conn = None
        self._headers = {
            "content-type": "application/json",
            "x-pixel-key": options.project_key,
            "user-agent": options.user_agent,
        }

    def post(self, body):
        reused = self._conn is not None
        outcome = self._attempt(body)
        if reused and isinstance(outcome.error, ConnectionError):
            # The server may have closed the idle keep-alive connection: one fresh try.
            outcome = self._attempt(body)
        return outcome

    def _attempt(self, body):
        try:
            if self._conn is None:
                self._conn = self._connect()
            self._conn.request("POST", self._options.path, body, self._headers)
            response = self._conn.getresponse()
            response.read()
            if response.will_close:
                self.close()
            retry_after = None
            if response.status == 429:
                retry_after = parse_retry_after(response.getheader("retry-after"))
            return Outcome(status=response.status, retry_after=retry_after)
        except Exception as error:  # network errors, timeouts, malformed responses
            self.close()
            return Outcome(error=error)

    def _connect(self):
        opts = self._options
        if opts.scheme == "https":
            conn = http.client.HTTPSConnection(opts.host, opts.port, timeout=self._timeout)
        else:
            conn = http.client.HTTPConnection(opts.host, opts.port, timeout=self._timeout)
        conn.connect()
        try:  # small JSON posts: don't let Nagle hold the request back
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):
            pass
        return conn

    def abort(self):
        """From another thread: ends the request in flight at once (the worker's read fails)."""
        conn = self._conn
        sock = getattr(conn, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass


def parse_retry_after(value, now=None):
    """Seconds to wait for a Retry-After of delta-seconds or an HTTP date (60 when absent or
    unreadable)."""
    if value is None:
        return DEFAULT_RETRY_AFTER
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
            seconds = when.timestamp() - (time.time() if now is None else now)
        except Exception:
            return DEFAULT_RETRY_AFTER
    if seconds != seconds:  # NaN
        return DEFAULT_RETRY_AFTER
    return min(MAX_RETRY_AFTER, max(0.0, seconds))
