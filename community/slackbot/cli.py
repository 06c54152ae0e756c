"""`flask slack …`: the app manifest, Socket Mode, and backfilling solved threads."""

import json
from dataclasses import asdict
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from community.config import settings
from community.links import public_url
from community.plurals import counted
from integrations.slack.client import TIER_3_PAUSE, slack_client
from integrations.slack.manifest import render_manifest

slack_cli = AppGroup("slack", help="The Slack bot.")


@slack_cli.command("manifest")
def manifest_command() -> None:
    """Print the Slack app manifest with PUBLIC_URL filled in."""
    click.echo(
        render_manifest(
            public_url=public_url(),
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
    from slack_bolt.adapter.socket_mode import SocketModeHandler  # only this command needs it

    current_app.extensions["search_follower"].start()  # answers see other nodes' changes
    SocketModeHandler(bolt, app_token=app_token).start()


@slack_cli.command("import-threads")
@click.argument("channel")
@click.option(
    "--since", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Oldest day to read."
)
@click.option(
    "--pause",
    default=TIER_3_PAUSE,
    show_default=True,
    type=click.FloatRange(0),
    help="Seconds between Slack calls; the default keeps inside Slack's tier 3 limits.",
)
@click.option("--json", "as_json", is_flag=True)
def import_threads_command(channel: str, since: datetime, pause: float, as_json: bool) -> None:
    """Draft the threads already solved (✅ by the asker or an organiser) in a help channel.

    Run it again after an interruption: it continues where it stopped.
    """
    client = slack_client()
    if client is None:
        raise click.ClickException("Slack is off: set SLACK_BOT_TOKEN")
    # The backfill loads slack_sdk and every listener: too much for each `flask` command's start.
    from community.slackbot.backfill import import_solved_threads

    try:
        report = import_solved_threads(client, channel, since.replace(tzinfo=UTC), pause=pause)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(asdict(report)))
        return
    resumed = " (resumed)" if report.resumed else ""
    click.echo(
        f"{channel}{resumed}: {counted(report.threads_seen, 'thread')} read, "
        f"{counted(report.drafts_made, 'solved one')} drafted for review (see `kb pending`)."
    )
