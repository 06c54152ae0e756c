"""Normalising a feed document (bytes we fetched ourselves) into plain entries."""

import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser


class FeedParseError(ValueError):
    pass


@dataclass
class FeedEntry:
    identity: str  # guid, else link, else a hash of the content
    title: str
    link: str | None
    summary_html: str
    content_html: str
    author: str | None
    published: datetime | None
    tags: list[str] = field(default_factory=list)
    enclosure_url: str | None = None
    enclosure_type: str | None = None
    enclosure_length: int | None = None
    duration_seconds: int | None = None
    episode_number: int | None = None
    season_number: int | None = None
    image_url: str | None = None


@dataclass
class ParsedFeed:
    title: str
    site_url: str | None
    entries: list[FeedEntry]


def parse_feed(content: bytes, *, base_url: str = "") -> ParsedFeed:
    parsed = feedparser.parse(content, response_headers={"content-location": base_url})
    if parsed.bozo and not parsed.entries:
        raise FeedParseError(f"not a readable RSS or Atom feed: {parsed.get('bozo_exception')}")
    entries = [_entry(raw) for raw in parsed.entries]
    return ParsedFeed(
        title=parsed.feed.get("title", "").strip() or base_url,
        site_url=parsed.feed.get("link"),
        entries=_unique_identities(entries),
    )


def parse_duration(value) -> int | None:
    """Seconds from 'HH:MM:SS', 'MM:SS' or a plain number of seconds."""
    if value is None:
        return None
    parts = str(value).strip().split(":")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        return None
    if not 1 <= len(numbers) <= 3 or any(number < 0 for number in numbers):
        return None
    seconds = 0.0
    for number in numbers:
        seconds = seconds * 60 + number
    return int(seconds)


def _entry(raw) -> FeedEntry:
    content_html = raw.get("content", [{}])[0].get("value", "") if raw.get("content") else ""
    summary_html = raw.get("summary", "")
    link = raw.get("link")
    identity = raw.get("id") or link or _content_hash(raw.get("title", ""), summary_html)
    enclosure = _first_enclosure(raw)
    return FeedEntry(
        identity=identity,
        title=(raw.get("title") or "").strip() or "(untitled)",
        link=link,
        summary_html=summary_html,
        content_html=content_html,
        author=raw.get("author"),
        published=_timestamp(raw.get("published_parsed") or raw.get("updated_parsed")),
        tags=[tag.get("term", "") for tag in raw.get("tags", []) if tag.get("term")],
        enclosure_url=enclosure.get("href"),
        enclosure_type=enclosure.get("type"),
        enclosure_length=_int(enclosure.get("length")),
        duration_seconds=parse_duration(raw.get("itunes_duration")),
        episode_number=_int(raw.get("itunes_episode")),
        season_number=_int(raw.get("itunes_season")),
        image_url=(raw.get("image") or {}).get("href"),
    )


def _unique_identities(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Some feeds repeat a guid across entries; later ones get a suffix so none is lost."""
    seen: dict[str, int] = {}
    for entry in entries:
        count = seen.get(entry.identity, 0)
        seen[entry.identity] = count + 1
        if count:
            entry.identity = f"{entry.identity}#{_content_hash(entry.title, entry.summary_html)}"
    return entries


def _first_enclosure(raw) -> dict:
    for enclosure in raw.get("enclosures", []):
        if enclosure.get("href"):
            return enclosure
    return {}


def _timestamp(parsed_time) -> datetime | None:
    if not parsed_time:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed_time), tz=UTC)


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _content_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
