"""Serialises an event to at most 64 KiB of UTF-8 JSON, trimming in the order spec/README.md
"Size" gives: causes from the last, long code-context lines, outer stack frames (keeping 20),
context, and finally the message."""

import json

MAX_BYTES = 64 * 1024
KEEP_FRAMES = 20


def encode(event):
    """The event as UTF-8 JSON bytes."""
    try:
        return json.dumps(event, ensure_ascii=False, separators=(",", ":"),
                          default=_unknown).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate somewhere (e.g. user context): escape it rather than fail.
        return json.dumps(event, separators=(",", ":"), default=_unknown).encode("utf-8")
    except (TypeError, ValueError) as failure:
        # A cycle or non-string keys in user context: send the event, with the context as text.
        event = dict(event, context={"_unserializable": repr(failure)})
        return json.dumps(event, separators=(",", ":"), default=_unknown).encode("utf-8")


def _unknown(value):
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
