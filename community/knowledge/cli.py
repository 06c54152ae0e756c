"""`flask kb import` and `flask feeds …`: filling the knowledge base from files and feeds."""

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click
from flask.cli import AppGroup

from community.config import settings
from community.db import get_engine, session_scope
from community.knowledge import curation
from community.knowledge.feed_sources import FeedError, add_feed, item_counts, list_feeds
from community.knowledge.importing import SUPPORTED_SUFFIXES, import_file
from community.knowledge.opml_export import export_opml
from community.models.types import utcnow
from community.plurals import counted

kb_cli = AppGroup("kb", help="The knowledge base: import, search, reindex, evaluate.")
feeds_cli = AppGroup("feeds", help="Blog and podcast feeds.")


@kb_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON report per file.")
def import_command(paths: tuple[Path, ...], as_json: bool) -> None:
    """Import .md posts, .json/.jsonl FAQ or item files, and .opml feed lists."""
    files = _expand(paths)
    reports = []
    with click.progressbar(files, label="Importing", file=sys.stderr) as progress:
        for path in progress:
            with session_scope() as session:
                reports.append(import_file(session=session, path=path))
    for report in reports:
        if as_json:
            click.echo(json.dumps(asdict(report)))
        else:
            click.echo(_describe_import(report))
    if any(report.errors for report in reports):
        sys.exit(1)


@kb_cli.command("pending")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per item.")
def pending_command(as_json: bool) -> None:
    """What waits for an organiser: proposed posts and solved Slack threads."""
    with session_scope() as session:
        rows = [_pending_row(item) for item in curation.pending_posts(session=session)]
    for row in rows:
        if as_json:
            click.echo(json.dumps(row))
        else:
            click.echo(f"{row['id']:>5}  [{row['kind']}] {row['title']}  {row['url'] or ''}")
    if not rows and not as_json:
        click.echo("Nothing is waiting.")


def _pending_row(item) -> dict:
    return {
        "id": item.id,
        "kind": item.kind,
        "title": item.title,
        "body": item.body_text,
        "url": item.url,
        "author": item.author,
        "collection": item.collection,
        "submitted_by": item.submitted_by,
        "created_at": item.created_at.isoformat(),
    }


@kb_cli.command("approve")
@click.argument("item_id", type=int)
def approve_command(item_id: int) -> None:
    """Publish a waiting item: it is searchable and cited from then on."""
    _decide(item_id, approve=True)


@kb_cli.command("reject")
@click.argument("item_id", type=int)
def reject_command(item_id: int) -> None:
    """Turn a waiting item down; it stays out even if proposed again."""
    _decide(item_id, approve=False)


def _decide(item_id: int, *, approve: bool) -> None:
    try:
        with session_scope() as session:
            title = curation.decide(session=session, item_id=item_id, approve=approve).title
    except curation.CurationError as error:
        raise click.ClickException(f"item {item_id}: {error}") from error
    click.echo(f"{'Approved' if approve else 'Rejected'}: {title}")


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in SUPPORTED_SUFFIXES))
        else:
            files.append(path)
    return files


def _describe_import(report) -> str:
    parts = [f"{report.new} new", f"{report.updated} updated", f"{report.unchanged} unchanged"]
    if report.feeds_added:
        parts.append(f"{counted(report.feeds_added, 'feed')} added")
    line = f"{report.path}: {', '.join(parts)}"
    return line + "".join(f"\n  error: {error}" for error in report.errors)


@feeds_cli.command("add")
@click.argument("url")
@click.option("--collection", help="Group the feed belongs to, e.g. Podcasts.")
@click.option("--json", "as_json", is_flag=True)
def add_command(url: str, collection: str | None, as_json: bool) -> None:
    """Add a feed; it is fetched at the next poll."""
    try:
        with session_scope() as session:
            source = add_feed(session=session, url=url, collection=collection)
            row = _feed_row(source)
    except FeedError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(row) if as_json else f"Added feed {row['id']}: {row['url']}")


@feeds_cli.command("poll")
@click.option("--all", "poll_all", is_flag=True, help="Poll every active feed, not only due ones.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per feed.")
def poll_command(poll_all: bool, as_json: bool) -> None:
    """Fetch due feeds now: per feed, new, updated, unchanged or error with the reason."""
    from community.knowledge.polling import PollSettings, due_feed_ids, poll_feeds  # feedparser

    with session_scope() as session:
        feed_ids = due_feed_ids(session=session, now=utcnow(), include_all=poll_all)
    poll_settings = PollSettings.from_config(settings())
    with click.progressbar(length=len(feed_ids), label="Polling", file=sys.stderr) as progress:
        outcomes = poll_feeds(
            engine=get_engine(),
            feed_ids=feed_ids,
            settings=poll_settings,
            on_outcome=lambda _: progress.update(1),
        )
    for outcome in outcomes:
        click.echo(json.dumps(asdict(outcome)) if as_json else _describe_poll(outcome))


def _describe_poll(outcome) -> str:
    if outcome.status in ("error", "gone"):
        return f"{outcome.url}: {outcome.status}: {outcome.reason}"
    return f"{outcome.url}: {outcome.status} ({outcome.new} new, {outcome.updated} updated)"


@feeds_cli.command("transcripts")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per episode.")
def transcripts_command(as_json: bool) -> None:
    """Read the transcripts and chapters of episodes whose links are new or changed."""
    from community.knowledge.jobs import read_due_transcripts  # httpx and feedparser

    outcomes = read_due_transcripts()
    for outcome in outcomes:
        if as_json:
            click.echo(json.dumps(outcome))
        elif outcome["error"]:
            click.echo(f"{outcome['title']}: not read — {outcome['error']}")
        else:
            click.echo(
                f"{outcome['title']}: {counted(outcome['passages'], 'passage')}, "
                f"{counted(outcome['chapters'], 'chapter')}"
            )
    if not outcomes and not as_json:
        click.echo("No transcript to read.")


@feeds_cli.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_command(as_json: bool) -> None:
    """Every feed with its state, items, next check and last error."""
    with session_scope() as session:
        feeds = list_feeds(session=session)
        counts = item_counts(session=session, feed_ids=[feed.id for feed in feeds])
        rows = [{**_feed_row(feed), "items": counts[feed.id].total} for feed in feeds]
    if as_json:
        for row in rows:
            click.echo(json.dumps(row))
    elif rows:
        click.echo(_feed_table(rows))
    else:
        click.echo("No feeds yet: add one with `flask --app app feeds add URL`.")


FEED_COLUMNS = ("ID", "STATE", "ITEMS", "COLLECTION", "NEXT CHECK (UTC)", "FEED", "LAST ERROR")


def _feed_table(rows: list[dict]) -> str:
    """A header row and columns as wide as their widest cell; the last column runs on."""
    cells = [FEED_COLUMNS] + [_feed_cells(row) for row in rows]
    widths = [max(len(line[column]) for line in cells) for column in range(len(FEED_COLUMNS))]
    right = {0, 2}  # numbers line up on their last digit
    lines = []
    for line in cells:
        padded = [
            cell.rjust(width) if column in right else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        padded[-1] = line[-1]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def _feed_cells(row: dict) -> tuple[str, ...]:
    failing = row["failing_since"]
    if not row["active"]:
        state = "paused"
    elif row["error_count"]:
        state = f"failing since {failing[:16].replace('T', ' ')}" if failing else "failing"
    else:
        state = "ok"
    next_check = row["next_check_at"][:16].replace("T", " ") if row["next_check_at"] else "—"
    showing_error = row["last_error"] and (row["error_count"] or not row["active"])
    return (
        str(row["id"]),
        state,
        str(row["items"]),
        row["collection"] or "—",
        next_check if row["active"] else "—",
        f"{row['name']} <{row['url']}>",
        (row["last_error"] or "").replace("\n", " ") if showing_error else "",
    )


def _feed_row(feed) -> dict:
    return {
        "id": feed.id,
        "url": feed.url,
        "name": feed.name,
        "collection": feed.collection,
        "active": feed.active,
        "error_count": feed.error_count,
        "last_error": feed.last_error,
        "failing_since": feed.failing_since.isoformat() if feed.failing_since else None,
        "next_check_at": feed.next_check_at.isoformat() if feed.next_check_at else None,
    }


@feeds_cli.command("export-opml")
@click.argument("output", type=click.File("wb"), default="-")
def export_opml_command(output) -> None:
    """Write the feed list as OPML, with collections as outline groups."""
    with session_scope() as session:
        output.write(export_opml(session=session, title=settings().COMMUNITY_NAME))
