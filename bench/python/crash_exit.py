"""What the SDK adds to the exit of a script that crashes (an uncaught exception) while the local
ingest answers promptly: the wall time with the SDK initialised, minus the same script with
EZ_PIXEL_DISABLED=1, over alternating rounds. sentry-sdk beside it: initialised with the DSN,
minus initialised without one; and both over the same script with no SDK at all (what a user
who adds the SDK pays, imports included). Every crash must reach the ingest, or the round is
void. The
CPU time (user + system) of the same children is printed too: on a loaded machine it is the
steadier figure, and what the SDK adds is almost all CPU (imports, one event, one request)."""

import resource

from _common import (Ingest, child_env, log, median, output, peer_python, row, run_child, spread,
                     urls, KEY)

ROUNDS = 15
TARGET_MS = 50.0

CHILD = """
%(setup)s
def handle_request():
    raise ValueError("crash at exit")
handle_request()
"""

OURS = "import ez_pixel\nez_pixel.init_pixel(%(key)r, %(url)r)"
PEER_ON = "import sentry_sdk\nsentry_sdk.init(%(dsn)r)"
PEER_OFF = "import sentry_sdk\nsentry_sdk.init(None)"
NO_SDK = "pass"


def crash(python, ingest, setup, disabled=False):
    url, dsn = urls(ingest.port)
    env = child_env()
    if disabled:
        env["EZ_PIXEL_DISABLED"] = "1"
    before, cpu_before = ingest.count, _children_cpu()
    wall, _ = run_child(python, CHILD % {"setup": setup % {"key": KEY, "url": url, "dsn": dsn}},
                        env=env, exit_code=1)
    sent = ingest.count - before
    if sent != (0 if disabled or setup in (PEER_OFF, NO_SDK) else 1):
        raise RuntimeError("expected the crash to be delivered once, saw %d requests" % sent)
    return wall, _children_cpu() - cpu_before


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def added(on, off):
    """(wall ms, cpu ms) that `on` took beyond `off`."""
    return (on[0] - off[0]) * 1000.0, (on[1] - off[1]) * 1000.0


def main():
    python = peer_python()
    ingest = Ingest()
    crash(python, ingest, OURS)  # compiles the SDK's bytecode once, as an install would
    disabled, no_sdk = ([], []), ([], [])  # (ours, peer) per baseline
    try:
        for index in range(ROUNDS):
            bare = crash(python, ingest, NO_SDK)
            ours = crash(python, ingest, OURS)
            disabled[0].append(added(ours, crash(python, ingest, OURS, disabled=True)))
            peer = crash(python, ingest, PEER_ON)
            disabled[1].append(added(peer, crash(python, ingest, PEER_OFF)))
            no_sdk[0].append(added(ours, bare))
            no_sdk[1].append(added(peer, bare))
            log("crash exit round %d/%d" % (index + 1, ROUNDS))
    finally:
        ingest.close()
    rows = []
    for baseline, (ours, peer), peer_how in (
            ("EZ_PIXEL_DISABLED=1", disabled, "with a DSN minus without"),
            ("no SDK", no_sdk, "imported and initialised with a DSN")):
        for index, (kind, how) in enumerate((("wall", "wall time"), ("CPU", "user + system CPU"))):
            mine, theirs = [pair[index] for pair in ours], [pair[index] for pair in peer]
            ours_ms, peer_ms = median(mine), median(theirs)
            # The target is over the disabled SDK; over no SDK, a ratio to the peer.
            target, met = ("<= %g ms added" % TARGET_MS, ours_ms <= TARGET_MS) \
                if ours is disabled[0] else ("<= 1/2 of peer", ours_ms <= peer_ms / 2)
            rows.append(row("crash exit cost (%s), responsive ingest, vs %s" % (kind, baseline),
                            ours_ms, peer_ms, "ms", target, met,
                            "median of %d alternating rounds of the %s a crashing script whose "
                            "uncaught exception is delivered adds over the same script with %s; "
                            "ez-pixel %s; sentry-sdk %s (%s)"
                            % (ROUNDS, how, baseline, spread(mine), spread(theirs), peer_how)))
    output(rows)


if __name__ == "__main__":
    main()
