"""`flask slack manifest`: the manifest to create the Slack app from, in one go."""

import click
from flask import current_app
from flask.cli import AppGroup

from integrations.slack.manifest import render_manifest

slack_cli = AppGroup("slack", help="The Slack bot.")


@slack_cli.command("manifest")
def manifest_command() -> None:
    """Print the Slack app manifest with PUBLIC_URL filled in."""
    click.echo(
        render_manifest(
            public_url=current_app.config["PUBLIC_URL"],
            community_name=current_app.config["COMMUNITY_NAME"],
        )
    )
