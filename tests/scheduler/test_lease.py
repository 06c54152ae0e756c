import time

from community.db import get_engine
from community.scheduler import lease


def test_only_one_holder_at_a_time_and_expired_leases_pass_on(app):
    engine = get_engine(app)

    assert lease.acquire_or_renew(engine, name="scheduler", holder="a", ttl_seconds=0.5)
    assert not lease.acquire_or_renew(engine, name="scheduler", holder="b", ttl_seconds=0.5)
    assert lease.acquire_or_renew(engine, name="scheduler", holder="a", ttl_seconds=0.5)
    assert lease.holds(engine, name="scheduler", holder="a")

    time.sleep(0.7)

    assert not lease.holds(engine, name="scheduler", holder="a")
    assert lease.acquire_or_renew(engine, name="scheduler", holder="b", ttl_seconds=5)
    assert not lease.acquire_or_renew(engine, name="scheduler", holder="a", ttl_seconds=5)


def test_released_lease_is_free_at_once(app):
    engine = get_engine(app)
    lease.acquire_or_renew(engine, name="scheduler", holder="a", ttl_seconds=60)

    lease.release(engine, name="scheduler", holder="a")

    assert lease.acquire_or_renew(engine, name="scheduler", holder="b", ttl_seconds=60)


def test_web_requests_never_start_a_scheduler(app, client):
    import threading

    client.get("/")
    client.get("/healthz")

    assert not any("APScheduler" in thread.name for thread in threading.enumerate())
    assert not lease.holds(get_engine(app), name="scheduler", holder="anyone")
