"""One keep-alive HTTP/1.1 connection to the ingest host. `post` returns an Outcome value and
never raises: the worker decides what a status means.

Written on the socket module: importing http.client (which pulls in email and ssl) costs
about 30 ms of CPU, half of what the SDK adds to a short script's start and exit. The ingest
only needs a POST and a status back."""

import encodings.idna  # noqa: F401  (socket encodes host names with it; see below)
import socket
import time

from .options import REQUEST_TIMEOUT
from .retry_after import parse_retry_after

# Everything the worker thread uses is imported when the SDK initialises, never lazily on
# the worker: an import in progress on the worker when the app forks would leave the child a
# module lock that nobody releases. (ssl, for https only, is imported by Transport.__init__,
# which runs on the application's thread.)

MAX_LINE = 65536          # a status or header line longer than this is a broken server
MAX_DISCARD = 1024 * 1024  # response bodies are read to reuse the connection, up to this
MAX_HEADERS = 100         # header lines per answer (as http.client): the rest is a broken server


class Outcome(object):
    __slots__ = ("status", "retry_after", "error")

    def __init__(self, status=None, retry_after=None, error=None):
        self.status, self.retry_after, self.error = status, retry_after, error

    def describe(self):
        return "HTTP %d" % self.status if self.status is not None else str(self.error)


class BrokenResponse(ConnectionError):
    """The server closed the connection or answered something that is not HTTP/1.x."""


class Transport(object):
    def __init__(self, options, timeout=REQUEST_TIMEOUT):
        self._options = options
        self._timeout = timeout
        self._sock = None
        self._buffer = b""     # received, not yet parsed
        self._deadline = None  # the current response must be complete by then
        self._tls = None
        if options.scheme == "https":
            import ssl
            self._tls = ssl.create_default_context()
        host = "[%s]" % options.host if ":" in options.host else options.host
        default_port = 443 if options.scheme == "https" else 80
        if options.port != default_port:
            host = "%s:%d" % (host, options.port)
        self._head = ("POST %s HTTP/1.1\r\nhost: %s\r\ncontent-type: application/json\r\n"
                      "x-pixel-key: %s\r\nuser-agent: %s\r\ncontent-length: " % (
                          options.path, host, options.project_key, options.user_agent)
                      ).encode("utf-8")

    def post(self, body):
        reused = self._sock is not None
        outcome = self._attempt(body)
        if reused and isinstance(outcome.error, ConnectionError):
            # The server may have closed the idle keep-alive connection: one fresh try.
            outcome = self._attempt(body)
        return outcome

    def _attempt(self, body):
        try:
            if self._sock is None:
                self._connect()
            self._sock.settimeout(self._timeout)  # the last answer's read may have left less
            self._sock.sendall(self._head + b"%d\r\n\r\n" % len(body) + body)
            # One bound for the whole answer: the socket's own timeout restarts with each
            # byte, so a server that drips bytes would hold the worker for as long as it liked.
            self._deadline = time.monotonic() + self._timeout
            status, headers = self._read_head()
            keep = self._read_body(headers)
            if not keep:
                self.close()
            retry_after = None
            if status == 429:
                retry_after = parse_retry_after(headers.get("retry-after"))
            return Outcome(status=status, retry_after=retry_after)
        except Exception as error:  # network errors, timeouts, malformed responses
            self.close()
            return Outcome(error=error)

    def _connect(self):
        opts = self._options
        sock = socket.create_connection((opts.host, opts.port), timeout=self._timeout)
        try:  # small JSON posts: don't let Nagle hold the request back
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):
            pass
        if self._tls is not None:
            sock = self._tls.wrap_socket(sock, server_hostname=opts.host)
        self._sock, self._buffer = sock, b""

    def _receive(self, closed_message):
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout("the ingest did not finish its answer within %gs" % self._timeout)
        self._sock.settimeout(left)
        data = self._sock.recv(65536)
        if not data:
            raise BrokenResponse(closed_message)
        self._buffer += data

    def _line(self):
        end = self._buffer.find(b"\n")
        while end < 0:
            if len(self._buffer) > MAX_LINE:
                raise BrokenResponse("a response line longer than %d bytes" % MAX_LINE)
            self._receive("the ingest closed the connection")
            end = self._buffer.find(b"\n")
        if end > MAX_LINE:
            raise BrokenResponse("a response line longer than %d bytes" % MAX_LINE)
        line, self._buffer = self._buffer[:end], self._buffer[end + 1:]
        return line.decode("latin-1").rstrip("\r")

    def _read_head(self):
        """(status, headers with lower-case names); informational 1xx answers are skipped."""
        while True:
            parts = self._line().split(None, 2)
            if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
                raise BrokenResponse("not an HTTP/1.x status line")
            status, headers = int(parts[1]), {"": parts[0]}
            while True:
                line = self._line()
                if not line:
                    break
                if len(headers) > MAX_HEADERS:
                    raise BrokenResponse("more than %d header lines" % MAX_HEADERS)
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if status >= 200:
                return status, headers

    def _read_body(self, headers):
        """Reads and discards the body; True when the connection can be used again."""
        keep = headers[""] != "HTTP/1.0" and "close" not in headers.get("connection", "").lower()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            total = 0
            while True:
                size = int(self._line().split(";", 1)[0].strip() or "0", 16)
                if size == 0:
                    while self._line():  # trailers
                        pass
                    return keep
                total += size
                if total > MAX_DISCARD:
                    return False
                self._exactly(size + 2)  # the chunk and its CRLF
        length = headers.get("content-length")
        if length is None or not length.isdigit():
            return False  # delimited by the close: nothing to reuse
        if int(length) > MAX_DISCARD:
            return False
        self._exactly(int(length))
        return keep

    def _exactly(self, count):
        while len(self._buffer) < count:
            self._receive("the ingest closed the connection mid-response")
        self._buffer = self._buffer[count:]

    def abort(self):
        """From another thread: ends the request in flight at once (the worker's read fails)."""
        sock = self._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        sock, self._sock, self._buffer = self._sock, None, b""
        if sock is not None:
            try:
                sock.close()
            except Exception:
                pass
