"""The delivery worker: one daemon thread, a bounded FIFO queue, retries with backoff, 429
pauses, flush with a timeout, and the spool for what cannot be delivered."""

import collections
import threading
import time

from . import diagnostics
from .capture import Capture
from .options import WORKER_THREAD
from .spool import release, remove
from .transport import Transport
from .trim import encode

_DELIVERED, _REJECTED, _FAILED, _PAUSED, _ABORTED = range(5)


class Worker(object):
    def __init__(self, options, prepare, spool):
        self._options = options
        self._prepare = prepare  # capture -> JSON body bytes, or None when before_send drops it
        self._spool = spool
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._queue = collections.deque()
        self._accepted = 0        # items ever queued (their seq numbers)
        self._finished = 0        # items taken to a final state, always in seq order
        self._failures = collections.deque(maxlen=1024)  # seqs given up after retries
        self._answered = 0        # the last seq a flush has already answered for
        self._dropped = 0
        self._inflight = None
        self._paused_until = 0.0
        self._stopping = False
        self._spool_unreachable = False  # a spooled event failed: leave the rest on disk
        self._thread = None
        self._transport = Transport(options)  # here, on the application's thread (see there)
        self._handoff = collections.deque()  # at exit: events the worker runs before_send on
        self._spooling = False

    # -- the application's side -------------------------------------------------------

    def submit(self, item):
        """Queues an item; False when the queue is full (the item is dropped and counted)."""
        with self._cond:
            if self._stopping:
                return False
            if len(self._queue) >= self._options.max_queue:
                self._dropped += 1
                return False
            self._accepted += 1
            item.seq = self._accepted
            self._queue.append(item)
            self._cond.notify()
        if self._thread is None:
            self.start()
        return True

    def dropped_count(self):
        return self._dropped

    def start(self):
        with self._cond:
            if self._thread is not None or self._stopping:
                return
            self._thread = threading.Thread(target=self._run, name=WORKER_THREAD,
                                            daemon=True)
        self._thread.start()

    def flush(self, timeout):
        """True when every item queued before the call was delivered or definitively
        rejected within `timeout` seconds (the in-flight request included), and none queued
        since the previous flush's answer was given up or dropped, even one that ended before
        this call."""
        if threading.current_thread() is self._thread:
            return False  # from before_send, on the worker: it would wait for itself
        # Clamped: Condition.wait overflows on inf (a day is plenty for any real flush).
        deadline = time.monotonic() + min(max(0.0, timeout), 86400.0)
        with self._cond:
            first, target = self._answered + 1, self._accepted
            while self._finished < target:
                left = deadline - time.monotonic()
                if left <= 0 or self._stopping:
                    return False
                self._cond.wait(left)
            self._answered = max(self._answered, target)
            return not any(first <= seq <= target for seq in self._failures)

    def stop_and_spool(self, deadline):
        """Stops the worker and spools what is left by `deadline` (time.monotonic()). Events
        still to pass through before_send are handed to the worker thread, so a hook that
        never returns cannot hold the exit past the deadline (and no thread has to be started:
        Python 3.12 refuses that during shutdown)."""
        thread = self._thread
        hand_over = self._options.before_send is not None and thread is not None and \
            thread.is_alive() and thread is not threading.current_thread()
        remaining = self._stop_worker(hand_over)
        self.spool_items([item for item in remaining if item.body is not None or
                          item.spool_path or not hand_over])
        with self._cond:
            while self._handoff or self._spooling:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            lost = len(self._handoff) + (1 if self._spooling else 0)
            self._handoff.clear()
        if lost:
            diagnostics.warn("before_send did not return within shutdown_timeout; %d event(s) "
                             "were not spooled" % lost)

    def _stop_worker(self, hand_over):
        """Stops delivery and returns every item not yet finished (in-flight included: its
        delivery is uncertain, and the ingest is idempotent on event_id)."""
        with self._cond:
            self._stopping = True
            remaining = list(self._queue)
            if self._inflight is not None:
                remaining.insert(0, self._inflight)
            self._queue.clear()
            if hand_over:  # before the worker can see _stopping and end
                self._handoff.extend(item for item in remaining
                                     if item.body is None and not item.spool_path)
            self._cond.notify_all()
        self._stop.set()
        self._transport.abort()  # a request in flight is cut short: the worker is free at once
        return remaining

    def spool_items(self, items):
        for item in items:
            if item.spool_path is not None:
                release(item.spool_path)  # still on disk from an earlier process: unclaim it
                continue
            try:
                body = item.body if item.body is not None else self._prepare(item)
                if body is not None:
                    self._spool.save(item.event_id, body)
            except Exception as error:
                diagnostics.warn_once("spool", "could not write the spool (%r): events that "
                                               "were not delivered are lost" % (error,))

    # -- the worker thread ------------------------------------------------------------

    def _run(self):
        transport = self._transport
        self._load_spool()
        try:
            self._deliver_until_stopped(transport)
        finally:
            transport.close()
        self._spool_handoff()

    def _deliver_until_stopped(self, transport):
        while True:
            with self._cond:
                while not self._stopping:
                    if self._queue:
                        pause = self._paused_until - time.monotonic()
                        if pause <= 0:
                            break
                        self._cond.wait(pause)
                    else:
                        self._cond.wait()
                if self._stopping:
                    return
                item = self._queue.popleft()
                self._inflight = item
            result, retry_after = self._process(item, transport)
            with self._cond:
                self._inflight = None
                if result == _ABORTED:
                    return
                if result == _PAUSED:
                    self._queue.appendleft(item)
                    self._paused_until = time.monotonic() + retry_after
                else:
                    self._finished += 1
                    if result == _FAILED:
                        self._failures.append(item.seq)
                self._cond.notify_all()

    def _spool_handoff(self):
        """At exit: runs before_send on the events stop_and_spool handed over, and spools them,
        one by one until the handoff is empty (the main thread empties it at its deadline)."""
        while True:
            with self._cond:
                if not self._handoff:
                    return
                item = self._handoff.popleft()
                self._spooling = True
            try:
                self.spool_items([item])
            finally:
                with self._cond:
                    self._spooling = False
                    self._cond.notify_all()

    def _load_spool(self):
        try:
            room = self._options.max_queue - len(self._queue)
            for path, event in self._spool.load(max(0, room)):
                self.submit(Capture.from_spool(path, event["event_id"], encode(event)))
        except Exception as error:
            diagnostics.debug("could not read the spool: %r" % (error,))

    def _process(self, item, transport):
        if item.spool_path is not None and self._spool_unreachable:
            release(item.spool_path)  # stays on disk; no point trying each against a dead ingest
            return _FAILED, None
        try:
            if item.body is None:
                item.body = self._prepare(item)
                if item.body is None:
                    return _DELIVERED, None  # dropped by before_send
            return self._deliver(item, transport)
        except Exception as error:  # counted as failed, so flush_pixel says False
            diagnostics.warn_once("unexpected", "could not build or send an event (%r); it was "
                                                "dropped" % (error,))
            return _FAILED, None

    def _deliver(self, item, transport):
        # An event loaded from the spool gets one attempt: with the ingest still down, a
        # full spool must not hold new events back for minutes. It stays on disk for later.
        attempt = len(self._options.backoff) if item.spool_path is not None else 0
        while True:
            if self._stopping:
                return _ABORTED, None  # the exit spools it
            outcome = transport.post(item.body)
            status = outcome.status
            if status is not None and 200 <= status < 300:
                self._forget(item)
                return _DELIVERED, None
            if status == 429:
                diagnostics.debug("ingest asked to wait %.1f s (429)" % outcome.retry_after)
                return _PAUSED, outcome.retry_after
            if status is not None and status != 408 and 400 <= status < 500:
                diagnostics.warn_once(("status", status),
                                      "the ingest rejected an event with HTTP %d; events it "
                                      "rejects this way are dropped" % status)
                self._forget(item)
                return _REJECTED, None
            if attempt >= len(self._options.backoff):
                if item.spool_path is not None:
                    self._spool_unreachable = True
                diagnostics.warn("giving up on event %s after %d attempt(s) (%s); it is kept in "
                                 "the spool for the next start" % (
                                     item.event_id, attempt + 1, outcome.describe()))
                self.spool_items([item])
                return _FAILED, None
            if self._stop.wait(self._options.backoff[attempt]):
                return _ABORTED, None
            attempt += 1

    @staticmethod
    def _forget(item):
        if item.spool_path is not None:
            remove(item.spool_path)
