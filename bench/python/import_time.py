"""How much `import ez_pixel` adds to interpreter start-up, next to `import sentry_sdk`.
Each round runs three fresh processes (nothing, ez_pixel, sentry_sdk) in alternation; the
figure is the median over rounds of (process with the import - process without)."""

import subprocess

from _common import child_env, median, output, peer_python, row, run_child, spread

ROUNDS = 15
TARGET_MS = 10.0


def self_reported_ms(python, module, env):
    """The interpreter's own figure (-X importtime, cumulative) for one import, in ms."""
    result = subprocess.run([python, "-X", "importtime", "-c", "import " + module], env=env,
                            capture_output=True, text=True, check=True)
    for line in result.stderr.splitlines():
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1]) / 1000.0
    return float("nan")


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
    ours_ms, peer_ms = median(ours), median(peer)
    ours_x = median([self_reported_ms(python, "ez_pixel", env) for _ in range(ROUNDS)])
    peer_x = median([self_reported_ms(python, "sentry_sdk", env) for _ in range(ROUNDS)])
    output([row("import time added to start-up", ours_ms, peer_ms, "ms",
                "<= %g ms" % TARGET_MS, ours_ms <= TARGET_MS,
                "median of %d alternating rounds of process wall time; ez-pixel %s; "
                "sentry-sdk %s; -X importtime medians: ez-pixel %.2f ms, sentry-sdk %.1f ms"
                % (ROUNDS, spread(ours), spread(peer), ours_x, peer_x))])


if __name__ == "__main__":
    main()
