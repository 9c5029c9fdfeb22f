"""Committed outbox messages handed to huey's relay job in batches, one job per moment rather than per commit.

Every commit that writes messages (an application's receipt, an acceptance, a conclusion: an SMS and an email each)
used to enqueue a relay job of its own: a Redis round trip and huey's serialising of a task, a tenth of the CPU of
an approval action. A worker process now gathers the ids committed within ``LINGER`` seconds and enqueues one job
for them (``BATCH`` ids at most per job): the messages leave at most ``LINGER`` later.

Nothing is lost when the process dies holding ids: the relay only speeds messages up, and the sweeper sends every
message no relay confirmed. A failure to enqueue (Redis down) is logged and left to the sweeper too; the action that
wrote the messages has committed and is not failed for it. In huey's immediate mode (tests) the job runs at once, in
the committing thread.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
import time

LINGER = 0.02  # seconds
BATCH = 200

log = logging.getLogger(__name__)


class Handoff:
    """Ids gathered by one process and given to ``send`` (a list of ids each time) by a thread of its own."""

    def __init__(self, send, *, linger: float = LINGER, batch: int = BATCH) -> None:
        self._send = send
        self.linger = linger
        self.batch = batch
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # a forked worker starts empty, with a thread of its own
        atexit.register(self.flush)

    def _reset(self) -> None:
        self._ids: list[int] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, ids: list[int]) -> None:
        with self._lock:
            self._ids.extend(ids)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="outbox-handoff", daemon=True)
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            time.sleep(self.linger)  # the commits of the next moments join these ids
            self._wake.clear()
            self.flush()

    def flush(self) -> None:
        """Send every id gathered so far (at exit, too)."""
        with self._lock:
            ids, self._ids = self._ids, []
        for start in range(0, len(ids), self.batch):
            try:
                self._send(ids[start:start + self.batch])
            except Exception:  # noqa: BLE001 - committed messages: the sweeper sends what the relay did not
                log.exception("handing %d outbox messages to the relay failed; the sweeper will send them",
                              len(ids[start:start + self.batch]))


def _relay(ids: list[int]) -> None:
    from tongban.platform import tasks

    tasks.relay_outbox(ids)  # looked up at call time


_HANDOFF = Handoff(_relay)


def hand_to_relay(ids: list[int]) -> None:
    """After commit: the relay sends these messages (at once in immediate mode, else within ``LINGER``)."""
    from tongban.platform.jobs import huey

    if huey.immediate:
        _relay(ids)
    else:
        _HANDOFF.add(ids)
