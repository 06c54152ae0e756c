"""Turning items and events into the plain documents the index stores."""

import zlib
from collections.abc import Iterable, Iterator

from sqlalchemy import func
from sqlmodel import Session, select

from community.links import public_event_url
from community.models import ContentItem, Event, EventStatus, ItemStatus, Source
from integrations.feeds.transcripts import clock
from search_index import SearchDocument

EVENT_KIND = "event"


def item_doc_id(item_id: int) -> str:
    return f"item:{item_id}"


def event_doc_id(event_id: int) -> str:
    return f"event:{event_id}"


def item_document(item: ContentItem, source_name: str | None) -> SearchDocument:
    return SearchDocument(
        doc_id=item_doc_id(item.id),
        kind=item.kind,
        title=item.title,
        body=item.body_text or item.summary,
        external_id=item.external_id,
        collection=item.collection,
        section=item.section,
        tags=list(item.tags or []),
        url=item.url,
        source=source_name,
        published=item.published_at,
    )


def item_documents(item: ContentItem, source_name: str | None) -> list[SearchDocument]:
    """The item, and for an episode each passage of its transcript, citable by its time."""
    documents = [item_document(item, source_name)]
    for passage in item.transcript_passages or []:
        documents.append(passage_document(item, source_name, passage))
    return documents


def passage_document(item: ContentItem, source_name: str | None, passage: dict) -> SearchDocument:
    start = passage.get("start")
    moment = f" — {clock(start)}" if start is not None else ""
    chapter = passage.get("chapter")
    listen = item.enclosure_url or item.url
    return SearchDocument(
        doc_id=passage_doc_id(item.id, start, passage["text"]),
        kind=item.kind,
        title=f"{item.title}{moment}",
        body=passage["text"],
        external_id=item.external_id,
        collection=item.collection,
        section=chapter,
        tags=list(item.tags or []),
        url=f"{listen}#t={start}" if listen and start is not None else listen,
        source=source_name,
        published=item.published_at,
    )


def passage_doc_id(item_id: int, start: int | None, text: str) -> str:
    where = start if start is not None else f"p{zlib.crc32(text.encode()):x}"
    return f"{item_doc_id(item_id)}@{where}"


def event_document(event: Event) -> SearchDocument:
    where = ", ".join(part for part in (event.format, event.venue, event.address) if part)
    return SearchDocument(
        doc_id=event_doc_id(event.id),
        kind=EVENT_KIND,
        title=event.title,
        body=f"{event.description}\n{event.kind}. {where}",
        external_id=event.uid,
        collection=event.kind,
        tags=list(event.tags or []),
        url=public_event_url(event),
        source="Events",
        published=event.starts_at,
    )


def is_searchable_item(item: ContentItem | None) -> bool:
    return item is not None and item.status == ItemStatus.PUBLISHED


def is_searchable_event(event: Event | None) -> bool:
    return event is not None and event.status == EventStatus.PUBLISHED


def all_documents(session: Session, batch_size: int = 500) -> Iterator[SearchDocument]:
    """Every searchable item and event, streamed in batches for a rebuild."""
    items = (
        select(ContentItem, Source.name)
        .join(Source, ContentItem.source_id == Source.id)
        .where(ContentItem.status == ItemStatus.PUBLISHED)
        .order_by(ContentItem.id)
        .execution_options(yield_per=batch_size)
    )
    for item, source_name in session.exec(items):
        yield from item_documents(item, source_name)
    events = select(Event).where(Event.status == EventStatus.PUBLISHED).order_by(Event.id)
    for event in session.exec(events):
        yield event_document(event)


def count_documents(session: Session) -> int:
    items = select(func.count()).where(ContentItem.status == ItemStatus.PUBLISHED)
    events = select(func.count()).where(Event.status == EventStatus.PUBLISHED)
    return (
        session.exec(items.select_from(ContentItem)).one()
        + session.exec(events.select_from(Event)).one()
    )


def documents_for(
    session: Session, item_ids: Iterable[int], event_ids: Iterable[int]
) -> tuple[list[SearchDocument], list[str]]:
    """Documents to upsert, and doc ids to delete, for the given changed rows."""
    item_ids, event_ids = set(item_ids), set(event_ids)
    items = session.exec(
        select(ContentItem, Source.name)
        .join(Source, ContentItem.source_id == Source.id)
        .where(ContentItem.id.in_(item_ids))
    ).all()
    events = session.exec(select(Event).where(Event.id.in_(event_ids))).all()
    upserts = [
        document
        for item, name in items
        if is_searchable_item(item)
        for document in item_documents(item, name)
    ]
    upserts += [event_document(event) for event in events if is_searchable_event(event)]
    kept = {document.doc_id for document in upserts}
    candidates = [item_doc_id(i) for i in item_ids] + [event_doc_id(i) for i in event_ids]
    return upserts, [doc_id for doc_id in candidates if doc_id not in kept]
