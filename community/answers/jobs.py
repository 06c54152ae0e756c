"""Scheduled work for answers: the weekly gap report for organisers, in Slack."""

from community.answers.gaps import gap_report_text, weekly_gaps
from community.config import settings
from community.db import session_scope
from community.links import public_url
from community.outbox import queue_slack_message


def post_gap_report() -> None:
    """Posts the week's gaps to SLACK_ORGANISERS_CHANNEL; without one, the page is enough."""
    channel = settings().SLACK_ORGANISERS_CHANNEL
    if not channel:
        return
    with session_scope() as session:
        text = gap_report_text(weekly_gaps(session), public_url("/admin/gaps"))
        queue_slack_message(session, channel=channel, text=text)
