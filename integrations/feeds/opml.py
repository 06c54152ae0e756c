"""Reading and writing OPML subscription lists; an outline group becomes a collection."""

from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError, SubElement, indent, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring


class OpmlError(ValueError):
    pass


@dataclass
class OpmlFeed:
    url: str
    title: str
    collection: str | None
    site_url: str | None = None


def parse_opml(content: bytes) -> list[OpmlFeed]:
    """Feeds in document order, each once; a feed inside nested groups takes the innermost
    group's name as its collection."""
    body = _body(_root(content))
    feeds: dict[str, OpmlFeed] = {}
    for feed in _feeds_in(body, collection=None):
        feeds.setdefault(feed.url, feed)
    return list(feeds.values())


def build_opml(feeds: Iterable[OpmlFeed], *, title: str) -> bytes:
    """An OPML 2.0 document: feeds without a collection at the top, then one group per
    collection in the order collections first appear."""
    opml = Element("opml", version="2.0")
    SubElement(SubElement(opml, "head"), "title").text = title
    body = SubElement(opml, "body")
    groups: dict[str, Element] = {}
    for feed in feeds:
        if feed.collection:
            parent = groups.get(feed.collection)
            if parent is None:
                parent = groups[feed.collection] = Element("outline", text=feed.collection)
        else:
            parent = body
        SubElement(parent, "outline", _feed_attributes(feed))
    body.extend(groups.values())
    indent(opml)
    return tostring(opml, encoding="utf-8", xml_declaration=True) + b"\n"


def _root(content: bytes) -> Element:
    try:
        root = fromstring(content)
    except DefusedXmlException as error:
        raise OpmlError(f"the file declares XML entities, which are refused ({error})") from error
    except ParseError as error:
        raise OpmlError(f"the file is not well-formed XML ({error})") from error
    if root.tag != "opml":
        raise OpmlError(f"the file is XML but not OPML: its root element is <{root.tag}>")
    return root


def _body(root: Element) -> Element:
    body = root.find("body")
    if body is None:
        raise OpmlError("the OPML file has no <body>, so it lists no feeds")
    return body


def _feeds_in(group: Element, *, collection: str | None) -> Iterable[OpmlFeed]:
    for outline in group.findall("outline"):
        attributes = {name.lower(): value.strip() for name, value in outline.attrib.items()}
        name = attributes.get("text") or attributes.get("title") or None
        if attributes.get("xmlurl"):
            yield OpmlFeed(
                url=attributes["xmlurl"],
                title=name or attributes["xmlurl"],
                collection=collection,
                site_url=attributes.get("htmlurl") or None,
            )
        else:
            yield from _feeds_in(outline, collection=name or collection)


def _feed_attributes(feed: OpmlFeed) -> dict[str, str]:
    attributes = {"type": "rss", "text": feed.title, "title": feed.title, "xmlUrl": feed.url}
    if feed.site_url:
        attributes["htmlUrl"] = feed.site_url
    return attributes
