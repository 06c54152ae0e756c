"""Log configuration: one line per request and per job run, JSON lines when LOG_FORMAT=json."""

import logging
import sys
import time

from flask import Flask, g, request
from pythonjsonlogger.json import JsonFormatter

request_log = logging.getLogger("community.requests")
HANDLER_NAME = "community"


def configure_logging(log_format: str, level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    # Replace only our own handler, so a second create_app() (tests, CLI) does not log twice.
    root.handlers[:] = [h for h in root.handlers if h.get_name() != HANDLER_NAME] + [handler]
    root.setLevel(level)
    # The request log below replaces werkzeug's own access lines.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    # `flask db upgrade` says where the database stands; each migration's line is noise.
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)
    # APScheduler says "Running job…" and "executed successfully" for every run of every
    # job; the scheduler logs its jobs once at start and what ran (community.scheduler).
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def log_requests(app: Flask) -> None:
    app.before_request(_start_timer)
    app.after_request(_log_request)


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def _log_request(response):
    duration_ms = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
    request_log.info(
        "%s %s %s %.1fms",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(duration_ms, 1),
            "remote_addr": request.remote_addr,
        },
    )
    return response
