"""Link saves fetch pages that members, or strangers posing as them, choose.

A page can trickle its body for as long as it likes, so saves never run on the threads that
acknowledge Slack's requests: they wait their turn on a small pool of their own, a few per
member, and each page is fetched within a short deadline (`link_save_policy`).
"""

import enum
import logging
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor

from flask import Flask, current_app

from community.config import settings_of
from community.slackbot.app_context import AppContextExecutor

log = logging.getLogger("community.slack")
# Saves waiting or in flight across all members, per worker: a crowd of strangers gets a
# polite "try again" rather than a queue that answers the last of them minutes later.
SAVES_ADMITTED_PER_WORKER = 5
SAVE_FAILED = "Something went wrong while saving that link, so it was not saved. Try again later."


class Admission(enum.Enum):
    ACCEPTED = "accepted"
    MEMBER_AT_LIMIT = "member at limit"
    POOL_FULL = "pool full"


class LinkSaves:
    """Runs saves on `executor`, at most `per_member` at once for one member and
    `capacity` in all, counting those still waiting for a worker."""

    def __init__(self, executor: Executor, *, per_member: int, capacity: int):
        self._executor = executor
        self._per_member = per_member
        self._capacity = capacity
        self._admitted: Counter[str] = Counter()
        self._lock = threading.Lock()

    def submit(
        self, member: str, save: Callable[[], str], tell: Callable[[str], None]
    ) -> Admission:
        """Runs `save` when a worker is free, then `tell`s the member what it returned.

        The member's place is given back before they are told, so a member who has heard
        how a save went can always save again."""
        admission = self._admit(member)
        if admission is Admission.ACCEPTED:
            try:
                self._executor.submit(self._run, member, save, tell)
            except RuntimeError:  # shutting down: the process is stopping
                self._release(member)
                return Admission.POOL_FULL
        return admission

    def shutdown(self, *, wait: bool = True) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=True)

    def _admit(self, member: str) -> Admission:
        with self._lock:
            if self._admitted[member] >= self._per_member:
                return Admission.MEMBER_AT_LIMIT
            if self._admitted.total() >= self._capacity:
                return Admission.POOL_FULL
            self._admitted[member] += 1
            return Admission.ACCEPTED

    def _release(self, member: str) -> None:
        with self._lock:
            self._admitted[member] -= 1
            if self._admitted[member] <= 0:
                del self._admitted[member]

    def _run(self, member: str, save: Callable[[], str], tell: Callable[[str], None]) -> None:
        try:
            outcome = save()
        except Exception:  # an executor would keep it in a future nobody reads
            log.exception("saving a link for %s failed", member)
            outcome = SAVE_FAILED
        finally:
            self._release(member)
        try:
            tell(outcome)
        except Exception:
            log.exception("could not tell %s how their link save went", member)


def start_link_saves(app: Flask) -> LinkSaves:
    """The app's pool for link saves; tests may hand in their own executor."""
    config = settings_of(app)
    executor = app.config.get("SLACK_SAVE_EXECUTOR") or ThreadPoolExecutor(
        max_workers=config.SLACK_SAVE_WORKERS, thread_name_prefix="slack-save"
    )
    saves = LinkSaves(
        AppContextExecutor(app, executor),
        per_member=config.SLACK_SAVES_PER_MEMBER,
        capacity=config.SLACK_SAVE_WORKERS * SAVES_ADMITTED_PER_WORKER,
    )
    app.extensions["slack_link_saves"] = saves
    return saves


def link_saves() -> LinkSaves:
    return current_app.extensions["slack_link_saves"]
