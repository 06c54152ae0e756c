"""Feed documents for tests, written the way real blogs and podcasts publish them."""

from email.utils import format_datetime
from xml.sax.saxutils import escape


def rss(*entries: dict, title: str = "Practitioner Blog") -> str:
    items = "".join(_item(entry) for entry in entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>{escape(title)}</title><link>https://blog.example.org/</link>
<description>Notes from practitioners</description>{items}</channel></rss>"""


def _item(entry: dict) -> str:
    parts = [f"<title>{escape(entry['title'])}</title>"]
    if "guid" in entry:
        parts.append(f'<guid isPermaLink="false">{escape(entry["guid"])}</guid>')
    if "link" in entry:
        parts.append(f"<link>{escape(entry['link'])}</link>")
    if "description" in entry:
        parts.append(f"<description>{escape(entry['description'])}</description>")
    if "published" in entry:
        parts.append(f"<pubDate>{format_datetime(entry['published'])}</pubDate>")
    if "enclosure" in entry:
        url, kind, length = entry["enclosure"]
        parts.append(f'<enclosure url="{url}" type="{kind}" length="{length}"/>')
    parts.extend(entry.get("extra", []))
    return "<item>" + "".join(parts) + "</item>"


def feed(*entries: dict, title: str = "Practitioner Blog") -> bytes:
    return rss(*entries, title=title).encode()
