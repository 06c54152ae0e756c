"""Podcasting 2.0 tags that feedparser drops, read from the raw XML with defusedxml."""

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

PODCAST_NAMESPACES = (
    "https://podcastindex.org/namespace/1.0",
    "http://podcastindex.org/namespace/1.0",  # as some hosts write it
)
_ATOM = "{http://www.w3.org/2005/Atom}"
_ENTRY_TAGS = ("item", f"{_ATOM}entry")
_KEY_TAGS = ("guid", f"{_ATOM}id", "link")


@dataclass
class PodcastExtras:
    transcripts: list[dict] = field(default_factory=list)
    chapters_url: str | None = None


def read_podcast_extras(content: bytes, *, base_url: str = "") -> dict[str, PodcastExtras]:
    """Transcripts and chapters per entry, keyed by the entry's guid (else its link).

    A document that is not well-formed, or declares entities, yields no extras at all.
    Only http(s) URLs are kept, since callers turn them into links.
    """
    try:
        root = fromstring(content)
    except (ParseError, DefusedXmlException, ValueError):
        return {}
    extras: dict[str, PodcastExtras] = {}
    for entry in _entries(root):
        key = _entry_key(entry)
        found = _extras(entry, base_url)
        if key and (found.transcripts or found.chapters_url):
            extras.setdefault(key, found)
            # feedparser reads a guid that is a permalink (the default) as a URL relative to
            # the feed, so "episode-1" becomes its id as https://feed.example/episode-1.
            extras.setdefault(urljoin(base_url, key), found)
    return extras


def _entries(root: Element) -> list[Element]:
    return [element for element in root.iter() if element.tag in _ENTRY_TAGS]


def _entry_key(entry: Element) -> str | None:
    for tag in _KEY_TAGS:
        text = (entry.findtext(tag) or "").strip()
        if text:
            return text
    return None


def _extras(entry: Element, base_url: str) -> PodcastExtras:
    transcripts = [
        _transcript(element, url)
        for element in _podcast_children(entry, "transcript")
        if (url := _web_url(element.get("url"), base_url))
    ]
    chapters = (
        _web_url(element.get("url"), base_url) for element in _podcast_children(entry, "chapters")
    )
    return PodcastExtras(transcripts=transcripts, chapters_url=next(filter(None, chapters), None))


def _podcast_children(entry: Element, name: str) -> list[Element]:
    return [child for ns in PODCAST_NAMESPACES for child in entry.findall(f"{{{ns}}}{name}")]


def _transcript(element: Element, url: str) -> dict:
    return {
        "url": url,
        "type": element.get("type"),
        "language": element.get("language"),
        "rel": element.get("rel"),
    }


def _web_url(value: str | None, base_url: str) -> str | None:
    if not value or not value.strip():
        return None
    url = urljoin(base_url, value.strip())
    return url if urlsplit(url).scheme in ("http", "https") else None
