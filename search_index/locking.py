"""One writer at a time for an index directory, across threads and processes."""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE_NAME = "writer.lock"


@contextmanager
def exclusive_writer_lock(directory: Path) -> Iterator[None]:
    """Wait, without a time limit, until no other thread or process holds the directory's lock.

    flock() belongs to an open file description, so opening the file afresh on every call makes
    threads of one process wait for each other just as other processes do.
    """
    with open(directory / LOCK_FILE_NAME, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
