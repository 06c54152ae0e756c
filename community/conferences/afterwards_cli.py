"""`flask conferences` commands for after a conference: the follow-up email."""

import click
from flask.cli import with_appcontext

from community.db import session_scope


@click.command("send-follow-up")
@click.argument("acronym")
@with_appcontext
def send_follow_up_command(acronym: str) -> None:
    """Email every registered person the recordings and slides of their sessions and the
    feedback survey, once: running it again reaches only people who have not had it."""
    from community.conferences.follow_up import FollowUpError, send_follow_up
    from community.conferences.programme import conference_by_acronym

    with session_scope() as session:
        conference = conference_by_acronym(session, acronym)
        if conference is None:
            raise click.ClickException(f"No conference has the acronym {acronym!r}.")
        try:
            result = send_follow_up(session, conference)
        except FollowUpError as error:
            raise click.ClickException(str(error)) from error
    click.echo(result.summary())


commands: list = [send_follow_up_command]
