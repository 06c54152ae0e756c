"""The tantivy engine: what it keeps beside the index, and behaviour the shared tests leave out.

Tests taking the `index` fixture run on both engines (tests/search_index/conftest.py): parts,
counts per collection and undated documents hold for either. The others are tantivy's own:
its files, several processes, and matching by meaning through its vector file.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from search_index import SearchQuery, shared_model
from search_index.engine import SEMANTIC_FLOOR
from search_index.tantivy_engine import VERSION_FILE, TantivyIndex
from tests.search_index.samples import SAMPLES, day, document

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PASSWORD = document(
    "faq:password",
    "Resetting a forgotten password",
    "Use the link on the sign-in page to get an email with a new one.",
    kind="faq",
)
MEETUPS = document("post:meetups", "Our meetups", "Monthly evenings in Berlin with two talks.")
# No word of it is in any document: only its meaning can find the password entry.
FORGOT_LOGIN = "I can't remember my login credentials"
WRITER = """
import sys
from search_index.tantivy_engine import TantivyIndex
from tests.search_index.writer_process import marked_documents
index = TantivyIndex(sys.argv[1])
for start in range(0, 40, 2):
    index.upsert(marked_documents(sys.argv[2], range(start, start + 2)))
"""


def found_ids(index, text: str, **options) -> list[str]:
    return [hit.doc_id for hit in index.search(SearchQuery(text=text, **options)).hits]


def episode_with_parts(*seconds: int):
    parts = [
        document(f"item:4@{second}", "Episode 4", f"At {second} seconds: serving features.")
        for second in seconds
    ]
    return [document("item:4", "Episode 4", "Show notes.", kind="episode"), *parts]


def test_a_document_given_again_replaces_its_parts(index):
    index.upsert(episode_with_parts(10, 20))
    index.upsert(episode_with_parts(30))

    assert sorted(found_ids(index, "serving features")) == ["item:4@30"]
    assert index.doc_count() == 2


def test_deleting_a_document_deletes_its_parts_and_a_part_alone_leaves_the_rest(index):
    index.upsert([*episode_with_parts(10, 20), document("item:40", "Other", "Serving.")])

    assert index.delete(["item:4@10"]) == 1
    assert sorted(found_ids(index, "serving features")) == ["item:40", "item:4@20"]
    assert index.delete(["item:4"]) == 1
    assert found_ids(index, "serving") == ["item:40"]
    assert index.doc_count() == 1


def test_counts_per_collection_cover_every_match_beyond_the_limit(sample_index):
    results = sample_index.search(SearchQuery(text="docker models", limit=1))

    assert results.counts_by_collection == {"course": 1, "events": 1, "blog": 1}


def test_undated_documents_come_last_by_date_and_never_within_dates(index):
    index.upsert(
        [
            document("faq:undated", "Docker volumes", "docker", kind="faq"),
            document("post:old", "Docker networks", "docker", published=day(1)),
            document("post:new", "Docker compose", "docker", published=day(9)),
        ]
    )

    assert found_ids(index, "docker", sort="date") == ["post:new", "post:old", "faq:undated"]
    assert found_ids(index, "docker", published_before=day(5)) == ["post:old"]


def test_an_index_of_another_version_is_replaced_by_an_empty_current_one(tmp_path):
    old = TantivyIndex(tmp_path / "index")
    old.upsert(SAMPLES)
    old.close()
    (tmp_path / "index" / VERSION_FILE).write_text("0")

    index = TantivyIndex(tmp_path / "index")

    assert index.doc_count() == 0
    index.upsert(SAMPLES[:1])
    assert found_ids(index, "docker") == ["faq:docker"]
    index.close()


def test_suggestions_know_the_words_another_index_object_wrote(tmp_path):
    writer = TantivyIndex(tmp_path / "index")
    reader = TantivyIndex(tmp_path / "index")
    assert reader.search(SearchQuery(text="dokcer")).suggestion is None

    writer.upsert(SAMPLES)

    assert reader.search(SearchQuery(text="dokcer")).suggestion == "docker"
    writer.close()
    reader.close()


@pytest.mark.slow
def test_two_processes_write_at_once_and_a_third_sees_all(tmp_path):
    directory = tmp_path / "index"
    searcher = TantivyIndex(directory)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(directory), marker],
            cwd=PROJECT_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for marker in ("alpha", "beta")
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors

    assert searcher.doc_count() == 80
    assert searcher.search(SearchQuery(text="alpha")).total == 40
    assert found_ids(searcher, "itembeta39") == ["beta:39"]
    searcher.close()


@pytest.fixture
def semantic_index(tmp_path):
    index = TantivyIndex(tmp_path / "index", semantic=shared_model())
    index.upsert([PASSWORD, MEETUPS])
    yield index
    index.close()


def test_a_question_sharing_no_words_finds_the_entry_that_means_the_same(semantic_index):
    results = semantic_index.search(SearchQuery(text=FORGOT_LOGIN))

    assert [hit.doc_id for hit in results.hits] == ["faq:password"]
    assert results.total == 1 and results.counts_by_kind == {"faq": 1}
    assert results.hits[0].coverage == 0 and results.hits[0].similarity >= SEMANTIC_FLOOR


def test_matches_by_meaning_keep_to_the_filters(semantic_index):
    assert found_ids(semantic_index, FORGOT_LOGIN, kinds=["post"]) == []
    assert found_ids(semantic_index, FORGOT_LOGIN, kinds=["faq"]) == ["faq:password"]


def test_a_replaced_or_deleted_document_is_not_found_by_its_old_meaning(semantic_index):
    semantic_index.upsert([document("faq:password", "Parking", "Park behind the venue.")])
    assert found_ids(semantic_index, FORGOT_LOGIN) == []

    semantic_index.upsert([PASSWORD])
    semantic_index.delete(["faq:password"])
    assert found_ids(semantic_index, FORGOT_LOGIN) == []


def test_vectors_written_by_one_index_object_are_found_by_another(semantic_index, tmp_path):
    another_process = TantivyIndex(tmp_path / "index", semantic=shared_model())
    assert found_ids(another_process, FORGOT_LOGIN) == ["faq:password"]

    semantic_index.upsert([document("faq:login", "Signing in", "Sign in with your email.")])
    hit = another_process.search(SearchQuery(text="signing in with email")).hits[0]
    assert hit.doc_id == "faq:login" and hit.similarity > SEMANTIC_FLOOR
    another_process.close()


def test_a_rebuild_embeds_every_batch_and_leaves_out_the_old_documents(semantic_index):
    filler = [document(f"post:{n}", f"Filler {n}", "Nothing of note.") for n in range(600)]
    semantic_index.rebuild([*filler, PASSWORD])  # more than one batch of embeddings

    assert found_ids(semantic_index, FORGOT_LOGIN) == ["faq:password"]
    assert "post:meetups" not in found_ids(semantic_index, "evenings in Berlin")


def test_without_the_model_only_words_match(tmp_path):
    index = TantivyIndex(tmp_path / "index")
    index.upsert([PASSWORD, MEETUPS])

    assert found_ids(index, FORGOT_LOGIN) == []
    assert index.search(SearchQuery(text="password")).hits[0].similarity is None
    index.close()
