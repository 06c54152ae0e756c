"""/healthz for load balancers and /metrics for Prometheus."""

from flask import Blueprint, Response, current_app, jsonify
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from community.db import get_engine
from community.observability.metrics import render_metrics
from community.scheduler.status import last_heartbeat
from search_index import IndexUnavailable, check_index

blueprint = Blueprint("observability", __name__)


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
        checks["index"] = f"ok, {check_index(current_app.config['SEARCH_INDEX_DIR'])} documents"
    except (IndexUnavailable, OSError) as error:
        failures["index"] = str(error)
    if not failures:
        checks["scheduler_last_heartbeat"] = _heartbeat_text()
        return jsonify(status="ok", checks=checks), 200
    return jsonify(status="failing", failed=failures, checks=checks), 503


def _heartbeat_text() -> str | None:
    heartbeat = last_heartbeat(get_engine())
    return heartbeat.isoformat() if heartbeat else None


@blueprint.get("/metrics")
def metrics():
    return Response(render_metrics(current_app), content_type=CONTENT_TYPE_LATEST)
