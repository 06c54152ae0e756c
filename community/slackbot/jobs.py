"""Housekeeping for the Slack bot."""

from datetime import timedelta

from sqlalchemy import delete

from community.db import session_scope
from community.models import SlackEventReceipt
from community.models.types import utcnow
from community.slackbot.receipts import KEPT_FOR_GOOD

# Slack gives up redelivering an event within the hour; a week is a wide margin.
RECEIPT_RETENTION = timedelta(days=7)


def prune_event_receipts() -> None:
    cutoff = utcnow() - RECEIPT_RETENTION
    with session_scope() as session:
        session.exec(
            delete(SlackEventReceipt).where(
                SlackEventReceipt.received_at < cutoff,
                ~SlackEventReceipt.event_id.startswith(KEPT_FOR_GOOD),
            )
        )
