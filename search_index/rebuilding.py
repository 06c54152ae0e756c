"""Building a whole index with every core: worker processes analyse, embed and write segments.

The process that reads the documents only removes repeated ids and hands them out in
batches; each worker turns the batches it takes into segments of its own. Nothing is
visible to searches until the caller's commit names the segments.
"""

import multiprocessing
import os
import queue
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice

from whoosh.codec.whoosh3 import W3Segment

from search_index.building import build_segments, embedded_batches
from search_index.documents import SearchDocument
from search_index.semantic import SemanticModel

BATCH = 500
# Up to this many documents one process builds the index: starting a worker, which loads
# the libraries and the model again, costs a few seconds on a busy machine.
WORKERS_FROM = 10_000
QUEUED_BATCHES = 2  # per worker: enough to keep it busy, few enough to bound memory
MAX_WORKERS = 4
WAIT_SECONDS = 1.0  # how often a waiting parent checks that its workers still run


def unique_batches(
    documents: Iterable[SearchDocument], size: int | None = None
) -> Iterator[list[SearchDocument]]:
    """The documents in batches of `size` (BATCH by default), each doc_id once (the first wins)."""
    size = size or BATCH
    seen: set[str] = set()
    batch: list[SearchDocument] = []
    for document in documents:
        if document.doc_id not in seen:
            seen.add(document.doc_id)
            batch.append(document)
        if len(batch) == size:
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
    first = list(islice(batches, WORKERS_FROM // BATCH + 1))
    handed_out = _counting(chain(first, batches), counted)
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(first) <= WORKERS_FROM // BATCH or workers < 2:  # every document is in `first`
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
    """Processes that each build segments from the batches they are given, in turn, so that
    the same documents always make the same segments (and ties rank the same)."""

    def __init__(self, index, semantic_class, count: int):
        # Spawned, not forked: the parent may hold database connections and threads.
        context = multiprocessing.get_context("spawn")
        self._results = context.Queue()
        self._tasks = [context.Queue(maxsize=QUEUED_BATCHES) for _ in range(count)]
        arguments = (index.storage.folder, index.indexname, semantic_class)
        arguments += (self._results, os.getpid())
        self._processes = [
            context.Process(target=_work, args=(number, tasks, *arguments), daemon=True)
            for number, tasks in enumerate(self._tasks)
        ]
        self._segments: dict[int, list[W3Segment]] = {}
        self._sent = 0

    def __enter__(self):
        for process in self._processes:
            process.start()
        return self

    def __exit__(self, *exc_info):
        for process in self._processes:
            if process.is_alive():
                process.terminate()
            process.join()

    def send(self, batch: list[SearchDocument]) -> None:
        self._put(self._sent % len(self._tasks), batch)
        self._sent += 1

    def finish(self) -> list[W3Segment]:
        for number in range(len(self._tasks)):
            self._put(number, None)  # the worker finishes its segments and stops
        while len(self._segments) < len(self._processes):
            self._collect(wait=True)
        return [segment for number in sorted(self._segments) for segment in self._segments[number]]

    def _put(self, number: int, batch: list[SearchDocument] | None) -> None:
        while True:
            try:
                self._tasks[number].put(batch, timeout=WAIT_SECONDS)
                return
            except queue.Full:
                self._collect(wait=False)

    def _collect(self, wait: bool) -> None:
        """Take a worker's segments if one has finished; fail if a worker failed or died."""
        try:
            number, outcome = self._results.get(block=wait, timeout=WAIT_SECONDS)
        except queue.Empty:
            for process in self._processes:
                if process.exitcode not in (0, None):
                    raise RuntimeError(
                        f"an index worker stopped with exit code {process.exitcode}"
                    ) from None
            return
        if isinstance(outcome, str):
            raise RuntimeError(f"an index worker failed:\n{outcome}")
        self._segments[number] = outcome


def _work(
    number: int, tasks, directory: str, indexname: str, semantic_class, results, parent: int
) -> None:
    """Build segments from the batches until None comes; send (number, segments), or
    (number, the traceback) when something fails."""
    threading.Thread(target=_stop_without, args=(parent,), daemon=True).start()
    try:
        from search_index.storage import open_index

        index = open_index(directory)
        semantic = semantic_class() if semantic_class is not None else None
        pairs = embedded_batches(iter(tasks.get, None), semantic)
        results.put((number, build_segments(index.storage, index.schema, indexname, pairs)))
    except BaseException:  # noqa: BLE001 - the parent reports whatever stopped the worker
        results.put((number, traceback.format_exc()))


def _stop_without(parent: int) -> None:
    """End this worker once the process that started it is gone: killed, it could not stop
    the worker, which would wait for batches forever (or for the rest of a batch it was
    sending). The next commit in the directory removes what the worker wrote."""
    while os.getppid() == parent:
        time.sleep(WAIT_SECONDS)
    os._exit(1)
