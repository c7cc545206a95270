"""Turns a Capture into a wire-format event (spec/README.md). Runs on the worker thread."""

import builtins
import time

from . import diagnostics
from . import fingerprint as fp
from . import scrub
from . import stack
from ._version import SDK_NAME, VERSION
from .trim import MAX_DEPTH, unencodable

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


class Grouping(object):
    """What the fingerprint and the code context are computed from, kept so that both can be
    computed again on the frames actually sent once trimming has dropped some."""
    __slots__ = ("kind", "type_name", "message", "logger", "frames", "picked")

    def __init__(self, kind, type_name, message, logger, frames):
        self.kind, self.type_name, self.message = kind, type_name, fp.well_formed(message)
        self.logger, self.frames = logger, frames
        self.picked = stack.pick_frame(frames)

    def fingerprint(self):
        picked = self.picked
        return fp.fingerprint(fp.key(self.kind, self.type_name, self.message,
                                     _Picked(picked) if picked is not None else None,
                                     self.logger))

    def follow_trimmed_stack(self, event):
        """After the outer frames were trimmed: the fingerprint and code context of the stack
        as sent (spec/fingerprint.md). A stack that before_send rewrote is left alone."""
        sent = event.get("stack")
        if not isinstance(sent, list) or len(sent) >= len(self.frames):
            return
        kept = self.frames[:len(sent)]
        if [frame.as_wire() for frame in kept] != sent:
            return
        picked = stack.pick_frame(kept)
        if picked is self.picked:
            return
        self.frames, self.picked = kept, picked
        event["fingerprint"] = self.fingerprint()
        event["code_context"] = stack.code_context(picked)


def build(capture, options, rules):
    """(event, Grouping)."""
    if capture.error is not None:
        error = capture.error
        tb = capture.traceback if capture.traceback is not None else \
            attribute(error, "__traceback__")
        frames = stack.from_traceback(tb, rules)
        type_name, message, kind = type_name_of(error), message_of(error), "error"
    else:
        if isinstance(capture.frames, tuple):  # a log record's (pathname, lineno, funcName)
            frames = stack.from_log_record(*capture.frames, rules=rules)
        else:
            frames = stack.from_call_site(capture.frames or [], rules)
        type_name, message, kind = "Message", _text(capture.message), "message"
    group_message = _text(capture.template) if capture.template is not None else message
    if options.scrub:  # before the fingerprint: reports differing by an address group together
        message, group_message = scrub.text(message), scrub.text(group_message)
    grouping = Grouping(kind, type_name, group_message, capture.logger, frames)
    event = {
        "event_id": capture.event_id,
        "project_key": options.project_key,
        "fingerprint": grouping.fingerprint(),
        "type": type_name[:MAX_TYPE] or "Exception",
        "message": message[:MAX_MESSAGE],
        "stack": [frame.as_wire() for frame in frames],
        "code_context": stack.code_context(grouping.picked),
        "runtime": options.runtime,
        "manual_report": capture.manual,
        "level": capture.level,
        "occurred_at": timestamp(capture.timestamp),
        "sdk": {"name": SDK_NAME, "version": VERSION},
    }
    if capture.error is not None:
        causes = cause_chain(capture.error, rules)
        if options.scrub:
            for cause in causes:
                cause["message"] = scrub.text(cause["message"])
        if causes:
            event["cause"] = causes
    if options.environment is not None:
        event["environment"] = options.environment
    if options.release is not None:
        event["release"] = options.release
    if capture.context:
        event["context"] = sendable_context(
            scrub.context(capture.context) if options.scrub else capture.context)
    return event, grouping


def sendable_context(context):
    """The context, or {"_unserializable": why} when it cannot be encoded (a cycle, non-string
    keys, nesting deeper than the event may hold), with one warning."""
    problem = unencodable(context, MAX_DEPTH - 1)
    if problem is None:
        return dict(context)
    diagnostics.warn_once("context", "a report's context cannot be serialised (%s); it is sent "
                                     "as context._unserializable" % problem)
    return {"_unserializable": problem}


def attribute(error, name):
    """An exception's attribute, even when its class's __getattribute__ raises: then the value
    BaseException itself holds. None when neither can be read."""
    try:
        return getattr(error, name, None)
    except Exception:
        diagnostics.warn_once("attributes", "reading the attributes of a %s raised; it is "
                                            "reported with what BaseException holds"
                              % _class_name(error))
    try:
        return object.__getattribute__(error, name)
    except Exception:
        return None


def _class_name(error):
    try:
        return type(error).__name__
    except Exception:
        return "exception"


def timestamp(seconds):
    whole = int(seconds)
    millis = int((seconds - whole) * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + ".%03dZ" % millis


def type_name_of(error):
    try:
        name = type(error).__name__
    except Exception:  # a metaclass whose attribute access raises
        name = None
    return fp.well_formed(name if isinstance(name, str) and name else "Exception")


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
    cause, context = attribute(error, "__cause__"), attribute(error, "__context__")
    if cause is not None:
        links.append(("cause", cause))
    elif context is not None and not attribute(error, "__suppress_context__"):
        links.append(("context", context))
    members = attribute(error, "exceptions")
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
                "stack": [f.as_wire() for f in
                          stack.from_traceback(attribute(linked, "__traceback__"), rules)],
            })
            if len(causes) == MAX_CAUSES:
                break
    return causes
