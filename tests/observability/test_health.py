import re
import shutil
from datetime import timedelta

import pytest

from community.models.types import utcnow
from tests.helpers import record_heartbeat


def test_healthz_reports_database_and_index_ok(app, client):
    record_heartbeat(app)

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["index"].startswith("ok")


def test_healthz_names_the_index_when_it_cannot_be_opened(app, client):
    record_heartbeat(app)
    shutil.rmtree(app.extensions["settings"].SEARCH_INDEX_DIR)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "failing"
    assert "index" in body["failed"]
    assert "kb reindex" in body["failed"]["index"]
    assert body["checks"]["database"] == "ok"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_healthz_names_the_database_when_it_is_unreachable(make_app):
    app = make_app(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:9/nowhere?connect_timeout=2")

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    assert "unreachable" in response.get_json()["failed"]["database"]


def test_healthz_shows_the_scheduler_heartbeat(app, client):
    finished = utcnow()
    record_heartbeat(app, at=finished)

    body = client.get("/healthz").get_json()

    assert body["checks"]["scheduler_last_heartbeat"] == finished.isoformat()


def test_healthz_names_the_scheduler_when_three_heartbeats_are_missed(make_app):
    app = make_app(SCHEDULER_HEARTBEAT_SECONDS=60)
    record_heartbeat(app, at=utcnow() - timedelta(seconds=181))

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    # 181 s and the few the request itself took on a busy machine
    assert re.search(r"no heartbeat for 18\ds", response.get_json()["failed"]["scheduler"])
    assert response.get_json()["checks"]["database"] == "ok"


def test_two_missed_heartbeats_are_not_yet_a_failure(make_app):
    app = make_app(SCHEDULER_HEARTBEAT_SECONDS=60)
    record_heartbeat(app, at=utcnow() - timedelta(seconds=150))

    assert app.test_client().get("/healthz").status_code == 200


def test_healthz_fails_until_a_scheduler_has_ever_run(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert "flask scheduler run" in response.get_json()["failed"]["scheduler"]
