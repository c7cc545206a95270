"""Sustained delivery: events per second from report to acknowledged by a local ingest (run
by this process), next to sentry-sdk. The child reports EVENTS exceptions, then flushes; the
rate is EVENTS / (time from the first report until flush returns), checked against the
number of requests the ingest answered."""

import json

from _common import Ingest, log, median, output, peer_python, row, run_child, spread, urls, KEY

EVENTS = 3000
RUNS = 7
TARGET = 1000.0

CHILD = """
import json, time
%(setup)s
errors = []
for i in range(%(events)d):
    try:
        raise ValueError("event %%d" %% i)
    except ValueError as error:
        errors.append(error)
start = time.perf_counter()
for error in errors:
    %(report)s
%(flush)s
print(json.dumps(time.perf_counter() - start))
"""

OURS = {
    "setup": "import ez_pixel\nez_pixel.init_pixel(%(key)r, %(url)r, max_queue=%(events)d)",
    "report": "ez_pixel.report_pixel('failed', error=error)",
    "flush": "assert ez_pixel.flush_pixel(120)",
}
PEER = {
    "setup": "import sentry_sdk\nsentry_sdk.init(%(dsn)r, transport_queue_size=%(events)d)",
    "report": "sentry_sdk.capture_exception(error)",
    "flush": "sentry_sdk.flush(120)",
}


def measure(python, sdk):
    ingest = Ingest()
    try:
        url, dsn = urls(ingest.port)
        values = {"key": KEY, "url": url, "dsn": dsn, "events": EVENTS}
        parts = {name: text % values for name, text in sdk.items()}
        seconds = json.loads(run_child(python, CHILD % dict(parts, events=EVENTS))[1])
        received = ingest.count
    finally:
        ingest.close()
    if received < EVENTS:
        raise RuntimeError("the ingest received %d of %d events" % (received, EVENTS))
    return EVENTS / seconds


def main():
    python = peer_python()
    ours, peer = [], []
    for index in range(RUNS):
        ours.append(measure(python, OURS))
        peer.append(measure(python, PEER))
        log("delivery run %d/%d" % (index + 1, RUNS))
    ours_rate, peer_rate = median(ours), median(peer)
    output([row("sustained delivery to a local ingest", ours_rate, peer_rate, "events/s",
                ">= %g events/s" % TARGET, ours_rate >= TARGET,
                "%d events per run, median of %d alternating runs (higher is better); "
                "ez-pixel %s; sentry-sdk %s" % (EVENTS, RUNS, spread(ours), spread(peer)))])


if __name__ == "__main__":
    main()
