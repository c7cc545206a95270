"""Turns a Capture into a wire-format event (spec/README.md). Runs on the worker thread."""

import builtins
import time

from . import fingerprint as fp
from . import stack
from ._version import SDK_NAME, VERSION

MAX_MESSAGE = 8192
MAX_TYPE = 512
MAX_CAUSES = 10
_GROUP = getattr(builtins, "BaseExceptionGroup", None)  # Python 3.11+


class _Picked(object):
    """The fingerprinted frame with its source line read once."""
    __slots__ = ("file", "fn", "line", "source")

    def __init__(self, frame):
        self.file, self.fn, self.line = frame.file, frame.fn, frame.line
        self.source = frame.source()


def build(capture, options, rules):
    if capture.error is not None:
        error = capture.error
        tb = capture.traceback if capture.traceback is not None else error.__traceback__
        frames = stack.from_traceback(tb, rules)
        type_name, message, kind = type_name_of(error), message_of(error), "error"
    else:
        if isinstance(capture.frames, tuple):  # a log record's (pathname, lineno, funcName)
            frames = stack.from_log_record(*capture.frames, rules=rules)
        else:
            frames = stack.from_call_site(capture.frames or [], rules)
        type_name, message, kind = "Message", _text(capture.message), "message"
    picked = stack.pick_frame(frames)
    group_message = _text(capture.template) if capture.template is not None else message
    key = fp.key(kind, type_name, fp.well_formed(group_message),
                 _Picked(picked) if picked is not None else None, capture.logger)
    event = {
        "event_id": capture.event_id,
        "project_key": options.project_key,
        "fingerprint": fp.fingerprint(key),
        "type": type_name[:MAX_TYPE] or "Exception",
        "message": message[:MAX_MESSAGE],
        "stack": [frame.as_wire() for frame in frames],
        "code_context": stack.code_context(picked),
        "runtime": options.runtime,
        "manual_report": capture.manual,
        "level": capture.level,
        "occurred_at": timestamp(capture.timestamp),
        "sdk": {"name": SDK_NAME, "version": VERSION},
    }
    if capture.error is not None:
        causes = cause_chain(capture.error, rules)
        if causes:
            event["cause"] = causes
    if options.environment is not None:
        event["environment"] = options.environment
    if options.release is not None:
        event["release"] = options.release
    if capture.context:
        event["context"] = dict(capture.context)
    return event


def timestamp(seconds):
    whole = int(seconds)
    millis = int((seconds - whole) * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + ".%03dZ" % millis


def type_name_of(error):
    return fp.well_formed(getattr(type(error), "__name__", None) or "Exception")


def message_of(error):
    try:
        text = str(error)
    except Exception:
        text = "<unprintable %s>" % type_name_of(error)
    return fp.well_formed(text)


def _text(value):
    if value is None:
        return ""
    try:
        return fp.well_formed(value if isinstance(value, str) else str(value))
    except Exception:
        return "<unprintable message>"


def _links(error):
    """(relation, exception) pairs that lead on from one exception."""
    links = []
    if error.__cause__ is not None:
        links.append(("cause", error.__cause__))
    elif error.__context__ is not None and not error.__suppress_context__:
        links.append(("context", error.__context__))
    members = getattr(error, "exceptions", None)
    if isinstance(members, tuple) and _is_group(error):
        links.extend(("group", member) for member in members)
    return links


def _is_group(error):
    return _GROUP is not None and isinstance(error, _GROUP)


def cause_chain(error, rules):
    """Linked exceptions breadth-first, each once (so cycles end), at most MAX_CAUSES."""
    seen = {id(error)}
    queue = [error]
    causes = []
    while queue and len(causes) < MAX_CAUSES:
        current = queue.pop(0)
        for relation, linked in _links(current):
            if id(linked) in seen or not isinstance(linked, BaseException):
                continue
            seen.add(id(linked))
            queue.append(linked)
            causes.append({
                "relation": relation,
                "type": type_name_of(linked)[:MAX_TYPE] or "Exception",
                "message": message_of(linked)[:MAX_MESSAGE],
                "stack": [f.as_wire() for f in stack.from_traceback(linked.__traceback__, rules)],
            })
            if len(causes) == MAX_CAUSES:
                break
    return causes
