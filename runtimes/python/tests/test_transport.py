"""The SDK's own HTTP/1.1 client (transport.py) against real servers on 127.0.0.1: https with
certificate checks, chunked and close-delimited answers, 1xx before the status, an idle
keep-alive connection the server closed, and a server that is not HTTP."""

import socket
import ssl
import subprocess
import threading

import pytest

from conftest import KEY, Ingest
from ez_pixel import options as options_module
from ez_pixel.transport import Transport


def transport_for(url):
    opts, reason = options_module.build(KEY, url)
    assert reason is None
    return Transport(opts, timeout=3.0)


@pytest.fixture
def certificate(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return str(cert), str(key)


def test_https_with_a_trusted_certificate_delivers(certificate, run_script):
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    ingest = Ingest(tls=context)
    try:
        trusted = run_script("import os, ez_pixel\n"
                             "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n"
                             "ez_pixel.report_pixel('over tls')\n"
                             "print(ez_pixel.flush_pixel(5))\n",
                             env={"KEY": KEY, "URL": ingest.url, "SSL_CERT_FILE": cert})
        assert trusted.stdout.strip() == "True", trusted.stderr
        assert [event["message"] for event in ingest.delivered] == ["over tls"]
        assert ingest.requests[0]["headers"]["x-pixel-key"] == KEY
        # Without the certificate in the trust store, nothing is sent in the clear.
        untrusted = run_script("import os, ez_pixel\n"
                               "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n"
                               "ez_pixel.report_pixel('refused')\n"
                               "print(ez_pixel.flush_pixel(1))\n",
                               env={"KEY": KEY, "URL": ingest.url})
        assert untrusted.stdout.strip() == "False"
        assert len(ingest.delivered) == 1
    finally:
        ingest.close()


def serve(answers):
    """A raw TCP server: for each connection, reads one request and writes the next answer
    (bytes), then closes when the answer says so. Returns (url, received requests)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    received = []

    def loop():
        for answer in answers:
            conn, _ = listener.accept()
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                length = int([line.split(b":")[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length")][0])
                while len(body) < length:
                    body += conn.recv(65536)
                received.append(head)
                conn.sendall(answer)
        listener.close()

    threading.Thread(target=loop, daemon=True).start()
    return "http://127.0.0.1:%d/ingest" % listener.getsockname()[1], received


@pytest.mark.parametrize("answer,status", [
    (b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 200),
    (b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nno length, ends at the close", 200),
    (b"HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 202 Accepted\r\n"
     b"content-length: 0\r\n\r\n", 202),
    (b"HTTP/1.0 429 Too Many\r\nretry-after: Fri, 31 Dec 9999 23:59:59 GMT\r\n\r\n", 429),
])
def test_answers_of_every_framing_are_read(answer, status):
    url, received = serve([answer])
    transport = transport_for(url)
    outcome = transport.post(b"{}")
    transport.close()
    assert outcome.status == status, outcome.error
    if status == 429:
        assert outcome.retry_after == 86400.0
    assert received[0].startswith(b"POST /ingest HTTP/1.1\r\nhost: 127.0.0.1:")


def test_an_idle_connection_the_server_closed_is_retried_once_fresh():
    url, received = serve([b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
                           b"HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n"])
    transport = transport_for(url)
    assert transport.post(b"{}").status == 200  # kept alive, then closed by the server
    assert transport.post(b"{}").status == 201
    transport.close()
    assert len(received) == 2


def test_a_server_that_is_not_http_is_an_error_not_a_hang():
    url, _ = serve([b"SSH-2.0-OpenSSH_9.6\r\n"])
    transport = transport_for(url)
    outcome = transport.post(b"{}")
    transport.close()
    assert outcome.status is None and "not an HTTP/1.x status line" in str(outcome.error)


def test_a_key_with_a_trailing_newline_is_refused_not_written_into_the_request_head(ingest,
                                                                                  run_script):
    # Python's `$` matches before a final "\n": a key read from a file with its newline passed
    # the check and put a bare LF into the head, which ends the headers early on servers that
    # accept bare LF (http.server does), so the server read an empty body, answered 200 (flush_pixel said True) and the
    # event was lost. Node refuses such a key.
    result = run_script("import os, ez_pixel\n"
                        "ez_pixel.init_pixel(os.environ['KEY'] + '\\n', os.environ['URL'])\n"
                        "ez_pixel.report_pixel('after a newline key')\n"
                        "print(ez_pixel.flush_pixel(3))\n",
                        env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0, result.stderr
    assert "malformed project key" in result.stderr
    assert ingest.requests == []


@pytest.mark.parametrize("drip", [
    b"HTTP/1.1 100 Continue\r\n\r\n",  # informational answers without end
    b"x",                              # a status line one byte at a time
])
def test_a_server_that_keeps_dripping_bytes_is_cut_at_the_timeout(drip):
    # The socket timeout alone restarts with every byte received: a server that never stops
    # sending held the worker (and every event queued behind it) for as long as it liked.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def drip_forever():
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 " if drip == b"x" else b"")
            while not stop.wait(0.05):
                try:
                    conn.sendall(drip)
                except OSError:
                    return

    threading.Thread(target=drip_forever, daemon=True).start()
    opts, _ = options_module.build(KEY, "http://127.0.0.1:%d/ingest" % listener.getsockname()[1])
    transport = Transport(opts, timeout=1.0)
    outcome = []
    poster = threading.Thread(target=lambda: outcome.append(transport.post(b"{}")), daemon=True)
    poster.start()
    poster.join(6)
    stop.set()
    listener.close()
    assert outcome, "post() was still reading after 6 s with a 1 s timeout"
    assert outcome[0].status is None and outcome[0].error is not None


def test_a_server_that_sends_endless_header_lines_is_refused_not_stored():
    # Each distinct header was kept until the deadline: a fast server could fill the app's
    # memory in that time. http.client refused more than 100 header lines; so does this client.
    many = b"".join(b"x-filler-%d: %s\r\n" % (index, b"v" * 1000) for index in range(101))
    url, _ = serve([b"HTTP/1.1 200 OK\r\n" + many + b"content-length: 0\r\n\r\n"])
    transport = transport_for(url)
    outcome = transport.post(b"{}")
    transport.close()
    assert outcome.status is None and "more than 100 header lines" in str(outcome.error)
