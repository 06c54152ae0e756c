"""Writing messages into the outbox, inside the caller's unit of work."""

import base64
import logging

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from community.config import settings
from community.models import OutgoingEmail, OutgoingSlackMessage
from community.outbox.composing import InlineImage, email_message
from integrations.mail.messages import Attachment

log = logging.getLogger("community.outbox")
_WAKE_AFTER_COMMIT = "outbox_wake_after_commit"


def queue_email(
    session: Session,
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: list[Attachment] | None = None,
    inline: list[InlineImage] | None = None,
) -> bool:
    """Adds the email to the session's transaction; False when it can never be sent.

    `inline` pictures are shown by the HTML part (`cid:` links), not offered as files."""
    stored = [_stored(attachment) for attachment in attachments or ()]
    stored += [{**_stored(image), "content_id": image.content_id} for image in inline or ()]
    email = OutgoingEmail(
        to_address=to, subject=subject, text=text, html=html, attachments=stored or None
    )
    try:
        email_message(email, settings())
    except ValueError as error:  # a header the email package refuses, e.g. a line break
        log.warning("email %r to %s refused: %s", subject, to, error)
        return False
    session.add(email)
    return True


def _stored(attachment: Attachment | InlineImage) -> dict[str, str]:
    """As the JSON column keeps it: text as it is, bytes in base64."""
    content = attachment.content
    text = isinstance(content, str)
    return {
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "content": content if text else base64.b64encode(content).decode("ascii"),
        "encoding": "text" if text else "base64",
    }


def queue_slack_message(
    session: Session,
    *,
    text: str,
    channel: str | None = None,
    open_with: list[str] | None = None,
    blocks: list[dict] | None = None,
) -> bool:
    """Adds a post to `channel` (a user id makes it a DM) or to the group DM of the people
    in `open_with`; False when Slack is off or there is nowhere to post."""
    if not (channel or open_with) or not settings().SLACK_BOT_TOKEN:
        return False
    people = ",".join(open_with) if open_with and not channel else None
    session.add(
        OutgoingSlackMessage(channel=channel or "", open_with=people, text=text, blocks=blocks)
    )
    return True


def wake_after_commit(session: Session) -> None:
    """For changes that make old rows due again, such as an organiser's retry."""
    session.info[_WAKE_AFTER_COMMIT] = True


@event.listens_for(OrmSession, "before_flush")
def _note_new_messages(session: OrmSession, _context, _instances) -> None:
    if any(isinstance(row, OutgoingEmail | OutgoingSlackMessage) for row in session.new):
        session.info[_WAKE_AFTER_COMMIT] = True


@event.listens_for(OrmSession, "after_commit")
def _wake_worker(session: OrmSession) -> None:
    # SQLAlchemy fires after_commit for a savepoint's release too, when nothing is visible
    # to the worker yet: woken then, it would find nothing and miss the real commit.
    if session.in_nested_transaction():
        return
    if session.info.pop(_WAKE_AFTER_COMMIT, False):
        from community.outbox.worker import wake

        wake()


@event.listens_for(OrmSession, "after_rollback")
def _forget_new_messages(session: OrmSession) -> None:
    session.info.pop(_WAKE_AFTER_COMMIT, None)
