"""`flask slack manifest`: the manifest to create the Slack app from, in one go."""

import click
from flask import current_app
from flask.cli import AppGroup
from slack_bolt.adapter.socket_mode import SocketModeHandler

from community.config import settings
from integrations.slack.manifest import render_manifest

slack_cli = AppGroup("slack", help="The Slack bot.")


@slack_cli.command("manifest")
def manifest_command() -> None:
    """Print the Slack app manifest with PUBLIC_URL filled in."""
    click.echo(
        render_manifest(
            public_url=settings().PUBLIC_URL,
            community_name=settings().COMMUNITY_NAME,
        )
    )


@slack_cli.command("socket")
def socket_command() -> None:
    """Receive Slack events over Socket Mode (SLACK_APP_TOKEN) instead of HTTP."""
    app_token = settings().SLACK_APP_TOKEN
    bolt = current_app.extensions.get("slack_bolt")
    if not (app_token and bolt):
        raise click.ClickException(
            "Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN (an xapp- token with the "
            "connections:write scope)."
        )
    click.echo("Connecting to Slack over Socket Mode; Ctrl+C stops.")
    SocketModeHandler(bolt, app_token=app_token).start()
