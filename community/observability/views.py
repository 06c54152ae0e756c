"""/healthz for load balancers and /metrics for Prometheus."""

from datetime import datetime

from flask import Blueprint, Response, current_app, jsonify
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from community.config import settings
from community.db import get_engine
from community.models.types import utcnow
from community.observability.metrics import render_metrics
from community.scheduler.status import last_heartbeat
from search_index import IndexUnavailable

blueprint = Blueprint("observability", __name__)
STALE_AFTER_PERIODS = 3


@blueprint.get("/healthz")
def healthz():
    failures = {}
    checks = {}
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except SQLAlchemyError as error:
        failures["database"] = f"unreachable: {error.__class__.__name__}"
    try:
        checks["index"] = f"ok, {current_app.extensions['search_index'].doc_count()} documents"
    except (IndexUnavailable, OSError) as error:
        failures["index"] = str(error)
    if not failures:
        checks["index_lag"] = _index_lag()
    if "database" not in failures:
        heartbeat = last_heartbeat(get_engine())
        checks["scheduler_last_heartbeat"] = heartbeat.isoformat() if heartbeat else None
        if problem := _scheduler_problem(heartbeat):
            failures["scheduler"] = problem
    if not failures:
        return jsonify(status="ok", checks=checks), 200
    return jsonify(status="failing", failed=failures, checks=checks), 503


def _index_lag() -> dict:
    """How far this node's index is behind the change log; a lagging index still answers."""
    lag = current_app.extensions["search_follower"].lag()
    return {
        "generation": lag.generation,
        "applied_through": lag.applied_through,
        "changes_behind": lag.behind,
        "oldest_unapplied_seconds": (
            round(lag.oldest_unapplied_seconds, 1) if lag.oldest_unapplied_seconds else None
        ),
        "needs_rebuild": lag.needs_rebuild,
    }


def _scheduler_problem(heartbeat: datetime | None) -> str | None:
    """A scheduler that missed three heartbeats is down, stuck or cut off from the database."""
    period = settings().SCHEDULER_HEARTBEAT_SECONDS
    if heartbeat is None:
        return "no heartbeat recorded yet: is `flask scheduler run` running?"
    silent_for = (utcnow() - heartbeat).total_seconds()
    if silent_for > STALE_AFTER_PERIODS * period:
        return f"no heartbeat for {silent_for:.0f}s (one is due every {period}s)"
    return None


@blueprint.get("/metrics")
def metrics():
    return Response(render_metrics(current_app), content_type=CONTENT_TYPE_LATEST)
