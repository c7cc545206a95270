"""What reporting an exception with a 10-frame stack costs the caller's thread, next to
sentry_sdk.capture_exception, with both SDKs delivering to a live local ingest (run by this
process, so the ingest does not share the SDK's GIL)."""

import json

from _common import Ingest, log, median, output, peer_python, row, run_child, spread, urls, KEY

CALLS = 3000
RUNS = 7
TARGET_US = 20.0

CHILD = """
import json, time
%(setup)s
def nest(depth):
    if depth == 0:
        raise ValueError("benchmark")
    nest(depth - 1)
def make():
    try:
        nest(8)          # make() + 9 nest frames: a 10-frame traceback
    except ValueError as error:
        return error
errors = [make() for _ in range(%(calls)d)]
timings = []
clock = time.perf_counter_ns
for error in errors:
    start = clock()
    %(report)s
    timings.append(clock() - start)
timings.sort()
%(flush)s
print(json.dumps(timings[len(timings) // 2] / 1000.0))
"""

OURS = {
    "setup": "import ez_pixel\nez_pixel.init_pixel(%(key)r, %(url)r, max_queue=%(calls)d)",
    "report": "ez_pixel.report_pixel('failed', error=error)",
    "flush": "ez_pixel.flush_pixel(30)",
}
PEER = {
    "setup": "import sentry_sdk\nsentry_sdk.init(%(dsn)r, transport_queue_size=%(calls)d)",
    "report": "sentry_sdk.capture_exception(error)",
    "flush": "sentry_sdk.flush(30)",
}


def source(sdk, ingest):
    url, dsn = urls(ingest.port)
    values = {"key": KEY, "url": url, "dsn": dsn, "calls": CALLS}
    parts = {name: text % values for name, text in sdk.items()}
    return CHILD % dict(parts, calls=CALLS)


def main():
    python = peer_python()
    ingest = Ingest()
    ours, peer = [], []
    try:
        for index in range(RUNS):
            ours.append(json.loads(run_child(python, source(OURS, ingest))[1]))
            peer.append(json.loads(run_child(python, source(PEER, ingest))[1]))
            log("report cost run %d/%d" % (index + 1, RUNS))
    finally:
        ingest.close()
    ours_us, peer_us = median(ours), median(peer)
    output([row("report an exception (10 frames), caller's thread", ours_us, peer_us, "µs",
                "<= %g µs" % TARGET_US, ours_us <= TARGET_US,
                "median per call of %d calls, median of %d alternating runs; ez-pixel %s; "
                "sentry-sdk %s" % (CALLS, RUNS, spread(ours), spread(peer)))])


if __name__ == "__main__":
    main()
