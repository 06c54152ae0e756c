"""/healthz for load balancers and /metrics for Prometheus.

/metrics is the operator's: it is served to a scraper on this machine, or to one that
sends METRICS_TOKEN as a bearer token, and to nobody else.
"""

import hmac
import ipaddress
from datetime import datetime

from flask import Blueprint, Response, current_app, jsonify, request
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
FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


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
    if not (_from_this_machine() or _holds_metrics_token()):
        return _metrics_refused()
    return Response(render_metrics(current_app), content_type=CONTENT_TYPE_LATEST)


def _from_this_machine() -> bool:
    """A scraper on loopback, not a request a proxy on this machine passed on: behind a proxy
    every request arrives from loopback, but proxies add a forwarding header."""
    if any(header in request.headers for header in FORWARDING_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:  # a unix socket, say: whoever is on the other end is unknown
        return False
    return (getattr(address, "ipv4_mapped", None) or address).is_loopback


def _holds_metrics_token() -> bool:
    token = settings().METRICS_TOKEN
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    if not (token and scheme.lower() == "bearer"):
        return False
    return hmac.compare_digest(offered.strip().encode(), token.encode())


def _metrics_refused() -> Response:
    if settings().METRICS_TOKEN:
        return Response(
            "/metrics needs the METRICS_TOKEN as a bearer token.\n",
            status=401,
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            content_type="text/plain",
        )
    return Response(
        "/metrics is served only to this machine; set METRICS_TOKEN to scrape from elsewhere.\n",
        status=403,
        content_type="text/plain",
    )
