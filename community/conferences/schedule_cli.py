"""`flask conferences import`: reading a frab/pretalx schedule into a conference."""

import json

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from community.db import session_scope
from community.plurals import counted


@click.command("import")
@click.argument("location")
@click.option("--draft", is_flag=True, help="A new conference stays a draft, agenda unpublished.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@with_appcontext
def import_command(location: str, draft: bool, as_json: bool) -> None:
    """Import a schedule.json or schedule.xml from a URL or file; importing it again updates
    the same conference, stages, tracks, sessions and speakers."""
    # Imported here: pydantic, defusedxml and the HTTP client are not needed by other commands.
    from community.conferences.schedule_import import (
        ScheduleImportError,
        import_schedule,
        read_schedule_source,
    )
    from integrations.schedules.model import ScheduleError
    from integrations.schedules.reading import read_schedule

    try:
        parsed = read_schedule(read_schedule_source(location))
        with session_scope() as session:
            report = import_schedule(session=session, schedule_data=parsed, draft=draft)
    except ScheduleError as error:
        _refuse(f"{location} is not a schedule we can import", error.problems, as_json)
    except ScheduleImportError as error:
        _refuse(str(error), [], as_json)
    except IntegrityError as error:
        _refuse(f"{location} clashes with the programme here: {error.orig}", [], as_json)
    if as_json:
        click.echo(json.dumps(report.as_dict()))
        return
    click.echo(_summary(report))
    for note in report.notes:
        click.echo(f"  note: {note}", err=True)


def _refuse(reason: str, problems: list[str], as_json: bool):
    if as_json:
        click.echo(json.dumps({"error": reason, "problems": problems}))
    details = "".join(f"\n  {problem}" for problem in problems)
    raise click.ClickException(f"{reason}; nothing was changed.{details}")


def _summary(report) -> str:
    state = "published" if report.published else "not published"
    lines = [f"{report.acronym}: conference {report.conference}, {state}."]
    for name in ("sessions", "speakers", "stages", "tracks"):
        counts = getattr(report, name)
        lines.append(
            f"  {name.capitalize()}: {counts.created} new, {counts.updated} updated, "
            f"{counts.unchanged} unchanged, {counts.removed} removed."
        )
    if report.people_told:
        told = counted(report.people_told, "registered person", "registered people")
        lines.append(f"  Emailed the new dates to {told}.")
    return "\n".join(lines)


commands: list = [import_command]
