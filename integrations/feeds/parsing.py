"""Normalising a feed document (bytes we fetched ourselves) into plain entries.

Entry HTML comes back as feedparser leaves it: already stripped of scripts and event-handler
attributes by feedparser's own sanitiser, but callers must still sanitise it before display.
Titles are plain text and may contain markup characters that must be escaped.
"""

import calendar
import codecs
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser

from integrations.feeds.podcast import PodcastExtras, read_podcast_extras

_LARGEST_STORED_INT = 2**31 - 1  # the database's INTEGER columns
_UNMARKED_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\x00?\x00", "utf-16-le"),  # no byte-order mark, but "<?" says it all
    (b"\x00<\x00?", "utf-16-be"),
)
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""")
_XML_DECLARATION = re.compile(r"^\s*<\?xml\s[^>]*\?>")
# An entity whose value is one character reference cannot amplify anything. Every other
# declaration is disabled, because feedparser's fallback parser would expand it however many
# times it is referenced (a 100 kB entity referenced 3,000 times took 12 s and 1 GB). The whole
# document is searched, not just the DTD, so a misleading DTD cannot hide one; an "<!ENTITY"
# quoted in a CDATA section loses its keyword, which is a small price.
_AMPLIFYING_ENTITY = re.compile(
    r"""<!ENTITY(?!\s+[\w.:-]+\s+(["'])&#(?:[0-9]+|x[0-9a-fA-F]+);\1\s*>)""", re.IGNORECASE
)
_HTML_PAGE = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)


class FeedParseError(ValueError):
    pass


@dataclass
class FeedEntry:
    identity: str  # guid, else link, else enclosure URL, else a hash of the content
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
    transcripts: list[dict] = field(default_factory=list)  # {"url", "type", "language", "rel"}
    chapters_url: str | None = None


@dataclass
class ParsedFeed:
    title: str
    site_url: str | None
    entries: list[FeedEntry]


def parse_feed(content: bytes, *, base_url: str = "") -> ParsedFeed:
    """Entries of an RSS 0.9x/1.0/2.0 or Atom document; relative links resolve against base_url.

    A document with entries is read even when it is not well-formed; one without raises
    FeedParseError with a reason an organiser can act on.
    """
    document = _prepared(content)
    parsed = feedparser.parse(
        io.BytesIO(document),  # bytes alone would be taken for a local file name
        response_headers={"content-location": base_url, "content-type": "application/xml"},
    )
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise FeedParseError(_unreadable_reason(content, parsed))
    extras = read_podcast_extras(document, base_url=base_url)
    entries = [_entry(raw, extras) for raw in parsed.entries]
    return ParsedFeed(
        title=_one_line(parsed.feed.get("title")) or base_url,
        site_url=parsed.feed.get("link"),
        entries=_unique_identities(entries),
    )


def parse_duration(value) -> int | None:
    """Seconds from 'HH:MM:SS', 'MM:SS' or a plain number of seconds."""
    if value is None:
        return None
    parts = str(value).strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(re.fullmatch(r"\d+(\.\d+)?", part) for part in parts):
        return None
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return _stored_int(int(seconds))


def _prepared(content: bytes) -> bytes:
    """The document as UTF-8, undeclared and defused, so every parser reads what was defused."""
    text = _XML_DECLARATION.sub("", _decoded(content), count=1).lstrip()
    return _AMPLIFYING_ENTITY.sub("<!-- entity declaration removed -->", text).encode("utf-8")


def _decoded(content: bytes) -> str:
    for mark, encoding in _UNMARKED_ENCODINGS:
        if content.startswith(mark):
            return content.decode(encoding, errors="replace")
    # Valid UTF-8 is almost never anything else, while declarations are often wrong
    # (a UTF-8 feed declared ISO-8859-1 is common); a wrong guess falls through.
    for encoding in ("utf-8", _declared_encoding(content), "windows-1252"):
        try:
            return content.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("latin-1")


def _declared_encoding(content: bytes) -> str:
    match = _DECLARED_ENCODING.match(content[:200])
    return match.group(1).decode("ascii") if match else "utf-8"


def _unreadable_reason(content: bytes, parsed) -> str:
    if not content.strip():
        return "the document is empty"
    if _HTML_PAGE.search(content[:1024]):
        return (
            "the address serves a web page, not a feed; use the feed's own address "
            "(often ending in /feed, /rss or .xml)"
        )
    if not parsed.bozo:
        return "the document is XML but not an RSS or Atom feed"
    return f"not a readable RSS or Atom feed ({parsed.get('bozo_exception')})"


def _entry(raw, extras: dict[str, PodcastExtras]) -> FeedEntry:
    enclosure = _first_enclosure(raw)
    podcast = extras.get(_guid(raw)) or extras.get(raw.get("link") or "") or PodcastExtras()
    return FeedEntry(
        identity=_identity(raw, enclosure),
        title=_one_line(raw.get("title")) or "(untitled)",
        link=raw.get("link"),
        summary_html=raw.get("summary", ""),
        content_html=raw["content"][0].get("value", "") if raw.get("content") else "",
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
        transcripts=list(podcast.transcripts),
        chapters_url=podcast.chapters_url,
    )


def _identity(raw, enclosure: dict) -> str:
    return (
        _guid(raw)
        or raw.get("link")
        or enclosure.get("href")
        or _content_hash(raw.get("title") or "", raw.get("summary", ""))
    )


def _guid(raw) -> str:
    return (raw.get("id") or "").strip()


def _unique_identities(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Some feeds repeat a guid across entries; later ones get a suffix so none is lost.

    The suffix is a hash of the entry's title and summary, never its position, so an entry keeps
    its identity from poll to poll. An entry that repeats an earlier one exactly is dropped.
    """
    versions: set[tuple[str, str]] = set()
    identities: set[str] = set()
    unique = []
    for entry in entries:
        fingerprint = _content_hash(entry.title, entry.summary_html)
        if (entry.identity, fingerprint) in versions:
            continue
        versions.add((entry.identity, fingerprint))
        if entry.identity in identities:
            entry.identity = f"{entry.identity}#{fingerprint}"
        identities.add(entry.identity)
        unique.append(entry)
    return unique


def _first_enclosure(raw) -> dict:
    for enclosure in raw.get("enclosures", []):
        if enclosure.get("href"):
            return enclosure
    return {}


def _timestamp(parsed_time) -> datetime | None:
    if not parsed_time:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed_time), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _int(value) -> int | None:
    try:
        return _stored_int(int(str(value).strip()))
    except (TypeError, ValueError):
        return None


def _stored_int(number: int) -> int | None:
    return number if 0 <= number <= _LARGEST_STORED_INT else None


def _content_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
