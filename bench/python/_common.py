"""Shared by the Python benchmarks: the peer venv, a local ingest, child processes, statistics
and the output format bench/run.mjs reads (--json: one JSON array of rows on stdout)."""

import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
SDK = os.path.join(ROOT, "runtimes", "python")
VENV = os.path.join(BENCH, ".venv")
PEERS = os.path.join(BENCH, "requirements-peers.txt")
KEY = "pk_test_" + "b2" * 16
PEER_NAME = "sentry-sdk"


def peer_python():
    """bench/.venv's interpreter with requirements-peers.txt installed (created on first use).
    Both SDKs run on it, so site-packages start-up costs are the same for both."""
    python = os.path.join(VENV, "bin", "python")
    stamp = os.path.join(VENV, ".peers-sha256")
    with open(PEERS, "rb") as handle:
        wanted = hashlib.sha256(handle.read()).hexdigest()
    current = open(stamp).read().strip() if os.path.exists(stamp) else None
    if not os.path.exists(python) or current != wanted:
        log("installing the peers into bench/.venv")
        if not os.path.exists(python):
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", PEERS], check=True)
        with open(stamp, "w") as handle:
            handle.write(wanted)
    return python


def child_env():
    """The SDK from runtimes/python, and a fresh spool directory so one run's spooled events
    never reach the next run."""
    env = dict(os.environ)
    env["PYTHONPATH"] = SDK
    env["EZ_PIXEL_CACHE_DIR"] = tempfile.mkdtemp(prefix="ez-pixel-bench-")
    env.pop("EZ_PIXEL_BACKOFF_SCALE", None)
    env.pop("EZ_PIXEL_PROBE", None)
    env.pop("EZ_PIXEL_DISABLED", None)
    # Bytecode as an installed package has it (pip compiles at install, as it did for the
    # peer): without it every child would compile the SDK's source again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(VENV, "pycache")
    return env


def run_child(python, source, env=None, timeout=300, exit_code=0):
    """Runs source in a child that must end with `exit_code`; returns (wall seconds, stdout)."""
    env = env or child_env()
    started = time.perf_counter()
    try:
        result = subprocess.run([python, "-c", source], env=env, capture_output=True, text=True,
                                timeout=timeout)
    finally:
        wall = time.perf_counter() - started
        shutil.rmtree(env["EZ_PIXEL_CACHE_DIR"], ignore_errors=True)
    if result.returncode != exit_code:
        raise RuntimeError("child failed:\n" + result.stderr[-2000:])
    return wall, result.stdout


def log(text):
    sys.stderr.write("bench: " + text + "\n")


def median(values):
    return statistics.median(values)


def spread(values):
    return "min %s, max %s, n=%d" % (fmt(min(values)), fmt(max(values)), len(values))


def fmt(value):
    return ("%.3g" % value) if abs(value) < 1000 else ("%d" % round(value))


class Ingest(object):
    """A local ingest answering 200 to every POST, counting requests, on 127.0.0.1."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("content-length", "0")))
                with owner.lock:
                    owner.count += 1
                body = b'{"id":"x","fingerprint":"x","new_group":false}'
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def urls(port):
    """(ez-pixel ingest URL, sentry DSN) for a port on 127.0.0.1."""
    return ("http://127.0.0.1:%d/ingest" % port, "http://public@127.0.0.1:%d/1" % port)


def row(what, ours, peer, unit, target, met, note, lower_is_better=True):
    ratio = None
    if peer not in (None, 0) and ours is not None:
        ratio = round(ours / peer, 3)
    return {"what": what, "ours": _round(ours), "peer": _round(peer),
            "peer_name": PEER_NAME if peer is not None else None, "unit": unit,
            "ratio": ratio, "target": target, "met": bool(met), "note": note}


def _round(value):
    if value is None:
        return None
    return float("%.4g" % value)


def output(rows):
    """--json: only the JSON array on stdout. Otherwise a readable table."""
    if "--json" in sys.argv[1:]:
        sys.stdout.write(json.dumps(rows) + "\n")
        return
    header = ("what", "ez-pixel", PEER_NAME, "ratio", "target", "met", "note")
    lines = [header]
    for r in rows:
        lines.append((r["what"], "%s %s" % (r["ours"], r["unit"]),
                      "-" if r["peer"] is None else "%s %s" % (r["peer"], r["unit"]),
                      "-" if r["ratio"] is None else str(r["ratio"]), r["target"],
                      "yes" if r["met"] else "NO", r["note"]))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)))
