"""Turning parsed feed entries into knowledge items."""

from typing import TYPE_CHECKING

from community.knowledge.items import ItemData
from community.knowledge.tags import normalise_tags
from community.models import ItemKind
from community.rich_text import html_to_text, sanitise_html

if TYPE_CHECKING:
    from integrations.feeds.parsing import FeedEntry  # feedparser, for those who parse feeds

SUMMARY_LENGTH = 400


def entry_to_item(entry: "FeedEntry", *, collection: str | None = None) -> ItemData:
    body_html = sanitise_html(entry.content_html or entry.summary_html)
    summary = html_to_text(sanitise_html(entry.summary_html or entry.content_html))
    return ItemData(
        kind=ItemKind.EPISODE if entry.enclosure_url else ItemKind.POST,
        external_id=entry.identity,
        title=entry.title,
        summary=summary[:SUMMARY_LENGTH],
        body_html=body_html,
        body_text=html_to_text(body_html),
        collection=collection,
        tags=normalise_tags(entry.tags),
        url=entry.link,
        author=entry.author,
        published_at=entry.published,
        enclosure_url=entry.enclosure_url,
        enclosure_type=entry.enclosure_type,
        enclosure_length=entry.enclosure_length,
        duration_seconds=entry.duration_seconds,
        episode_number=entry.episode_number,
        season_number=entry.season_number,
        image_url=entry.image_url,
        transcripts=list(entry.transcripts),
        chapters_url=entry.chapters_url,
    )
