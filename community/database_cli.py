"""`flask db …`: schema migrations with Alembic, against the configured DATABASE_URL."""

from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import AppGroup

from community.db import get_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

# Tables that other libraries own and create for themselves.
FOREIGN_TABLES = {"apscheduler_jobs"}

db_cli = AppGroup("db", help="Create and upgrade the database schema.")


# Alembic is imported by the commands that use it: most `flask` runs never need it.


def alembic_config(engine=None) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(slug)s")
    config.attributes["engine"] = engine or get_engine()
    return config


def include_name(name, type_, _parent_names) -> bool:
    """Leave tables that the migrations do not own out of comparisons."""
    return not (type_ == "table" and name in FOREIGN_TABLES)


def upgrade_database(engine=None, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Bring the schema up to REVISION (default: the newest)."""
    upgrade_database(revision=revision)
    click.echo(f"Database at {_safe_url()} is at revision {revision}.")


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Step the schema back to REVISION (for example -1)."""
    from alembic import command

    command.downgrade(alembic_config(), revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def revision_command(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    from alembic import command

    command.revision(alembic_config(), message=message, autogenerate=True)


@db_cli.command("current")
def current_command() -> None:
    """Show the revision the database is at."""
    from alembic import command

    command.current(alembic_config(), verbose=False)


def _safe_url() -> str:
    return get_engine(current_app).url.render_as_string(hide_password=True)
