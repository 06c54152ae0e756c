"""/metrics is the operator's: strangers can neither read it nor grow it with made-up labels."""

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError

from community.config import Settings

TOKEN = "scraper-token-0123456789abcdef"
STRANGER = {"REMOTE_ADDR": "203.0.113.9"}
STANDARD_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"}


def _request_labels(client) -> list[dict]:
    response = client.get("/metrics")
    assert response.status_code == 200
    families = text_string_to_metric_families(response.get_data(as_text=True))
    return [
        sample.labels
        for family in families
        if family.name == "community_http_requests"
        for sample in family.samples
    ]


def _count(labels: list[dict], **wanted) -> int:
    return sum(1 for label in labels if wanted.items() <= label.items())


def test_made_up_methods_and_paths_are_counted_as_other_and_grow_nothing(client):
    client.open("/", method="WARMUP")  # the "other" series exist from here on
    client.get("/no-such-page/warmup")
    client.get("/metrics")
    size_before = len(client.get("/metrics").data)

    for n in range(300):
        client.open("/", method=f"BREW{n}")
        client.get(f"/no-such-page/{n}")
    labels = _request_labels(client)

    assert {label["method"] for label in labels} <= STANDARD_METHODS | {"other"}
    assert not [label for label in labels if "no-such-page" in label["endpoint"]]
    assert _count(labels, endpoint="other", method="other", status="405") == 1
    assert _count(labels, endpoint="other", method="GET", status="404") == 1
    assert len(client.get("/metrics").data) - size_before < 1024  # digits of the counts only


def test_strangers_are_refused_and_this_machine_is_served(client):
    refused = client.get("/metrics", environ_base=STRANGER)

    assert refused.status_code == 403
    assert "METRICS_TOKEN" in refused.get_data(as_text=True)
    assert b"community_http_requests_total" not in refused.data
    assert client.get("/metrics").status_code == 200  # from 127.0.0.1


@pytest.mark.parametrize("offered", [None, "Bearer wrong-token-0123456789", f"Basic {TOKEN}"])
def test_with_a_token_set_strangers_need_it_as_a_bearer_token(make_app, offered):
    client = make_app(METRICS_TOKEN=TOKEN).test_client()
    headers = {"Authorization": offered} if offered else {}

    refused = client.get("/metrics", environ_base=STRANGER, headers=headers)
    served = client.get(
        "/metrics", environ_base=STRANGER, headers={"Authorization": f"Bearer {TOKEN}"}
    )

    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert b"community_http_requests_total" not in refused.data
    assert served.status_code == 200
    assert b"community_http_requests_total" in served.data


def test_a_request_a_proxy_on_this_machine_passed_on_is_a_strangers(live_server):
    """Behind a reverse proxy every request arrives from loopback; the proxy's forwarding
    header tells it apart from a scraper on this machine."""
    forwarded = httpx.get(
        f"{live_server}/metrics", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=10
    )
    direct = httpx.get(f"{live_server}/metrics", timeout=10)

    assert forwarded.status_code == 403
    assert "community_http_requests_total" not in forwarded.text
    assert direct.status_code == 200


def test_behind_a_trusted_proxy_the_clients_address_decides(make_app):
    client = make_app(TRUSTED_PROXY_HOPS=1).test_client()
    from_the_proxy = {"REMOTE_ADDR": "127.0.0.1"}

    stranger = client.get(
        "/metrics", environ_base=from_the_proxy, headers={"X-Forwarded-For": "203.0.113.9"}
    )
    spoofed = client.get(
        "/metrics", environ_base=from_the_proxy, headers={"X-Forwarded-For": "127.0.0.1"}
    )

    assert (stranger.status_code, spoofed.status_code) == (403, 403)


def test_a_guessable_metrics_token_is_refused_at_start_up():
    with pytest.raises(ValidationError, match="METRICS_TOKEN"):
        Settings(METRICS_TOKEN="secret")
