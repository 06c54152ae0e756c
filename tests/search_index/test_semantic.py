"""Matching by meaning: questions that share no word with the entry that answers them."""

import subprocess
import sys
from pathlib import Path

import pytest

from search_index import SearchIndex, SearchQuery, shared_model
from search_index.engine import SEMANTIC_FLOOR
from tests.search_index.samples import document

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PASSWORD = document(
    "faq:password",
    "Resetting a forgotten password",
    "Use the link on the sign-in page to get an email with a new one.",
    kind="faq",
)
MEETUPS = document("post:meetups", "Our meetups", "Monthly evenings in Berlin with two talks.")
CALENDAR = document(
    "post:calendar",
    "Exporting your calendar",
    "Download the ICS file and import it into Google Calendar or Outlook.",
)
# No word of it is in any document: only its meaning can find the password entry.
FORGOT_LOGIN = "I can't remember my login credentials"


@pytest.fixture
def semantic_index(tmp_path):
    index = SearchIndex(tmp_path / "index", semantic=shared_model())
    index.upsert([PASSWORD, MEETUPS, CALENDAR])
    yield index
    index.close()


def _ids(index: SearchIndex, text: str, **filters) -> list[str]:
    return [hit.doc_id for hit in index.search(SearchQuery(text=text, **filters)).hits]


def test_a_question_sharing_no_words_finds_the_entry_that_means_the_same(semantic_index):
    results = semantic_index.search(SearchQuery(text=FORGOT_LOGIN))

    assert [hit.doc_id for hit in results.hits] == ["faq:password"]
    assert results.total == 1 and results.counts_by_kind == {"faq": 1}
    assert results.hits[0].coverage == 0 and results.hits[0].similarity >= SEMANTIC_FLOOR


def test_without_the_model_only_words_match(tmp_path):
    index = SearchIndex(tmp_path / "words-only")
    index.upsert([PASSWORD, MEETUPS, CALENDAR])

    assert _ids(index, FORGOT_LOGIN) == []
    assert index.search(SearchQuery(text="password")).hits[0].similarity is None
    index.close()


def test_an_unrelated_question_finds_nothing_by_meaning(semantic_index):
    assert _ids(semantic_index, "cheapest mortgage lender abroad") == []


def test_matches_by_meaning_keep_to_the_filters(semantic_index):
    assert _ids(semantic_index, FORGOT_LOGIN, kinds=["post"]) == []
    assert _ids(semantic_index, FORGOT_LOGIN, kinds=["faq"]) == ["faq:password"]


def test_a_deleted_or_replaced_document_is_not_found_by_its_old_meaning(semantic_index):
    semantic_index.delete(["faq:password"])
    assert _ids(semantic_index, FORGOT_LOGIN) == []

    semantic_index.upsert([document("faq:password", "Parking", "Park behind the venue.")])
    assert _ids(semantic_index, FORGOT_LOGIN) == []


def test_vectors_are_stored_in_the_index_for_other_processes(semantic_index, tmp_path):
    another_process = SearchIndex(tmp_path / "index", semantic=shared_model())

    assert _ids(another_process, FORGOT_LOGIN) == ["faq:password"]
    another_process.close()


def test_a_rebuild_embeds_every_document(tmp_path):
    index = SearchIndex(tmp_path / "index", semantic=shared_model())
    filler = [document(f"post:{n}", f"Filler {n}", "Nothing of note.") for n in range(600)]
    index.rebuild([*filler, PASSWORD])  # more than one batch of embeddings

    assert _ids(index, FORGOT_LOGIN) == ["faq:password"]
    index.close()


def test_the_model_loads_from_the_installed_package_with_no_network():
    script = (
        "import socket\n"
        "def refuse(*args, **kwargs): raise OSError('no network in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from search_index import SemanticModel\n"
        "print(SemanticModel().embed(['model drift']).shape)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(1, 256)"


def test_vectors_are_those_of_the_model_s_own_embedding():
    import wordllama

    package = Path(wordllama.__file__).parent
    reference = wordllama.WordLlama.load(
        config="l2_supercat", dim=256, cache_dir=package, disable_download=True
    )
    texts = [
        "How do I reset my password?",
        "  spaces  before, between   and after  ",
        "tabs\tand\nnew lines, ünïcödé ✓ 漢字 🚀, e.g. v1.2 and log_param()",
        "a literal <s> token and </s> too",
        "word " * 2000,  # longer than what is embedded
    ]

    ours = shared_model().embed(texts)
    theirs = reference.embed([text[:4000] for text in texts], norm=True)

    assert abs(ours - theirs).max() < 1e-5


def test_documents_added_in_separate_commits_are_all_found_by_meaning(tmp_path):
    index = SearchIndex(tmp_path / "index", semantic=shared_model())
    index.upsert([MEETUPS])  # one segment per commit, until Whoosh merges them
    assert _ids(index, FORGOT_LOGIN) == []
    index.upsert([PASSWORD])
    index.upsert([CALENDAR])

    assert _ids(index, FORGOT_LOGIN) == ["faq:password"]
    index.close()
