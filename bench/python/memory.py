"""Memory with the ingest down: RSS growth over 100,000 reported exceptions when every
connection is refused, next to sentry-sdk (both with their default queue sizes)."""

import json

from _common import closed_port, log, output, peer_python, row, run_child, urls, KEY

REPORTS = 100000
TARGET_MB = 20.0

CHILD = """
import gc, json, resource, time
%(setup)s
def rss_mb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 1e6
def nest(depth, i):
    if depth == 0:
        raise ValueError("report %%d" %% i)
    nest(depth - 1, i)
def report(i):
    try:
        nest(8, i)
    except ValueError as error:
        %(capture)s
for i in range(1000):   # warm up: caches, the worker, the first retries
    report(i)
gc.collect()
before = rss_mb()
start = time.perf_counter()
for i in range(%(reports)d):
    report(i)
seconds = time.perf_counter() - start
gc.collect()
print(json.dumps([rss_mb() - before, seconds]))
"""

OURS = {
    "setup": "import ez_pixel\nez_pixel.init_pixel(%(key)r, %(url)r, shutdown_timeout=0.1)",
    "capture": "ez_pixel.report_pixel('failed', error=error)",
}
PEER = {
    "setup": "import sentry_sdk\nsentry_sdk.init(%(dsn)r, shutdown_timeout=0.1)",
    "capture": "sentry_sdk.capture_exception(error)",
}


def measure(python, sdk, port):
    url, dsn = urls(port)
    values = {"key": KEY, "url": url, "dsn": dsn}
    source = CHILD % dict({k: v % values for k, v in sdk.items()}, reports=REPORTS)
    return json.loads(run_child(python, source, timeout=900)[1])


def main():
    python = peer_python()
    port = closed_port()
    ours, ours_s = measure(python, OURS, port)
    log("memory: ez-pixel done; sentry-sdk takes a few minutes")
    peer, peer_s = measure(python, PEER, port)
    output([row("RSS growth over 100,000 reports, ingest down", ours, peer, "MB",
                "<= %g MB" % TARGET_MB, ours <= TARGET_MB,
                "one run each (RSS after - RSS before, after 1,000 warm-up reports); "
                "default queue sizes; the reports took ez-pixel %.1f s, sentry-sdk %.1f s"
                % (ours_s, peer_s))])


if __name__ == "__main__":
    main()
