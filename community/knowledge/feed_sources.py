"""The feed list organisers keep: adding, pausing, resuming and removing feeds."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlmodel import Session, select

from community.models import ContentItem, ItemStatus, Source, SourceKind
from community.models.types import utcnow


class FeedError(ValueError):
    pass


def add_feed(
    *, session: Session, url: str, collection: str | None = None, name: str | None = None
) -> Source:
    """Register a feed; it is polled at the next run of the poller."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FeedError(f"{url!r} is not an http(s) address")
    if session.exec(select(Source).where(Source.url == url)).first():
        raise FeedError(f"the feed {url} is already in the list")
    source = Source(
        kind=SourceKind.FEED,
        url=url,
        name=name or parts.netloc,
        collection=collection or None,
        next_check_at=utcnow(),
    )
    session.add(source)
    session.flush()
    return source


def list_feeds(*, session: Session) -> list[Source]:
    statement = (
        select(Source)
        .where(Source.kind == SourceKind.FEED)
        .order_by(Source.collection.nulls_first(), Source.name)
    )
    return list(session.exec(statement))


@dataclass(frozen=True)
class FeedItemCounts:
    """A feed's items as organisers see them; deleted ones are only remembered, not counted."""

    published: int = 0
    hidden: int = 0
    pending: int = 0

    @property
    def total(self) -> int:
        return self.published + self.hidden + self.pending


def item_counts(*, session: Session, feed_ids: list[int]) -> dict[int, FeedItemCounts]:
    """Each feed's items by status, from one grouped query over the source's index."""
    statement = (
        select(ContentItem.source_id, ContentItem.status, func.count())
        .where(ContentItem.source_id.in_(feed_ids), ContentItem.status != ItemStatus.DELETED)
        .group_by(ContentItem.source_id, ContentItem.status)
    )
    found: dict[int, dict[str, int]] = {}
    for source_id, status, count in session.exec(statement):
        found.setdefault(source_id, {})[status] = count
    return {feed_id: FeedItemCounts(**found.get(feed_id, {})) for feed_id in feed_ids}


def get_feed(*, session: Session, feed_id: int) -> Source:
    source = session.get(Source, feed_id)
    if source is None or source.kind != SourceKind.FEED:
        raise FeedError(f"there is no feed with id {feed_id}")
    return source


def set_feed_active(*, session: Session, feed_id: int, active: bool) -> Source:
    source = get_feed(session=session, feed_id=feed_id)
    source.active = active
    if active:
        source.error_count = 0
        source.failing_since = None
        source.next_check_at = utcnow()
    session.flush()
    return source


@dataclass(frozen=True)
class RemovedFeed:
    name: str
    items: int  # published, hidden or waiting; deleted ones were gone already


def remove_feed(*, session: Session, feed_id: int) -> RemovedFeed:
    """Delete the feed and its items, one by one so the search index hears of each."""
    source = get_feed(session=session, feed_id=feed_id)
    removed = RemovedFeed(
        source.name, item_counts(session=session, feed_ids=[feed_id])[feed_id].total
    )
    for item in session.exec(select(ContentItem).where(ContentItem.source_id == source.id)):
        session.delete(item)
    session.delete(source)
    session.flush()
    return removed
