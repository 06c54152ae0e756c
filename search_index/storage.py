"""Creating and opening the index directory."""

import pickle
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from search_index.errors import IndexUnavailable
from search_index.locking import exclusive_writer_lock
from search_index.schema import build_schema
from search_index.searchers import open_searcher

INDEX_NAME = "community"


def ensure_index(directory: Path | str) -> None:
    """Create an empty index unless a current one exists; safe when several processes start."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with exclusive_writer_lock(directory):
        if not _has_current_index(directory):
            # The index is derived data: one from an older schema is replaced, and
            # `kb reindex` fills the new one from the database.
            index.create_in(str(directory), build_schema(), indexname=INDEX_NAME)


def open_index(directory: Path | str) -> Index:
    """Open without memory-mapping: Whoosh would copy each mapped file into every searcher.

    At 100,000 documents that is ~500 MB and ~100 ms per searcher opened; reading through
    the file costs searches some speed but keeps opening a searcher under a millisecond.
    """
    try:
        return FileStorage(str(directory), supports_mmap=False).open_index(INDEX_NAME)
    except (index.EmptyIndexError, OSError) as error:
        raise IndexUnavailable(
            f"no search index in {directory}: run `flask --app app kb reindex`"
        ) from error


def check_index(directory: Path | str) -> int:
    """Open the index and return how many documents it holds."""
    with open_searcher(open_index(directory)) as searcher:
        return searcher.doc_count()


def _has_current_index(directory: Path) -> bool:
    try:
        existing = open_index(directory).schema
    except IndexUnavailable:
        return False
    except (AttributeError, ImportError, pickle.UnpicklingError):
        return False  # written by a version whose field classes no longer exist
    return _field_types(existing) == _field_types(build_schema())


def _field_types(schema) -> dict[str, str]:
    return {name: type(field).__name__ for name, field in schema.items()}
