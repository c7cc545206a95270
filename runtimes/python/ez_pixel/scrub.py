"""The default scrubber, exactly as spec/scrubbing.md defines it: e-mail addresses in the
message, the causes' messages and the context, and every value under a key named like a
credential, become "[scrubbed]". It runs on the built event, before the fingerprint and
before before_send."""

import re

from .trim import safe_repr

REPLACEMENT = "[scrubbed]"
MAX_LEVEL = 64  # containers at level 65 or deeper (context itself is level 1) are replaced
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,63}")
_SENSITIVE = ("password", "passwd", "secret", "token", "authorization", "cookie", "api_key",
              "api-key", "apikey")
_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}
_AFTER_AT = 8 * 64 + 63  # the longest domain the pattern allows
_sensitive_keys = {}


def text(value):
    """A string with every e-mail address replaced: the same result as _EMAIL.sub, but the
    pattern only runs near each "@". (Run over the whole text, it tries every position: about
    20 µs for a 250-character SQL error.) A match holds exactly one "@", at most 64 characters
    after its start and at most _AFTER_AT before its end, so for the first "@" at or after
    `done`, the leftmost match using it starts within 64 characters before it and lies inside
    that window."""
    at = value.find("@")
    if at < 0:
        return value
    parts, done = [], 0
    while at >= 0:
        match = _EMAIL.search(value, max(done, at - 64), at + _AFTER_AT + 1)
        if match is not None and match.start() < at:
            parts.append(value[done:match.start()])
            parts.append(REPLACEMENT)
            done = match.end()
            at = value.find("@", done)
        else:  # no address uses this "@"
            at = value.find("@", at + 1)
    parts.append(value[done:])
    return "".join(parts)


def sensitive(key):
    known = _sensitive_keys.get(key)
    if known is None:
        folded = key.translate(_ASCII_LOWER)  # only A-Z fold, as in every runtime
        known = any(word in folded for word in _SENSITIVE)
        if len(_sensitive_keys) < 4096:  # apps use few distinct keys; never grow unbounded
            _sensitive_keys[key] = known
    return known


def context(value):
    """A scrubbed copy of a context dict (the original is not changed). A container that
    contains itself is kept as it is, for the encoder to report as a cycle."""
    return _walk(value, 1, set(), {})


def event(built):
    """Scrubs a built event's message, causes' messages and context in place."""
    if isinstance(built.get("message"), str):
        built["message"] = text(built["message"])
    for cause in built.get("cause") or ():
        if isinstance(cause, dict) and isinstance(cause.get("message"), str):
            cause["message"] = text(cause["message"])
    if isinstance(built.get("context"), dict):
        built["context"] = context(built["context"])
    return built


def _walk(value, level, on_path, done):
    if isinstance(value, str):
        return text(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if not isinstance(value, (dict, list, tuple)):
        # Sent as its repr by the encoder: scrub that text now.
        return text(safe_repr(value))
    if level > MAX_LEVEL:
        return REPLACEMENT
    ident = id(value)
    if ident in on_path:
        return value
    if (ident, level) in done:  # shared, not cyclic: walked once per level, never 2^n times
        return done[(ident, level)]
    on_path.add(ident)
    try:
        if isinstance(value, dict):
            result = {}
            for key, item in value.items():
                if isinstance(key, str):
                    result[text(key)] = REPLACEMENT if sensitive(key) else \
                        _walk(item, level + 1, on_path, done)
                else:
                    result[key] = _walk(item, level + 1, on_path, done)
        else:
            result = [_walk(item, level + 1, on_path, done) for item in value]
    finally:
        on_path.discard(ident)
    done[(ident, level)] = result
    return result
