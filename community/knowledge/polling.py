"""Polling feeds: fetch safely, store new and changed entries, and schedule the next check.

A named unit-of-work boundary (see the README): callers (the `feeds.poll` job, `kb feeds
poll`) hand over an engine, not a session, and each feed gets short units of its own, one
to read its state and one to store the outcome, opened here on the pool's thread for that
feed. The network wait happens outside any transaction, so a slow feed holds none open,
and one bad feed never undoes another's work.
"""

import logging
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session, or_, select

from community.control_characters import without_control_characters
from community.db import session_scope
from community.fetch_policy import fetch_policy
from community.knowledge.feeds import entry_to_item
from community.knowledge.items import Change, upsert_items, web_url
from community.models import Source, SourceKind
from community.models.types import utcnow
from community.search.sync import batched_index_updates
from integrations.feeds.fetching import FetchError, FetchPolicy, FetchResult, fetch
from integrations.feeds.parsing import FeedParseError, parse_feed

log = logging.getLogger("community.feeds")


@dataclass(frozen=True)
class PollSettings:
    policy: FetchPolicy
    interval: timedelta
    max_backoff: timedelta
    concurrency: int

    @classmethod
    def from_config(cls, config) -> "PollSettings":
        return cls(
            policy=fetch_policy(config),
            interval=timedelta(minutes=config.FEEDS_POLL_MINUTES),
            max_backoff=timedelta(hours=config.FEEDS_MAX_BACKOFF_HOURS),
            concurrency=config.FEEDS_CONCURRENCY,
        )


@dataclass
class PollOutcome:
    feed_id: int
    url: str
    status: str  # new, updated, unchanged, error, gone
    new: int = 0
    updated: int = 0
    reason: str | None = None


@dataclass(frozen=True)
class _FeedState:
    id: int
    url: str
    etag: str | None
    last_modified: str | None
    collection: str | None


def due_feed_ids(*, session: Session, now: datetime, include_all: bool = False) -> list[int]:
    statement = select(Source.id).where(Source.kind == SourceKind.FEED, Source.active)
    if not include_all:
        statement = statement.where(
            or_(Source.next_check_at.is_(None), Source.next_check_at <= now)
        )
    return list(session.exec(statement.order_by(Source.next_check_at.nulls_first())))


def poll_feeds(
    *,
    engine: Engine,
    feed_ids: list[int],
    settings: PollSettings,
    on_outcome: Callable[[PollOutcome], None] | None = None,
) -> list[PollOutcome]:
    """Poll feeds concurrently in a bounded pool; outcomes come back in the order given."""
    with batched_index_updates(engine), ThreadPoolExecutor(settings.concurrency) as pool:
        futures = [
            pool.submit(poll_feed, engine=engine, feed_id=feed_id, settings=settings)
            for feed_id in feed_ids
        ]
        outcomes = []
        for future in futures:
            outcome = future.result()
            if on_outcome:
                on_outcome(outcome)
            outcomes.append(outcome)
    return outcomes


def poll_feed(*, engine: Engine, feed_id: int, settings: PollSettings) -> PollOutcome:
    state = _read_state(engine, feed_id)
    if state is None:
        return PollOutcome(feed_id, "", "skipped", reason="the feed was removed or paused")
    try:
        result = fetch(
            state.url, etag=state.etag, last_modified=state.last_modified, policy=settings.policy
        )
        if result.status == 304:
            return _record_unchanged(engine, state, settings)
        return _store_entries(engine, state, result, settings)
    except FetchError as error:
        return _record_fetch_error(engine, state, error, settings)
    except FeedParseError as error:
        return _record_failure(engine, state, f"the feed could not be read: {error}", settings)
    except Exception as error:  # noqa: BLE001  (one broken feed must never stop the others)
        log.exception("polling %s failed", state.url)
        reason = f"unexpected error ({type(error).__name__}); the service log has the details"
        return _record_failure(engine, state, reason, settings)


def _read_state(engine: Engine, feed_id: int) -> _FeedState | None:
    with session_scope(engine) as session:
        source = session.get(Source, feed_id)
        if source is None or not source.active:
            return None
        return _FeedState(
            source.id, source.url, source.etag, source.last_modified, source.collection
        )


def _store_entries(
    engine: Engine, state: _FeedState, result: FetchResult, settings: PollSettings
) -> PollOutcome:
    feed = parse_feed(result.content, base_url=result.url)
    collection = state.collection or feed.title
    items = [entry_to_item(entry, collection=collection) for entry in feed.entries]
    with session_scope(engine) as session:
        source = session.get(Source, state.id)
        if owner := _other_feed_at(session, result.new_permanent_url, source.id):
            return _pause_as_moved_onto(source, result.new_permanent_url, owner)
        changes = [
            change for _, change in upsert_items(session=session, source=source, items=items)
        ]
        _remember_feed(source, feed, result)
        _schedule_success(source, settings)
    new, updated = changes.count(Change.NEW), changes.count(Change.UPDATED)
    status = "new" if new else "updated" if updated else "unchanged"
    return PollOutcome(
        state.id, result.new_permanent_url or state.url, status, new=new, updated=updated
    )


def _remember_feed(source: Source, feed, result: FetchResult) -> None:
    """What the feed says of itself, as far as it fits the columns: a value that does not fit
    is dropped rather than cut (a cut validator never matches, a cut link leads nowhere), so
    one odd header or channel link cannot make every poll fail on PostgreSQL."""
    if source.name == _host_of(source.url) and feed.title:
        source.name = without_control_characters(feed.title)[: _length_of("name")]
    source.site_url = web_url(feed.site_url) or source.site_url
    source.etag = _fitting(result.etag, "etag")
    source.last_modified = _fitting(result.last_modified, "last_modified")
    if result.new_permanent_url and _fitting(result.new_permanent_url, "url"):
        log.info("feed %s moved permanently to %s", source.url, result.new_permanent_url)
        source.url = result.new_permanent_url


def _fitting(value: str | None, column: str) -> str | None:
    return value if value is not None and len(value) <= _length_of(column) else None


def _length_of(column: str) -> int:
    return Source.__table__.columns[column].type.length


def _other_feed_at(session: Session, url: str | None, feed_id: int) -> Source | None:
    if not url:
        return None
    return session.exec(select(Source).where(Source.url == url, Source.id != feed_id)).first()


def _pause_as_moved_onto(source: Source, url: str, owner: Source) -> PollOutcome:
    """Two entries in the list for one feed: this one is paused and says why, the other
    keeps polling; an organiser removes one of them."""
    reason = (
        f"The feed moved permanently to {url}, which the feed “{owner.name}” already uses, "
        "so this one was paused. Remove it, or remove the other and resume this one."
    )
    source.active = False
    source.last_error = reason
    source.last_checked_at = utcnow()
    log.warning("feed %s moved onto feed %s's address %s; paused it", source.url, owner.id, url)
    return PollOutcome(source.id, source.url, "gone", reason=reason)


def _record_unchanged(engine: Engine, state: _FeedState, settings: PollSettings) -> PollOutcome:
    with session_scope(engine) as session:
        _schedule_success(session.get(Source, state.id), settings)
    return PollOutcome(state.id, state.url, "unchanged")


def _record_fetch_error(
    engine: Engine, state: _FeedState, error: FetchError, settings: PollSettings
) -> PollOutcome:
    if error.gone:
        with session_scope(engine) as session:
            source = session.get(Source, state.id)
            source.active = False
            source.last_error = f"{error.reason} The feed was deactivated."
            source.last_checked_at = utcnow()
            source.failing_since = source.failing_since or source.last_checked_at
        return PollOutcome(state.id, state.url, "gone", reason=error.reason)
    return _record_failure(engine, state, error.reason, settings, retry_after=error.retry_after)


def _record_failure(
    engine: Engine,
    state: _FeedState,
    reason: str,
    settings: PollSettings,
    retry_after: float | None = None,
) -> PollOutcome:
    with session_scope(engine) as session:
        source = session.get(Source, state.id)
        source.error_count += 1
        source.last_error = reason
        now = utcnow()
        source.last_checked_at = now
        source.failing_since = source.failing_since or now
        source.next_check_at = now + backoff(
            source.error_count, settings.interval, settings.max_backoff, retry_after
        )
    log.warning("feed %s failed: %s", state.url, reason)
    return PollOutcome(state.id, state.url, "error", reason=reason)


def _schedule_success(source: Source, settings: PollSettings) -> None:
    now = utcnow()
    source.error_count = 0
    source.last_error = None
    source.failing_since = None
    source.last_checked_at = source.last_success_at = now
    source.next_check_at = now + _jittered(settings.interval)


def backoff(
    error_count: int, interval: timedelta, ceiling: timedelta, retry_after: float | None = None
) -> timedelta:
    """Doubles with each consecutive error up to the ceiling, jittered so feeds spread out."""
    delay = min(interval * (2 ** min(error_count - 1, 16)), ceiling)
    delay = _jittered(delay)
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def _jittered(delay: timedelta) -> timedelta:
    return delay * random.uniform(0.85, 1.15)  # noqa: S311  (spreading load, not security)


def _host_of(url: str) -> str:
    return urlsplit(url).netloc
