"""`kb import`: Markdown posts, FAQ and item files (JSON or JSON lines) and OPML feed lists."""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from community.knowledge.faq import FaqFormatError, parse_faq_entries
from community.knowledge.feed_sources import FeedError, add_feed
from community.knowledge.items import Change, ItemData, get_or_create_source, upsert_item
from community.knowledge.posts import PostFormatError, parse_post
from community.knowledge.tags import normalise_tags
from community.models import ItemKind, SourceKind
from community.rich_text import html_to_text, sanitise_html
from integrations.feeds.opml import OpmlError, parse_opml

CURATED_SOURCE = "Curated posts"
SUPPORTED_SUFFIXES = (".md", ".json", ".jsonl", ".opml")


class ImportFileError(ValueError):
    """A file that cannot be imported, with the reason."""


@dataclass
class ImportReport:
    path: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    feeds_added: int = 0
    errors: list[str] = field(default_factory=list)

    def count(self, change: Change) -> None:
        setattr(self, change.value, getattr(self, change.value) + 1)


def import_file(*, session: Session, path: Path) -> ImportReport:
    report = ImportReport(path=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix == ".md":
            _import_post(session, path, report)
        elif suffix in (".json", ".jsonl"):
            _import_items(session, path, report)
        elif suffix == ".opml":
            _import_opml(session, path, report)
        else:
            supported = ", ".join(SUPPORTED_SUFFIXES)
            raise ImportFileError(f"unsupported file type; use one of {supported}")
    except UnicodeDecodeError:
        report.errors.append("the file is not UTF-8 text")
    except (ImportFileError, PostFormatError, FaqFormatError, OpmlError, OSError) as error:
        report.errors.append(str(error))
    return report


def _import_post(session: Session, path: Path, report: ImportReport) -> None:
    data = parse_post(path.read_text("utf-8"))
    source = get_or_create_source(session=session, kind=SourceKind.CURATION, name=CURATED_SOURCE)
    _, change = upsert_item(session=session, source=source, data=data)
    report.count(change)


def _import_items(session: Session, path: Path, report: ImportReport) -> None:
    records = list(_read_records(path))
    faq_style = all(isinstance(r, dict) and "question" in r for r in records)
    if faq_style:
        items = parse_faq_entries(records)
    else:
        items = [_generic_item(record, i) for i, record in enumerate(records, 1)]
    for collection, group in _by_collection(items, default=path.stem).items():
        kind = SourceKind.FAQ if faq_style else SourceKind.CURATION
        source = get_or_create_source(session=session, kind=kind, name=collection)
        for item in group:
            _, change = upsert_item(session=session, source=source, data=item)
            report.count(change)


def _read_records(path: Path) -> Iterator:
    text = path.read_text("utf-8")
    try:
        if path.suffix.lower() == ".jsonl":
            yield from (json.loads(line) for line in text.splitlines() if line.strip())
            return
        records = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"not valid JSON: {error}") from error
    if not isinstance(records, list):
        raise ImportFileError("a JSON file must hold an array of items")
    yield from records


def _generic_item(record, position: int) -> ItemData:
    if not isinstance(record, dict) or not record.get("id") or not record.get("title"):
        raise ImportFileError(f"item {position} needs at least 'id' and 'title'")
    kind = record.get("kind") or ItemKind.POST
    if kind not in set(ItemKind):
        raise ImportFileError(f"item {position}: kind must be one of {', '.join(ItemKind)}")
    body_html = sanitise_html(str(record.get("body") or ""))
    return ItemData(
        kind=kind,
        external_id=str(record["id"]),
        title=str(record["title"]).strip(),
        body_html=body_html,
        body_text=html_to_text(body_html),
        summary=html_to_text(body_html)[:300],
        section=record.get("section"),
        collection=record.get("collection"),
        tags=normalise_tags(record.get("tags")),
        url=record.get("url"),
        author=record.get("author"),
        published_at=_parse_published(record.get("published"), position),
    )


def _parse_published(value, position: int) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError) as error:
        message = f"item {position}: 'published' is not an ISO date from year 1 to 9999: {value!r}"
        raise ImportFileError(message) from error


def _by_collection(items: list[ItemData], *, default: str) -> dict[str, list[ItemData]]:
    groups: dict[str, list[ItemData]] = {}
    for item in items:
        item.collection = item.collection or default
        groups.setdefault(item.collection, []).append(item)
    return groups


def _import_opml(session: Session, path: Path, report: ImportReport) -> None:
    for feed in parse_opml(path.read_bytes()):
        try:
            add_feed(session=session, url=feed.url, collection=feed.collection, name=feed.title)
            report.feeds_added += 1
        except FeedError as error:
            report.errors.append(str(error))
