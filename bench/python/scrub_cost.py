"""What the default scrubber (spec/scrubbing.md) costs per event on the worker thread: one event
of the size a web app's 500 has (a message quoting an e-mail from SQL parameters, a cause, a
request and user context with credentials in it), scrubbed many times in a child process.
Beside it, sentry-sdk's EventScrubber (recursive, as its docs advise for nested data) on the
same data in its own event shape."""

import json

from _common import log, median, output, peer_python, row, run_child, spread

EVENTS = 2000
RUNS = 7
TARGET_US = 50.0

CHILD = r"""
import copy, json, time
MESSAGE = ("(psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint "
           "\"users_email_key\"\nDETAIL:  Key (email)=(jane.doe@corp.example.com) already exists."
           "\n[SQL: INSERT INTO users (email, name) VALUES (%%(email)s, %%(name)s)]")
REQUEST = {"method": "POST", "path": "/signup", "route": "/signup",
           "headers": {"authorization": "Bearer abc.def", "cookie": "sid=1; csrftoken=2",
                       "user-agent": "Mozilla/5.0", "accept": "application/json"},
           "body": {"email": "jane.doe@corp.example.com", "password": "hunter2",
                    "name": "Jane", "plan": "pro", "tags": ["a", "b", "c"]}}
USER = {"id": 42, "email": "jane.doe@corp.example.com", "roles": ["admin", "billing"]}
%(setup)s
events = [make() for _ in range(%(events)d)]
clock = time.perf_counter_ns
timings = []
for event in events:
    start = clock()
    %(scrub)s
    timings.append(clock() - start)
timings.sort()
print(json.dumps(timings[len(timings) // 2] / 1000.0))
"""

OURS = {
    "setup": ("from ez_pixel import scrub\n"
              "def make():\n"
              "    return {'type': 'IntegrityError', 'message': MESSAGE,\n"
              "            'cause': [{'relation': 'cause', 'type': 'UniqueViolation',\n"
              "                       'message': MESSAGE, 'stack': []}],\n"
              "            'context': {'request': copy.deepcopy(REQUEST),\n"
              "                        'user': dict(USER), 'report_message': 'signup failed'}}"),
    "scrub": "scrub.event(event)",
}
PEER = {
    "setup": ("from sentry_sdk.scrubber import EventScrubber\n"
              "scrubber = EventScrubber(recursive=True)\n"
              "def make():\n"
              "    return {'exception': {'values': [\n"
              "                {'type': 'IntegrityError', 'value': MESSAGE},\n"
              "                {'type': 'UniqueViolation', 'value': MESSAGE}]},\n"
              "            'request': copy.deepcopy(REQUEST), 'user': dict(USER),\n"
              "            'extra': {'report_message': 'signup failed'}}"),
    "scrub": "scrubber.scrub_event(event)",
}


def main():
    python = peer_python()
    ours, peer = [], []
    for index in range(RUNS):
        for sdk, into in ((OURS, ours), (PEER, peer)):
            into.append(json.loads(run_child(python, CHILD % dict(sdk, events=EVENTS))[1]))
        log("scrub cost run %d/%d" % (index + 1, RUNS))
    ours_us, peer_us = median(ours), median(peer)
    output([row("default scrubber, per event (message, cause, request + user context)",
                ours_us, peer_us, "µs", "<= %g µs" % TARGET_US, ours_us <= TARGET_US,
                "median per event of %d, median of %d alternating runs; ez-pixel %s; sentry-sdk "
                "EventScrubber(recursive=True) %s (it checks keys only: it does not look for "
                "e-mail addresses in messages or values)" % (EVENTS, RUNS, spread(ours),
                                                             spread(peer)))])


if __name__ == "__main__":
    main()
