"""The grouping key, exactly as spec/fingerprint.md defines it."""

import hashlib
import re

_STRIP = "\t\n\x0b\x0c\r "
_SURROGATE = re.compile("[\ud800-\udfff]")


def well_formed(text):
    """The text with every surrogate code point replaced by U+FFFD, one for each. In a str every
    surrogate is lone (a surrogate escape, or a high one followed by a low one, which is two code
    points, not a character): spec/fingerprint.md, step 4."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)


def key(kind, type_name, message, frame, logger=None):
    """The exact string hashed. `frame` is the picked frame: an object with file, fn, line
    and source (a str or None), or None."""
    if kind == "message":
        detail = "message:" + message
        if logger is not None:
            file, fn = "logger:" + logger, ""
        elif frame is not None:
            file, fn = frame.file, frame.fn
        else:
            file, fn = "", ""
    elif frame is not None:
        file, fn = frame.file, frame.fn
        stripped = frame.source.strip(_STRIP) if frame.source is not None else ""
        detail = stripped if stripped else "line:%d" % frame.line
    else:
        file, fn, detail = "", "", "message:" + message
    return "\x00".join((type_name, file, fn, detail))


def fingerprint(key_text):
    return hashlib.sha256(well_formed(key_text).encode("utf-8")).hexdigest()[:16]
