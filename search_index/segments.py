"""What searches read of each segment, held in memory as arrays.

A segment never changes once written (only which of its documents are deleted), so each is
read once per process, on the first search that meets it, and dropped once no recent commit
has it: after a commit the next search reads only the new segment, not the whole index.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length

from search_index.codec import field_terms, postings
from search_index.schema import CONTENT, UNDATED
from search_index.semantic import DIMENSIONS

LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
REMEMBERED_PER_SEGMENT = 64  # filters' document sets: kinds, collection and tags asked for


@dataclass(frozen=True)
class Labels:
    """One label per document (its kind, its collection) as codes into `names`; documents
    without one have the code len(names)."""

    codes: np.ndarray
    names: list[str]

    def having(self, wanted: set[str]) -> np.ndarray:
        chosen = [code for code, name in enumerate(self.names) if name in wanted]
        return np.isin(self.codes, chosen)

    def counts(self, docnums: np.ndarray) -> dict[str, int]:
        counted = np.bincount(self.codes[docnums], minlength=len(self.names) + 1)
        named = zip(self.names, counted[: len(self.names)], strict=True)
        return {name: int(count) for name, count in named if count}

    def name_of(self, docnum: int) -> str | None:
        code = int(self.codes[docnum])
        return self.names[code] if code < len(self.names) else None


@dataclass(frozen=True)
class SegmentData:
    lengths: np.ndarray  # the content field's length per document, as BM25 reads it
    kinds: Labels
    collections: Labels
    recency: np.ndarray  # microseconds since 1970, UNDATED for undated documents


class SegmentCache:
    """Each segment's arrays, its vectors and its filters' document sets, by segment id."""

    def __init__(self):
        self._lock = threading.Lock()
        self._data: dict[str, SegmentData] = {}
        self._vectors: dict[str, np.ndarray] = {}
        self._live: dict[tuple[str, int], np.ndarray] = {}
        self._remembered: dict[str, OrderedDict] = {}
        self._generation = -1
        self._recent: tuple[set[str], set[str]] = (set(), set())

    def notice(self, generation: int | None, segment_ids: list[str]) -> None:
        """Forget segments that neither this commit nor the one before it has."""
        with self._lock:
            if generation is None or generation <= self._generation:
                return
            self._generation = generation
            self._recent = (self._recent[1], set(segment_ids))
            kept = self._recent[0] | self._recent[1]
            for table in (self._data, self._vectors, self._remembered):
                for segment_id in [key for key in table if key not in kept]:
                    del table[segment_id]
            for key in [key for key in self._live if key[0] not in kept]:
                del self._live[key]

    def data(self, leaf: SegmentReader) -> SegmentData:
        return self._get(self._data, _segment_id(leaf), lambda: _read_data(leaf))

    def vectors(self, leaf: SegmentReader) -> np.ndarray:
        """The segment's vectors as float32 rows, zeros for documents stored without one."""
        return self._get(self._vectors, _segment_id(leaf), lambda: _read_vectors(leaf))

    def live(self, leaf: SegmentReader) -> np.ndarray | None:
        """Which documents are not deleted; None when none is."""
        segment = leaf.segment()
        if not segment.has_deletions():
            return None
        key = (segment.segment_id(), segment.deleted_count())
        return self._get(self._live, key, lambda: _live(leaf))

    def remembered(self, leaf: SegmentReader, key: Hashable, compute: Callable[[], object]):
        """compute()'s value for this segment and key, computed once while it is kept."""
        segment_id = _segment_id(leaf)
        with self._lock:
            table = self._remembered.setdefault(segment_id, OrderedDict())
            if key in table:
                table.move_to_end(key)
                return table[key]
        value = compute()
        with self._lock:
            table[key] = value
            while len(table) > REMEMBERED_PER_SEGMENT:
                table.popitem(last=False)
        return value

    def _get(self, table: dict, key, compute: Callable[[], object]):
        with self._lock:
            if key in table:
                return table[key]
        value = compute()  # outside the lock: other segments need not wait for this one
        with self._lock:
            return table.setdefault(key, value)


def _segment_id(leaf: SegmentReader) -> str:
    return leaf.segment().segment_id()


def _read_data(leaf: SegmentReader) -> SegmentData:
    count = leaf.doc_count_all()
    length_bytes = fixed_width_column(leaf, f"_{CONTENT}_len", np.uint8, count, 0)
    return SegmentData(
        lengths=LENGTH_OF_BYTE[length_bytes],
        kinds=_labels(leaf, "kind", count),
        collections=_labels(leaf, "collection", count),
        recency=fixed_width_column(leaf, "recency", np.dtype(">i8"), count, UNDATED).astype(
            np.int64
        ),
    )


def _labels(leaf: SegmentReader, fieldname: str, count: int) -> Labels:
    names = [term.decode() for term in field_terms(leaf, fieldname)]
    codes = np.full(count, len(names), np.int32)
    for code, name in enumerate(names):
        docnums, _ = postings(leaf, fieldname, name.encode())
        codes[docnums] = code
    return Labels(codes=codes, names=names)


def _read_vectors(leaf: SegmentReader) -> np.ndarray:
    count = leaf.doc_count_all()
    halves = fixed_width_column(leaf, "vector", np.dtype("<f2"), count, 0, DIMENSIONS)
    return halves.reshape(count, DIMENSIONS).astype(np.float32)


def _live(leaf: SegmentReader) -> np.ndarray:
    live = np.ones(leaf.doc_count_all(), bool)
    live[list(leaf.segment().deleted_docs())] = False
    return live


def fixed_width_column(
    leaf: SegmentReader, name: str, dtype, count: int, default, per_document: int = 1
) -> np.ndarray:
    """Every value of a fixed-width column for `count` documents, in one read.

    Whoosh writes such a column as one run of values up to the last document that has one
    (`dtype` gives their width and byte order; a vector is `per_document` of them); asking
    it document by document costs ~25 µs each, seconds for a large segment.
    """
    dtype = np.dtype(dtype)
    values = np.full(count * per_document, default, dtype=dtype.newbyteorder("="))
    perdoc = leaf._perdoc  # Whoosh keeps a segment's per-document reader there
    if not perdoc.has_column(name):
        return values
    column_type = LENGTHS_COLUMN if name.startswith("_") else leaf.schema[name].column_type
    column = perdoc.column_reader(name, column_type)
    stored = min(column._count, count) * per_document
    raw = column._dbfile.get(column._basepos, stored * dtype.itemsize)
    values[:stored] = np.frombuffer(raw, dtype=dtype, count=stored)
    return values
