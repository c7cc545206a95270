"""Events that could not be delivered before the process ended, kept on disk for the next
process with the same key. The layout is shared with the Node SDK:
<cache>/ez-pixel/spool/<sha256(project_key)[:16]>/<event_id>.json, written atomically,
at most MAX_FILES files and MAX_BYTES bytes, nothing older than MAX_AGE."""

import hashlib
import json
import os
import time

MAX_FILES = 100
MAX_BYTES = 5 * 1024 * 1024
MAX_AGE = 7 * 24 * 3600


def cache_root():
    explicit = os.environ.get("EZ_PIXEL_CACHE_DIR")
    if explicit:
        return explicit
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return xdg
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return os.environ["LOCALAPPDATA"]
    return os.path.join(os.path.expanduser("~"), ".cache")


def directory_for(project_key):
    digest = hashlib.sha256(project_key.encode("utf-8")).hexdigest()[:16]
    return os.path.join(cache_root(), "ez-pixel", "spool", digest)


class Spool(object):
    def __init__(self, project_key):
        self.directory = directory_for(project_key)

    def path_for(self, event_id):
        return os.path.join(self.directory, event_id + ".json")

    def save(self, event_id, body):
        """Writes one event (JSON bytes) atomically, then enforces the bounds."""
        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        final = self.path_for(event_id)
        temp = "%s.%d.tmp" % (final, os.getpid())
        # The event holds the project key and source lines: readable by this user only.
        with os.fdopen(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            handle.write(body)
        os.replace(temp, final)
        self._enforce_bounds()

    def load(self, limit):
        """Up to `limit` spooled events as (path, event), oldest first. Expired and unreadable
        files are deleted."""
        loaded = []
        for path, _size, _mtime in self._entries():
            if len(loaded) >= limit:
                break
            try:
                with open(path, "rb") as handle:
                    event = json.loads(handle.read().decode("utf-8"))
                if isinstance(event, dict) and isinstance(event.get("event_id"), str):
                    loaded.append((path, event))
                    continue
            except (OSError, ValueError):
                pass
            remove(path)
        return loaded

    def _entries(self):
        """(path, size, mtime) of live spool files, oldest first; removes expired ones."""
        try:
            names = os.listdir(self.directory)
        except OSError:
            return []
        now = time.time()
        entries = []
        for name in names:
            if not name.endswith(".json"):
                continue
            path = os.path.join(self.directory, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            if now - info.st_mtime > MAX_AGE:
                remove(path)
            else:
                entries.append((path, info.st_size, info.st_mtime))
        entries.sort(key=lambda entry: entry[2])
        return entries

    def _enforce_bounds(self):
        entries = self._entries()
        total = sum(size for _path, size, _mtime in entries)
        while entries and (len(entries) > MAX_FILES or total > MAX_BYTES):
            path, size, _mtime = entries.pop(0)
            remove(path)
            total -= size


def remove(path):
    try:
        os.remove(path)
    except OSError:
        pass
