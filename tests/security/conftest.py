"""Visitors of the live server for the security tests: real HTTP, one client address each."""

import httpx
import pytest

from tests.helpers import csrf_token


class Visitor:
    """A browser at one client address, talking HTTP to the live server: it keeps its
    cookies and reads each form's CSRF token from the page, as a person's browser would."""

    def __init__(self, base_url: str, address: str = "203.0.113.7"):
        self.http = httpx.Client(
            base_url=base_url,
            headers={"X-Forwarded-For": address},
            follow_redirects=True,
            timeout=30,
        )

    def submit(self, page: str, action: str | None = None, **fields) -> httpx.Response:
        token = csrf_token(self.http.get(page).text)
        return self.http.post(action or page, data={**fields, "csrf_token": token})

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def visitor(live_server):
    """Visitors by client address; `visitor()` is one client, `visitor("198.51.100.2")` another."""
    opened = []

    def at(address: str = "203.0.113.7") -> Visitor:
        opened.append(Visitor(live_server, address))
        return opened[-1]

    yield at
    for one in opened:
        one.close()
