"""What the caller's thread records when something is reported: the exception (or the call
site's frames), a timestamp and an event id. Everything slow (stack, source lines, fingerprint,
JSON) is left to the worker thread, so report_pixel stays cheap for the application."""

import os
import sys
import time

_PACKAGE_PREFIX = os.path.dirname(os.path.abspath(__file__)) + os.sep
_MAX_FRAMES = 100
_SEEN = "__ez_pixel_seen__"


class Capture(object):
    __slots__ = ("event_id", "timestamp", "level", "manual", "message", "error", "traceback",
                 "frames", "logger", "template", "context",
                 "seq", "body", "spool_path")  # set by the worker

    def __init__(self, level, manual, message=None, error=None, tb=None, frames=None,
                 logger=None, template=None, context=None):
        self.event_id = new_event_id()
        self.timestamp = time.time()
        self.level = level
        self.manual = manual
        self.message = message
        self.error = error
        self.traceback = tb
        self.frames = frames
        self.logger = logger
        self.template = template
        self.context = context
        self.seq = 0
        self.body = None
        self.spool_path = None

    @classmethod
    def from_spool(cls, path, event_id, body):
        """An already-built event loaded from the spool: only its bytes are sent."""
        item = cls.__new__(cls)
        item.event_id, item.body, item.spool_path, item.seq = event_id, body, path, 0
        return item


def new_event_id():
    """A lowercase version-4 UUID, without importing uuid at start-up."""
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return "%s-%s-%s-%s-%s" % (h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])


def first_sighting(error):
    """True the first time an exception object is reported; marks it so a later hook (or the
    logging integration) does not send it again. Exceptions that refuse attributes are never
    deduplicated rather than never reported."""
    try:
        if getattr(error, _SEEN, False):
            return False
        setattr(error, _SEEN, True)
    except Exception:
        pass
    return True


def is_sdk_file(filename):
    if filename.startswith(_PACKAGE_PREFIX):
        return True
    # A relative co_filename (the SDK imported through a relative sys.path entry).
    return not os.path.isabs(filename) and not filename.startswith("<") and \
        os.path.abspath(filename).startswith(_PACKAGE_PREFIX)


def call_site_frames(skip_files=()):
    """(filename, line, function, lasti, code) for the current call stack, innermost first,
    without the SDK's own frames. Line numbers are read now, while they are still true."""
    frames = []
    frame = sys._getframe(1)
    while frame is not None and len(frames) < _MAX_FRAMES:
        code = frame.f_code
        name = code.co_filename
        if not is_sdk_file(name) and not any(name.startswith(s) for s in skip_files):
            frames.append((name, frame.f_lineno, code.co_name, frame.f_lasti, code))
        frame = frame.f_back
    return frames
