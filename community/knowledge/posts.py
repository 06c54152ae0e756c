"""Curated posts stored as Markdown with YAML front matter.

PyYAML is imported when a post is first read, not with the app: it costs every `flask`
command some 15 ms at start.
"""

from datetime import UTC, date, datetime

from community.knowledge.items import ItemData
from community.knowledge.tags import normalise_tags
from community.models import ItemKind
from community.rich_text import html_to_text, markdown_to_html


class PostFormatError(ValueError):
    pass


def split_front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        raise PostFormatError("the file does not start with a '---' front-matter block")
    import yaml

    try:
        _, header, body = text.split("---", 2)
        meta = yaml.safe_load(header) or {}
    except (ValueError, yaml.YAMLError) as error:
        raise PostFormatError(f"the front matter is not valid YAML: {error}") from error
    if not isinstance(meta, dict):
        raise PostFormatError("the front matter is not a mapping of keys to values")
    return meta, body


def parse_post(text: str) -> ItemData:
    meta, body = split_front_matter(text)
    title = str(meta.get("title") or "").strip()
    url = meta.get("canonical_url")
    if not title or not url:
        raise PostFormatError("a post needs at least 'title' and 'canonical_url'")
    separator = meta.get("excerpt_separator") or "<!--excerpt_end-->"
    body_html = markdown_to_html(body.replace(separator, ""))
    return ItemData(
        kind=ItemKind.POST,
        external_id=str(url),
        title=title,
        summary=str(meta.get("description") or "").strip(),
        body_html=body_html,
        body_text=html_to_text(body_html),
        collection=meta.get("feed_name"),
        tags=normalise_tags(meta.get("tags")),
        url=str(url),
        author=meta.get("author"),
        published_at=_as_utc(meta.get("date")),
    )


def _as_utc(value) -> datetime | None:
    if isinstance(value, datetime):
        try:
            return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        except OverflowError as error:
            raise PostFormatError(f"'date' is outside the years 1 to 9999: {value}") from error
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str) and value.strip():
        try:
            return _as_utc(datetime.fromisoformat(value.strip()))
        except ValueError as error:
            raise PostFormatError(f"'date' is not a date: {value!r}") from error
    return None
