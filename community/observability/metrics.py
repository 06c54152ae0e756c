"""Prometheus metrics: requests and latency per endpoint, job runs and failures per job.

Job figures are read from the database at scrape time, because jobs run in the
scheduler process while /metrics is served by the web workers.
"""

import os
import time

from flask import Flask, g, request
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func
from sqlmodel import Session, select

from community.db import get_engine
from community.models import JobRun

OTHER = "other"
KNOWN_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"}
)
REQUESTS = Counter(
    "community_http_requests_total",
    "HTTP requests served, by endpoint, method and status.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "community_http_request_duration_seconds",
    "Time spent serving HTTP requests, by endpoint.",
    ["endpoint"],
)


def init_metrics(app: Flask) -> None:
    app.before_request(_start_timer)
    app.after_request(_observe_request)
    app.extensions["job_metrics"] = JobRunCollector(app)


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _observe_request(response):
    # Labels come from the app, never from what a client typed: each new value would be a
    # new series kept until the process ends.
    endpoint = request.endpoint or OTHER  # no route matched: the path itself is never a label
    method = request.method if request.method in KNOWN_METHODS else OTHER
    REQUESTS.labels(endpoint, method, str(response.status_code)).inc()
    started = g.get("metrics_started")
    if started is not None:
        LATENCY.labels(endpoint).observe(time.perf_counter() - started)
    return response


def render_metrics(app: Flask) -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
    output = generate_latest(registry)
    job_registry = CollectorRegistry()
    job_registry.register(app.extensions["job_metrics"])
    return output + generate_latest(job_registry)


class JobRunCollector:
    """Exposes the job_run table as per-job counters."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        runs = CounterMetricFamily(
            "community_job_runs",
            "Scheduler job runs, by job and outcome.",
            labels=["job", "status"],
        )
        last = GaugeMetricFamily(
            "community_job_last_finished_timestamp_seconds",
            "When each job last finished, in Unix time.",
            labels=["job"],
        )
        last_finished: dict[str, float] = {}
        with Session(get_engine(self.app)) as session:
            for job_id, status, count, finished in session.exec(_job_run_totals()):
                runs.add_metric([job_id, status], count)
                if finished is not None:
                    stamp = finished.timestamp()
                    last_finished[job_id] = max(stamp, last_finished.get(job_id, stamp))
        for job_id, stamp in last_finished.items():
            last.add_metric([job_id], stamp)
        yield runs
        yield last


def _job_run_totals():
    return select(
        JobRun.job_id, JobRun.status, func.count(), func.max(JobRun.finished_at)
    ).group_by(JobRun.job_id, JobRun.status)
