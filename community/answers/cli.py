"""`flask ask QUESTION`: the answer exactly as the Slack bot would give it."""

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from community.answers.service import answer_question
from community.config import settings
from community.db import session_scope


@click.command("ask")
@with_appcontext
@click.argument("question")
@click.option("--json", "as_json", is_flag=True)
def ask_command(question: str, as_json: bool) -> None:
    """Answer a question from the knowledge base, with the passages and their sources."""
    with session_scope() as session:
        answer = answer_question(
            session=session,
            index=current_app.extensions["search_index"],
            question=question,
            asked_via="cli",
            min_score=settings().ANSWER_MIN_SCORE,
        )
    if as_json:
        click.echo(json.dumps(answer.to_dict(), default=str))
        return
    click.echo(render_answer_text(answer))


def render_answer_text(answer) -> str:
    if not answer.found:
        return (
            "Nothing relevant found in the knowledge base; the question was passed to organisers."
        )
    lines = []
    for number, item in enumerate(answer.items, 1):
        date = f", {item.published:%d %b %Y}" if item.published else ""
        lines.append(f"[{number}] {item.title} ({item.kind}, {item.source}{date})")
        lines.append(f"    {item.passage}")
        if item.url:
            lines.append(f"    {item.url}")
    for event in answer.events:
        lines.append(f"Upcoming: {event.title} on {event.starts_at:%a %d %b %Y %H:%M} UTC")
    return "\n".join(lines)
