"""How long a process that reported one event takes to exit when the ingest accepts
connections but never answers (blackholed), with shutdown_timeout=2, next to sentry-sdk. The
delay is (wall time of the process that reported) - (wall time of the same process that did
not), per round, over alternating rounds."""

import socket

from _common import log, median, output, peer_python, row, run_child, spread, urls, KEY

ROUNDS = 7
TIMEOUT = 2.0

CHILD = """
%(setup)s
if %(report)s:
    try:
        raise ValueError("at exit")
    except ValueError as error:
        %(capture)s
"""

OURS = {
    "setup": "import ez_pixel\nez_pixel.init_pixel(%(key)r, %(url)r, shutdown_timeout=%(t)r)",
    "capture": "ez_pixel.report_pixel('failed', error=error)",
}
PEER = {
    "setup": "import sentry_sdk\nsentry_sdk.init(%(dsn)r, shutdown_timeout=%(t)r)",
    "capture": "sentry_sdk.capture_exception(error)",
}


def source(sdk, port, report):
    url, dsn = urls(port)
    values = {"key": KEY, "url": url, "dsn": dsn, "t": TIMEOUT}
    return CHILD % dict({k: v % values for k, v in sdk.items()}, report=report)


def main():
    python = peer_python()
    blackhole = socket.socket()
    blackhole.bind(("127.0.0.1", 0))
    blackhole.listen(128)  # connections complete in the kernel; nobody ever answers
    port = blackhole.getsockname()[1]
    ours, peer = [], []
    try:
        for index in range(ROUNDS):
            for sdk, into in ((OURS, ours), (PEER, peer)):
                quiet, _ = run_child(python, source(sdk, port, False))
                loud, _ = run_child(python, source(sdk, port, True))
                into.append(loud - quiet)
            log("exit delay round %d/%d" % (index + 1, ROUNDS))
    finally:
        blackhole.close()
    ours_s, peer_s = median(ours), median(peer)
    limit = TIMEOUT * 1.1
    output([row("exit delay, blackholed ingest, shutdown_timeout=2", ours_s, peer_s, "s",
                "<= %g s" % limit, ours_s <= limit,
                "median of %d alternating rounds; ez-pixel %s; sentry-sdk %s"
                % (ROUNDS, spread(ours), spread(peer)))])


if __name__ == "__main__":
    main()
