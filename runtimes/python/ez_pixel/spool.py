"""Events that could not be delivered before the process ended, kept on disk for the next
process with the same key. The layout is shared with the Node SDK:
<cache>/ez-pixel/spool/<sha256(project_key)[:16]>/<event_id>.json, written atomically (a
.tmp file, then a rename; a failed write removes its .tmp, and one older than TEMP_AGE is
pruned), at most MAX_FILES files and MAX_BYTES bytes, nothing older than MAX_AGE.

A process sends a spooled file only after claiming it: an atomic rename to
<event_id>.json.claimed-<pid>-<time>, which exactly one process can win. After a fork (a prefork
server: the master initialises, then forks its workers) every process reads the same folder,
and each event is still sent once. A claim whose process is gone, or older than CLAIM_TTL, is
stale and can be claimed again."""

import hashlib
import json
import os
import time

MAX_FILES = 100
MAX_BYTES = 5 * 1024 * 1024
MAX_AGE = 7 * 24 * 3600
CLAIM_TTL = 3600
TEMP_AGE = 60
_CLAIM = ".claimed-"


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
        try:
            # The event holds the project key and source lines: readable by this user only.
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
            with os.fdopen(os.open(temp, flags, 0o600), "wb") as handle:
                handle.write(body)
            os.replace(temp, final)
        except BaseException:
            remove(temp)  # a full disk must not leave 0-byte files behind
            raise
        finally:
            self._enforce_bounds()

    def load(self, limit):
        """Up to `limit` spooled events as (claimed path, event), oldest first, each claimed by
        this process. Expired and unreadable files are deleted."""
        loaded = []
        for path, _size, _mtime in self._entries():
            if len(loaded) >= limit:
                break
            if _CLAIM in os.path.basename(path) and not _stale_claim(path):
                continue
            claimed = claim(path)
            if claimed is None:
                continue  # another process claimed it first
            try:
                with open(claimed, "rb") as handle:
                    event = json.loads(handle.read().decode("utf-8"))
                if isinstance(event, dict) and isinstance(event.get("event_id"), str):
                    loaded.append((claimed, event))
                    continue
            except (OSError, ValueError):
                pass
            remove(claimed)
        return loaded

    def _entries(self):
        """(path, size, mtime) of spool files, claimed ones included, oldest first; removes
        expired ones."""
        try:
            names = os.listdir(self.directory)
        except OSError:
            return []
        now = time.time()
        entries = []
        for name in names:
            temp = name.endswith(".tmp")
            if not (temp or name.endswith(".json") or _CLAIM in name):
                continue
            path = os.path.join(self.directory, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            if temp:  # left by a process that died mid-write (a live writer takes ms)
                if now - info.st_mtime > TEMP_AGE:
                    remove(path)
            elif now - info.st_mtime > MAX_AGE:
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


def claim(path):
    """Renames a spool file (or a stale claim) to a name only this process owns. Returns the new
    path, or None when another process renamed it first."""
    base = path.split(_CLAIM, 1)[0]
    claimed = "%s%s%d-%d" % (base, _CLAIM, os.getpid(), int(time.time()))
    try:
        os.rename(path, claimed)
    except OSError:
        return None
    return claimed


def release(claimed):
    """Gives a claimed file back to the spool (its delivery failed): the next start sends it."""
    if _CLAIM in claimed:
        try:
            os.rename(claimed, claimed.split(_CLAIM, 1)[0])
        except OSError:
            pass


def _stale_claim(path):
    try:
        pid_text, _, since_text = path.rsplit(_CLAIM, 1)[1].partition("-")
        pid, since = int(pid_text), int(since_text)
    except ValueError:
        return True
    if time.time() - since > CLAIM_TTL:
        return True
    return os.name != "nt" and not _alive(pid)


def _alive(pid):
    """POSIX only (on Windows os.kill would end the process)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True  # it exists, owned by someone else
    except (OSError, OverflowError):
        return False  # no such process, or a pid out of range (spec/README.md "Claims")
    return True


def remove(path):
    try:
        os.remove(path)
    except OSError:
        pass
