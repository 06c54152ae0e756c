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
from search_index import IndexUnavailable, check_index

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
        checks["index"] = f"ok, {check_index(settings().SEARCH_INDEX_DIR)} documents"
    except (IndexUnavailable, OSError) as error:
        failures["index"] = str(error)
    if "database" not in failures:
        heartbeat = last_heartbeat(get_engine())
        checks["scheduler_last_heartbeat"] = heartbeat.isoformat() if heartbeat else None
        if problem := _scheduler_problem(heartbeat):
            failures["scheduler"] = problem
    if not failures:
        return jsonify(status="ok", checks=checks), 200
    return jsonify(status="failing", failed=failures, checks=checks), 503


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
