"""Delivering what the outbox holds: email over one SMTP connection per batch, then Slack.

Run by the worker thread after a commit and by the scheduler every half minute. A
failure that concerns one message is recorded on it; a relay or Slack that is down
ends the batch, and the rest waits for the next run.
"""

import logging
from dataclasses import dataclass

from sqlmodel import Session

from community.config import settings
from community.db import get_engine
from community.models import OutgoingEmail, OutgoingSlackMessage
from community.outbox import claims
from community.outbox.composing import email_message, mail_transport
from community.outbox.mail_failures import MailFailure, classify
from community.throttle import Throttle
from integrations.mail.transport import MailError
from integrations.slack.client import slack_client, slack_unavailable

log = logging.getLogger("community.outbox")
METADATA_TYPE = "community_outbox"


@dataclass
class Delivered:
    emails: int = 0
    slack_messages: int = 0


def deliver_due() -> Delivered:
    """One pass over everything due; the scheduler job and the worker thread call it."""
    with Session(get_engine(), expire_on_commit=False) as session:
        return Delivered(
            emails=deliver_emails(session, settings()),
            slack_messages=deliver_slack_messages(session, slack_client()),
        )


def deliver_emails(session: Session, config) -> int:
    batch = claims.claim_due(session, OutgoingEmail)
    if not batch:
        return 0
    sent, transport = 0, mail_transport(config)
    try:
        for position, claim in enumerate(batch):
            email = session.get(OutgoingEmail, claim.row_id)
            if claim.earlier_claim_at:
                # SMTP cannot tell whether the relay took it before the crash: the same
                # Message-ID lets the receiving server recognise the resend.
                log.warning("email %s was in flight at a crash; sending it again", email.id)
            try:
                transport.send(email_message(email, config))
            except MailError as error:
                _record_mail_failure(session, email, error)
                if classify(error) == MailFailure.RELAY:
                    claims.release(
                        session, OutgoingEmail, [c.row_id for c in batch[position + 1 :]]
                    )
                    break
                continue
            claims.record_sent(session, OutgoingEmail, email.id)
            sent += 1
    finally:
        transport.close()
    return sent


def _record_mail_failure(session: Session, email: OutgoingEmail, error: MailError) -> None:
    refused = classify(error) == MailFailure.REFUSED
    status = claims.record_failure(session, OutgoingEmail, email.id, str(error), permanent=refused)
    log.warning("email %r to %s not sent (%s): %s", email.subject, email.to_address, status, error)


def deliver_slack_messages(session: Session, client) -> int:
    if client is None:  # Slack is off here; the rows wait for a process that has it
        return 0
    from slack_sdk.errors import SlackApiError  # loaded with the client that Slack being on made

    batch = claims.claim_due(session, OutgoingSlackMessage)
    sent, throttle = 0, Throttle(settings().SLACK_MESSAGES_PER_SECOND)
    for position, claim in enumerate(batch):
        message = session.get(OutgoingSlackMessage, claim.row_id)
        throttle.wait()
        try:
            _open_conversation(session, client, message)
            ts = _already_posted(client, message, claim) or _post(client, message)
        except (SlackApiError, OSError) as error:
            unavailable = not isinstance(error, SlackApiError) or slack_unavailable(error)
            status = claims.record_failure(
                session, OutgoingSlackMessage, message.id, str(error), permanent=not unavailable
            )
            log.warning("Slack message to %s not sent (%s): %s", message.channel, status, error)
            if unavailable:
                later = [c.row_id for c in batch[position + 1 :]]
                claims.release(session, OutgoingSlackMessage, later)
                break
            continue
        claims.record_sent(session, OutgoingSlackMessage, message.id, message_ts=ts)
        sent += 1
    return sent


def _open_conversation(session: Session, client, message: OutgoingSlackMessage) -> None:
    """A group DM is opened on its first attempt and its channel kept for the retries."""
    if message.channel or not message.open_with:
        return
    opened = client.conversations_open(users=message.open_with)
    message.channel = opened["channel"]["id"]
    session.commit()


def _post(client, message: OutgoingSlackMessage) -> str:
    """Tagged with the row's id, so a resend after a crash can look for it first."""
    reply = client.chat_postMessage(
        channel=message.channel,
        text=message.text,
        blocks=message.blocks,
        metadata={"event_type": METADATA_TYPE, "event_payload": {"outbox_id": message.id}},
    )
    return reply["ts"]


def _already_posted(client, message: OutgoingSlackMessage, claim: claims.Claimed) -> str | None:
    """The ts of this row's message if a worker posted it and died before recording so."""
    if claim.earlier_claim_at is None:
        return None
    channel = message.channel
    if channel.startswith(("U", "W")):  # a DM addressed by user id lives in its own channel
        channel = client.conversations_open(users=channel)["channel"]["id"]
    history = client.conversations_history(
        channel=channel,
        oldest=f"{claim.earlier_claim_at.timestamp() - 1:.6f}",
        include_all_metadata=True,
        limit=200,
    )
    for posted in history.get("messages", []):
        payload = (posted.get("metadata") or {}).get("event_payload") or {}
        if posted.get("metadata", {}).get("event_type") == METADATA_TYPE and (
            payload.get("outbox_id") == message.id
        ):
            log.info("Slack message %s was posted before a crash; not posting again", message.id)
            return posted["ts"]
    return None
