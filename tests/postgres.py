"""A throwaway PostgreSQL server for the test session, started with initdb and pg_ctl.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _require_binaries() -> None:
    missing = [name for name in ("initdb", "pg_ctl", "postgres") if not shutil.which(name)]
    if missing:
        message = f"PostgreSQL binaries not on PATH: {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run the PostgreSQL tests)")
        pytest.skip(message)


@contextmanager
def postgres_server():
    """Yields a base URL (without database name) of a freshly initialised server."""
    _require_binaries()
    root = Path(tempfile.mkdtemp(prefix="community-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    run = lambda *args: subprocess.run(_as_server_user(list(args)), check=True, capture_output=True)  # noqa: E731
    run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    options = f"-k {sockets} -p {port} -h 127.0.0.1 -c fsync=off -c max_connections=200"
    run("pg_ctl", "-D", str(data), "-o", options, "-l", str(root / "server.log"), "-w", "start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_server_user(["pg_ctl", "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
