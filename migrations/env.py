"""Alembic environment: the models' metadata against the engine create_app() built."""

from alembic import context
from sqlmodel import SQLModel

import community.models  # noqa: F401  (registers every table on SQLModel.metadata)
from community.config import Settings
from community.database_cli import include_name
from community.db import build_engine
from community.models.types import UTCDateTime


def render_item(type_, obj, autogen_context):
    """UTCDateTime is a timestamp with time zone in the database; render it as one."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations() -> None:
    engine = context.config.attributes.get("engine") or build_engine(Settings().DATABASE_URL)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            include_name=include_name,
            render_item=render_item,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
