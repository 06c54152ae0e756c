"""Storing knowledge items: one row per (source, external id), updated in place."""

import hashlib
from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlmodel import Session, select

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
        digest = hashlib.sha256()
        for name in ("title", "summary", "body_html", "url", "section", "tags"):
            digest.update(repr(getattr(self, name)).encode())
        return digest.hexdigest()


def get_or_create_source(
    *, session: Session, kind: str, name: str, url: str | None = None
) -> Source:
    statement = select(Source).where(Source.kind == kind, Source.name == name)
    if url is not None:
        statement = select(Source).where(Source.url == url)
    source = session.exec(statement).first()
    if source is None:
        source = Source(kind=kind, name=name, url=url)
        session.add(source)
        session.flush()
    return source


def upsert_item(
    *, session: Session, source: Source, data: ItemData, status: str = ItemStatus.PUBLISHED
) -> ContentItem:
    """Insert a new item or update the stored one; an item an organiser deleted stays deleted."""
    item = session.exec(
        select(ContentItem).where(
            ContentItem.source_id == source.id, ContentItem.external_id == data.external_id
        )
    ).first()
    new_hash = data.content_hash()
    if item is None:
        item = ContentItem(source_id=source.id, status=status, content_hash=new_hash)
        _copy_fields(data, item)
        session.add(item)
    elif item.status != ItemStatus.DELETED and item.content_hash != new_hash:
        _copy_fields(data, item)
        item.content_hash = new_hash
        item.updated_at = utcnow()
    session.flush()
    return item


def _copy_fields(data: ItemData, item: ContentItem) -> None:
    for data_field in fields(data):
        setattr(item, data_field.name, getattr(data, data_field.name))
