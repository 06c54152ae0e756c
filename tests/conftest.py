"""Fixtures: every test that uses `app` runs once on SQLite and once on a real PostgreSQL server.

The schema is built once per backend with the migrations (never create_all), then each
test gets its own copy: a copied SQLite file, or a PostgreSQL database made from a template.
"""

import itertools
import shutil
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from community import create_app
from community.database_cli import upgrade_database
from community.db import build_engine, get_engine
from community.events.services import EventInput, create_event
from community.models import EventStatus
from community.models.types import utcnow
from tests.postgres import postgres_server

SECRET = "test-secret-key-that-is-long-enough"
_database_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres_base_url():
    with postgres_server() as base_url:
        engine = create_engine(f"{base_url}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("CREATE DATABASE migrated_template"))
        engine.dispose()
        template = build_engine(f"{base_url}/migrated_template")
        upgrade_database(template)
        template.dispose()
        yield base_url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite-template") / "migrated.db"
    engine = build_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, sqlite_template):
    """A freshly migrated, empty database of each backend."""
    if request.param == "sqlite":
        path = tmp_path / "community.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    base_url = request.getfixturevalue("postgres_base_url")
    name = f"test_{next(_database_numbers)}"
    admin = create_engine(f"{base_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE migrated_template"))
    admin.dispose()
    return f"{base_url}/{name}"


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
    }


@pytest.fixture
def make_app(app_config):
    """Builds apps from the test configuration plus overrides, and closes them afterwards."""
    apps = []

    def build(**overrides):
        app = create_app({**app_config, **overrides})
        apps.append(app)
        return app

    yield build
    for app in apps:
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
