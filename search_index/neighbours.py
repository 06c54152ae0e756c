"""The documents nearest a question in meaning, by brute force over every stored vector.

Each segment's vectors are read from its `vector` column once per process and kept
(search_index.segments), so a commit costs the next search only its new segment's. At 256
float32 dimensions they take 1 KB per document, and one matrix product per segment ranks
100,000 documents in a few milliseconds, so no approximate index is needed at a
community's scale.
"""

import numpy as np

from search_index.matching import Leaf
from search_index.segments import SegmentCache


class Meanings:
    """A question's similarity to every document of the segments searched."""

    def __init__(self, leaves: list[Leaf], cache: SegmentCache, question: np.ndarray):
        self.leaves = leaves
        # einsum, not BLAS: its threads only contend with each other and with other
        # requests' for two cores, which made one product of 20,000 rows take 20 ms.
        self.similarities = [
            np.einsum("ij,j->i", cache.vectors(leaf.reader), question) for leaf in leaves
        ]

    def nearest(
        self, allowed: list[np.ndarray | None], *, depth: int, floor: float
    ) -> list[tuple[int, float]]:
        """Up to `depth` (docnum, similarity) pairs at or above `floor`, most similar first."""
        found: list[tuple[float, int]] = []
        for leaf, similarities, within in zip(self.leaves, self.similarities, allowed, strict=True):
            close = similarities >= floor
            if within is not None:
                close &= within
            docnums = np.flatnonzero(close)
            if len(docnums) > depth:
                docnums = docnums[np.argpartition(-similarities[docnums], depth - 1)[:depth]]
            found += [(float(similarities[d]), leaf.offset + int(d)) for d in docnums]
        found.sort(key=lambda pair: (-pair[0], pair[1]))
        return [(docnum, similarity) for similarity, docnum in found[:depth]]

    def similarity(self, docnum: int) -> float:
        for leaf, similarities in zip(self.leaves, self.similarities, strict=True):
            if leaf.offset <= docnum < leaf.offset + leaf.count:
                return float(similarities[docnum - leaf.offset])
        raise IndexError(docnum)
