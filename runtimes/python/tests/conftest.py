"""Shared fixtures: a real ingest server on 127.0.0.1 that can answer scripted statuses, stall
or be absent, and a helper that runs a Python script in a real subprocess with the SDK from
the source tree."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SDK_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(os.path.dirname(SDK_ROOT))
SPEC = os.path.join(REPO_ROOT, "spec")
if SDK_ROOT not in sys.path:
    sys.path.insert(0, SDK_ROOT)


class Ingest(object):
    """A scripted ingest. `script` is a list of responses used in order, one per request:
    an int status, or (status, headers) or "stall" (never answer). After the script it
    answers 200 like `ez-pixel listen`."""

    def __init__(self, tls=None):
        self.requests = []   # dicts: headers, body (parsed JSON), client (addr, port), status
        self.script = []
        self.cond = threading.Condition()
        self._release = threading.Event()
        ingest = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # answer headers and body without a 40 ms stall

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("content-length", "0"))
                raw = self.rfile.read(length)
                with ingest.cond:
                    step = ingest.script.pop(0) if ingest.script else 200
                if step == "stall":
                    ingest._release.wait(30)
                    return
                status, headers = (step, {}) if isinstance(step, int) else step
                try:
                    body = json.loads(raw.decode("utf-8"))
                except ValueError:
                    body = None
                with ingest.cond:
                    ingest.requests.append({"headers": dict(self.headers), "body": body,
                                            "raw": raw, "client": self.client_address,
                                            "status": status, "time": time.monotonic()})
                    ingest.cond.notify_all()
                answer = json.dumps({"id": (body or {}).get("event_id"), "fingerprint": "x",
                                     "new_group": True}).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d/ingest" % self.server.server_address[1]
        if tls is not None:  # an ssl.SSLContext: serve https on "localhost"
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
            self.url = "https://localhost:%d/ingest" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    @property
    def delivered(self):
        """Bodies of the requests answered with 2xx."""
        with self.cond:
            return [r["body"] for r in self.requests if 200 <= r["status"] < 300]

    def wait_for(self, count, timeout=10.0, delivered=True):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                seen = [r for r in self.requests if not delivered or 200 <= r["status"] < 300]
                if len(seen) >= count or time.monotonic() > deadline:
                    return [r["body"] for r in seen]
                self.cond.wait(0.05)

    def close(self):
        self._release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def ingest():
    server = Ingest()
    yield server
    server.close()


@pytest.fixture
def closed_url():
    """An ingest URL where nothing listens (connections are refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return "http://127.0.0.1:%d/ingest" % port


@pytest.fixture
def blackhole_url():
    """An ingest that accepts connections (kernel backlog) and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield "http://127.0.0.1:%d/ingest" % sock.getsockname()[1]
    sock.close()


KEY = "pk_test_" + "a1" * 16


@pytest.fixture
def run_script(tmp_path):
    """Runs Python source in a subprocess whose working directory (the project root) is a
    temp dir, with the SDK on PYTHONPATH, a private spool dir and short backoff; `python` is
    another interpreter (a virtualenv with other framework versions)."""
    cache = tmp_path / "cache"

    def run(source, env=None, timeout=60, name="app.py", backoff="0.01", stdin=None, args=(),
            python=sys.executable):
        path = tmp_path / name
        path.write_text(source)
        full_env = dict(os.environ)
        full_env.pop("EZ_PIXEL_PROBE", None)
        full_env.update({"PYTHONPATH": SDK_ROOT, "EZ_PIXEL_CACHE_DIR": str(cache),
                         "EZ_PIXEL_BACKOFF_SCALE": backoff, "PYTHONDONTWRITEBYTECODE": "1"})
        full_env.update(env or {})
        started = time.monotonic()
        result = subprocess.run([python, *args, str(path)], cwd=str(tmp_path),
                                env=full_env, capture_output=True, text=True,
                                timeout=timeout, input=stdin)
        result.duration = time.monotonic() - started
        return result

    run.cache = cache
    run.dir = tmp_path
    return run


def load_schema_validator():
    import jsonschema
    with open(os.path.join(SPEC, "event.schema.json")) as handle:
        schema = json.load(handle)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="session")
def validator():
    return load_schema_validator()
