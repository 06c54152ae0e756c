"""Loading the demo posts, podcast episodes, FAQ entries and events."""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from community.events.services import EventInput, create_event
from community.knowledge.faq import parse_faq_entries
from community.knowledge.feeds import entry_to_item
from community.knowledge.items import get_or_create_source, upsert_item
from community.knowledge.posts import parse_post
from community.models import ContentItem, Event, EventStatus, SourceKind

CONTENT_DIR = Path(__file__).parent / "content"


@dataclass
class DemoSummary:
    posts: int
    episodes: int
    faq_entries: int
    events: int


def database_is_empty(session: Session) -> bool:
    items = session.exec(select(func.count()).select_from(ContentItem)).one()
    events = session.exec(select(func.count()).select_from(Event)).one()
    return items == 0 and events == 0


def load_demo(*, session: Session, today: date) -> DemoSummary:
    return DemoSummary(
        posts=_load_posts(session),
        episodes=_load_podcast(session),
        faq_entries=_load_faq(session),
        events=_load_events(session, today),
    )


def _load_posts(session: Session) -> int:
    source = get_or_create_source(session=session, kind=SourceKind.DEMO, name="Community blog")
    paths = sorted((CONTENT_DIR / "posts").glob("*.md"))
    for path in paths:
        upsert_item(session=session, source=source, data=parse_post(path.read_text("utf-8")))
    return len(paths)


def _load_podcast(session: Session) -> int:
    from integrations.feeds.parsing import parse_feed  # feedparser, only when loading

    feed = parse_feed((CONTENT_DIR / "podcast.xml").read_bytes())
    source = get_or_create_source(session=session, kind=SourceKind.DEMO, name=feed.title)
    for entry in feed.entries:
        upsert_item(
            session=session, source=source, data=entry_to_item(entry, collection=feed.title)
        )
    return len(feed.entries)


def _load_faq(session: Session) -> int:
    """FAQ entries under a source named after their collection, as `kb import` files them,
    so pages, search filters and the command line all call it `community-faq`."""
    entries = parse_faq_entries(json.loads((CONTENT_DIR / "faq.json").read_text("utf-8")))
    for entry in entries:
        source = get_or_create_source(session=session, kind=SourceKind.FAQ, name=entry.collection)
        upsert_item(session=session, source=source, data=entry)
    return len(entries)


def _load_events(session: Session, today: date) -> int:
    listings = json.loads((CONTENT_DIR / "events.json").read_text("utf-8"))
    for listing in listings:
        create_event(session=session, data=_event_input(listing, today))
    return len(listings)


def _event_input(listing: dict, today: date) -> EventInput:
    zone = ZoneInfo(listing["timezone"])
    day = today + timedelta(days=listing["starts_in_days"])
    starts_at = datetime.combine(day, time.fromisoformat(listing["start_time"]), tzinfo=zone)
    return EventInput(
        title=listing["title"],
        description=listing["description"],
        kind=listing["kind"],
        format=listing["format"],
        venue=listing.get("venue"),
        address=listing.get("address"),
        join_url=listing.get("join_url"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=listing["duration_minutes"]),
        timezone=listing["timezone"],
        capacity=listing.get("capacity"),
        tags=listing.get("tags", []),
        status=EventStatus.PUBLISHED,
    )
