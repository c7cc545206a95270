"""The doctor probe (shared with the Node SDK): with EZ_PIXEL_PROBE=<path> at init, send one
info event straight away, wait for its answer (at most 10 s) and write the outcome as JSON."""

import json
import os
import time

from .capture import new_event_id
from .event import timestamp
from .options import default_runtime
from ._version import SDK_NAME, VERSION

PROBE_TIMEOUT = 10.0
MESSAGE = "ez-pixel doctor probe: the wiring works"


def requested():
    return os.environ.get("EZ_PIXEL_PROBE") or None


def write(path, result):
    try:
        temp = "%s.%d.tmp" % (path, os.getpid())
        with open(temp, "w") as handle:
            json.dump(result, handle)
        os.replace(temp, path)
    except Exception:
        pass


def write_failure(path, reason):
    write(path, {"ok": False, "status": None, "event_id": None, "error": reason,
                 "sdk": "%s/%s" % (SDK_NAME, VERSION)})


def run(path, options):
    from .fingerprint import fingerprint, key
    from .transport import Transport
    from .trim import encode

    event_id = new_event_id()
    event = {
        "event_id": event_id, "project_key": options.project_key,
        "fingerprint": fingerprint(key("message", "Message", MESSAGE, None)),
        "type": "Message", "message": MESSAGE, "stack": [], "code_context": None,
        "runtime": options.runtime or default_runtime(), "manual_report": True,
        "level": "info", "occurred_at": timestamp(time.time()),
        "sdk": {"name": SDK_NAME, "version": VERSION},
    }
    transport = Transport(options, timeout=PROBE_TIMEOUT)
    outcome = transport.post(encode(event))
    transport.close()
    ok = outcome.status is not None and 200 <= outcome.status < 300
    write(path, {
        "ok": ok, "status": outcome.status, "event_id": event_id,
        "error": None if ok else outcome.describe(),
        "sdk": "%s/%s" % (SDK_NAME, VERSION),
    })
