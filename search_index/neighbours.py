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

from search_index.semantic import DIMENSIONS, VECTOR_BYTES, from_bytes, from_bytes_run


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
    matrix = np.zeros((total, DIMENSIONS), dtype=np.float32)
    for segment, offset in reader.leaf_readers():
        count = segment.doc_count_all()
        if count:
            matrix[offset : offset + count] = _segment_vectors(
                segment.column_reader("vector"), count
            )
    live = np.zeros(total, dtype=bool)
    live[list(reader.all_doc_ids())] = True
    return StoredVectors(matrix=matrix, live=live)


def _segment_vectors(column, count: int) -> np.ndarray:
    """One segment's vectors. Whoosh stores a fixed-width column as one run of bytes (up
    to the last document that has a value), so one read takes them all; asking document
    by document costs ~25 µs each, seconds for a large index after every commit."""
    stored = getattr(column, "_count", None)
    if stored is None or not hasattr(column, "_dbfile"):  # another column reader: one by one
        return from_bytes([column[docnum] for docnum in range(count)])
    raw = column._dbfile.get(column._basepos, stored * VECTOR_BYTES)
    vectors = np.zeros((count, DIMENSIONS), dtype=np.float32)
    vectors[:stored] = from_bytes_run(raw, stored)
    return vectors


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
