"""`flask kb reindex|search|eval`: the search index from the command line (added to `kb`)."""

import csv
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select

from community.db import session_scope
from community.links import page_url_for
from community.models import ContentItem, Event, EventStatus, ItemStatus
from community.plurals import counted
from search_index import SearchQuery
from search_index.generations import RebuildRunning


def _index():
    return current_app.extensions["search_index"]


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the search index from the database, beside the live one, and swap it in.

    Searches and commits go on meanwhile: changes made during the rebuild reach the new
    index from the change log before and after it goes live.
    """
    follower = current_app.extensions["search_follower"]
    total = follower.count_documents()
    try:
        with click.progressbar(length=total, label="Indexing", file=sys.stderr) as progress:
            indexed = follower.rebuild(progress=progress.update)
    except RebuildRunning as error:
        raise click.ClickException(f"{error}; try again when it has finished") from error
    click.echo(f"Indexed {counted(indexed, 'document')}.")


@click.command("search")
@with_appcontext
@click.argument("query")
@click.option("--collection", help="Only this collection (an FAQ course, a feed group).")
@click.option(
    "--kind", type=click.Choice(["post", "episode", "recording", "faq", "thread", "event"])
)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True)
def search_command(query, collection, kind, limit, as_json) -> None:
    """Search the knowledge base as the web search page does."""
    if collection:
        require_known_collections([collection])
    results = _index().search(
        SearchQuery(text=query, collection=collection, kinds=[kind] if kind else None, limit=limit)
    )
    if as_json:
        click.echo(json.dumps([hit_to_json(hit) for hit in results.hits], default=str))
        return
    if results.suggestion:
        click.echo(f"Did you mean: {results.suggestion}")
    for rank, hit in enumerate(results.hits, 1):
        click.echo(f"{rank:>2}. [{hit.kind}] {hit.title}  ({hit.score:.2f})  {hit.url or ''}")
    click.echo(f"{results.total} matching documents.")


def hit_to_json(hit) -> dict:
    return {
        "id": hit.doc_id,
        "external_id": hit.external_id,
        "page_url": page_url_for(hit.doc_id),
        "kind": hit.kind,
        "title": hit.title,
        "url": hit.url,
        "snippet": hit.snippet,
        "score": round(hit.score, 4),
        "published": hit.published.isoformat() if hit.published else None,
    }


@click.command("eval")
@with_appcontext
@click.argument("questions_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--k", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True)
def eval_command(questions_csv: Path, k: int, as_json: bool) -> None:
    """Hit rate@k, MRR@k and latency over a CSV of question, collection (or course), document.

    `document` may list several right answers as `id1|id2`: a hit on any of them counts.
    """
    from search_index.evaluation import evaluate  # loads the Whoosh engine for its FTS5 rival

    rows = list(_read_questions(questions_csv))
    require_known_collections(collection for _, collection, _ in rows)
    report = evaluate(_index(), rows, k=k)
    if as_json:
        click.echo(json.dumps(asdict(report)))
        return
    click.echo(f"questions: {report.n}")
    click.echo(f"hit rate@{k}: {report.hit_rate:.3f}")
    click.echo(f"MRR@{k}: {report.mrr:.3f}")
    click.echo(f"latency p50: {report.p50_ms:.1f} ms, p95: {report.p95_ms:.1f} ms")


def _read_questions(path: Path):
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"question", "document"} - set(reader.fieldnames or [])
        if missing or not {"collection", "course"} & set(reader.fieldnames or []):
            raise click.ClickException(
                "the CSV needs the columns question, collection (or course) and document"
            )
        for row in reader:
            yield row["question"], row.get("collection") or row.get("course"), row["document"]


def known_collections() -> list[str]:
    """The collections search can narrow to: those of published items, and event kinds."""
    items = select(ContentItem.collection).where(
        ContentItem.status == ItemStatus.PUBLISHED, ContentItem.collection.is_not(None)
    )
    events = select(Event.kind).where(Event.status == EventStatus.PUBLISHED)
    with session_scope() as session:
        names = {*session.exec(items.distinct()), *session.exec(events.distinct())}
    return sorted(name for name in names if name)


def require_known_collections(names: Iterable[str | None]) -> None:
    """Stops the command when a collection is not one search knows: it would find nothing
    and, in an evaluation, score 0.000 as if the search were bad."""
    wanted = {name for name in names if name}
    if not wanted:
        return
    known = known_collections()
    unknown = sorted(wanted - set(known))
    if not unknown:
        return
    listed = ", ".join(known) if known else "none yet (import or poll something first)"
    lines = [f"unknown collection {name!r}{_did_you_mean(name, known)}" for name in unknown]
    raise click.ClickException("; ".join(lines) + f". Known collections: {listed}")


def _did_you_mean(name: str, known: list[str]) -> str:
    def simple(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "", text.lower())

    close = [other for other in known if simple(other) == simple(name)]
    return f" (did you mean {close[0]!r}?)" if close else ""


SEARCH_COMMANDS = (reindex_command, search_command, eval_command)
