"""Serialises an event to at most 64 KiB of UTF-8 JSON, trimming in the order spec/README.md
"Size" gives: causes from the last, long code-context lines, outer stack frames (keeping 20),
context, and finally the message."""

import json

MAX_BYTES = 64 * 1024
KEEP_FRAMES = 20
MAX_DEPTH = 100  # containers, the event itself being level 1 (spec/hooks.md "Serialisable")


def encode(event):
    """The event as UTF-8 JSON bytes. `event` is known to be serialisable (see unserialisable)."""
    try:
        return json.dumps(event, ensure_ascii=False, separators=(",", ":"),
                          default=safe_repr).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate somewhere (e.g. user context): escape it rather than fail.
        return json.dumps(event, separators=(",", ":"), default=safe_repr).encode("utf-8")


def unserialisable(event):
    """Why an event (a before_send result) cannot be sent as it is, or None."""
    return _shape_problem(event) or unencodable(event, MAX_DEPTH)


def unencodable(value, depth):
    """Why `value` cannot be encoded within `depth` levels of nesting, or None: too deep, a
    cycle, keys JSON cannot hold."""
    if too_deep(value, depth):
        return "nested more than %d levels deep" % depth
    try:
        json.dumps(value, separators=(",", ":"), default=safe_repr)
    except (TypeError, ValueError, RecursionError) as failure:
        return repr(failure)
    return None


def too_deep(value, limit):
    """True when dicts and lists nest more than `limit` levels (`value` is level 1). Iterative,
    so it cannot hit the recursion limit; a cycle is infinitely deep."""
    pending, on_path = [(value, 1)], set()
    while pending:
        current, level = pending.pop()
        if isinstance(current, dict):
            children = current.values()
        elif isinstance(current, (list, tuple)):
            children = current
        else:
            continue
        if level > limit:
            return True
        if id(current) in on_path:
            continue  # reached again by another path: already walked
        on_path.add(id(current))
        pending.extend((child, level + 1) for child in children)
    return False


def _shape_problem(event):
    """The fields fit() trims must have the schema's types."""
    if not isinstance(event.get("message"), str):
        return "message is not a string"
    frames = event.get("stack")
    if not isinstance(frames, list) or not all(
            isinstance(f, dict) and isinstance(f.get("file"), str) and isinstance(f.get("fn"), str)
            for f in frames):
        return "stack is not a list of frames"
    if "cause" in event and not isinstance(event["cause"], list):
        return "cause is not a list"
    if "context" in event and not isinstance(event["context"], dict):
        return "context is not an object"
    code = event.get("code_context")
    if code is not None and not (isinstance(code, dict) and isinstance(code.get("lines"), list)
                                 and all(isinstance(line, str) for line in code["lines"])):
        return "code_context is not an object with lines"
    return None


def safe_repr(value):
    """User context may hold anything: what JSON cannot hold is sent as its repr."""
    try:
        return repr(value)
    except Exception:
        return "<unrepresentable %s>" % type(value).__name__


def fit(event, frames_trimmed=None):
    """(body bytes, event) with the event trimmed in place until it fits. `frames_trimmed(event)`
    is called once outer frames were dropped, to group the event by the frames it keeps."""
    body = encode(event)
    if len(body) <= MAX_BYTES:
        return body, event
    causes = event.get("cause")
    while causes and len(body) > MAX_BYTES:
        causes.pop()
        body = encode(event)
    if not causes:
        event.pop("cause", None)
        body = encode(event)
    context = event.get("code_context")
    if len(body) > MAX_BYTES and context:
        context["lines"] = [line[:1024] for line in context["lines"]]
        body = encode(event)
    frames = event["stack"]
    captured = len(frames)
    while len(body) > MAX_BYTES and len(frames) > KEEP_FRAMES:
        del frames[max(KEEP_FRAMES, len(frames) - max(1, len(frames) // 4)):]
        body = encode(event)
    if len(frames) < captured and frames_trimmed is not None:
        frames_trimmed(event)
        body = encode(event)
    if len(body) > MAX_BYTES and "context" in event:
        event["context"] = {"_trimmed": True}
        body = encode(event)
    if len(body) > MAX_BYTES:
        event["message"] = event["message"][:8192]
        body = encode(event)
    if len(body) > MAX_BYTES:
        # Beyond the spec's steps (only multi-byte text can get here): never send more.
        event["code_context"] = None
        event["message"] = event["message"][:1024]
        for frame in frames:
            frame["file"], frame["fn"] = frame["file"][:256], frame["fn"][:256]
        body = encode(event)
    return body, event
