"""The boundary commits, services flush: where the code may commit or open a session, and
what a refused request leaves behind."""

import ast
from fnmatch import fnmatch
from pathlib import Path

import pytest
from sqlmodel import select

from community.db import get_session
from community.extensions import csrf
from community.knowledge.feed_sources import add_feed
from community.models import Source

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("community", "integrations")

# Modules that are boundaries: a command, a scheduler job or a Slack listener is one unit
# of work, opened with session_scope().
BOUNDARY_MODULES = (
    "community/*/cli.py",
    "community/*/*_cli.py",
    "community/*/jobs.py",
    "community/slackbot/listeners/*.py",
)

# Every other place that commits or opens a session, and why it may (README, Architecture).
NAMED_EXCEPTIONS = {
    "community/db.py::get_session": "the boundary itself: the request's session",
    "community/db.py::_commit_request_session": "the boundary itself: a request below 400",
    "community/db.py::session_scope": "the boundary itself: commands, jobs, listeners",
    "community/accounts/views.py::_count_first": "a login is counted before its password check",
    "community/knowledge/polling.py::_read_state": "feed polling: one unit per feed",
    "community/knowledge/polling.py::_store_entries": "feed polling: one unit per feed",
    "community/knowledge/polling.py::_record_unchanged": "feed polling: one unit per feed",
    "community/knowledge/polling.py::_record_fetch_error": "feed polling: one unit per feed",
    "community/knowledge/polling.py::_record_failure": "feed polling: one unit per feed",
    "community/newsletter/admin_views.py::export_subscribers.lines": "a streamed CSV: read only",
    "community/leases.py::*": "leases: each take, renewal and release is its own unit",
    "community/newsletter/sending.py::_send_all": "newsletter sending: reads the issue",
    "community/newsletter/sending.py::_next_batch": "newsletter sending: ends each read",
    "community/newsletter/sending.py::_mark": "newsletter sending: after each recipient",
    "community/newsletter/sending.py::_finish": "newsletter sending: the issue is sent",
    "community/observability/metrics.py::JobRunCollector.collect": "read only, for /metrics",
    "community/outbox/claims.py::*": "the outbox: each claim and each result",
    "community/outbox/delivery.py::deliver_due": "the outbox worker's own session",
    "community/outbox/delivery.py::_open_conversation": "the outbox: a group DM's channel",
    "community/pairing/jobs.py::_run_round": "a round's groups, before any introduction",
    "community/scheduler/running.py::_record_start": "job-run records",
    "community/scheduler/running.py::_record_finish": "job-run records",
    "community/scheduler/status.py::last_heartbeat": "read only, for /healthz",
    "community/search/follower.py::IndexFollower.*": "the index follower's own units",
    "community/slackbot/backfill.py::import_solved_threads": "slack import-threads: progress",
    "community/slackbot/backfill.py::_import_thread": "slack import-threads: per thread",
    "community/slackbot/backfill.py::_record_step": "slack import-threads: per message",
    "community/slackbot/receipts.py::already_handled": "a receipt, before the listener's unit",
}
UNIT_CALLS = {"commit", "Session", "session_scope"}


def _units_opened(path: Path) -> list[tuple[str, str, int]]:
    """(enclosing function, call, line) for every commit(), Session( and session_scope(."""
    found = []

    def visit(node: ast.AST, scope: list[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                visit(child, [*scope, child.name])
                continue
            if isinstance(child, ast.Call):
                called = child.func
                name = called.attr if isinstance(called, ast.Attribute) else called
                name = getattr(name, "id", name)
                if name in UNIT_CALLS:
                    found.append((".".join(scope) or "<module>", name, child.lineno))
            visit(child, scope)

    visit(ast.parse(path.read_text(encoding="utf-8")), [])
    return found


def _every_place() -> list[tuple[str, str, str]]:
    """(module::function, call, where) across the scanned packages."""
    places = []
    for package in SCANNED:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = path.relative_to(ROOT).as_posix()
            for function, call, line in _units_opened(path):
                places.append((f"{module}::{function}", call, f"{module}:{line}"))
    return places


def _allowed_by(place: str, call: str) -> str | None:
    module = place.split("::")[0]
    if call == "session_scope" and any(fnmatch(module, glob) for glob in BOUNDARY_MODULES):
        return "boundary module"
    return next((named for named in NAMED_EXCEPTIONS if fnmatch(place, named)), None)


def test_only_boundaries_and_named_exceptions_commit_or_open_sessions():
    places = _every_place()

    unnamed = [
        f"{where} {call}() in {place}"
        for place, call, where in places
        if not _allowed_by(place, call)
    ]
    assert not unnamed, (
        "a service commits or opens a session; take a session and flush instead, or name "
        "the new boundary in NAMED_EXCEPTIONS and the README's architecture section:\n"
        + "\n".join(unnamed)
    )
    used = {_allowed_by(place, call) for place, call, _ in places}
    stale = sorted(set(NAMED_EXCEPTIONS) - used)
    assert not stale, f"named exceptions that no longer commit or open a session: {stale}"


def test_the_scan_finds_a_commit_in_a_service(tmp_path):
    service = tmp_path / "service.py"
    service.write_text(
        "def approve(session, item):\n"
        "    item.status = 'published'\n"
        "    session.commit()\n"
        "class Importer:\n"
        "    def run(self):\n"
        "        with Session(engine) as session, session_scope() as other:\n"
        "            pass\n"
    )

    assert _units_opened(service) == [
        ("approve", "commit", 3),
        ("Importer.run", "Session", 6),
        ("Importer.run", "session_scope", 6),
    ]


FEED = "https://feeds.example.org/refused.xml"


@pytest.fixture
def probe_app(make_app):
    """An app with one more route: it adds a feed through the service, which flushes it,
    and then answers with the status asked for, or fails."""
    app = make_app()

    def add_then_answer(status: int):
        add_feed(session=get_session(), url=FEED)
        if status == 500:
            raise RuntimeError("the view failed after the service flushed")
        return "answered", status

    app.add_url_rule(
        "/probe/<int:status>", view_func=csrf.exempt(add_then_answer), methods=["POST"]
    )
    return app


def _feeds(session) -> list[str]:
    session.expire_all()
    return list(session.exec(select(Source.url)))


@pytest.mark.parametrize("status", [400, 404, 422, 500])
def test_a_request_that_flushed_a_change_and_then_failed_leaves_no_row(probe_app, session, status):
    probe_app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 as a visitor would get it
    client = probe_app.test_client()

    response = client.post(f"/probe/{status}")

    assert response.status_code == status
    assert status == 500 or response.get_data(as_text=True) == "answered"  # the view's answer
    assert _feeds(session) == []


def test_a_request_that_answers_below_400_keeps_its_change(probe_app, session):
    response = probe_app.test_client().post("/probe/201")

    assert (response.status_code, response.get_data(as_text=True)) == (201, "answered")

    assert _feeds(session) == [FEED]
