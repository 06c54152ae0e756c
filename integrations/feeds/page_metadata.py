"""What a web page says about itself (Open Graph, Twitter card, plain HTML), for curated posts."""

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from integrations.feeds.fetching import FetchPolicy, FetchResult, MiB, fetch

PAGE_MAX_BYTES = 2 * MiB
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


@dataclass
class PageMetadata:
    title: str | None
    description: str | None
    canonical_url: str | None
    author: str | None
    published: datetime | None
    site_name: str | None
    image_url: str | None


def fetch_page(url: str, policy: FetchPolicy = FetchPolicy()) -> FetchResult:  # noqa: B008
    """The page at `url`, cut at 2 MiB rather than refused: its metadata is near the top."""
    capped = replace(policy, max_bytes=min(policy.max_bytes, PAGE_MAX_BYTES))
    return fetch(url, policy=capped, accept=PAGE_ACCEPT, truncate=True)


def read_page_metadata(html: bytes | str, *, base_url: str) -> PageMetadata:
    """Metadata of a page; URLs come back absolute (http or https only), times aware."""
    tags = _Tags.read(html if isinstance(html, str) else _decoded(html))
    return PageMetadata(
        title=tags.first("og:title", "twitter:title") or tags.title,
        description=tags.first("og:description", "twitter:description", "description"),
        canonical_url=_web_url(base_url, tags.canonical or tags.first("og:url")),
        author=_author(tags),
        published=_moment(tags.first("article:published_time", "datepublished")),
        site_name=tags.first("og:site_name"),
        image_url=_web_url(base_url, tags.first("og:image", "og:image:url", "twitter:image")),
    )


@dataclass
class _Tags:
    meta: dict[str, str] = field(default_factory=dict)  # property, name or itemprop -> content
    canonical: str | None = None
    title: str | None = None

    @classmethod
    def read(cls, html: str) -> "_Tags":
        reader = _TagReader()
        reader.feed(html)
        reader.close()
        return reader.tags

    def first(self, *keys: str) -> str | None:
        return next((self.meta[key] for key in keys if self.meta.get(key)), None)


class _TagReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = _Tags()
        self._title_parts: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "meta":
            self._meta(attributes)
        elif tag == "link" and "canonical" in attributes.get("rel", "").lower().split():
            self.tags.canonical = self.tags.canonical or attributes.get("href", "").strip()
        elif tag == "title" and self.tags.title is None:
            self._title_parts = []

    def handle_data(self, data: str) -> None:
        if self._title_parts is not None:
            self._title_parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._title_parts is not None:
            self.tags.title = _one_line("".join(self._title_parts)) or None
            self._title_parts = None

    def _meta(self, attributes: dict[str, str]) -> None:
        key = attributes.get("property") or attributes.get("name") or attributes.get("itemprop")
        content = _one_line(attributes.get("content"))
        if key and content:
            self.tags.meta.setdefault(key.strip().lower(), content)


def _decoded(html: bytes) -> str:
    if html.startswith((b"\xff\xfe", b"\xfe\xff")):
        return html.decode("utf-16", errors="replace")
    declared = _META_CHARSET.search(html[:2048])
    encoding = declared.group(1).decode("ascii") if declared else "utf-8-sig"
    try:
        return html.decode(encoding, errors="replace")
    except LookupError:
        return html.decode("utf-8-sig", errors="replace")


def _author(tags: _Tags) -> str | None:
    # article:author is often a profile URL rather than a name
    names = (tags.meta.get(key) for key in ("article:author", "author"))
    return next((name for name in names if name and not _is_web_url(name)), None)


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _web_url(base_url: str, value: str | None) -> str | None:
    if not value:
        return None
    url = urljoin(base_url, value.strip())
    return url if _is_web_url(url) else None


def _is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())
