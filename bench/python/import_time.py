"""How much `import ez_pixel` adds to interpreter start-up, next to `import sentry_sdk`.
Each round runs three fresh processes (nothing, ez_pixel, sentry_sdk) in alternation; the
figure is the median over rounds of (process with the import - process without)."""

from _common import child_env, log, median, output, peer_python, row, run_child, spread

ROUNDS = 15
TARGET_MS = 10.0


def main():
    python = peer_python()
    env = child_env()
    ours, peer = [], []
    for index in range(ROUNDS):
        base, _ = run_child(python, "pass", env)
        mine, _ = run_child(python, "import ez_pixel", env)
        theirs, _ = run_child(python, "import sentry_sdk", env)
        ours.append((mine - base) * 1000)
        peer.append((theirs - base) * 1000)
        log("import round %d/%d" % (index + 1, ROUNDS))
    ours_ms, peer_ms = median(ours), median(peer)
    output([row("import time added to start-up", ours_ms, peer_ms, "ms",
                "<= %g ms" % TARGET_MS, ours_ms <= TARGET_MS,
                "median of %d alternating rounds; ez-pixel %s; %s %s"
                % (ROUNDS, spread(ours), "sentry-sdk", spread(peer)))])


if __name__ == "__main__":
    main()
