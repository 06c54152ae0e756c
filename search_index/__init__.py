"""The search index: derived from the database, rebuildable at any time.

This package indexes plain documents and returns hits; it knows nothing of the models.
Its names are imported on first use, so that creating the app or running a command that
never searches does not load the engines (Whoosh, numpy, tantivy).
"""

from importlib import import_module

from search_index.documents import SearchDocument, SearchHit, SearchQuery, SearchResults
from search_index.errors import IndexUnavailable

_LAZY = {
    "SearchIndex": "search_index.engine",
    "SemanticModel": "search_index.semantic",
    "shared_model": "search_index.semantic",
    "best_passage": "search_index.passages",
    "check_index": "search_index.storage",
    "ensure_index": "search_index.storage",
    "open_index": "search_index.storage",
}

__all__ = [
    "IndexUnavailable",
    "SearchDocument",
    "SearchHit",
    "SearchQuery",
    "SearchResults",
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'search_index' has no attribute {name!r}")
