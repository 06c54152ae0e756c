"""The schema comes from the migrations, and the migrations match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

import community.models  # noqa: F401
from community.database_cli import alembic_config, include_name
from community.db import get_engine


def _differences(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        return compare_metadata(context, SQLModel.metadata)


def test_models_and_migrations_agree(app):
    differences = _differences(get_engine(app))

    assert differences == [], (
        "the models differ from the migrations; write a migration with "
        "`flask --app app db revision -m '…'`"
    )


def test_db_upgrade_builds_an_empty_postgresql_database(postgres_base_url, tmp_path):
    admin = create_engine(f"{postgres_base_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE from_nothing"))
    admin.dispose()
    from community import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"{postgres_base_url}/from_nothing",
            "SEARCH_INDEX_DIR": tmp_path / "index",
        }
    )

    result = app.test_cli_runner().invoke(args=["db", "upgrade"])

    assert result.exit_code == 0, result.output
    tables = set(inspect(get_engine(app)).get_table_names())
    assert {"content_item", "event", "member", "organiser", "delivery", "pairing_group"} <= tables
    assert _differences(get_engine(app)) == []
    get_engine(app).dispose()


def test_migrations_go_down_to_nothing_and_back_up(app):
    from alembic import command

    config = alembic_config(get_engine(app))
    command.downgrade(config, "base")
    assert "content_item" not in inspect(get_engine(app)).get_table_names()

    command.upgrade(config, "head")
    assert _differences(get_engine(app)) == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_enforces_foreign_keys(app):
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import Session

    from community.models import ContentItem

    with Session(get_engine(app)) as session:
        session.add(ContentItem(source_id=999, kind="post", external_id="x", title="orphan"))
        with pytest.raises(IntegrityError):
            session.commit()
