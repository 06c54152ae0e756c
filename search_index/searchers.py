"""Searchers on the latest commit, opened safely while other processes commit."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from whoosh.index import TOC, FileIndex
from whoosh.reading import EmptyReader, IndexReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

# Only a storm of commits, each removing segments, keeps a searcher from opening this long.
OPEN_TIMEOUT_SECONDS = 60


class SearcherPool:
    """Open searchers reused across queries, each lent to one thread at a time.

    A Whoosh searcher reads through its own file handles, so two threads must not share one;
    the pool grows to the number of concurrent searches and no further. A searcher that
    missed a commit is replaced rather than refresh()ed: Whoosh-Reloaded 2.7.5's refresh()
    keeps segments that a merge or a rebuild removed, and so returns documents twice.
    """

    def __init__(self, index: FileIndex):
        self._index = index
        self._idle: list[Searcher] = []
        self._lock = threading.Lock()

    @contextmanager
    def borrow(self) -> Iterator[Searcher]:
        searcher = self._take()
        try:
            yield searcher
        finally:
            with self._lock:
                self._idle.append(searcher)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for searcher in idle:
            searcher.close()

    def _take(self) -> Searcher:
        with self._lock:
            searcher = self._idle.pop() if self._idle else None
        if searcher is not None and searcher.up_to_date():
            return searcher
        if searcher is not None:
            searcher.close()
        return open_searcher(self._index)


def open_searcher(index: FileIndex) -> Searcher:
    """A searcher on the latest commit, retried when a commit removes files as it opens.

    Whoosh's own reader() retries too, but only ten times, and leaves the files it had
    opened to the garbage collector, which then warns about them.
    """
    deadline = time.monotonic() + OPEN_TIMEOUT_SECONDS
    pause = 0.001
    while True:
        try:
            toc = TOC.read(index.storage, index.indexname)
            return Searcher(_open_reader(index, toc), fromindex=index)
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def _open_reader(index: FileIndex, toc: TOC) -> IndexReader:
    if not toc.segments:
        return EmptyReader(toc.schema)
    readers: list[SegmentReader] = []
    try:
        for segment in toc.segments:
            readers.append(SegmentReader(index.storage, toc.schema, segment, toc.generation))
    except OSError:
        for reader in readers:
            reader.close()
        raise
    return readers[0] if len(readers) == 1 else MultiReader(readers, generation=toc.generation)
