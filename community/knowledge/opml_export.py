"""The feed list as OPML, for moving it to or from another feed reader."""

from sqlmodel import Session

from community.knowledge.feed_sources import list_feeds
from integrations.feeds.opml import OpmlFeed, build_opml


def export_opml(*, session: Session, title: str) -> bytes:
    feeds = [
        OpmlFeed(url=feed.url, title=feed.name, collection=feed.collection, site_url=feed.site_url)
        for feed in list_feeds(session=session)
    ]
    return build_opml(feeds, title=f"{title} feeds")
