"""`flask demo load`: fill an empty database with the demo content."""

import click
from flask.cli import AppGroup

from community.db import session_scope
from community.demo.loader import database_is_empty, load_demo
from community.models.types import utcnow
from community.plurals import counted

demo_cli = AppGroup("demo", help="Demo content for trying the service out.")


@demo_cli.command("load")
def load_command() -> None:
    """Load demo posts, episodes, FAQ entries and events, if the database holds none yet."""
    with session_scope() as session:
        if not database_is_empty(session):
            click.echo("The database already holds content; demo content not loaded.")
            return
        summary = load_demo(session=session, today=utcnow().date())
    click.echo(
        f"Loaded {counted(summary.posts, 'post')}, "
        f"{counted(summary.episodes, 'podcast episode')}, "
        f"{counted(summary.faq_entries, 'FAQ entry', 'FAQ entries')} "
        f"and {counted(summary.events, 'event')}."
    )
