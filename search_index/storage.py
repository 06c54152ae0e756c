"""Creating and opening the index directory."""

import fcntl
from contextlib import contextmanager
from pathlib import Path

from whoosh import index
from whoosh.index import Index

from search_index.schema import build_schema

INDEX_NAME = "community"


class IndexUnavailable(RuntimeError):
    pass


def ensure_index(directory: Path | str) -> None:
    """Create an empty index unless one exists; safe when several processes start at once."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with _creation_lock(directory):
        if not index.exists_in(directory, indexname=INDEX_NAME):
            index.create_in(directory, build_schema(), indexname=INDEX_NAME)


def open_index(directory: Path | str) -> Index:
    try:
        return index.open_dir(str(directory), indexname=INDEX_NAME)
    except (index.EmptyIndexError, OSError) as error:
        raise IndexUnavailable(
            f"no search index in {directory}: run `flask --app app kb reindex`"
        ) from error


def check_index(directory: Path | str) -> int:
    """Open the index and return how many documents it holds."""
    with open_index(directory).searcher() as searcher:
        return searcher.doc_count()


@contextmanager
def _creation_lock(directory: Path):
    with open(directory / ".create.lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
