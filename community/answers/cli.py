"""`flask ask QUESTION`: the answer exactly as the Slack bot would give it."""

import json

import click
from flask.cli import with_appcontext

from community.answers.service import ask
from community.db import session_scope


@click.command("ask")
@with_appcontext
@click.argument("question", required=False)
@click.option(
    "--file",
    "questions_file",
    type=click.File(encoding="utf-8"),
    help="Answer each line of this file instead (- reads standard input); records nothing.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per answer.")
def ask_command(question: str | None, questions_file, as_json: bool) -> None:
    """Answer a question from the knowledge base, with the passages and their sources."""
    if (question is None) == (questions_file is None):
        raise click.UsageError("give either a QUESTION or --file QUESTIONS.txt")
    if questions_file is None:
        answer = _ask(question, record=True)
        click.echo(
            json.dumps(answer.to_dict(), default=str) if as_json else render_answer_text(answer)
        )
        return
    for line in questions_file:
        if line.strip():
            _print_with_question(_ask(line, record=False), as_json)


def _ask(question: str, *, record: bool):
    with session_scope() as session:
        return ask(session, question, asked_via="cli", record=record)


def _print_with_question(answer, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(answer.to_dict(), default=str))
    else:
        click.echo(f"Q: {answer.question}\n{render_answer_text(answer)}\n")


def render_answer_text(answer) -> str:
    if not answer.found:
        return "Nothing relevant found in the knowledge base."
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
