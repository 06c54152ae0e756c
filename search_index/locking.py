"""Locks across threads and processes: one writer per index directory, one rebuild at a time."""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE_NAME = "writer.lock"


@contextmanager
def exclusive_writer_lock(directory: Path) -> Iterator[None]:
    """Wait, without a time limit, until no other thread or process writes the directory."""
    with exclusive_lock(directory / LOCK_FILE_NAME):
        yield


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Wait, without a time limit, until no other thread or process holds the lock file.

    flock() belongs to an open file description, so opening the file afresh on every call makes
    threads of one process wait for each other just as other processes do.
    """
    with open(path, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


@contextmanager
def try_exclusive_lock(path: Path) -> Iterator[bool]:
    """Yields whether the lock was free; never waits."""
    with open(path, "a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
