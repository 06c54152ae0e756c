"""The curation queue: posts proposed by URL (from the web or Slack) wait for an organiser."""

from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy import func, or_
from sqlmodel import Session, select

from community.knowledge.importing import CURATED_SOURCE
from community.knowledge.items import ItemData, get_or_create_source, upsert_item
from community.models import ContentItem, ItemKind, ItemStatus, SourceKind
from community.models.types import utcnow
from community.pagination import Page, paginate
from community.rich_text import html_to_text, markdown_to_html

if TYPE_CHECKING:
    from integrations.feeds.fetching import FetchPolicy


PENDING_PER_PAGE = 50


class CurationError(ValueError):
    pass


def propose_post(
    *, session: Session, url: str, submitted_by: str | None, policy: "FetchPolicy"
) -> ContentItem:
    """Read the page's title, description and canonical link, and queue it for approval."""
    from integrations.feeds.fetching import FetchError  # httpx, only when a page is fetched
    from integrations.feeds.page_metadata import fetch_page, read_page_metadata

    url = url.strip()
    if urlsplit(url).scheme not in ("http", "https"):
        raise CurationError(f"{url!r} is not an http(s) address")
    try:
        page = fetch_page(url, policy=policy)
    except FetchError as error:
        raise CurationError(f"the page could not be fetched: {error.reason}") from error
    metadata = read_page_metadata(page.content or b"", base_url=page.url)
    canonical = metadata.canonical_url or page.url
    data = ItemData(
        kind=ItemKind.POST,
        external_id=canonical,
        title=(metadata.title or canonical)[:1000],
        summary=metadata.description or "",
        body_text=metadata.description or "",
        url=canonical,
        author=metadata.author,
        published_at=metadata.published,
        collection=metadata.site_name,
        image_url=metadata.image_url,
    )
    return queue_post(session=session, data=data, submitted_by=submitted_by)


def queue_post(*, session: Session, data: ItemData, submitted_by: str | None) -> ContentItem:
    source = get_or_create_source(session=session, kind=SourceKind.CURATION, name=CURATED_SOURCE)
    existing = _find(session, source.id, data.external_id)
    if existing is not None:
        return existing  # already queued or published: proposing twice changes nothing
    item, _ = upsert_item(
        session=session, source=source, data=replace(data), status=ItemStatus.PENDING
    )
    item.submitted_by = submitted_by
    session.flush()
    return item


def pending_posts(*, session: Session) -> list[ContentItem]:
    return list(session.exec(_pending()))


def pending_page(*, session: Session, number: int) -> Page[ContentItem]:
    """The queue a page at a time, oldest first."""
    return paginate(session, _pending(), number=number, size=PENDING_PER_PAGE)


def page_holding(*, session: Session, item_id: int) -> int:
    """The number of the queue's page that shows this item; 1 when it no longer waits."""
    item = session.get(ContentItem, item_id)
    if item is None or item.status != ItemStatus.PENDING:
        return 1
    before = select(func.count()).where(
        ContentItem.status == ItemStatus.PENDING,
        or_(
            ContentItem.created_at < item.created_at,
            (ContentItem.created_at == item.created_at) & (ContentItem.id < item.id),
        ),
    )
    return session.exec(before).one() // PENDING_PER_PAGE + 1


def _pending():
    return (
        select(ContentItem)
        .where(ContentItem.status == ItemStatus.PENDING)
        .order_by(ContentItem.created_at, ContentItem.id)
    )


def decide(*, session: Session, item_id: int, approve: bool) -> ContentItem:
    item = session.get(ContentItem, item_id)
    if item is None or item.status != ItemStatus.PENDING:
        raise CurationError("that item is not waiting for a decision")
    item.status = ItemStatus.PUBLISHED if approve else ItemStatus.DELETED
    session.flush()
    return item


def _find(session: Session, source_id: int, external_id: str) -> ContentItem | None:
    statement = select(ContentItem).where(
        ContentItem.source_id == source_id, ContentItem.external_id == external_id
    )
    return session.exec(statement).first()


def edit_pending(*, session: Session, item_id: int, title: str, body_markdown: str) -> ContentItem:
    """Rewords a waiting item; what the organiser writes is Markdown, cleaned like any post."""
    item = session.get(ContentItem, item_id)
    if item is None or item.status != ItemStatus.PENDING:
        raise CurationError("that item is not waiting for a decision")
    item.title = title.strip()
    item.body_html = markdown_to_html(body_markdown)
    item.body_text = html_to_text(item.body_html)
    item.updated_at = utcnow()
    session.flush()
    return item
