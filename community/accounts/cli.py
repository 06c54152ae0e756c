"""`flask users …`: organiser accounts from the command line."""

import sys

import click
from flask.cli import AppGroup

from community.accounts.services import AccountError, create_organiser
from community.db import session_scope

users_cli = AppGroup("users", help="Manage organiser accounts.")


@users_cli.command("create-organiser")
@click.argument("email")
@click.option("--name", default="", help="Display name.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input, not a prompt."
)
def create_organiser_command(email: str, name: str, password_stdin: bool) -> None:
    """Create an organiser who can log in to the web UI."""
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with session_scope() as session:
            organiser = create_organiser(session=session, email=email, password=password, name=name)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created organiser {organiser.email}.")
