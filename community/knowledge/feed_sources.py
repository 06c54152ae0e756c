"""The feed list organisers keep: adding, pausing, resuming and removing feeds."""

from urllib.parse import urlsplit

from sqlmodel import Session, select

from community.models import ContentItem, Source, SourceKind
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
        source.next_check_at = utcnow()
    session.flush()
    return source


def remove_feed(*, session: Session, feed_id: int) -> None:
    """Delete the feed and its items, one by one so the search index hears of each."""
    source = get_feed(session=session, feed_id=feed_id)
    for item in session.exec(select(ContentItem).where(ContentItem.source_id == source.id)):
        session.delete(item)
    session.delete(source)
    session.flush()
