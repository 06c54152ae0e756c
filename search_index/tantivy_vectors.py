"""The documents' vectors beside the tantivy index, one row per document, and the nearest.

tantivy-py reads no stored field in bulk, so the float16 vectors live in a file of their
own: row N at byte N × VECTOR_BYTES, N being the document's `row` field, given once for all
time in the directory (a replaced document gets a new row; its old row stays, unread). A
writer writes the vectors, then the count of rows, then commits the documents, so every row
a searcher can see is complete. Each process keeps the rows as one float32 matrix, reading
only the rows added since it last looked; one matrix product ranks them all (see
search_index/neighbours.py for the sizes).
"""

import os
import threading
from pathlib import Path

import numpy as np

from search_index.semantic import DIMENSIONS, VECTOR_BYTES, from_bytes_run

VECTORS_FILE = "vectors.f16"
ROWS_FILE = "vectors.rows"


class VectorRows:
    def __init__(self, directory: Path):
        self._vectors = directory / VECTORS_FILE
        self._rows = directory / ROWS_FILE
        self._lock = threading.Lock()
        self._matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._count = 0

    def append(self, count: int, vectors: np.ndarray | None = None) -> int:
        """Numbers `count` new documents, storing their vectors if given; returns the first row.

        Only one writer may append at a time (the caller holds the directory's writer lock).
        """
        first = self.row_count()
        if vectors is not None and count:
            descriptor = os.open(self._vectors, os.O_WRONLY | os.O_CREAT, 0o644)
            try:
                os.pwrite(descriptor, to_rows(vectors), first * VECTOR_BYTES)
            finally:
                os.close(descriptor)
        temporary = self._rows.with_suffix(".tmp")
        temporary.write_text(str(first + count))
        os.replace(temporary, self._rows)
        return first

    def row_count(self) -> int:
        try:
            return int(self._rows.read_text())
        except FileNotFoundError:
            return 0

    def matrix(self) -> np.ndarray:
        """Every row written so far; rows without a vector are zeros."""
        with self._lock:
            count = self.row_count()
            if count > self._count:
                self._read_rows(count)
            return self._matrix[: self._count]

    def _read_rows(self, count: int) -> None:
        start = self._count
        if count > len(self._matrix):
            grown = np.zeros((max(count, 2 * len(self._matrix)), DIMENSIONS), dtype=np.float32)
            grown[:start] = self._matrix[:start]
            self._matrix = grown  # searches still holding the old matrix keep their rows
        try:
            with open(self._vectors, "rb") as file:
                file.seek(start * VECTOR_BYTES)
                raw = file.read((count - start) * VECTOR_BYTES)
        except FileNotFoundError:
            raw = b""
        present = len(raw) // VECTOR_BYTES  # rows past the end of the file have no vector
        if present:
            self._matrix[start : start + present] = from_bytes_run(raw, present)
        self._count = count


def to_rows(vectors: np.ndarray) -> bytes:
    return vectors.astype(np.float16).tobytes()  # as semantic.to_bytes, for many at once
