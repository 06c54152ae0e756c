import time

from community import leases
from community.db import get_engine


def test_only_one_holder_at_a_time_and_expired_leases_pass_on(app):
    engine = get_engine(app)

    assert leases.acquire_or_renew(engine, name="scheduler", holder="a", ttl_seconds=0.5)
    assert not leases.acquire_or_renew(engine, name="scheduler", holder="b", ttl_seconds=0.5)
    assert leases.acquire_or_renew(engine, name="scheduler", holder="a", ttl_seconds=0.5)
    assert leases.holds(engine, name="scheduler", holder="a")

    time.sleep(0.7)

    assert not leases.holds(engine, name="scheduler", holder="a")
    assert leases.acquire_or_renew(engine, name="scheduler", holder="b", ttl_seconds=5)
    assert not leases.acquire_or_renew(engine, name="scheduler", holder="a", ttl_seconds=5)


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
