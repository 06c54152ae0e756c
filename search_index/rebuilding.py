"""Building a whole index with every core: worker processes analyse, embed and write segments.

The process that reads the documents only removes repeated ids and hands them out in
batches; each worker turns the batches it takes into segments of its own. Nothing is
visible to searches until the caller's commit names the segments.
"""

import multiprocessing
import os
import queue
import traceback
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice

from whoosh.codec.whoosh3 import W3Segment

from search_index.building import build_segments, embedded_batches
from search_index.documents import SearchDocument
from search_index.semantic import SemanticModel

BATCH = 500
# Below this many documents one process builds the index: starting a worker, which loads
# the libraries and the model again, costs a second or two.
WORKERS_FROM = 5_000
MAX_WORKERS = 4
WAIT_SECONDS = 1.0  # how often a waiting parent checks that its workers still run


def unique_batches(documents: Iterable[SearchDocument]) -> Iterator[list[SearchDocument]]:
    """The documents in batches, each doc_id once (the first wins)."""
    seen: set[str] = set()
    batch: list[SearchDocument] = []
    for document in documents:
        if document.doc_id not in seen:
            seen.add(document.doc_id)
            batch.append(document)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def build_all(
    index,
    documents: Iterable[SearchDocument],
    semantic: SemanticModel | None,
    counted: Callable[[int], None],
) -> list[W3Segment]:
    """Segments holding the documents (repeated ids once), written into the index directory.

    counted() receives the size of each batch as it is handed out.
    """
    batches = unique_batches(documents)
    first = list(islice(batches, WORKERS_FROM // BATCH))
    handed_out = _counting(chain(first, batches), counted)
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if sum(map(len, first)) < WORKERS_FROM or workers < 2:
        pairs = embedded_batches(handed_out, semantic)
        return build_segments(index.storage, index.schema, index.indexname, pairs)
    semantic_class = type(semantic) if semantic is not None else None
    with _Workers(index, semantic_class, workers) as pool:
        for batch in handed_out:
            pool.send(batch)
        return pool.finish()


def _counting(batches: Iterable[list], counted: Callable[[int], None]) -> Iterator[list]:
    for batch in batches:
        yield batch
        counted(len(batch))


class _Workers:
    """Processes that each build segments from the batches they take, until told to stop."""

    def __init__(self, index, semantic_class, count: int):
        # Spawned, not forked: the parent may hold database connections and threads.
        context = multiprocessing.get_context("spawn")
        self._tasks = context.Queue(maxsize=2 * count)
        self._results = context.Queue()
        arguments = (index.storage.folder, index.indexname, semantic_class)
        self._processes = [
            context.Process(target=_work, args=(*arguments, self._tasks, self._results))
            for _ in range(count)
        ]
        for process in self._processes:
            process.daemon = True  # never outlive the parent
        self._segments: list[W3Segment] = []
        self._finished = 0

    def __enter__(self):
        for process in self._processes:
            process.start()
        return self

    def __exit__(self, *exc_info):
        for process in self._processes:
            if process.is_alive():
                process.terminate()
            process.join()

    def send(self, batch: list[SearchDocument] | None) -> None:
        while True:
            try:
                self._tasks.put(batch, timeout=WAIT_SECONDS)
                return
            except queue.Full:
                self._collect(wait=False)

    def finish(self) -> list[W3Segment]:
        for _ in self._processes:
            self.send(None)  # each worker takes one and stops
        while self._finished < len(self._processes):
            self._collect(wait=True)
        return self._segments

    def _collect(self, wait: bool) -> None:
        """Take a worker's segments if one has finished; fail if a worker failed or died."""
        try:
            outcome, value = self._results.get(block=wait, timeout=WAIT_SECONDS)
        except queue.Empty:
            for process in self._processes:
                if process.exitcode not in (0, None):
                    raise RuntimeError(
                        f"an index worker stopped with exit code {process.exitcode}"
                    ) from None
            return
        if outcome == "failed":
            raise RuntimeError(f"an index worker failed:\n{value}")
        self._segments += value
        self._finished += 1


def _work(directory: str, indexname: str, semantic_class, tasks, results) -> None:
    try:
        from search_index.storage import open_index

        index = open_index(directory)
        semantic = semantic_class() if semantic_class is not None else None
        pairs = embedded_batches(iter(tasks.get, None), semantic)
        segments = build_segments(index.storage, index.schema, indexname, pairs)
        results.put(("built", segments))
    except BaseException:  # noqa: BLE001 - the parent reports whatever stopped the worker
        results.put(("failed", traceback.format_exc()))
