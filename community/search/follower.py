"""Each process that searches keeps its node's index in step with the change log.

After one of its own commits it applies the log at once; a thread applies what other
processes and machines committed every SEARCH_FOLLOW_SECONDS. A node whose index cannot
catch up from the log (new, pruned past, too far behind, or built by another engine)
rebuilds beside the live index, which keeps answering meanwhile.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from community.models import SearchIndexChange
from community.models.types import utcnow
from community.search import changelog
from community.search.documents import all_documents, count_documents, documents_for
from search_index import IndexUnavailable
from search_index.generations import LiveIndex, RebuildRunning

log = logging.getLogger("community.search")
BATCH = 1000  # changes applied per index commit
REPORT_EVERY_SECONDS = 30.0  # how often an idle node tells the log it is alive
SETTLE_WAIT_SECONDS = 30.0
MAX_RETRY_SECONDS = 30.0


@dataclass
class Lag:
    generation: str
    applied_through: int | None
    behind: int
    oldest_unapplied_seconds: float | None
    needs_rebuild: str | None


class NeedsRebuild(Exception):
    """The generation cannot be brought up to date from the log; the reason is the message."""


class IndexFollower:
    def __init__(
        self,
        engine: Engine,
        index: LiveIndex,
        node_name: str,
        rebuild_behind: int,
        follow_seconds: float,
    ):
        self.engine, self.index, self.node_name = engine, index, node_name
        self.rebuild_behind, self.follow_seconds = rebuild_behind, follow_seconds
        self._stop = threading.Event()
        self._starting = threading.Lock()
        self._thread: threading.Thread | None = None
        self._last_report = 0.0
        self._reported: int | None = None

    # -- applying the log ------------------------------------------------------------

    def catch_up(self, generation: str | None = None) -> int:
        """Apply every committed change the generation lacks; returns how many were applied."""
        generation = generation or self.index.live_generation()
        applied = 0
        while True:
            count, more = self._apply_batch(generation)
            applied += count
            if not more:
                return applied

    def _apply_batch(self, generation: str) -> tuple[int, bool]:
        with self.index.following(generation) as state, Session(self.engine) as session:
            position = self._position(session, state, generation)
            done = set(state.get("applied", []))
            changes = changelog.changes_after(session, position, BATCH)
            fresh = [change for change in changes if change.id not in done]
            if len(changes) == BATCH and changelog.count_after(session, position) > (
                self.rebuild_behind
            ):
                raise NeedsRebuild(f"more than {self.rebuild_behind} changes behind")
            self._apply(session, generation, fresh)
            done |= {change.id for change in fresh}
            horizon = changelog.transaction_horizon(session)
            newest = changes[-1].id if changes else position
            _settle(state, position, done, newest, horizon)
            self._report(session, state["position"], generation)
            session.commit()
        return len(fresh), len(changes) == BATCH

    def _position(self, session: Session, state: dict, generation: str) -> int:
        if "position" not in state:
            if not changelog.log_covers_everything(session):
                raise NeedsRebuild("this index was never built")
            state["position"] = 0  # the log holds every change: replaying it builds the index
        if state["position"] < changelog.pruned_through(session):
            raise NeedsRebuild("the changes this index lacks were pruned from the log")
        if self.index.generation_engine(generation) != self.index.engine_name:
            raise NeedsRebuild(f"SEARCH_ENGINE is now {self.index.engine_name}")
        return state["position"]

    def _apply(self, session: Session, generation: str, changes) -> None:
        if not changes:
            return
        items = {c.row_id for c in changes if c.kind == changelog.ITEM}
        events = {c.row_id for c in changes if c.kind == changelog.EVENT}
        upserts, deletions = documents_for(session, items, events)
        target = self.index.engine_of(generation)
        target.delete(deletions)
        target.upsert(upserts)

    def _report(self, session: Session, position: int, generation: str) -> None:
        if not self.index.is_live(generation):
            return  # a rebuild under way is not yet this node's index
        now = time.monotonic()
        if now - self._last_report >= REPORT_EVERY_SECONDS or position != self._reported:
            changelog.report_node(session, self.node_name, position)
            self._last_report, self._reported = now, position

    # -- rebuilding ------------------------------------------------------------------

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Build a new generation from the database, catch it up, and make it live.

        Raises RebuildRunning when another process is already rebuilding this index.
        """
        with self.index.rebuilding():
            state = self._starting_state()
            with Session(self.engine) as session:
                generation, indexed = self.index.build_generation(
                    all_documents(session), state, progress=progress
                )
            self.catch_up(generation)
            self.index.swap_to(generation)
            self.catch_up(generation)  # what was committed during the swap
        return indexed

    def count_documents(self) -> int:
        with Session(self.engine) as session:
            return count_documents(session)

    def _starting_state(self) -> dict:
        """A settled log position from before the rebuild reads the database.

        Every change at or below it is in what the rebuild reads; changes after it are
        applied to the new generation before and after it goes live.
        """
        try:
            live_state = self.index.read_state(self.index.live_generation())
        except IndexUnavailable:
            live_state = {}  # the index folder was removed: build it afresh
        with Session(self.engine) as session:
            floor = changelog.pruned_through(session)
            if live_state.get("position") is not None and live_state["position"] >= floor:
                return {"position": live_state["position"]}
            return {"position": _settled_now(session, floor)}

    # -- the follow thread, and how far behind it is -------------------------------

    def start(self) -> None:
        """Start the follow thread once; cheap to call on every request."""
        if self.follow_seconds <= 0 or self._thread is not None:
            return
        with self._starting:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(
                    target=self._follow, name="search-follower", daemon=True
                )
                self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _follow(self) -> None:
        wait = self.follow_seconds
        while not self._stop.is_set():
            try:
                self.catch_up()
                wait = self.follow_seconds
            except (NeedsRebuild, IndexUnavailable) as reason:
                self._rebuild_in_background(str(reason))
            except DBAPIError as error:  # an outage: say so once per try, and wait longer
                wait = min(wait * 2, MAX_RETRY_SECONDS)
                log.warning(
                    "search follower cannot reach the database (%s); retrying in %.0fs",
                    error.__class__.__name__,
                    wait,
                )
            except Exception:
                log.exception("could not apply the search change log")
            self._stop.wait(wait)

    def _rebuild_in_background(self, reason: str) -> None:
        log.warning("rebuilding the search index: %s", reason)
        try:
            indexed = self.rebuild()
        except RebuildRunning:
            return  # another process of this node is on it
        except Exception:  # the next tick tries again
            log.exception("could not rebuild the search index")
            return
        log.info("rebuilt the search index: %d documents", indexed)

    def lag(self) -> Lag:
        generation = self.index.live_generation()
        state = self.index.read_state(generation)
        reason = None
        with Session(self.engine) as session:
            try:
                self._position(session, state, generation)
            except NeedsRebuild as error:
                reason = str(error)
            position = state.get("position")
            if position is None:
                return Lag(generation, None, 0, None, reason)
            done = set(state.get("applied", []))
            behind = changelog.count_after(session, position) - len(done)
            oldest = changelog.oldest_after(session, position, done) if behind else None
        age = (utcnow() - oldest).total_seconds() if oldest else None
        return Lag(generation, position, max(behind, 0), age, reason)


def _settle(state: dict, position: int, done: set[int], newest: int, horizon) -> None:
    """Advance the position past numbers no running transaction can still commit below."""
    if horizon is None:
        position = max(position, newest)
        pending = []
    else:
        xmin, xmax = horizon
        pending = [entry for entry in state.get("pending", []) if entry[0] > position]
        settled = [entry[0] for entry in pending if xmin >= entry[1]]
        position = max([position, *settled])
        pending = [entry for entry in pending if entry[0] > position]
        if newest > position:
            pending.append([newest, xmax])
    state["position"] = position
    state["applied"] = sorted(number for number in done if number > position)
    state["pending"] = pending


def _settled_now(session: Session, floor: int) -> int:
    """The newest change number below which every transaction has ended."""
    newest = session.exec(select(func.max(SearchIndexChange.id))).one() or floor
    horizon = changelog.transaction_horizon(session)
    session.rollback()
    if horizon is None:
        return newest
    deadline = time.monotonic() + SETTLE_WAIT_SECONDS
    while time.monotonic() < deadline:
        xmin, _ = changelog.transaction_horizon(session)
        session.rollback()
        if xmin >= horizon[1]:
            return newest
        time.sleep(0.1)
    return floor  # a transaction runs long: replay the whole log after the rebuild
