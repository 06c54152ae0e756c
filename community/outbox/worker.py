"""A delivery thread per process, woken by every commit that queued a message.

Requests return as soon as their transaction commits; the thread then drains the
outbox over one SMTP connection. The thread starts on first use in each process (so a
forking server such as gunicorn gets one per worker) and anything it misses, because
the process stopped or a relay was down, is picked up by the scheduler's job.
"""

import logging
import os
import threading

from flask import Flask, current_app, has_app_context

from community.outbox.delivery import deliver_due

log = logging.getLogger("community.outbox")


class OutboxWorker:
    def __init__(self, app: Flask):
        self.app = app
        self._changed = threading.Condition()
        self._asked = 0  # wake-ups asked for so far
        self._served = 0  # wake-ups a finished delivery pass has covered
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def wake(self) -> None:
        with self._changed:
            if self._stopping:  # the scheduler's job delivers what is queued from now on
                return
            self._asked += 1
            self._changed.notify_all()
        self._ensure_running()

    def wait_until_idle(self, timeout: float = 30.0) -> bool:
        """True once everything queued before the call had its delivery attempt."""
        with self._changed:
            target = self._asked
            return self._changed.wait_for(lambda: self._served >= target, timeout)

    def stop(self, timeout: float = 30.0) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._thread is not None and self._pid == os.getpid():
            self._thread.join(timeout)

    def _ensure_running(self) -> None:
        with self._changed:
            alive = self._thread is not None and self._thread.is_alive()
            if alive and self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="outbox-worker", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._stopping or self._asked > self._served)
                if self._stopping:
                    self._served = self._asked
                    self._changed.notify_all()
                    return
                covering = self._asked
            self._deliver_once()
            with self._changed:
                self._served = covering
                self._changed.notify_all()

    def _deliver_once(self) -> None:
        try:
            with self.app.app_context():
                deliver_due()
        except Exception:  # the rows stay queued; the scheduler's job tries again
            log.exception("outbox delivery failed")


def init_app(app: Flask) -> None:
    app.extensions["outbox"] = OutboxWorker(app)


def wake() -> None:
    """Called after a commit that queued messages."""
    if has_app_context() and "outbox" in current_app.extensions:
        current_app.extensions["outbox"].wake()


def deliver_outbox() -> None:
    """The scheduler's job: retries that came due and rows a crash left behind."""
    delivered = deliver_due()
    if delivered.emails or delivered.slack_messages:
        log.info(
            "outbox delivered %s emails, %s Slack messages",
            delivered.emails,
            delivered.slack_messages,
        )
