"""Solved Slack threads: a reply marked as the answer becomes a draft knowledge item.

The draft waits in the curation queue like a proposed post; once an organiser approves
it, search and the bot cite it with a link to the thread. The marked message stays the
source of truth: editing it in Slack edits the item, deleting it (or its author asking)
removes the item.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from markupsafe import escape
from sqlmodel import Session, select

from community.knowledge.items import ItemData, get_or_create_source, upsert_item
from community.models import ContentItem, ItemKind, ItemStatus, SourceKind
from community.models.types import utcnow

THREADS_SOURCE = "Solved Slack threads"
TITLE_CHARACTERS = 200


@dataclass(frozen=True)
class SolvedThread:
    """A help-channel thread as Slack shows it, with the reply that answers it."""

    channel: str
    channel_name: str
    question: str  # the thread's first message, as plain text
    answer: str  # the marked reply, as plain text
    answer_ts: str
    answerer: str  # display name, credited on the item
    permalink: str | None
    marked_by: str  # Slack user id of who marked it


def external_id(channel: str, message_ts: str) -> str:
    return f"slack:{channel}:{message_ts}"


def draft_solved_thread(session: Session, thread: SolvedThread) -> tuple[ContentItem, bool]:
    """The thread's draft, and whether it is new; marking a message twice changes nothing."""
    source = get_or_create_source(session=session, kind=SourceKind.SLACK, name=THREADS_SOURCE)
    existing = find_marked(session, thread.channel, thread.answer_ts)
    if existing is not None:
        return existing, False
    item, _ = upsert_item(
        session=session, source=source, data=_item_data(thread), status=ItemStatus.PENDING
    )
    item.submitted_by = f"slack:{thread.marked_by}"
    session.flush()
    return item, True


def update_marked_answer(session: Session, channel: str, message_ts: str, text: str):
    """The marked reply was edited in Slack: the draft or item says what it says now."""
    item = find_marked(session, channel, message_ts)
    if item is None or item.status == ItemStatus.DELETED:
        return None
    item.body_text, item.body_html = text, _paragraphs(text)
    item.updated_at = utcnow()
    session.flush()
    return item


def remove_marked_answer(session: Session, channel: str, message_ts: str):
    """The reply was deleted, or its author asked: the draft or item goes, and stays gone."""
    item = find_marked(session, channel, message_ts)
    if item is None or item.status == ItemStatus.DELETED:
        return None
    item.status = ItemStatus.DELETED
    session.flush()
    return item


def find_marked(session: Session, channel: str, message_ts: str) -> ContentItem | None:
    statement = select(ContentItem).where(
        ContentItem.kind == ItemKind.THREAD,
        ContentItem.external_id == external_id(channel, message_ts),
    )
    return session.exec(statement).first()


def _item_data(thread: SolvedThread) -> ItemData:
    title = " ".join(thread.question.split())
    if len(title) > TITLE_CHARACTERS:
        title = title[: TITLE_CHARACTERS - 1].rsplit(" ", 1)[0] + "…"
    return ItemData(
        kind=ItemKind.THREAD,
        external_id=external_id(thread.channel, thread.answer_ts),
        title=title,
        summary=thread.question,  # the whole question: the context the answer needs
        body_text=thread.answer,
        body_html=_paragraphs(thread.answer),
        section=f"Asked in #{thread.channel_name}",
        collection=f"#{thread.channel_name}",
        url=thread.permalink,
        author=thread.answerer,
        published_at=datetime.fromtimestamp(float(thread.answer_ts), UTC),
    )


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n\n") if part.strip())
