"""Rebuilding a large index with a worker process per core, as `kb reindex` does."""

import pytest

from search_index import SearchDocument, SearchIndex, SearchQuery, rebuilding
from tests.search_index.samples import document

TOPICS = ["kafka consumer lag", "airflow backfills", "feature store drift", "spark shuffles"]


def corpus(count: int) -> list[SearchDocument]:
    return [
        document(
            f"post:{number}",
            f"Note {number} on {TOPICS[number % len(TOPICS)]}",
            f"Written for the {TOPICS[number % len(TOPICS)]} guide, part {number}.",
            kind="faq" if number % 3 == 0 else "post",
            tags=[f"week{number % 7}"],
        )
        for number in range(count)
    ]


class FailingModel:
    """Stands in for a semantic model whose embedding breaks inside a worker."""

    def embed(self, texts):
        raise ValueError("the embedding broke")


@pytest.fixture
def small_batches(monkeypatch):
    """Workers from 200 documents in batches of 50, as from 10,000 in batches of 500."""
    monkeypatch.setattr(rebuilding, "WORKERS_FROM", 200)
    monkeypatch.setattr(rebuilding, "BATCH", 50)


def summary(index: SearchIndex, text: str, **filters) -> tuple:
    results = index.search(SearchQuery(text=text, limit=1000, **filters))
    return sorted(hit.doc_id for hit in results.hits), results.total, results.counts_by_kind


@pytest.mark.slow
def test_workers_build_the_same_index_as_one_process(tmp_path, small_batches, monkeypatch):
    documents = corpus(700)
    by_workers = SearchIndex(tmp_path / "workers")
    reported = []

    assert by_workers.rebuild(documents + documents[:30], progress=reported.append) == 700

    monkeypatch.setattr(rebuilding, "WORKERS_FROM", 10_000)
    in_one_process = SearchIndex(tmp_path / "one")
    in_one_process.rebuild(documents)
    assert reported == [700]  # every 1000, then the rest; the repeated ids skipped
    assert by_workers.doc_count() == 700
    for text, filters in [
        ("kafka consumer lag", {}),
        ("airflow backfills", {"kinds": ["faq"]}),
        ("drift", {"tags": ["week3"]}),
        ("part 123", {}),
    ]:
        assert summary(by_workers, text, **filters) == summary(in_one_process, text, **filters)
    assert by_workers.search(SearchQuery(text="kafak")).suggestion == "kafka"
    by_workers.close()
    in_one_process.close()


@pytest.mark.slow
def test_a_failed_rebuild_reports_the_worker_s_error_and_keeps_the_old_index(
    tmp_path, small_batches
):
    index = SearchIndex(tmp_path / "index")
    index.upsert([document("post:old", "Spark shuffles", "The old entry.")])
    failing = SearchIndex(tmp_path / "index", semantic=FailingModel())

    with pytest.raises(RuntimeError, match="the embedding broke"):
        failing.rebuild(corpus(700))

    assert [hit.doc_id for hit in index.search(SearchQuery(text="spark shuffles")).hits] == [
        "post:old"
    ]
    index.upsert([document("post:new", "Spark shuffles again", "A later entry.")])
    assert index.doc_count() == 2
    failing.close()
    index.close()
