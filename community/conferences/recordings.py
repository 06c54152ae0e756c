"""A session's recording, slides and captions; captions make the recording knowledge.

A session with a recording and captions (WebVTT or SRT, fetched from a link with the feeds'
safe fetcher or uploaded) becomes a content item of kind "recording" with time-coded
passages, as a podcast episode does, so the bot and search cite "Talk title — 12:34" and
link to that moment of the recording. Every conference has one knowledge source.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from community.conferences.programme import event_of, speakers_of_sessions
from community.knowledge.items import ItemData, upsert_item
from community.links import public_url
from community.models import (
    Conference,
    ConferenceSession,
    ContentItem,
    ItemKind,
    ItemStatus,
    Source,
    SourceKind,
    Track,
)
from community.models.types import utcnow
from community.rich_text import html_to_text, markdown_to_html
from integrations.feeds.transcripts import TranscriptError, format_of, parse_transcript

if TYPE_CHECKING:
    from integrations.feeds.fetching import FetchPolicy

CAPTION_FORMATS = ("vtt", "srt")
_TIME_LINE = "00:01:02.000 --> 00:01:05.000"
UPLOADED = "upload:"  # how an uploaded file is named where a captions link would be


class CaptionsError(ValueError):
    """Captions that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Captions:
    """Captions read and parsed, before anything is stored."""

    origin: str  # the link, or "upload:talk.vtt"
    passages: list[dict]


@dataclass(frozen=True)
class RecordingChange:
    recording_url: str | None
    slides_url: str | None
    captions: Captions | None = None  # new captions; None keeps the ones there are
    remove_captions: bool = False


def captions_from_url(url: str, policy: "FetchPolicy") -> Captions:
    # The HTTP client loads when captions are fetched, not with every web worker's start.
    from community.knowledge.transcripts import TRANSCRIPT_ACCEPT
    from integrations.feeds.fetching import FetchError, fetch

    try:
        result = fetch(url, policy=policy, accept=TRANSCRIPT_ACCEPT)
    except FetchError as error:
        raise CaptionsError(
            f"The captions could not be fetched from {url}: {error.reason}."
        ) from error
    content = result.content or b""
    return Captions(url, _passages(content, format_of(result.content_type, url, content)))


def captions_from_upload(filename: str, content: bytes, max_bytes: int) -> Captions:
    name = (filename or "captions").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    if len(content) > max_bytes:
        raise CaptionsError(
            f"The captions file {name} is larger than {_size(max_bytes)}; "
            "upload a smaller file or give a link to it."
        )
    kind = format_of(None, name, content)
    return Captions(f"{UPLOADED}{name}", _passages(content, kind))


def _passages(content: bytes, kind: str) -> list[dict]:
    if kind not in CAPTION_FORMATS:
        raise CaptionsError(
            "The captions are not WebVTT (.vtt) or SRT (.srt): no cue has a time line "
            f"such as “{_TIME_LINE}”."
        )
    try:
        cues = parse_transcript(content, kind)
    except TranscriptError as error:
        raise CaptionsError(
            f"The captions could not be read: {error}. WebVTT and SRT captions are text, "
            f"each cue under a time line such as “{_TIME_LINE}”."
        ) from error
    from community.knowledge.transcripts import passages_of

    timed = [cue for cue in cues if cue.start is not None]
    if not timed:
        raise CaptionsError("The captions have no timed cues to cite.")
    return [
        {"start": passage.start, "chapter": passage.chapter, "text": passage.text}
        for passage in passages_of(timed, [])
    ]


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{count // 1024} KB"


def save_recording(
    session: Session, conference_session: ConferenceSession, change: RecordingChange
) -> ConferenceSession:
    """Stores the links and the captions, and brings the knowledge item in step with them."""
    if change.captions and not change.recording_url:
        raise CaptionsError("Add the recording's link too: captions cite moments of a recording.")
    conference_session.recording_url = change.recording_url
    conference_session.slides_url = change.slides_url
    conference_session.updated_at = utcnow()
    item = _item_of(session, conference_session)
    passages = item.transcript_passages if item is not None else []
    origin = item.transcript_source if item is not None else None
    if change.remove_captions:
        passages, origin = [], None
    if change.captions is not None:
        passages, origin = change.captions.passages, change.captions.origin
    conference_session.captions_url = None if _uploaded(origin) else origin
    if conference_session.recording_url and passages:
        _publish(session, conference_session, passages, origin)
    elif item is not None:
        _hide(item, passages, origin)
    session.flush()
    return conference_session


def _uploaded(origin: str | None) -> bool:
    return origin is None or origin.startswith(UPLOADED)


def _item_of(session: Session, conference_session: ConferenceSession) -> ContentItem | None:
    if conference_session.content_item_id is None:
        return None
    return session.get(ContentItem, conference_session.content_item_id)


def _publish(
    session: Session, conference_session: ConferenceSession, passages: list[dict], origin: str
) -> None:
    conference = session.get(Conference, conference_session.conference_id)
    source = conference_source(session, conference, _item_of(session, conference_session))
    data = _item_data(session, conference_session)
    item, _ = upsert_item(session=session, source=source, data=data)
    if item.status == ItemStatus.DELETED:
        return  # an organiser deleted it from the knowledge base: it stays deleted
    if item.transcript_passages != passages or item.status != ItemStatus.PUBLISHED:
        item.updated_at = utcnow()
    item.transcript_passages = passages
    item.transcript_source = origin
    item.transcript_error = None
    item.transcript_tried_at = utcnow()
    item.status = ItemStatus.PUBLISHED
    conference_session.content_item_id = item.id


def _hide(item: ContentItem, passages: list[dict], origin: str | None) -> None:
    """Out of search and pages; its captions are kept while there are any."""
    item.transcript_passages = passages
    item.transcript_source = origin
    if item.status == ItemStatus.PUBLISHED:
        item.status = ItemStatus.HIDDEN
    item.updated_at = utcnow()


def conference_source(
    session: Session, conference: Conference, item: ContentItem | None = None
) -> Source:
    """The conference's one source in the knowledge base, named after its event; the source
    its recordings already have, should the conference's acronym have changed since."""
    if item is not None:
        return session.get(Source, item.source_id)
    address = public_url(f"/conferences/{conference.acronym}")
    statement = select(Source).where(Source.kind == SourceKind.CONFERENCE, Source.url == address)
    source = session.exec(statement).first()
    if source is None:
        name = event_of(session, conference).title[:200]
        source = Source(kind=SourceKind.CONFERENCE, name=name, url=address)
        session.add(source)
        session.flush()
    return source


def _item_data(session: Session, conference_session: ConferenceSession) -> ItemData:
    conference = session.get(Conference, conference_session.conference_id)
    event = event_of(session, conference)
    speakers = speakers_of_sessions(session, [conference_session.id])[conference_session.id]
    track = session.get(Track, conference_session.track_id) if conference_session.track_id else None
    names = ", ".join(speaker.name for speaker in speakers)
    abstract = html_to_text(markdown_to_html(conference_session.abstract)).strip()
    return ItemData(
        kind=ItemKind.RECORDING,
        external_id=f"session:{conference_session.guid}",
        title=conference_session.title,
        summary=" ".join(abstract.split())[:300],
        body_text="\n\n".join(part for part in (abstract, _given_by(names)) if part),
        section=track.name if track else None,
        collection=event.title,
        tags=list(conference_session.tags or []),
        url=conference_session.recording_url,
        author=names or None,
        published_at=conference_session.starts_at or event.starts_at,
    )


def _given_by(names: str) -> str:
    return f"Given by {names}." if names else ""
