"""The organisers' list of knowledge items: finding, editing, hiding and deleting them.

Every change is a flush of the item, so the search index hears of it after the commit, as
it does for curation; a deleted item stays as a tombstone, which is what keeps a re-poll
or a re-import from bringing it back (see community.knowledge.items).
"""

from dataclasses import dataclass

from sqlalchemy import false, or_
from sqlalchemy.orm import load_only
from sqlmodel import Session, select

from community.control_characters import without_control_characters
from community.knowledge.tags import normalise_tags
from community.models import KNOWLEDGE_KINDS, ContentItem, ItemKind, ItemStatus, Source
from community.models.types import utcnow
from community.pagination import Page, paginate
from search_index import SearchQuery

ITEMS_PER_PAGE = 50
# Published items are found by their words through the search index, which answers at
# once among 100,000 items where a LIKE over every text would read the whole table. Its
# best 100 (two pages): the index's cost grows with the hits asked for (a second for 1,000).
TEXT_MATCHES = 100
# What organisers can list and choose; deleted items are gone for them.
LISTED_STATUSES = (ItemStatus.PUBLISHED, ItemStatus.HIDDEN, ItemStatus.PENDING)
EDITABLE_FIELDS = ("title", "tags", "collection")
MAX_TAGS, MAX_TAG_LENGTH = 30, 100
_LISTED_COLUMNS = (
    ContentItem.id,
    ContentItem.source_id,
    ContentItem.kind,
    ContentItem.status,
    ContentItem.title,
    ContentItem.collection,
    ContentItem.tags,
    ContentItem.url,
    ContentItem.published_at,
)


class ItemAdminError(ValueError):
    """Input an organiser can correct, with what to do."""


@dataclass(frozen=True)
class ItemFilter:
    text: str = ""
    kind: str | None = None
    collection: str | None = None
    source_id: int | None = None
    status: str | None = None

    def query_arguments(self) -> dict:
        """The filter as the list page's query arguments, to keep on its page links."""
        arguments = {
            "q": self.text,
            "kind": self.kind,
            "collection": self.collection,
            "source": self.source_id,
            "status": self.status,
        }
        return {name: value for name, value in arguments.items() if value}


def read_filter(arguments) -> tuple[ItemFilter, list[str]]:
    """The filter from the list page's query arguments, and what was wrong with them."""
    errors = []
    kind = arguments.get("kind") or None
    if kind and kind not in set(ItemKind):
        errors.append(f"There is no kind “{kind}”; choose one of {', '.join(ItemKind)}.")
        kind = None
    status = arguments.get("status") or None
    if status and status not in LISTED_STATUSES:
        errors.append(f"There is no status “{status}”; choose one of {', '.join(LISTED_STATUSES)}.")
        status = None
    source_text = arguments.get("source") or ""
    source_id = int(source_text) if source_text.isdigit() and len(source_text) < 10 else None
    if source_text and source_id is None:
        errors.append(f"“{source_text}” is not a source; choose one from the list.")
    text = (arguments.get("q") or "").strip()[:200]
    collection = (arguments.get("collection") or "").strip()[:200] or None
    return ItemFilter(text, kind, collection, source_id, status), errors


def items_page(*, session: Session, index, filters: ItemFilter, number: int) -> Page:
    """One page of (item, source name), newest first, read through the list's indexes."""
    statement = (
        select(ContentItem, Source.name)
        .join(Source, ContentItem.source_id == Source.id)
        .options(load_only(*_LISTED_COLUMNS))
        .order_by(ContentItem.id.desc())
    )
    if filters.status:
        statement = statement.where(ContentItem.status == filters.status)
    else:
        statement = statement.where(ContentItem.status != ItemStatus.DELETED)
    if filters.kind:
        statement = statement.where(ContentItem.kind == filters.kind)
    if filters.collection:
        statement = statement.where(ContentItem.collection == filters.collection)
    if filters.source_id:
        statement = statement.where(ContentItem.source_id == filters.source_id)
    if filters.text:
        statement = statement.where(_holding_words(session, index, filters.text))
    return paginate(session, statement, number=number, size=ITEMS_PER_PAGE)


def _holding_words(session: Session, index, text: str):
    """Published items the search index finds holding the words; hidden and waiting ones,
    which it does not hold and which are few, by their title or text containing them."""
    found = _indexed_item_ids(index, text) + _unindexed_item_ids(session, text)
    return ContentItem.id.in_(found) if found else false()


def _unindexed_item_ids(session: Session, text: str) -> list[int]:
    # Its own query, led by the status index: inside an OR with the index's ids, SQLite
    # read every row of the table to test the pattern.
    pattern = "%" + _escape_like(text) + "%"
    statement = select(ContentItem.id).where(
        ContentItem.status.in_((ItemStatus.HIDDEN, ItemStatus.PENDING)),
        or_(
            ContentItem.title.ilike(pattern, escape="\\"),
            ContentItem.body_text.ilike(pattern, escape="\\"),
        ),
    )
    return list(session.exec(statement))


def _indexed_item_ids(index, text: str) -> list[int]:
    hits = index.search(SearchQuery(text=text, kinds=KNOWLEDGE_KINDS, limit=TEXT_MATCHES)).hits
    ids = {
        int(hit.doc_id.partition("@")[0].removeprefix("item:"))
        for hit in hits
        if hit.coverage > 0  # holds a word, not only a meaning near it
    }
    return sorted(ids)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def collection_names(*, session: Session) -> list[str]:
    """Every collection items are in, read from the collection index, not from the items."""
    statement = (
        select(ContentItem.collection)
        .where(ContentItem.collection.is_not(None))
        .distinct()
        .order_by(ContentItem.collection)
    )
    return [name for name in session.exec(statement) if name]


def item_sources(*, session: Session) -> list[Source]:
    """The sources to filter by: feeds, imported files, the curation queue, Slack."""
    return list(session.exec(select(Source).order_by(Source.kind, Source.name)))


def listed_item(*, session: Session, item_id: int) -> ContentItem:
    item = session.get(ContentItem, item_id)
    if item is None or item.status not in LISTED_STATUSES:
        raise ItemAdminError(f"there is no item {item_id}; it may have been deleted")
    return item


def parse_tags(text: str) -> list[str]:
    """Tags typed as a comma-separated list, spelled as every importer spells them."""
    tags = normalise_tags(without_control_characters(part) for part in text.split(","))
    if len(tags) > MAX_TAGS:
        raise ItemAdminError(f"an item takes at most {MAX_TAGS} tags; {len(tags)} were given")
    too_long = [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]
    if too_long:
        raise ItemAdminError(
            f"a tag is at most {MAX_TAG_LENGTH} characters; shorten “{too_long[0][:40]}…”"
        )
    return tags


def edit_item(
    *, session: Session, item_id: int, title: str, tags: list[str], collection: str | None
) -> ContentItem:
    """The organiser's title, tags and collection, kept when its feed or file updates it."""
    item = listed_item(session=session, item_id=item_id)
    title = without_control_characters(title).strip()
    if not title:
        raise ItemAdminError("the title cannot be empty")
    collection = without_control_characters(collection or "").strip() or None
    edited = {"title": title, "tags": tags, "collection": collection}
    changed = [name for name, value in edited.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, edited[name])
    if changed:
        item.organiser_fields = sorted({*(item.organiser_fields or []), *changed})
        item.updated_at = utcnow()
    session.flush()
    return item


def set_hidden(*, session: Session, item_id: int, hidden: bool) -> ContentItem:
    """Hide a published item from search and its page, or show a hidden one again."""
    item = listed_item(session=session, item_id=item_id)
    wanted, allowed = (
        (ItemStatus.HIDDEN, ItemStatus.PUBLISHED)
        if hidden
        else (ItemStatus.PUBLISHED, ItemStatus.HIDDEN)
    )
    if item.status not in (wanted, allowed):
        raise ItemAdminError(
            f"“{item.title}” waits for approval in the curation queue; approve or reject it there"
        )
    item.status = ItemStatus.HIDDEN if hidden else ItemStatus.PUBLISHED
    item.updated_at = utcnow()
    session.flush()
    return item


def delete_item(*, session: Session, item_id: int) -> ContentItem:
    """Mark the item deleted: out of every page and search, and never brought back."""
    item = listed_item(session=session, item_id=item_id)
    item.status = ItemStatus.DELETED
    item.updated_at = utcnow()
    session.flush()
    return item
