"""`flask users …`: organiser accounts from the command line."""

import secrets
import sys

import click
from flask.cli import AppGroup

from community.accounts.services import (
    AccountError,
    create_organiser,
    list_organisers,
    remove_organiser,
    reset_password,
)
from community.db import session_scope

users_cli = AppGroup("users", help="Manage organiser accounts.")

password_stdin_option = click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input, not a prompt."
)


@users_cli.command("create-organiser")
@click.argument("email")
@click.option("--name", default="", help="Display name.")
@password_stdin_option
def create_organiser_command(email: str, name: str, password_stdin: bool) -> None:
    """Create an organiser who can log in to the web UI."""
    password = _read_password(password_stdin)
    try:
        with session_scope() as session:
            organiser = create_organiser(session=session, email=email, password=password, name=name)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created organiser {organiser.email}.")


@users_cli.command("list")
def list_command() -> None:
    """Every account: email, name, whether active, its role (organiser, or team: a
    conference's reviewer or door helper), last login (UTC)."""
    with session_scope() as session:
        rows = [
            (
                organiser.email,
                organiser.name or "-",
                "yes" if organiser.active else "no",
                organiser.role,
                _moment(organiser.last_login_at),
            )
            for organiser in list_organisers(session=session)
        ]
    if not rows:
        click.echo("No organisers yet; add one with `users create-organiser EMAIL`.")
        return
    rows.insert(0, ("EMAIL", "NAME", "ACTIVE", "ROLE", "LAST LOGIN"))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for *padded, last_login in rows:
        cells = [cell.ljust(width) for cell, width in zip(padded, widths, strict=True)]
        click.echo("  ".join([*cells, last_login]))


@users_cli.command("reset-password")
@click.argument("email")
@click.option("--generate", is_flag=True, help="Make up a strong password and print it.")
@password_stdin_option
def reset_password_command(email: str, generate: bool, password_stdin: bool) -> None:
    """Give an organiser a new password; every session of theirs ends."""
    password = secrets.token_urlsafe(15) if generate else _read_password(password_stdin)
    try:
        with session_scope() as session:
            organiser = reset_password(session=session, email=email, password=password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"New password set for {organiser.email}; their sessions have ended.")
    if generate:
        click.echo(f"Password: {password}")


@users_cli.command("remove")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def remove_command(email: str, yes: bool) -> None:
    """Delete an organiser account; every session of theirs ends."""
    if not yes:
        click.confirm(
            f"Remove the organiser {email.strip()}? They can no longer log in.", abort=True
        )
    try:
        with session_scope() as session:
            organiser = remove_organiser(session=session, email=email)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Removed organiser {organiser.email}.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _moment(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "never"
