"""FAQ entries from a JSON array of {id, question, text, section, course}."""

from community.knowledge.items import ItemData
from community.models import ItemKind


class FaqFormatError(ValueError):
    pass


def parse_faq_entries(entries: list) -> list[ItemData]:
    if not isinstance(entries, list):
        raise FaqFormatError("an FAQ file holds a JSON array of entries")
    return [_parse_entry(position, entry) for position, entry in enumerate(entries, start=1)]


def _parse_entry(position: int, entry) -> ItemData:
    if not isinstance(entry, dict):
        raise FaqFormatError(f"entry {position} is not an object")
    missing = [key for key in ("id", "question", "text") if not entry.get(key)]
    if missing:
        raise FaqFormatError(f"entry {position} lacks {', '.join(missing)}")
    return ItemData(
        kind=ItemKind.FAQ,
        external_id=str(entry["id"]),
        title=str(entry["question"]).strip(),
        body_text=str(entry["text"]).strip(),
        summary=str(entry["text"]).strip()[:300],
        section=entry.get("section"),
        collection=entry.get("course") or entry.get("collection"),
    )
