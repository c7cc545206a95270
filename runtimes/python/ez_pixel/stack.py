"""Builds the wire format's frames from tracebacks or recorded call sites, innermost first,
with stable file paths (spec/fingerprint.md "Frame paths") and the code context."""

import linecache
import os
import sysconfig

from .capture import is_sdk_file

MAX_FRAMES = 100
MAX_TEXT = 1024
CONTEXT_LINES = 5
_LIBRARY_MARKERS = ("/site-packages/", "/dist-packages/")


class Frame(object):
    """One frame as sent, plus what the fingerprint and code context need."""
    __slots__ = ("file", "line", "col", "fn", "in_app", "abs_path", "module_globals")

    def __init__(self, file, line, col, fn, in_app, abs_path, module_globals=None):
        self.file, self.line, self.col, self.fn = file, line, col, fn
        self.in_app, self.abs_path, self.module_globals = in_app, abs_path, module_globals

    def as_wire(self):
        return {"file": self.file[:MAX_TEXT], "line": self.line, "col": self.col,
                "fn": self.fn[:MAX_TEXT], "in_app": self.in_app}

    def source(self):
        """The raw text of this frame's line, or None when it cannot be read."""
        if self.line < 1:
            return None
        line = linecache.getline(self.abs_path, self.line, self.module_globals)
        return line.rstrip("\r\n") if line else None


class PathRules(object):
    """Classifies a code file as SDK, library, standard library or application."""

    def __init__(self, project_root):
        self.root = _norm(project_root).rstrip("/") + "/"
        paths = sysconfig.get_paths()
        stdlib = {paths.get("stdlib"), paths.get("platstdlib"), os.path.dirname(os.__file__)}
        self.stdlib = tuple(sorted((_norm(p).rstrip("/") + "/" for p in stdlib if p),
                                   key=len, reverse=True))
        # The environment's console scripts (a virtualenv's bin/flask, inside the project when
        # the venv is): code that calls the app, not the app. Sent as "bin/flask".
        self.scripts = _scripts_dir()

    def classify(self, filename):
        """(wire file, in_app), or None for the SDK's own frames."""
        if is_sdk_file(filename):
            return None
        if filename.startswith("<"):
            # <string> (exec'd or generated code, e.g. SQLAlchemy's), <frozen …>, <stdin>:
            # no file to show, and not a line the developer wrote.
            return filename, False
        path = _norm(filename if os.path.isabs(filename) else os.path.join(self.root, filename))
        cut = max(path.rfind(marker) for marker in _LIBRARY_MARKERS)
        if cut >= 0:
            return path[path.index("/", cut + 1) + 1:], False
        for prefix in self.stdlib:
            if path.startswith(prefix):
                return path[len(prefix):], False
        if self.scripts is not None and path.startswith(self.scripts[0]):
            return path[len(self.scripts[1]):], False
        if path.startswith(self.root):
            return path[len(self.root):], True
        return path, True


def _scripts_dir():
    """(the running environment's scripts folder, its parent), e.g. ('<venv>/bin/', '<venv>/'),
    or None."""
    scripts = sysconfig.get_paths().get("scripts")
    if not scripts:
        return None
    scripts = _norm(scripts).rstrip("/")
    return scripts + "/", scripts.rpartition("/")[0] + "/"


def _norm(path):
    return os.path.normpath(path).replace(os.sep, "/")


def _column(code, lasti):
    """1-based column from co_positions() (Python 3.11+), 0 when unknown."""
    if code is None or lasti is None or lasti < 0 or not hasattr(code, "co_positions"):
        return 0
    try:
        for index, position in enumerate(code.co_positions()):
            if index == lasti // 2:
                col = position[2]
                return col + 1 if col is not None else 0
    except Exception:
        pass
    return 0


def from_traceback(tb, rules):
    """Frames of a traceback, innermost first, at most MAX_FRAMES (the innermost ones)."""
    raw = []
    while tb is not None:
        frame = tb.tb_frame
        code = frame.f_code
        raw.append((code.co_filename, tb.tb_lineno or 0, code.co_name, tb.tb_lasti, code,
                    frame.f_globals))
        tb = tb.tb_next
    raw.reverse()
    return _build(raw, rules)


def from_call_site(recorded, rules):
    """Frames recorded by capture.call_site_frames (already innermost first)."""
    return _build([r + (None,) for r in recorded], rules)


def from_log_record(pathname, lineno, fn, rules):
    return _build([(pathname, lineno or 0, fn or "", None, None, None)], rules)


def _build(raw, rules):
    frames = []
    for filename, line, fn, lasti, code, module_globals in raw:
        placed = rules.classify(filename)
        if placed is None:
            continue
        frames.append(Frame(placed[0], line, _column(code, lasti), fn, placed[1], filename,
                            module_globals))
        if len(frames) == MAX_FRAMES:
            break
    return frames


def pick_frame(frames):
    """The innermost in-app frame, else the innermost frame, else None (spec step 1)."""
    for frame in frames:
        if frame.in_app:
            return frame
    return frames[0] if frames else None


def code_context(frame):
    """Up to CONTEXT_LINES lines on each side of the frame's line, or None."""
    if frame is None or frame.line < 1:
        return None
    lines = linecache.getlines(frame.abs_path, frame.module_globals)
    if not lines or frame.line > len(lines):
        return None
    start = max(1, frame.line - CONTEXT_LINES)
    end = min(len(lines), frame.line + CONTEXT_LINES)
    return {
        "file": frame.file[:MAX_TEXT],
        "error_line": frame.line,
        "start_line": start,
        "lines": [line.rstrip("\r\n")[:MAX_TEXT] for line in lines[start - 1:end]],
    }
