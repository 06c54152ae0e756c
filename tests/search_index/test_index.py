"""Keeping the index in step: upsert, delete, rebuild, and the directory it lives in."""

from whoosh import fields
from whoosh import index as whoosh_index

from search_index import SearchIndex, SearchQuery, check_index
from search_index.storage import INDEX_NAME
from tests.search_index.samples import SAMPLES, document


def titles_found(search_index, text: str) -> list[str]:
    return [hit.title for hit in search_index.search(SearchQuery(text=text)).hits]


def test_upsert_adds_documents_and_reports_how_many(index):
    assert index.upsert(SAMPLES) == len(SAMPLES)
    assert index.doc_count() == len(SAMPLES)


def test_upsert_replaces_a_document_with_the_same_id(index):
    index.upsert([document("post:1", "Kafka consumer groups", "Offsets and rebalancing.")])
    index.upsert([document("post:1", "Pulsar subscriptions", "Cursors and acknowledgements.")])

    assert index.doc_count() == 1
    assert titles_found(index, "pulsar subscriptions") == ["Pulsar subscriptions"]
    assert titles_found(index, "kafka consumer groups") == []


def test_upsert_of_a_repeated_id_in_one_batch_keeps_the_last(index):
    written = index.upsert(
        [document("post:1", "First draft", "draft"), document("post:1", "Final text", "final")]
    )

    assert written == 1
    assert titles_found(index, "draft final") == ["Final text"]


def test_delete_removes_documents_and_counts_those_that_existed(sample_index):
    removed = sample_index.delete(["faq:docker", "event:meetup", "post:never-indexed"])

    assert removed == 2
    assert sample_index.doc_count() == len(SAMPLES) - 2
    assert titles_found(sample_index, "docker") == []


def test_delete_of_nothing_changes_nothing(sample_index):
    assert sample_index.delete([]) == 0
    assert sample_index.doc_count() == len(SAMPLES)


def test_rebuild_replaces_every_document(sample_index):
    fresh = [document(f"post:{n}", f"Fresh post {n}", "Vector databases.") for n in range(3)]

    assert sample_index.rebuild(fresh) == 3

    assert sample_index.doc_count() == 3
    assert titles_found(sample_index, "docker") == []
    assert len(titles_found(sample_index, "vector databases")) == 3


def test_rebuild_reports_progress_and_skips_repeated_ids(index):
    documents = [document(f"post:{n % 2500}", f"Post {n}", "text") for n in range(3000)]
    reported = []

    indexed = index.rebuild(documents, progress=reported.append)

    assert indexed == 2500
    assert reported == [1000, 1000, 500]
    assert index.doc_count() == 2500


def test_a_second_index_object_sees_writes_of_the_first(tmp_path):
    writer = SearchIndex(tmp_path / "index")
    reader = SearchIndex(tmp_path / "index")
    assert reader.doc_count() == 0

    writer.upsert(SAMPLES)

    assert reader.doc_count() == len(SAMPLES)
    assert titles_found(reader, "certificate") == ["Will I get a certificate?"]
    writer.close()
    reader.close()


def test_check_index_counts_documents_of_a_whoosh_index(tmp_path):
    whoosh = SearchIndex(tmp_path / "index")
    whoosh.upsert(SAMPLES)
    assert check_index(whoosh.directory) == len(SAMPLES)
    whoosh.close()


def test_an_index_of_an_older_schema_is_replaced_by_an_empty_current_one(tmp_path):
    directory = tmp_path / "index"
    directory.mkdir()
    old = whoosh_index.create_in(directory, fields.Schema(path=fields.ID(stored=True)), INDEX_NAME)
    with old.writer() as writer:
        writer.add_document(path="/old")

    search_index = SearchIndex(directory)
    search_index.upsert(SAMPLES[:1])

    assert search_index.doc_count() == 1
    assert titles_found(search_index, "docker") == ["How do I run the project in Docker?"]
    search_index.close()


def test_many_small_commits_never_show_a_document_twice(index):
    # Each commit merges small segments away; a searcher must not keep the old ones.
    for number in range(15):
        index.upsert([document(f"post:{number}", f"Release note {number}", "changelog")])
        results = index.search(SearchQuery(text="changelog", limit=50))
        assert sorted(hit.doc_id for hit in results.hits) == sorted(
            f"post:{n}" for n in range(number + 1)
        )
        assert results.total == number + 1
