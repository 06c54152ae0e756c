"""`flask outbox`: what waits to be sent, and sending it now."""

import json

import click
from flask.cli import AppGroup
from sqlalchemy import func
from sqlmodel import select

from community.db import session_scope
from community.models import OutgoingEmail, OutgoingSlackMessage
from community.outbox.delivery import deliver_due
from community.plurals import counted

outbox_cli = AppGroup("outbox", help="Email and Slack messages waiting to be sent.")


@outbox_cli.command("deliver")
@click.option("--json", "as_json", is_flag=True)
def deliver_command(as_json: bool) -> None:
    """Send what is due now (the scheduler does it every 30 seconds)."""
    delivered = deliver_due()
    data = {"emails": delivered.emails, "slack_messages": delivered.slack_messages}
    click.echo(
        json.dumps(data)
        if as_json
        else f"Sent {counted(data['emails'], 'email')} and "
        f"{counted(data['slack_messages'], 'Slack message')}."
    )


@outbox_cli.command("status")
def status_command() -> None:
    """How many messages are pending, being sent, sent and failed."""
    with session_scope() as session:
        for label, model in (("email", OutgoingEmail), ("slack", OutgoingSlackMessage)):
            counts = session.exec(select(model.status, func.count()).group_by(model.status)).all()
            click.echo(
                f"{label}: " + (", ".join(f"{n} {status}" for status, n in counts) or "empty")
            )
