"""The Whoosh search index: derived from the database, rebuildable at any time.

This package indexes plain documents and returns hits; it knows nothing of the models.
"""

from search_index.documents import SearchDocument, SearchHit, SearchQuery, SearchResults
from search_index.engine import SearchIndex
from search_index.passages import best_passage
from search_index.semantic import SemanticModel, shared_model
from search_index.storage import IndexUnavailable, check_index, ensure_index, open_index

__all__ = [
    "IndexUnavailable",
    "SearchDocument",
    "SearchHit",
    "SearchIndex",
    "SearchQuery",
    "SearchResults",
    "SemanticModel",
    "best_passage",
    "check_index",
    "ensure_index",
    "open_index",
    "shared_model",
]
