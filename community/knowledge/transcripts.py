"""An episode's transcript and chapters become time-coded passages, searched and cited.

Passages are windows of about a minute that never cross a chapter boundary, so an
answer can cite "Episode — 12:34" and link to that moment. A transcript is fetched with
the feeds' safe fetcher and caps, again only when its URL (or the chapters') changes;
one that fails is tried again after RETRY and never holds up the episode itself.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from community.models import ContentItem, ItemKind, ItemStatus
from community.models.types import utcnow
from integrations.feeds.fetching import FetchError, FetchPolicy, fetch
from integrations.feeds.transcripts import (
    PREFERENCE,
    Chapter,
    Cue,
    TranscriptError,
    format_of,
    parse_chapters,
    parse_transcript,
)

WINDOW_SECONDS = 60
UNTIMED_WORDS = 150  # a passage of a transcript without times: about a minute of speech
RETRY = timedelta(hours=6)
TRANSCRIPT_ACCEPT = "text/vtt, application/x-subrip, application/json, text/html, text/plain"
log = logging.getLogger("community.feeds")


@dataclass(frozen=True)
class Passage:
    start: int | None  # whole seconds; None for an untimed transcript
    chapter: str | None
    text: str


def passages_of(cues: list[Cue], chapters: list[Chapter]) -> list[Passage]:
    """Windows of about WINDOW_SECONDS, each inside one chapter."""
    passages: list[Passage] = []
    words: list[str] = []
    start: float | None = None
    chapter: str | None = None

    def close() -> None:
        if words:
            whole = int(start) if start is not None else None
            passages.append(Passage(whole, chapter, " ".join(words)))
            words.clear()

    for cue in cues:
        cue_chapter = _chapter_at(chapters, cue.start)
        word_count = sum(len(text.split()) for text in words)
        if words and _starts_new_window(cue, start, cue_chapter != chapter, word_count):
            close()
        if not words:
            start, chapter = cue.start, cue_chapter
        words.append(cue.text)
    close()
    return passages


def _starts_new_window(cue: Cue, start, new_chapter: bool, word_count: int) -> bool:
    if cue.start is None or start is None:  # without times, a window is so many words
        return word_count >= UNTIMED_WORDS
    return new_chapter or cue.start - start >= WINDOW_SECONDS


def _chapter_at(chapters: list[Chapter], moment: float | None) -> str | None:
    if moment is None:
        return None
    current = None
    for chapter in chapters:
        if chapter.start > moment:
            break
        current = chapter.title
    return current


def preferred_transcript(item: ContentItem) -> dict | None:
    """The transcript worth reading: timed formats first, as the feed declares them."""
    offered = [entry for entry in item.transcripts or [] if entry.get("url")]

    def rank(entry: dict) -> int:
        kind = format_of(entry.get("type"), entry["url"], b"")
        return PREFERENCE.index(kind) if kind in PREFERENCE else len(PREFERENCE)

    return min(offered, key=rank) if offered else None


def source_key(item: ContentItem) -> str | None:
    transcript = preferred_transcript(item)
    if transcript is None and not item.chapters_url:
        return None
    return f"{transcript['url'] if transcript else ''}|{item.chapters_url or ''}"


def due_episodes(session: Session, *, limit: int = 50) -> list[ContentItem]:
    """Published episodes whose transcript or chapters links changed since they were last
    read, or whose last reading failed more than RETRY ago."""
    statement = (
        select(ContentItem)
        .where(ContentItem.kind == ItemKind.EPISODE, ContentItem.status == ItemStatus.PUBLISHED)
        .order_by(ContentItem.published_at.desc().nulls_last())
    )
    retry_before = utcnow() - RETRY
    due = []
    for item in session.exec(statement):
        key = source_key(item)
        changed = key is not None and key != item.transcript_source
        failed_long_ago = bool(item.transcript_error) and (
            item.transcript_tried_at is None or item.transcript_tried_at < retry_before
        )
        if changed or (key is not None and failed_long_ago):
            due.append(item)
            if len(due) == limit:
                break
    return due


def read_transcript(item: ContentItem, policy: FetchPolicy) -> None:
    """Fetches and stores the episode's passages and chapters; a failure is recorded on it."""
    item.transcript_tried_at = utcnow()
    item.transcript_source = source_key(item)  # what was tried, whether or not it worked
    try:
        chapters = _fetch_chapters(item.chapters_url, policy) if item.chapters_url else []
        transcript = preferred_transcript(item)
        cues = _fetch_cues(transcript, policy) if transcript else []
    except (FetchError, TranscriptError) as error:
        reason = getattr(error, "reason", None) or str(error)
        item.transcript_error = reason[:2000]
        log.warning("transcript of item %s not read: %s", item.id, reason)
        return
    item.chapters = [{"start": int(c.start), "title": c.title} for c in chapters]
    item.transcript_passages = [
        {"start": p.start, "chapter": p.chapter, "text": p.text}
        for p in passages_of(cues, chapters)
    ]
    item.transcript_error = None


def _fetch_cues(transcript: dict, policy: FetchPolicy) -> list[Cue]:
    result = fetch(transcript["url"], policy=policy, accept=TRANSCRIPT_ACCEPT)
    content = result.content or b""
    kind = format_of(transcript.get("type") or result.content_type, transcript["url"], content)
    return parse_transcript(content, kind)


def _fetch_chapters(url: str, policy: FetchPolicy) -> list[Chapter]:
    return parse_chapters(fetch(url, policy=policy, accept="application/json").content or b"")
