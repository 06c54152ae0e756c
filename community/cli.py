"""Every `flask` command group, one per area."""

from flask import Flask

from community.accounts.cli import users_cli
from community.database_cli import db_cli
from community.demo.cli import demo_cli
from community.devserver import dev_command
from community.scheduler.cli import scheduler_cli


def register_cli(app: Flask) -> None:
    for command in (db_cli, users_cli, scheduler_cli, demo_cli, dev_command):
        app.cli.add_command(command)
