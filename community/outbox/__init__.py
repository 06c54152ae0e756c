"""Everything the service sends, email and Slack, leaves through the outbox.

A change writes its messages as rows in its own transaction (`queue_email`,
`queue_slack_message`); after the commit a worker thread in the same process
delivers them, and the scheduler's `outbox.deliver` job picks up whatever a crash
or an outage left behind. No request waits on SMTP or Slack.
"""

from community.outbox.queue import queue_email, queue_slack_message
from community.outbox.worker import init_app

__all__ = ["init_app", "queue_email", "queue_slack_message"]
