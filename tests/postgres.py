"""A throwaway PostgreSQL server for the test session, started with initdb and pg_ctl.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def postgres_binaries_missing() -> list[str]:
    return [name for name in ("initdb", "pg_ctl", "postgres") if not shutil.which(name)]


def _require_binaries() -> None:
    if missing := postgres_binaries_missing():
        message = f"PostgreSQL binaries not on PATH: {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run the PostgreSQL tests)")
        pytest.skip(message)


class PostgresServer:
    """One initialised data directory; `stop` and `start` play an outage or a restart."""

    def __init__(self, extra_options: str = ""):
        _require_binaries()
        self.root = Path(tempfile.mkdtemp(prefix="community-pg-"))
        self.data, sockets = self.root / "data", self.root / "sockets"
        sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(sockets, "postgres")
        port = _free_port()
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        settings = "-c fsync=off -c max_connections=200"
        self.options = f"-k {sockets} -p {port} -h 127.0.0.1 {settings} {extra_options}"
        self.base_url = f"postgresql+psycopg://postgres@127.0.0.1:{port}"

    def _run(self, *args: str) -> None:
        subprocess.run(_as_server_user(list(args)), check=True, capture_output=True)

    def start(self) -> None:
        log = str(self.root / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", self.options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")

    def remove(self) -> None:
        subprocess.run(
            _as_server_user(["pg_ctl", "-D", str(self.data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def postgres_server(extra_options: str = ""):
    """Yields a base URL (without database name) of a freshly initialised, running server."""
    server = PostgresServer(extra_options)
    try:
        server.start()
        yield server.base_url
    finally:
        server.remove()


TEMPLATE = "migrated_template"


def _admin_engine(base_url: str) -> Engine:
    return create_engine(f"{base_url}/postgres", isolation_level="AUTOCOMMIT")


def create_template(base_url: str, migrate: Callable[[str], None]) -> None:
    """The database every test database is copied from, migrated once."""
    admin = _admin_engine(base_url)
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {TEMPLATE}"))
    admin.dispose()
    migrate(f"{base_url}/{TEMPLATE}")


class WorkerDatabase:
    """One database per test worker, copied from the template once and emptied between tests.

    Emptying takes about a millisecond; a new copy per test took 0.2–0.3 s, because
    CREATE DATABASE waits for a checkpoint. A test that changed the schema or left a lock
    behind gets a fresh copy instead.
    """

    def __init__(self, base_url: str, name: str):
        self.url = f"{base_url}/{name}"
        self._name = name
        self._admin = _admin_engine(base_url)
        self._copy_template()
        self._engine = create_engine(self.url, poolclass=NullPool)
        with self._engine.connect() as connection:
            self._tables = _tables(connection)
            self._revision = _revision(connection)

    def empty(self) -> None:
        try:
            with self._engine.begin() as connection:
                if _tables(connection) != self._tables or _revision(connection) != self._revision:
                    raise RuntimeError("the test changed the schema")
                connection.execute(text("SET LOCAL lock_timeout = '5s'"))
                # Foreign keys are not checked while every table is emptied at once.
                connection.execute(text("SET LOCAL session_replication_role = replica"))
                for table in self._tables:
                    connection.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608  (names from pg_tables)
                connection.execute(
                    text(
                        "SELECT setval(oid::regclass, 1, false) FROM pg_class"
                        " WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace"
                    )
                )
        except (RuntimeError, DBAPIError):
            self._engine.dispose()
            self._drop()
            self._copy_template()

    def close(self) -> None:
        self._engine.dispose()
        self._drop()
        self._admin.dispose()

    def _drop(self) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {self._name} WITH (FORCE)"))

    def _copy_template(self) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {self._name} TEMPLATE {TEMPLATE}"))


def _tables(connection: Connection) -> list[str]:
    rows = connection.execute(
        text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename <> 'alembic_version' ORDER BY tablename"
        )
    )
    return list(rows.scalars())


def _revision(connection: Connection) -> str | None:
    return connection.execute(text("SELECT max(version_num) FROM alembic_version")).scalar()
