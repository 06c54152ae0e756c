"""The counters behind every limit: shared through the database, exact under concurrency."""

import threading
from datetime import timedelta

import time_machine
from sqlalchemy import func
from sqlmodel import Session, select

from community import rate_limits
from community.db import get_engine
from community.models import RateLimitCounter
from community.models.types import utcnow

WINDOW = timedelta(minutes=10)


def test_hits_beyond_the_limit_are_refused_until_the_window_ends(session):
    decisions = [rate_limits.hit(session, "subscribe:client:1", 3, WINDOW) for _ in range(5)]

    assert [decision.allowed for decision in decisions] == [True, True, True, False, False]
    assert 0 < decisions[-1].retry_after_seconds <= WINDOW.total_seconds()
    with time_machine.travel(utcnow() + WINDOW + timedelta(seconds=1), tick=True):
        assert rate_limits.hit(session, "subscribe:client:1", 3, WINDOW).allowed


def test_each_key_counts_on_its_own(session):
    assert all(rate_limits.hit(session, f"rsvp:client:{n}", 1, WINDOW).allowed for n in range(3))
    assert not rate_limits.hit(session, "rsvp:client:0", 1, WINDOW).allowed


def test_hits_counted_in_a_unit_that_rolls_back_are_not_counted(session):
    rate_limits.hit(session, "ask:client:1", 1, WINDOW)
    session.rollback()

    assert rate_limits.hit(session, "ask:client:1", 1, WINDOW).allowed


def test_concurrent_workers_never_let_more_than_the_limit_through(app):
    """Each thread is a web worker with its own connection, as several gunicorn workers are."""
    limit, workers = 5, 16
    allowed = []
    start = threading.Barrier(workers)

    def worker():
        with Session(get_engine(app)) as unit:
            start.wait(timeout=30)
            decision = rate_limits.hit(unit, "subscribe:client:1", limit, WINDOW)
            unit.commit()
            allowed.append(decision.allowed)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(allowed) == workers
    assert allowed.count(True) == limit


def test_pruning_removes_only_counters_whose_window_is_over(session):
    rate_limits.hit(session, "old", 1, timedelta(seconds=1))
    rate_limits.hit(session, "current", 1, WINDOW)
    session.commit()

    with time_machine.travel(utcnow() + timedelta(minutes=1), tick=True):
        assert rate_limits.prune_expired(session) == 1
        session.commit()

    assert session.exec(select(func.count()).select_from(RateLimitCounter)).one() == 1


def test_counters_keep_no_address_in_the_clear(session):
    rate_limits.hit(session, "subscribe:email:someone@example.org", 1, WINDOW)

    keys = session.exec(select(RateLimitCounter.key)).all()
    assert len(keys) == 1 and "example.org" not in keys[0]


def test_emails_to_one_address_are_spaced_and_capped_per_day(app, session):
    with app.app_context():
        first = rate_limits.may_email(session, to="A@example.org", purpose="newsletter")
        again = rate_limits.may_email(session, to="a@example.org ", purpose="newsletter")
        other_purposes = [
            rate_limits.may_email(session, to="a@example.org", purpose=f"event:{n}")
            for n in range(6)
        ]

    assert first and not again
    # The default day's cap is five, the newsletter's confirmation among them.
    assert other_purposes == [True, True, True, True, False, False]


def test_an_email_may_go_again_once_its_spacing_is_over(app, session):
    with app.app_context():
        assert rate_limits.may_email(session, to="a@example.org", purpose="newsletter")
        with time_machine.travel(utcnow() + timedelta(minutes=11), tick=True):
            assert rate_limits.may_email(session, to="a@example.org", purpose="newsletter")
