"""The Jobs page: one line per job (last run, how long, outcome, next run, failures this
week) and Run now, which runs the job as the scheduler does, under its lease."""

import re
from datetime import timedelta

from sqlmodel import select

from community import leases
from community.db import get_engine
from community.models import JobRun
from community.models.types import utcnow
from tests.helpers import ORGANISER_EMAIL, add_organiser, csrf_token, log_in


def _run(
    job_id, status="succeeded", *, ago=timedelta(minutes=5), took=timedelta(seconds=2), error=None
):
    started = utcnow() - ago
    return JobRun(
        job_id=job_id,
        holder="host:1:abc",
        status=status,
        started_at=started,
        finished_at=started + took,
        error=error,
    )


def _row(html: str, job_id: str) -> str:
    found = re.search(rf'<li id="job-{re.escape(job_id)}">(.*?)</li>', html, re.S)
    assert found, f"no row for {job_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def _log(html: str) -> str:
    return html[html.index('id="job-runs"') :]


def _logged_in(client, session):
    add_organiser(session)
    log_in(client)


def test_each_job_is_summarised_and_heartbeats_are_counted_not_listed(app, client, session):
    session.add_all([_run("scheduler.heartbeat", ago=timedelta(minutes=m)) for m in range(1, 30)])
    session.add(
        _run("feeds.poll_due", "failed", ago=timedelta(hours=2), error="ConnectError: down")
    )
    session.add(_run("feeds.poll_due", "failed", ago=timedelta(days=9), error="old"))
    session.add(_run("feeds.poll_due", ago=timedelta(minutes=1), took=timedelta(seconds=3)))
    session.add(_run("newsletter.build_weekly", ago=timedelta(days=2), took=timedelta(seconds=12)))
    session.commit()
    _logged_in(client, session)

    html = client.get("/admin/jobs").get_data(as_text=True)

    heartbeat = _row(html, "scheduler.heartbeat")
    assert "every 1 min" in heartbeat and "29 runs in 7 days" in heartbeat
    assert "succeeded" in heartbeat and "none" in heartbeat
    feeds = _row(html, "feeds.poll_due")
    assert "3.0 s" in feeds and "succeeded" in feeds and "1 failure" in feeds
    weekly = _row(html, "newsletter.build_weekly")
    zone = app.extensions["settings"].COMMUNITY_TIMEZONE  # the digest's day, in its zone
    assert f"mon 09:00 {zone}" in weekly and "12.0 s" in weekly
    assert "never" in _row(html, "pairing.sync_channel")
    log = _log(html)
    assert "scheduler.heartbeat" not in log  # summarised above, not a row a minute
    assert "ConnectError: down" in log  # a frequent job's failure is still listed
    assert "newsletter.build_weekly" in log
    assert html.count("Run now</button>") == html.count('<li id="job-')


def test_run_now_runs_the_job_once_and_records_who_ran_it(client, session):
    session.add(_run("feeds.poll_due", ago=timedelta(days=40)))  # older than runs are kept
    session.commit()
    _logged_in(client, session)
    token = csrf_token(client.get("/admin/jobs").get_data(as_text=True))

    response = client.post(
        "/admin/jobs/scheduler.prune_job_runs/run",
        data={"csrf_token": token},
        follow_redirects=True,
    )

    html = response.get_data(as_text=True)
    assert "scheduler.prune_job_runs ran and succeeded." in html
    session.expire_all()
    (run,) = session.exec(select(JobRun)).all()  # the 40-day-old run was pruned by the job
    assert (run.job_id, run.status, run.started_by) == (
        "scheduler.prune_job_runs",
        "succeeded",
        ORGANISER_EMAIL,
    )
    row = _row(html, "scheduler.prune_job_runs")
    assert run.started_at.strftime("%Y-%m-%d %H:%M:%S") in row and f"by {ORGANISER_EMAIL}" in row


def test_run_now_waits_for_a_run_that_holds_the_jobs_lease(app, client, session):
    session.add(_run("feeds.poll_due", ago=timedelta(days=40)))
    session.commit()
    _logged_in(client, session)
    token = csrf_token(client.get("/admin/jobs").get_data(as_text=True))
    assert leases.acquire_or_renew(
        get_engine(app), name="job:scheduler.prune_job_runs", holder="scheduler", ttl_seconds=60
    )

    response = client.post(
        "/admin/jobs/scheduler.prune_job_runs/run",
        data={"csrf_token": token},
        follow_redirects=True,
    )

    assert "Not run: scheduler.prune_job_runs is running now" in response.get_data(as_text=True)
    session.expire_all()
    assert [run.job_id for run in session.exec(select(JobRun))] == ["feeds.poll_due"]


def test_run_now_needs_the_form_token_and_a_known_job(client, session):
    _logged_in(client, session)
    token = csrf_token(client.get("/admin/jobs").get_data(as_text=True))

    client.post("/admin/jobs/scheduler.heartbeat/run", data={})

    assert session.exec(select(JobRun)).all() == []
    assert client.post("/admin/jobs/no.such_job/run", data={"csrf_token": token}).status_code == 404


def test_the_jobs_page_is_for_organisers_only(client):
    assert client.get("/admin/jobs").status_code in (302, 401)
    assert client.post("/admin/jobs/scheduler.heartbeat/run").status_code in (302, 400, 401)
