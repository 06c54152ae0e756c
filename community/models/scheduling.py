"""What the scheduler process records: who holds the lease, and every job run."""

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from community.models.types import created_at_field, timestamp_field


class SchedulerLease(SQLModel, table=True):
    """One row per lease name; only the holder of an unexpired lease runs jobs."""

    __tablename__ = "scheduler_lease"

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=200)
    expires_at: datetime = timestamp_field(required=True)


class JobRun(SQLModel, table=True):
    __tablename__ = "job_run"
    __table_args__ = (
        Index("ix_job_run_started_at", "started_at"),  # the newest runs first
        # The Jobs page: each job's latest run, and its runs and failures this week.
        Index("ix_job_run_job_id_started_at", "job_id", "started_at", "status"),
        Index("ix_job_run_status_started_at", "status", "started_at"),  # failures this week
    )

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(max_length=100, index=True)
    holder: str = Field(max_length=200)
    status: str = Field(default="running", max_length=20)  # running, succeeded, failed
    error: str | None = Field(default=None, sa_type=Text)
    started_at: datetime = created_at_field()
    finished_at: datetime | None = timestamp_field()
    # Who pressed Run now (an organiser's email, or "command line"); None: the schedule.
    started_by: str | None = Field(default=None, max_length=320)
