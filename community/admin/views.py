"""Organiser dashboard (what needs doing now) and the scheduler's jobs, with Run now."""

import threading
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from community.accounts.forms import LogoutForm
from community.accounts.sessions import organisers_only
from community.admin.dashboard import read_dashboard
from community.admin.navigation import ADMIN_NAVIGATION
from community.db import get_engine, get_session
from community.forms import ConfirmForm
from community.scheduler.status import (
    HEARTBEAT_JOB_ID,
    JobRecord,
    job_records,
    last_heartbeat,
    next_run_times,
    recent_runs,
)

blueprint = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
organisers_only(blueprint)
RUN_NOW_WAIT_SECONDS = 10  # longer runs go on after the page answers
LOG_ROWS = 50


@blueprint.app_context_processor
def admin_layout_context():
    return {"admin_navigation": ADMIN_NAVIGATION, "logout_form": LogoutForm}


@blueprint.get("/")
def dashboard():
    return render_template(
        "admin/dashboard.html",
        board=read_dashboard(get_session()),
        heartbeat=last_heartbeat(get_engine()),
    )


@dataclass(frozen=True)
class JobRow:
    """One line of the Jobs page: the timetable's job and what its runs say."""

    id: str
    schedule: str
    frequent: bool
    record: JobRecord
    next_run: datetime | None


@blueprint.get("/jobs")
def jobs():
    from community.config import settings
    from community.scheduler.timetable import timetable  # imports every job's module

    session = get_session()
    scheduled = timetable(settings())
    records = job_records(session, [job.id for job in scheduled])
    upcoming = next_run_times(get_engine())
    rows = [
        JobRow(job.id, job.schedule, job.frequent, records[job.id], upcoming.get(job.id))
        for job in scheduled
    ]
    frequent = frozenset(row.id for row in rows if row.frequent)
    return render_template(
        "admin/jobs.html",
        jobs=rows,
        runs=recent_runs(session, LOG_ROWS, leave_out_successes_of=frequent),
        heartbeat=last_heartbeat(get_engine()),
        heartbeat_job=HEARTBEAT_JOB_ID,
        confirm=ConfirmForm(),
    )


@blueprint.post("/jobs/<job_id>/run")
def run_job_now(job_id: str):
    """Runs the job once as the scheduler would, under its lease, and records the run."""
    from community.scheduler.running import JobAlreadyRunning, UnknownJob, run_once, scheduled_job

    app = current_app._get_current_object()
    try:
        scheduled_job(app, job_id)
    except UnknownJob:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(url_for(".jobs"))
    outcome: dict = {}
    organiser = current_user.email

    def run() -> None:
        try:
            outcome["run"] = run_once(app, job_id, started_by=organiser)
        except JobAlreadyRunning as error:
            outcome["busy"] = str(error)

    worker = threading.Thread(target=run, name=f"run now {job_id}", daemon=True)
    worker.start()
    worker.join(RUN_NOW_WAIT_SECONDS)
    _say_how_it_went(job_id, outcome)
    return redirect(url_for(".jobs", _anchor=f"job-{job_id}"))


def _say_how_it_went(job_id: str, outcome: dict) -> None:
    if "busy" in outcome:
        flash(f"Not run: {outcome['busy']}.", "error")
    elif "run" not in outcome:
        flash(f"{job_id} is still running; its run shows here when it ends.", "info")
    elif outcome["run"].status == "succeeded":
        flash(f"{job_id} ran and succeeded.", "info")
    else:
        flash(f"{job_id} ran and failed; its error is below.", "error")
