"""The documents nearest a question in meaning, by brute force over every stored vector.

A matrix of all vectors is read from the index's `vector` column once per commit and
shared by every thread. At 256 float32 dimensions it takes 1 KB per document, and one
matrix product ranks 100,000 documents in a few milliseconds, so no approximate index
is needed at a community's scale.
"""

import threading
from dataclasses import dataclass

import numpy as np
from whoosh.query import Query
from whoosh.searching import Searcher

from search_index.semantic import from_bytes


@dataclass(frozen=True)
class StoredVectors:
    matrix: np.ndarray  # one row per document number
    live: np.ndarray  # False for deleted documents, whose rows are stale

    def similarities(self, question: np.ndarray) -> np.ndarray:
        return self.matrix @ question


class VectorCache:
    """The vectors of the generations being searched; older ones are dropped."""

    KEPT_GENERATIONS = 2  # a thread may still search the previous commit

    def __init__(self):
        self._lock = threading.Lock()
        self._by_generation: dict[tuple[int, int], StoredVectors] = {}

    def vectors(self, searcher: Searcher) -> StoredVectors:
        reader = searcher.reader()
        key = (reader.generation(), reader.doc_count_all())
        with self._lock:
            if key not in self._by_generation:
                self._by_generation[key] = _read_vectors(searcher)
                for old in list(self._by_generation)[: -self.KEPT_GENERATIONS]:
                    del self._by_generation[old]  # the oldest read, not the lowest number
            return self._by_generation[key]


def _read_vectors(searcher: Searcher) -> StoredVectors:
    reader = searcher.reader()
    total = reader.doc_count_all()
    if total == 0:  # an empty index has no columns to read
        return StoredVectors(matrix=from_bytes([]), live=np.zeros(0, dtype=bool))
    column = reader.column_reader("vector")
    matrix = from_bytes([column[docnum] for docnum in range(total)])
    live = np.zeros(total, dtype=bool)
    live[list(reader.all_doc_ids())] = True
    return StoredVectors(matrix=matrix, live=live)


def nearest(
    searcher: Searcher,
    vectors: StoredVectors,
    question: np.ndarray,
    *,
    within: Query | None,
    depth: int,
    floor: float,
) -> list[tuple[int, float]]:
    """Up to `depth` (docnum, similarity) pairs at or above `floor`, most similar first."""
    similarities = vectors.similarities(question)
    allowed = vectors.live.copy()
    if within is not None:
        allowed[:] = False
        allowed[list(searcher.docs_for_query(within))] = True
    similarities = np.where(allowed & (similarities >= floor), similarities, -np.inf)
    count = min(depth, int(np.isfinite(similarities).sum()))
    if count == 0:
        return []
    top = np.argpartition(-similarities, count - 1)[:count]
    top = top[np.argsort(-similarities[top])]
    return [(int(docnum), float(similarities[docnum])) for docnum in top]
