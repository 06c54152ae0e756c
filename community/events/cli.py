"""`flask events import`: bring events over from an ICS feed or file."""

import json

import click
from flask.cli import AppGroup

from community.db import session_scope

events_cli = AppGroup("events", help="Events and calendars.")


@events_cli.command("import")
@click.argument("location")
@click.option("--draft", is_flag=True, help="Import as drafts instead of publishing.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def import_command(location: str, draft: bool, as_json: bool) -> None:
    """Import events from an ICS URL or file; the same events are updated on the next import."""
    # Imported here: icalendar and the HTTP client are not needed to start other commands.
    from community.events.importing import (
        ImportError_,
        import_calendar,
        read_calendar,
        tell_about_imported_changes,
    )

    try:
        address, data = read_calendar(location)
        with session_scope() as session:
            report = import_calendar(session=session, address=address, data=data, draft=draft)
            tell_about_imported_changes(session, report)
    except ImportError_ as error:
        raise click.ClickException(str(error)) from error
    outcome = {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "cancelled": report.cancelled,
        "skipped": report.skipped,
    }
    if as_json:
        click.echo(json.dumps(outcome))
        return
    click.echo(
        f"{report.created} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.cancelled} cancelled, {len(report.skipped)} skipped."
    )
    for reason in report.skipped:
        click.echo(f"  skipped: {reason}", err=True)
