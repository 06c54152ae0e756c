import shutil

import pytest

from community.models import JobRun
from community.models.types import utcnow


def test_healthz_reports_database_and_index_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["index"].startswith("ok")


def test_healthz_names_the_index_when_it_cannot_be_opened(app, client):
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])

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


def test_healthz_shows_the_scheduler_heartbeat(client, session):
    finished = utcnow()
    session.add(
        JobRun(job_id="scheduler.heartbeat", holder="h", status="succeeded", finished_at=finished)
    )
    session.commit()

    body = client.get("/healthz").get_json()

    assert body["checks"]["scheduler_last_heartbeat"] == finished.isoformat()
