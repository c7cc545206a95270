"""One configured SDK: options, the worker, and the capture entry points the public API and the
hooks call. Capture methods run on the application's threads: they never raise and do only
cheap work (see capture.py); the event is built on the worker."""

import os
import time

from . import before_send, diagnostics
from . import event as event_builder
from .capture import Capture, call_site_frames, first_sighting
from .spool import Spool
from .stack import PathRules
from .trim import fit
from .worker import Worker


class Client(object):
    def __init__(self, options):
        self.options = options
        # Built here, on the application's thread, with every module the worker needs already
        # imported (sdk.init imports this module): a worker that imports while the app forks
        # would leave the child a module lock that nobody ever releases.
        self._rules = PathRules(options.project_root)
        self.spool = Spool(options.project_key)
        self.worker = Worker(options, self._prepare, self.spool)

    # -- capture (application threads) ------------------------------------------------

    def capture_exception(self, error, level="error", manual=False, tb=None, message=None,
                          context=None):
        """Queues an exception once per exception object. Returns the event id or None."""
        try:
            if not isinstance(error, BaseException):
                raise TypeError("not an exception: %r" % (error,))
            if before_send.running() or not first_sighting(error) or not self._sampled_in():
                return None
            # Copied now: the event is built later, on the worker, and the app may change its dict.
            context = _copied(context)
            if message is not None and message != "":
                context = dict(context or {}, report_message=_safe_str(message))
            if tb is None:  # read now: a later raise of the same object would change it
                tb = event_builder.attribute(error, "__traceback__")
            item = Capture(level, manual, error=error, tb=tb, context=context)
            return item.event_id if self.worker.submit(item) else None
        except Exception as failure:
            diagnostics.debug("capture_exception failed: %r" % (failure,))
            return None

    def capture_message(self, message, level="error", manual=True, context=None):
        if before_send.running():
            return None  # a report from inside the hook: one report yields at most one event
        try:
            item = Capture(level, manual, message=_safe_str(message), frames=call_site_frames(),
                           context=_copied(context))
            return item.event_id if self.worker.submit(item) else None
        except Exception as failure:
            diagnostics.debug("capture_message failed: %r" % (failure,))
            return None

    def capture_log_message(self, record, level, text):
        """A log record without an exception (`text`, its message): grouped by logger and
        unformatted template."""
        if before_send.running():
            return None
        try:
            template = record.msg if isinstance(record.msg, str) else repr(record.msg)
            item = Capture(level, False, message=text,
                           frames=(record.pathname, record.lineno, record.funcName),
                           logger=record.name, template=template,
                           context={"logger": record.name})
            return item.event_id if self.worker.submit(item) else None
        except Exception as failure:
            diagnostics.debug("capture_log_message failed: %r" % (failure,))
            return None

    def _sampled_in(self):
        rate = self.options.sample_rate
        if rate >= 1.0:
            return True
        return int.from_bytes(os.urandom(4), "big") < rate * 4294967296.0

    # -- building (worker thread) ------------------------------------------------------

    def _prepare(self, item):
        """The JSON body for a capture, or None when before_send drops it."""
        built, grouping = event_builder.build(item, self.options, self._rules)
        computed = built["fingerprint"]
        if self.options.before_send is not None:
            built = before_send.apply(self.options.before_send, built)
            if built is None:
                return None

        def frames_trimmed(event):
            if event.get("fingerprint") == computed:  # not a grouping before_send chose
                grouping.follow_trimmed_stack(event)

        return fit(built, frames_trimmed)[0]

    # -- lifecycle ---------------------------------------------------------------------

    def flush(self, timeout):
        return self.worker.flush(timeout)

    def shutdown(self, timeout):
        """Flushes, stops the worker and spools whatever is left, all within `timeout`. With a
        before_send, the last quarter is kept for running it on the events still to spool."""
        deadline = time.monotonic() + timeout
        share = 0.75 if self.options.before_send is not None else 1.0
        try:
            self.worker.flush(timeout * share)
        finally:
            self.worker.stop_and_spool(deadline)

    def after_fork(self):
        """In a forked child: a fresh queue, locks and worker thread (the parent's worker
        does not exist here, and its locks may have been held at the fork)."""
        self.worker = Worker(self.options, self._prepare, self.spool)
        self.worker.start()


def _copied(context):
    """A shallow copy of a report's context (a mapping whose iteration raises becomes a
    marker rather than losing the report)."""
    try:
        return dict(context) if context else None
    except Exception as failure:
        return {"_unserializable": repr(failure)}


def _safe_str(value):
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except Exception:
        return "<unprintable message>"
