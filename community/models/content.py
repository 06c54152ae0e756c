"""What the community knows: the sources it gathers from and the items gathered."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from community.models.types import created_at_field, json_list_field, timestamp_field


class SourceKind(StrEnum):
    FEED = "feed"  # blog or podcast RSS/Atom feed, polled
    CALENDAR = "calendar"  # ICS feed of events, polled
    FAQ = "faq"  # imported FAQ file
    CURATION = "curation"  # posts added by organisers or saved from Slack
    SLACK = "slack"  # help-channel threads whose answer was marked
    CONFERENCE = "conference"  # one conference's recorded sessions, with their captions
    DEMO = "demo"


class Source(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)
    name: str = Field(max_length=200)
    url: str | None = Field(default=None, max_length=2000, unique=True)
    collection: str | None = Field(default=None, max_length=200)  # OPML group, e.g. "Podcasts"
    site_url: str | None = Field(default=None, max_length=2000)
    active: bool = True
    etag: str | None = Field(default=None, max_length=500)
    last_modified: str | None = Field(default=None, max_length=100)
    error_count: int = 0
    last_error: str | None = Field(default=None, sa_type=Text)
    last_checked_at: datetime | None = timestamp_field()
    last_success_at: datetime | None = timestamp_field()
    failing_since: datetime | None = timestamp_field()  # the first failed check since a success
    next_check_at: datetime | None = timestamp_field(index=True)
    created_at: datetime = created_at_field()


class ItemKind(StrEnum):
    POST = "post"
    EPISODE = "episode"
    FAQ = "faq"
    THREAD = "thread"  # a solved Slack thread: the question and the reply marked as its answer
    RECORDING = "recording"  # a conference session's recording, cited by its captions' times


# What the knowledge base answers from (events are listings, not answers).
KNOWLEDGE_KINDS = [kind.value for kind in ItemKind]


class ItemStatus(StrEnum):
    PENDING = "pending"  # waiting for an organiser's approval
    PUBLISHED = "published"
    HIDDEN = "hidden"  # kept, out of search and pages until an organiser shows it again
    DELETED = "deleted"  # kept so re-polling a feed does not bring it back


class ContentItem(SQLModel, table=True):
    __tablename__ = "content_item"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        # The home page and the newsletter read the newest published items first.
        Index("ix_content_item_status_published_at_id", "status", "published_at", "id"),
        # The organisers' item list: newest first within one filter.
        Index("ix_content_item_status_id", "status", "id"),
        Index("ix_content_item_kind_id", "kind", "id"),
        Index("ix_content_item_collection_id", "collection", "id"),
        Index("ix_content_item_source_id_id", "source_id", "id"),
        # The Feeds page counts each feed's items by status without reading the rows.
        Index("ix_content_item_source_id_status", "source_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20, index=True)
    status: str = Field(default=ItemStatus.PUBLISHED, max_length=20, index=True)
    external_id: str = Field(max_length=500)
    title: str = Field(max_length=1000)
    summary: str = Field(default="", sa_type=Text)
    body_html: str = Field(default="", sa_type=Text)
    body_text: str = Field(default="", sa_type=Text)
    section: str | None = Field(default=None, max_length=200)
    collection: str | None = Field(default=None, max_length=200, index=True)
    tags: list[str] = json_list_field()
    url: str | None = Field(default=None, max_length=2000)
    author: str | None = Field(default=None, max_length=300)
    published_at: datetime | None = timestamp_field(index=True)
    content_hash: str | None = Field(default=None, max_length=64)
    submitted_by: str | None = Field(default=None, max_length=320)  # who proposed a curated post
    # Fields an organiser edited ("title", "tags", "collection"): a re-poll or re-import
    # updates the rest of the item and leaves these as the organiser wrote them.
    organiser_fields: list[str] = json_list_field()
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()

    # Podcast episodes
    enclosure_url: str | None = Field(default=None, max_length=2000)
    enclosure_type: str | None = Field(default=None, max_length=100)
    enclosure_length: int | None = None
    duration_seconds: int | None = None
    episode_number: int | None = None
    season_number: int | None = None
    image_url: str | None = Field(default=None, max_length=2000)
    transcripts: list[dict] = json_list_field()
    chapters_url: str | None = Field(default=None, max_length=2000)
    # What was read from them: the "transcript URL|chapters URL" last read (read again when
    # that changes, or after a while when it failed), time-coded passages and chapters.
    transcript_source: str | None = Field(default=None, max_length=4001)
    transcript_error: str | None = Field(default=None, sa_type=Text)
    transcript_tried_at: datetime | None = timestamp_field()
    transcript_passages: list[dict] = json_list_field()  # {"start", "chapter", "text"}
    chapters: list[dict] = json_list_field()  # {"start", "title"}
