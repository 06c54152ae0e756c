"""Guesses sent all at once over real HTTP get no more password checks than the policy allows."""

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import httpx
import pytest

from tests.helpers import ORGANISER_EMAIL, add_organiser, csrf_token, log_in

GUESSES = 30
ALLOWED = 5


@pytest.fixture
def app_config(app_config):
    # A wait of an hour after the fifth failure: however slow the machine, the flood ends
    # long before a further guess would be allowed.
    return {
        **app_config,
        "LOGIN_MAX_FAILURES": ALLOWED,
        "LOGIN_DELAY_SECONDS": 3600,
        "LOGIN_MAX_DELAY_MINUTES": 60,
    }


def test_thirty_parallel_guesses_get_five_password_checks(app, live_server, session):
    add_organiser(session)
    with ExitStack() as stack:
        browsers = [
            stack.enter_context(httpx.Client(base_url=live_server, timeout=60))
            for _ in range(GUESSES)
        ]
        tokens = [csrf_token(browser.get("/login").text) for browser in browsers]
        start = threading.Barrier(GUESSES, timeout=60)

        def guess(number: int) -> httpx.Response:
            start.wait()
            data = {"email": ORGANISER_EMAIL, "password": f"guess {number}"}
            return browsers[number].post("/login", data={**data, "csrf_token": tokens[number]})

        with ThreadPoolExecutor(GUESSES) as pool:
            responses = list(pool.map(guess, range(GUESSES)))

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [401] * ALLOWED + [429] * (GUESSES - ALLOWED)
    assert all(r.headers["Retry-After"] for r in responses if r.status_code == 429)
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    assert log_in(owner).status_code == 302
