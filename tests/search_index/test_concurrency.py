"""Several writers and searchers on one index directory, as web, scheduler and CLI share it."""

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from search_index import SearchIndex, SearchQuery
from tests.search_index.samples import SAMPLES, document
from tests.search_index.writer_process import marked_documents

PROJECT_ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ["how do I run docker", "homework deadline", "mlflow experiments", "data pipelines"]


def start_writer(directory: Path, marker: str, count: int, batch: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.search_index.writer_process", str(directory), marker]
        + [str(count), str(batch)],
        cwd=PROJECT_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> str:
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    return errors


def eventually(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def marked_total(index: SearchIndex, marker: str) -> int:
    return index.search(SearchQuery(text=marker)).total


class Searchers:
    """Threads searching in a loop until stopped, keeping any exception they meet."""

    def __init__(self, index: SearchIndex, count: int):
        self.index = index
        self.errors: list[BaseException] = []
        self.searches = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(n,)) for n in range(count)]

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _run(self, number: int):
        while not self._stop.is_set():
            try:
                self.index.search(SearchQuery(text=QUESTIONS[number % len(QUESTIONS)]))
                self.searches += 1
            except BaseException as error:  # noqa: BLE001 - the test reports whatever happened
                self.errors.append(error)
                return


@pytest.mark.slow
def test_two_processes_write_at_once_without_lock_errors(tmp_path):
    directory = tmp_path / "index"
    writers = [start_writer(directory, marker, 40, 2) for marker in ("alpha", "beta")]

    errors = [finish(writer) for writer in writers]

    assert not any("LockError" in error for error in errors)
    index = SearchIndex(directory)
    assert index.doc_count() == 80
    assert marked_total(index, "alpha") == 40
    assert marked_total(index, "beta") == 40
    index.close()


@pytest.mark.slow
def test_items_written_by_another_process_are_found_while_eight_threads_search(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.upsert(SAMPLES)

    with Searchers(index, 8) as searchers:
        writer = start_writer(index.directory, "gamma", 30, 3)
        finish(writer)
        all_visible = eventually(lambda: marked_total(index, "gamma") == 30)

    assert searchers.errors == []
    assert searchers.searches > 0
    assert all_visible
    assert [hit.doc_id for hit in index.search(SearchQuery(text="itemgamma29")).hits] == [
        "gamma:29"
    ]
    index.close()


def test_threads_of_one_process_write_at_once_without_lock_errors(index):
    errors = []

    def write(marker: str):
        try:
            for number in range(10):
                index.upsert(marked_documents(marker, range(number, number + 1)))
        except BaseException as error:  # noqa: BLE001 - the test reports whatever happened
            errors.append(error)

    threads = [threading.Thread(target=write, args=(f"thread{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert index.doc_count() == 40


def test_searches_see_the_old_documents_until_a_rebuild_commits(sample_index):
    halfway = threading.Event()
    resume = threading.Event()

    def fresh_documents():
        for number in range(200):
            if number == 100:
                halfway.set()
                resume.wait(timeout=60)
            yield document(f"post:new{number}", f"Vector search note {number}", "embeddings")

    rebuild = threading.Thread(target=sample_index.rebuild, args=(fresh_documents(),))
    rebuild.start()
    assert halfway.wait(timeout=60)
    during = sample_index.search(SearchQuery(text="certificate")).hits
    resume.set()
    rebuild.join(timeout=120)

    assert [hit.doc_id for hit in during] == ["faq:certificate"]
    assert sample_index.search(SearchQuery(text="certificate")).hits == []
    assert sample_index.search(SearchQuery(text="embeddings", limit=1)).total == 200
