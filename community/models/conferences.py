"""Conferences: an event with stages, tracks, sessions and speakers; its call for proposals
and their reviews; who starred, attended and rated which session."""

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from community.models.types import created_at_field, json_list_field, timestamp_field


class Conference(SQLModel, table=True):
    """The programme of one event: its days are the event's dates in `event.timezone`."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", unique=True, ondelete="CASCADE")
    acronym: str = Field(max_length=100, unique=True)  # in URLs and the schedule format
    # The agenda is public once published; until then only organisers see it.
    agenda_published_at: datetime | None = timestamp_field()
    cfp_opens_at: datetime | None = timestamp_field()
    cfp_closes_at: datetime | None = timestamp_field()
    cfp_description: str = Field(default="", sa_type=Text)  # Markdown, above the form
    # Bumped by every change of the programme, as the schedule format's "version".
    schedule_version: int = 1
    follow_up_sent_at: datetime | None = timestamp_field()  # the one follow-up email
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class StageKind(StrEnum):
    PHYSICAL = "physical"  # a room at the venue
    VIRTUAL = "virtual"  # a stream; its join link is for registered people only


class Stage(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("conference_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True, ondelete="CASCADE")
    guid: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    kind: str = Field(default=StageKind.PHYSICAL, max_length=20)
    description: str = Field(default="", sa_type=Text)
    capacity: int | None = None
    stream_url: str | None = Field(default=None, max_length=2000)  # never shown publicly
    position: int = 0  # order on the agenda


class Track(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("conference_id", "name"),
        UniqueConstraint("conference_id", "slug"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    slug: str = Field(max_length=200)
    color: str | None = Field(default=None, max_length=20)  # "#rrggbb"


class SessionKind(StrEnum):
    TALK = "talk"
    WORKSHOP = "workshop"
    PANEL = "panel"
    KEYNOTE = "keynote"
    BREAK = "break"


class ConferenceSession(SQLModel, table=True):
    """A talk, workshop, panel, keynote or break. Unplaced until it has a stage and a start."""

    __tablename__ = "conference_session"
    __table_args__ = (
        UniqueConstraint("conference_id", "slug"),
        Index("ix_conference_session_conference_id_starts_at", "conference_id", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", ondelete="CASCADE")
    guid: str = Field(max_length=64, unique=True)  # the schedule format's identity
    code: str | None = Field(default=None, max_length=40)  # pretalx's short code, e.g. "DMN3Q"
    slug: str = Field(max_length=200)
    title: str = Field(max_length=500)
    subtitle: str | None = Field(default=None, max_length=500)
    kind: str = Field(default=SessionKind.TALK, max_length=20)
    abstract: str = Field(default="", sa_type=Text)  # Markdown
    description: str = Field(default="", sa_type=Text)  # Markdown
    tags: list[str] = json_list_field()
    language: str | None = Field(default=None, max_length=20)
    stage_id: int | None = Field(default=None, foreign_key="stage.id", ondelete="SET NULL")
    track_id: int | None = Field(default=None, foreign_key="track.id", ondelete="SET NULL")
    starts_at: datetime | None = timestamp_field()
    duration_minutes: int = 30
    do_not_record: bool = False
    recording_url: str | None = Field(default=None, max_length=2000)
    slides_url: str | None = Field(default=None, max_length=2000)
    # A recording's captions or transcript (WebVTT or SRT) as time-coded passages.
    captions_url: str | None = Field(default=None, max_length=2000)
    content_item_id: int | None = Field(
        default=None, foreign_key="content_item.id", ondelete="SET NULL"
    )  # the recording in the knowledge base
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id", ondelete="SET NULL")
    # From a frab/pretalx schedule: its links ({"url", "title", "type"}), its page where the
    # schedule came from, and when it was first imported (a later import that no longer
    # lists it removes it; sessions made here are never removed by an import).
    links: list[dict] = json_list_field()
    origin_url: str | None = Field(default=None, max_length=2000)
    imported_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()

    @property
    def ends_at(self) -> datetime | None:
        if self.starts_at is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class Speaker(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("conference_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True, ondelete="CASCADE")
    guid: str = Field(max_length=64, unique=True)
    code: str | None = Field(default=None, max_length=40)
    slug: str = Field(max_length=200)
    name: str = Field(max_length=200)
    biography: str = Field(default="", sa_type=Text)  # Markdown
    email: str | None = Field(default=None, max_length=320)  # never shown publicly
    avatar_url: str | None = Field(default=None, max_length=2000)


class SessionSpeaker(SQLModel, table=True):
    __tablename__ = "session_speaker"

    session_id: int = Field(
        foreign_key="conference_session.id", primary_key=True, ondelete="CASCADE"
    )
    speaker_id: int = Field(foreign_key="speaker.id", primary_key=True, ondelete="CASCADE")
    position: int = 0  # the order speakers are named in


class SessionStar(SQLModel, table=True):
    """A session on someone's own agenda: a Slack member's, or a registration's from the web."""

    __tablename__ = "session_star"
    __table_args__ = (
        UniqueConstraint("session_id", "member_id"),
        UniqueConstraint("session_id", "registration_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="conference_session.id", index=True, ondelete="CASCADE")
    member_id: int | None = Field(default=None, foreign_key="member.id", ondelete="CASCADE")
    registration_id: int | None = Field(
        default=None, foreign_key="registration.id", ondelete="CASCADE"
    )
    created_at: datetime = created_at_field()
    # The start its Slack reminder was sent for: a moved session is reminded again.
    reminded_for: datetime | None = timestamp_field()


class TeamRole(StrEnum):
    REVIEWER = "reviewer"  # scores and comments on proposals
    HELPER = "helper"  # checks people in at the door


class ConferenceTeamMember(SQLModel, table=True):
    """Someone an organiser named to review proposals or check people in at one conference."""

    __tablename__ = "conference_team_member"
    __table_args__ = (UniqueConstraint("conference_id", "organiser_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True, ondelete="CASCADE")
    organiser_id: int = Field(foreign_key="organiser.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=20)
    invited_by: str | None = Field(default=None, max_length=320)
    created_at: datetime = created_at_field()


class ProposalStatus(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # by the speaker, through their link


class Proposal(SQLModel, table=True):
    __table_args__ = (Index("ix_proposal_conference_id_status", "conference_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", ondelete="CASCADE")
    title: str = Field(max_length=500)
    abstract: str = Field(sa_type=Text)
    format: str = Field(default=SessionKind.TALK, max_length=20)
    track_id: int | None = Field(default=None, foreign_key="track.id", ondelete="SET NULL")
    speaker_name: str = Field(max_length=200)
    speaker_bio: str = Field(default="", sa_type=Text)
    speaker_email: str = Field(max_length=320)
    co_speakers: list[dict] = json_list_field()  # {"name", "email", "bio"}
    status: str = Field(default=ProposalStatus.SUBMITTED, max_length=20)
    submitted_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
    decided_at: datetime | None = timestamp_field()
    decided_by: str | None = Field(default=None, max_length=320)


class ProposalReview(SQLModel, table=True):
    __tablename__ = "proposal_review"
    __table_args__ = (UniqueConstraint("proposal_id", "organiser_id"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True, ondelete="CASCADE")
    organiser_id: int = Field(foreign_key="organiser.id", index=True, ondelete="CASCADE")
    score: int  # 1 (no) to 5 (must have)
    comment: str = Field(default="", sa_type=Text)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class SessionAttendance(SQLModel, table=True):
    """A registered person checked in at the door of one session."""

    __tablename__ = "session_attendance"
    __table_args__ = (UniqueConstraint("session_id", "registration_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="conference_session.id", index=True, ondelete="CASCADE")
    registration_id: int = Field(foreign_key="registration.id", index=True, ondelete="CASCADE")
    checked_in_at: datetime = created_at_field()
    checked_in_by: str | None = Field(default=None, max_length=320)


class SessionFeedback(SQLModel, table=True):
    """One registered person's answer to the follow-up survey about one session."""

    __tablename__ = "session_feedback"
    __table_args__ = (UniqueConstraint("session_id", "registration_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="conference_session.id", index=True, ondelete="CASCADE")
    registration_id: int = Field(foreign_key="registration.id", index=True, ondelete="CASCADE")
    rating: int  # 1 to 5
    comment: str = Field(default="", sa_type=Text)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class FollowUpEmail(SQLModel, table=True):
    """The one follow-up email a registered person gets after a conference, once ever."""

    __tablename__ = "follow_up_email"
    __table_args__ = (UniqueConstraint("conference_id", "registration_id"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", ondelete="CASCADE")
    registration_id: int = Field(foreign_key="registration.id", index=True, ondelete="CASCADE")
    sent_at: datetime = created_at_field()
