"""`flask newsletter`: build, preview and send issues; import subscribers."""

import json
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from community.db import session_scope
from community.models import NewsletterIssue
from community.newsletter import issues
from community.newsletter.importing import import_subscribers
from community.newsletter.sending import SendingBusy, preview_copy, send_issue
from community.newsletter.subscriptions import SubscriptionError

newsletter_cli = AppGroup("newsletter", help="The weekly newsletter.")
subscribers_cli = AppGroup("subscribers", help="Newsletter subscribers.")
newsletter_cli.add_command(subscribers_cli)


def _echo(as_json: bool, data: dict, text: str) -> None:
    click.echo(json.dumps(data) if as_json else text)


@newsletter_cli.command("build")
@click.option("--week", type=click.DateTime(["%Y-%m-%d"]), help="Any day of the week to build.")
@click.option("--json", "as_json", is_flag=True)
def build_command(week, as_json: bool) -> None:
    """Build this week's issue (or find it, if built already) and print its id."""
    monday = None
    if week:
        day = week.date()
        monday = date.fromordinal(day.toordinal() - day.weekday())
    with session_scope() as session:
        issue, built = issues.build_issue(session, monday)
        session.flush()
        data = {"issue": issue.id, "week_of": issue.week_of.isoformat(), "built": built}
    _echo(as_json, data, str(data["issue"]))


@newsletter_cli.command("preview")
@click.argument("issue_id", type=int)
@click.option("--html", "as_html", is_flag=True, help="Print the HTML instead of the text.")
@click.option("--json", "as_json", is_flag=True)
def preview_command(issue_id: int, as_html: bool, as_json: bool) -> None:
    """Print an issue as subscribers will read it."""
    with session_scope() as session:
        issue = _issue(session, issue_id)
        text, html = preview_copy(issue)
        data = {
            "issue": issue.id,
            "subject": issue.subject,
            "status": issue.status,
            "text": text,
            "html": html,
        }
    _echo(
        as_json, data, data["html"] if as_html else f"Subject: {data['subject']}\n\n{data['text']}"
    )


@newsletter_cli.command("send")
@click.argument("issue_id", type=int)
@click.option(
    "--rate", type=float, help="Messages per second (default NEWSLETTER_RATE_PER_SECOND)."
)
@click.option("--json", "as_json", is_flag=True)
def send_command(issue_id: int, rate: float | None, as_json: bool) -> None:
    """Send an issue; run it again after any interruption to resume where it stopped."""
    with session_scope() as session:
        try:
            issues.start_sending(session, _issue(session, issue_id))
        except issues.IssueError as error:
            raise click.ClickException(str(error)) from error
    try:
        report = send_issue(issue_id, rate_per_second=rate)
    except SendingBusy as error:
        raise click.ClickException(str(error)) from error
    data = {"issue": issue_id, **report.__dict__}
    summary = (
        f"sent {report.sent}, failed {report.failed}, skipped {report.skipped}, "
        f"pending {report.pending}" + (f" ({report.stopped})" if report.stopped else "")
    )
    _echo(as_json, data, summary)
    if report.pending:
        raise SystemExit(1)


@subscribers_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def import_command(path: Path, as_json: bool) -> None:
    """Import confirmed subscribers from CSV (email, name, optional subscribed_at)."""
    with session_scope() as session:
        try:
            report = import_subscribers(session, path.read_text(encoding="utf-8-sig"))
        except SubscriptionError as error:
            raise click.ClickException(str(error)) from error
    data = {
        "imported": report.imported,
        "already_known": report.already_known,
        "invalid": report.invalid,
    }
    summary = (
        f"{report.imported} imported, {report.already_known} already known, "
        f"{len(report.invalid)} invalid"
    )
    _echo(as_json, data, summary)
    if not as_json:
        for problem in report.invalid:
            click.echo(f"  {problem}", err=True)


def _issue(session, issue_id: int) -> NewsletterIssue:
    issue = session.get(NewsletterIssue, issue_id)
    if issue is None:
        raise click.ClickException(f"there is no issue {issue_id}")
    return issue
