"""Every `flask` command group, one per area."""

from flask import Flask

from community.accounts.cli import users_cli
from community.answers.cli import ask_command
from community.conferences.cli import conferences_cli
from community.database_cli import db_cli
from community.demo.cli import demo_cli
from community.devserver import dev_command
from community.events.cli import events_cli
from community.knowledge.cli import feeds_cli, kb_cli
from community.newsletter.cli import newsletter_cli
from community.outbox.cli import outbox_cli
from community.pairing.cli import pairing_cli
from community.scheduler.cli import scheduler_cli
from community.search.cli import SEARCH_COMMANDS
from community.slackbot.cli import slack_cli


def register_cli(app: Flask) -> None:
    for command in SEARCH_COMMANDS:
        kb_cli.add_command(command)
    for command in (
        db_cli,
        users_cli,
        scheduler_cli,
        demo_cli,
        dev_command,
        kb_cli,
        feeds_cli,
        ask_command,
        slack_cli,
        events_cli,
        conferences_cli,
        newsletter_cli,
        pairing_cli,
        outbox_cli,
    ):
        app.cli.add_command(command)
