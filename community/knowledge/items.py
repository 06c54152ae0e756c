"""Storing knowledge items: one row per (source, external id), updated in place."""

import hashlib
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from sqlmodel import Session, select

from community.control_characters import without_control_characters
from community.models import ContentItem, ItemStatus, Source
from community.models.types import utcnow


@dataclass
class ItemData:
    """An item as an importer read it, before it is stored."""

    kind: str
    external_id: str
    title: str
    summary: str = ""
    body_html: str = ""
    body_text: str = ""
    section: str | None = None
    collection: str | None = None
    tags: list[str] = field(default_factory=list)
    url: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    enclosure_url: str | None = None
    enclosure_type: str | None = None
    enclosure_length: int | None = None
    duration_seconds: int | None = None
    episode_number: int | None = None
    season_number: int | None = None
    image_url: str | None = None
    transcripts: list[dict] = field(default_factory=list)
    chapters_url: str | None = None

    def content_hash(self) -> str:
        """Changes whenever any field changes, so an unchanged entry costs no write."""
        return hashlib.sha256(repr(asdict(self)).encode()).hexdigest()


def get_or_create_source(
    *, session: Session, kind: str, name: str, url: str | None = None
) -> Source:
    name = without_control_characters(name)  # an imported file's collection, for one
    statement = select(Source).where(Source.kind == kind, Source.name == name)
    if url is not None:
        statement = select(Source).where(Source.url == url)
    source = session.exec(statement).first()
    if source is None:
        source = Source(kind=kind, name=name, url=url)
        session.add(source)
        session.flush()
    return source


class Change(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def upsert_item(
    *, session: Session, source: Source, data: ItemData, status: str = ItemStatus.PUBLISHED
) -> tuple[ContentItem, Change]:
    """Insert a new item or update the stored one; an item an organiser deleted stays deleted."""
    ((item, change),) = upsert_items(session=session, source=source, items=[data], status=status)
    return item, change


def upsert_items(
    *,
    session: Session,
    source: Source,
    items: list[ItemData],
    status: str = ItemStatus.PUBLISHED,
) -> list[tuple[ContentItem, Change]]:
    """upsert_item for many items of one source, with one query and one flush."""
    items = [fit_to_columns(data) for data in items]
    external_ids = [data.external_id for data in items]
    stored = {
        item.external_id: item
        for item in session.exec(
            select(ContentItem).where(
                ContentItem.source_id == source.id, ContentItem.external_id.in_(external_ids)
            )
        )
    }
    results = []
    for data in items:
        item = stored.get(data.external_id)
        if item is None:
            item = stored[data.external_id] = _new_item(session, source, data, status)
            results.append((item, Change.NEW))
        else:
            results.append((item, _update_item(item, data)))
    session.flush()
    return results


def _new_item(session: Session, source: Source, data: ItemData, status: str) -> ContentItem:
    item = ContentItem(source_id=source.id, status=status, content_hash=data.content_hash())
    _copy_fields(data, item)
    session.add(item)
    return item


def _update_item(item: ContentItem, data: ItemData) -> Change:
    new_hash = data.content_hash()
    if item.status == ItemStatus.DELETED or item.content_hash == new_hash:
        return Change.UNCHANGED
    _copy_fields(data, item, keep=item.organiser_fields or ())
    item.content_hash = new_hash
    item.updated_at = utcnow()
    return Change.UPDATED


URL_FIELDS = ("url", "enclosure_url", "image_url", "chapters_url")
TEXT_LIMITS = {
    "title": 1000,
    "section": 200,
    "collection": 200,
    "author": 300,
    "enclosure_type": 100,
}
MAX_URL_LENGTH = 2000
MAX_EXTERNAL_ID_LENGTH = 500


def fit_to_columns(data: ItemData) -> ItemData:
    """Third-party values made safe to store and to render as links.

    Only http(s) links survive (a `javascript:` link in a feed would run in an organiser's
    browser); over-long text is cut and an over-long id is replaced by its hash, so one odd
    entry cannot make every poll of its feed fail on PostgreSQL, and neither can a NUL.
    """
    data = _without_control_characters(data)
    changes = {name: web_url(getattr(data, name)) for name in URL_FIELDS}
    transcripts = data.transcripts or []
    changes["transcripts"] = [entry for entry in transcripts if web_url(entry.get("url"))]
    for name, limit in TEXT_LIMITS.items():
        value = getattr(data, name)
        if value is not None:
            changes[name] = str(value)[:limit]
    if len(data.external_id) > MAX_EXTERNAL_ID_LENGTH:
        changes["external_id"] = "sha256:" + hashlib.sha256(data.external_id.encode()).hexdigest()
    return replace(data, **changes)


def _without_control_characters(data: ItemData) -> ItemData:
    changes = {
        item_field.name: without_control_characters(value)
        for item_field in fields(data)
        if isinstance(value := getattr(data, item_field.name), str)
    }
    tags = [without_control_characters(tag) for tag in data.tags or []]
    return replace(data, **changes, tags=[tag for tag in tags if tag])


def web_url(value) -> str | None:
    if not isinstance(value, str) or len(value) > MAX_URL_LENGTH:
        return None
    return value if urlsplit(value.strip()).scheme in ("http", "https") else None


def _copy_fields(data: ItemData, item: ContentItem, keep=()) -> None:
    """The importer's values onto the item, but for the fields an organiser edited."""
    for data_field in fields(data):
        if data_field.name not in keep:
            setattr(item, data_field.name, getattr(data, data_field.name))
