"""Every scheduled job in one place, read as a timetable.

Each job has a fixed id (so a restart replaces it instead of adding a copy) and a
misfire grace time that fits it: a missed heartbeat is worthless a minute later,
a missed weekly digest is still wanted hours later.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from community.accounts import jobs as account_jobs
from community.answers import jobs as answer_jobs
from community.conferences import jobs as conference_jobs
from community.config import Settings
from community.events import jobs as event_jobs
from community.knowledge import jobs as knowledge_jobs
from community.newsletter import jobs as newsletter_jobs
from community.outbox.worker import deliver_outbox
from community.pairing import jobs as pairing_jobs
from community.scheduler import jobs as scheduler_jobs
from community.search import jobs as search_jobs
from community.slackbot import jobs as slack_jobs

HOUR = 3600
# A job that runs this often or more is logged only when it fails or takes long.
FREQUENT = timedelta(minutes=15)


@dataclass(frozen=True)
class ScheduledJob:
    id: str
    run: Callable[[], None]
    trigger: BaseTrigger
    grace_seconds: int
    run_at_start: bool = False

    @property
    def frequent(self) -> bool:
        return isinstance(self.trigger, IntervalTrigger) and self.trigger.interval <= FREQUENT

    @property
    def schedule(self) -> str:
        """When it runs, for people: "every 30 s", "daily 03:30", "mon 09:00"."""
        if isinstance(self.trigger, IntervalTrigger):
            return "every " + _duration(self.trigger.interval)
        fields = {field.name: str(field) for field in self.trigger.fields}
        at = f"{int(fields['hour']):02d}:{int(fields['minute']):02d}"
        day = fields["day_of_week"]
        return f"{'daily' if day == '*' else day} {at} {self.trigger.timezone}"


def timetable(config: Settings) -> list[ScheduledJob]:
    zone = config.COMMUNITY_TIMEZONE
    heartbeat = config.SCHEDULER_HEARTBEAT_SECONDS
    return [
        # Beats at once on start, so /healthz sees a new scheduler without waiting a period.
        ScheduledJob(
            "scheduler.heartbeat",
            scheduler_jobs.heartbeat,
            _every(seconds=heartbeat),
            heartbeat,
            run_at_start=True,
        ),
        # Each feed keeps its own next-check time; this only picks up the feeds that are due.
        ScheduledJob("feeds.poll_due", knowledge_jobs.poll_due_feeds, _every(minutes=1), 60),
        ScheduledJob(
            "feeds.read_transcripts", knowledge_jobs.read_due_transcripts, _every(minutes=15), 900
        ),
        ScheduledJob(
            "search.prune_change_log", search_jobs.prune_change_log, _every(minutes=60), HOUR
        ),
        # Email and Slack messages an outage or a crash held back; each failure waits longer.
        ScheduledJob("outbox.deliver", deliver_outbox, _every(seconds=30), 30),
        ScheduledJob(
            "newsletter.build_weekly",
            newsletter_jobs.build_weekly_issue,
            _weekly(config.NEWSLETTER_SEND_DAY, config.NEWSLETTER_SEND_TIME, zone),
            12 * HOUR,
        ),
        ScheduledJob(
            "answers.post_gap_report",
            answer_jobs.post_gap_report,
            _weekly("mon", time(8, 0), zone),
            12 * HOUR,
        ),
        ScheduledJob(
            "newsletter.send_pending", newsletter_jobs.send_pending_issues, _every(minutes=1), 60
        ),
        ScheduledJob("events.announce_new", event_jobs.announce_new_events, _every(minutes=5), 240),
        # Looks at the clock each time: a scheduler down at the hour catches up next run.
        ScheduledJob("pairing.run", pairing_jobs.run_pairing, _every(minutes=15), 14 * 60),
        ScheduledJob(
            "pairing.sync_channel", pairing_jobs.sync_pairing_channel, _daily(4, 10, zone), 6 * HOUR
        ),
        ScheduledJob("events.reminders", event_jobs.send_due_reminders, _every(minutes=5), 240),
        # Ten minutes ahead of each starred session; a run missed by more is not made up late.
        ScheduledJob(
            "conferences.star_reminders",
            conference_jobs.remind_starred_sessions,
            _every(minutes=1),
            60,
        ),
        # An unconfirmed RSVP's place goes to the waitlist within a minute of its hold ending.
        ScheduledJob(
            "events.release_holds", event_jobs.release_unconfirmed_holds, _every(minutes=1), 60
        ),
        ScheduledJob(
            "events.import_calendars", event_jobs.import_configured_calendars, _every(hours=1), HOUR
        ),
        ScheduledJob(
            "slack.prune_event_receipts",
            slack_jobs.prune_event_receipts,
            _daily(3, 50, zone),
            6 * HOUR,
        ),
        ScheduledJob(
            "scheduler.prune_job_runs", scheduler_jobs.prune_job_runs, _daily(3, 30, zone), 6 * HOUR
        ),
        # Counters of the limits on public writes, once their window is over.
        ScheduledJob(
            "scheduler.prune_rate_limits", scheduler_jobs.prune_rate_limits, _every(hours=1), HOUR
        ),
        ScheduledJob(
            "accounts.prune_login_attempts",
            account_jobs.prune_login_attempts,
            _daily(3, 40, zone),
            6 * HOUR,
        ),
    ]


def register_jobs(scheduler: BaseScheduler, config: Settings) -> None:
    for job in timetable(config):
        scheduler.add_job(
            "community.scheduler.runner:run_job",
            job.trigger,
            args=[job.id],
            id=job.id,
            name=job.id,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=job.grace_seconds,
            **({"next_run_time": datetime.now(UTC)} if job.run_at_start else {}),
        )


def remove_retired_jobs(scheduler: BaseScheduler, config: Settings) -> None:
    """Drop stored jobs that the timetable no longer lists (a job was renamed or removed)."""
    current = {job.id for job in timetable(config)}
    for job in scheduler.get_jobs():
        if job.id not in current:
            job.remove()


def resolve(job_id: str, config: Settings) -> Callable[[], None]:
    return next(job.run for job in timetable(config) if job.id == job_id)


def find(job_id: str, config: Settings) -> ScheduledJob | None:
    return next((job for job in timetable(config) if job.id == job_id), None)


def _duration(interval: timedelta) -> str:
    seconds = int(interval.total_seconds())
    if seconds % HOUR == 0:
        return f"{seconds // HOUR} h"
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"


def _every(**interval) -> IntervalTrigger:
    return IntervalTrigger(**interval)


def _daily(hour: int, minute: int, zone: str) -> CronTrigger:
    return CronTrigger(hour=hour, minute=minute, timezone=zone)


def _weekly(day: str, at: time, zone: str) -> CronTrigger:
    return CronTrigger(day_of_week=day, hour=at.hour, minute=at.minute, timezone=zone)
