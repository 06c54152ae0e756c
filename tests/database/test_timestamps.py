from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session

from community.db import get_engine
from community.models import JobRun


def test_timestamps_come_back_as_aware_utc(app):
    in_berlin = datetime(2026, 11, 27, 18, 30, tzinfo=timezone(timedelta(hours=1)))
    with Session(get_engine(app)) as session:
        run = JobRun(job_id="example", holder="test", started_at=in_berlin)
        session.add(run)
        session.commit()
        run_id = run.id

    with Session(get_engine(app)) as session:
        stored = session.get(JobRun, run_id).started_at

    assert stored.tzinfo is not None
    assert stored.utcoffset() == timedelta(0)
    assert stored == in_berlin


def test_naive_timestamps_are_refused(app):
    with Session(get_engine(app)) as session:
        session.add(JobRun(job_id="example", holder="test", started_at=datetime(2026, 1, 1)))
        with pytest.raises(Exception, match="naive datetime"):
            session.commit()
