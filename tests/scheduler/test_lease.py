from datetime import timedelta

import time_machine

from community import leases
from community.db import get_engine
from community.models.types import utcnow


def test_only_one_holder_at_a_time_and_expired_leases_pass_on(app):
    engine = get_engine(app)

    assert leases.acquire_or_renew(engine, name="scheduler", holder="a", ttl_seconds=60)
    assert not leases.acquire_or_renew(engine, name="scheduler", holder="b", ttl_seconds=60)
    assert leases.acquire_or_renew(engine, name="scheduler", holder="a", ttl_seconds=60)
    assert leases.holds(engine, name="scheduler", holder="a")

    with time_machine.travel(utcnow() + timedelta(seconds=61), tick=True):
        assert not leases.holds(engine, name="scheduler", holder="a")
        assert leases.acquire_or_renew(engine, name="scheduler", holder="b", ttl_seconds=60)
        assert not leases.acquire_or_renew(engine, name="scheduler", holder="a", ttl_seconds=60)


def test_released_lease_is_free_at_once(app):
    engine = get_engine(app)
    leases.acquire_or_renew(engine, name="scheduler", holder="a", ttl_seconds=60)

    leases.release(engine, name="scheduler", holder="a")

    assert leases.acquire_or_renew(engine, name="scheduler", holder="b", ttl_seconds=60)


def test_web_requests_never_start_a_scheduler(app, client):
    import threading

    client.get("/")
    client.get("/healthz")

    assert not any("APScheduler" in thread.name for thread in threading.enumerate())
    assert not leases.holds(get_engine(app), name="scheduler", holder="anyone")
