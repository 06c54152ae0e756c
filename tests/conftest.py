"""Fixtures: every test that uses `app` runs once on SQLite and once on a real PostgreSQL server.

The schema is built once per backend with the migrations (never create_all). Each test gets
a copy of the migrated SQLite file; on PostgreSQL each worker copies the migrated template
database once and empties it after every test. Under pytest-xdist the controller starts the
one PostgreSQL server and migrates the template before the workers start.
"""

import os
import shutil
import threading
from contextlib import ExitStack
from datetime import timedelta

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.serving import make_server

from community import create_app
from community.database_cli import upgrade_database
from community.db import build_engine, get_engine
from community.events.services import EventInput, create_event
from community.models import EventStatus
from community.models.types import utcnow
from tests.clock import shift_clock
from tests.helpers import add_organiser, log_in
from tests.postgres import (
    WorkerDatabase,
    create_template,
    postgres_binaries_missing,
    postgres_server,
)

SECRET = "test-secret-key-that-is-long-enough"
SHARED_POSTGRES_VARIABLE = "COMMUNITY_TEST_POSTGRES_URL"
_resources = pytest.StashKey[ExitStack]()


def pytest_addoption(parser):
    parser.addoption(
        "--fake-now",
        metavar="ISO",
        help="run on a clock that starts at this moment, e.g. 2027-03-28T00:30:00+00:00;"
        " the processes tests start share it",
    )


def pytest_configure(config):
    resources = config.stash[_resources] = ExitStack()
    if moment := config.getoption("fake_now"):
        traveller = shift_clock(moment)
        if traveller is not None:
            resources.callback(traveller.stop)
    if _is_xdist_controller(config) and not postgres_binaries_missing():
        base_url = resources.enter_context(postgres_server())
        _create_migrated_template(base_url)
        os.environ[SHARED_POSTGRES_VARIABLE] = base_url


def pytest_unconfigure(config):
    config.stash[_resources].close()


def _is_xdist_controller(config) -> bool:
    if hasattr(config, "workerinput"):
        return False
    try:
        return bool(config.getoption("numprocesses"))
    except ValueError:  # xdist not loaded (-p no:xdist)
        return False


def _create_migrated_template(base_url: str) -> None:
    create_template(base_url, migrate=_migrate)


def _migrate(database_url: str) -> None:
    engine = build_engine(database_url)
    upgrade_database(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_base_url():
    if shared := os.environ.get(SHARED_POSTGRES_VARIABLE):
        yield shared
        return
    with postgres_server() as base_url:
        _create_migrated_template(base_url)
        yield base_url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite-template") / "migrated.db"
    engine = build_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database(postgres_base_url):
    """This worker's own PostgreSQL database, emptied after every test and dropped at the end."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    database = WorkerDatabase(postgres_base_url, f"test_{worker}")
    yield database
    database.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, sqlite_template):
    """A freshly migrated, empty database of each backend."""
    if request.param == "sqlite":
        path = tmp_path / "community.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    database = request.getfixturevalue("postgres_database")
    yield database.url
    database.empty()


@pytest.fixture
def app_config(database_url, tmp_path):
    return {
        "TESTING": True,
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": tmp_path / "index",
        "OUTBOX_DIR": tmp_path / "outbox",
        "SLACK_BOT_TOKEN": None,
        "SLACK_SIGNING_SECRET": None,
        "SMTP_URL": None,
        "PUBLIC_URL": "http://localhost",
        "SLACK_MESSAGES_PER_SECOND": 0,  # no spacing between the stand-in Slack's posts
        # Each app applies the change log after its own commits; the tests of following
        # other processes' commits turn the follow thread on.
        "SEARCH_FOLLOW_SECONDS": 0,
    }


class OutboxSettledClient(FlaskClient):
    """Returns once the outbox worker has tried what the request queued, so a test can read
    the mail server and the stand-in Slack right after a request. The worker still runs in
    its own thread, as in production; only the test waits for it."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        assert self.application.extensions["outbox"].wait_until_idle(30), "outbox stuck"
        return response


class OutboxSettledRunner(FlaskCliRunner):
    def invoke(self, *args, **kwargs):
        result = super().invoke(*args, **kwargs)
        assert self.app.extensions["outbox"].wait_until_idle(30), "outbox stuck"
        return result


@pytest.fixture
def make_app(app_config):
    """Builds apps from the test configuration plus overrides, and closes them afterwards."""
    apps = []

    def build(**overrides):
        app = create_app({**app_config, **overrides})
        app.test_client_class = OutboxSettledClient
        app.test_cli_runner_class = OutboxSettledRunner
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.extensions["outbox"].stop()  # before the database is emptied for the next test
        app.extensions["search_follower"].stop()
        app.extensions["search_index"].close()
        get_engine(app).dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """A session for arranging and checking data; commit to make it visible to requests."""
    from sqlmodel import Session

    with Session(get_engine(app), expire_on_commit=False) as session:
        yield session


@pytest.fixture
def mail_server():
    from tests.mail_server import MailServer

    with MailServer() as server:
        yield server


@pytest.fixture
def make_event(session):
    """Creates and commits an event; published and two days ahead unless told otherwise."""

    def make(**overrides):
        starts_at = overrides.pop("starts_at", utcnow().replace(microsecond=0) + timedelta(days=2))
        data = EventInput(
            title=overrides.pop("title", "Feature Store Workshop"),
            starts_at=starts_at,
            ends_at=overrides.pop("ends_at", starts_at + timedelta(hours=2)),
            timezone=overrides.pop("timezone", "Europe/Berlin"),
            description=overrides.pop("description", "Build a **feature store** pipeline."),
            status=overrides.pop("status", EventStatus.PUBLISHED),
            **overrides,
        )
        event = create_event(session=session, data=data)
        session.commit()
        return event

    return make


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on 127.0.0.1; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def organiser(client, session):
    """The test client, logged in as the organiser."""
    add_organiser(session)
    log_in(client)
    return client
