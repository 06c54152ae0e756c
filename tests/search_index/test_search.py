"""Searching: questions in plain language, filters, order, snippets and suggestions."""

from datetime import timedelta

import pytest

from search_index import SearchQuery, matching
from tests.search_index.samples import SAMPLES, day, document


def found_ids(index, text: str, **options) -> list[str]:
    return [hit.doc_id for hit in index.search(SearchQuery(text=text, **options)).hits]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how can I start the app inside a docker container?", "faq:docker"),
        ("I missed the deadline for homework 2, what now?", "faq:deadline"),
        ("why are my experiments not showing up in mlflow", "faq:mlflow"),
        ("do we receive certificates at the end?", "faq:certificate"),
        ("detecting drift of models in production", "post:monitoring"),
    ],
)
def test_a_plain_language_question_finds_the_entry_that_answers_it(
    sample_index, question, expected
):
    assert found_ids(sample_index, question)[0] == expected


def test_a_hit_carries_the_stored_document(sample_index):
    hit = sample_index.search(SearchQuery(text="feature store")).hits[0]

    assert hit.doc_id == "post:features"
    assert hit.kind == "post"
    assert hit.title == "Feature stores explained"
    assert hit.body == "A feature store keeps training and serving features consistent."
    assert hit.collection == "blog"
    assert hit.published == day(7)
    assert hit.published.utcoffset() == timedelta(0)
    assert hit.score > 0


def test_a_word_in_the_title_counts_more_than_the_same_word_in_a_body(index):
    index.upsert(
        [
            document("post:body", "Weekly notes", "This week we also looked at kubernetes."),
            document("post:title", "Kubernetes", "This week we also looked at our notes."),
            *SAMPLES,
        ]
    )

    found = found_ids(index, "kubernetes")

    assert found.index("post:title") < found.index("post:body")


def test_the_question_s_phrases_rank_an_entry_above_one_with_the_same_words_apart(index):
    index.upsert(
        [
            document("post:apart", "Notes", "The model scores the job in the batch registry."),
            document("post:phrase", "Notes", "The batch job scores the model in the registry."),
            *SAMPLES,
        ]
    )

    assert found_ids(index, "which batch job scores the model?")[0] == "post:phrase"


def test_kinds_filter_keeps_only_those_kinds(sample_index):
    found = found_ids(sample_index, "docker", kinds=["event", "episode"])

    assert found == ["event:meetup"]


def test_collection_filter_keeps_only_that_collection(sample_index):
    assert found_ids(sample_index, "docker", collection="course") == ["faq:docker"]


def test_tag_filter_keeps_documents_with_every_tag(sample_index):
    assert set(found_ids(sample_index, "docker", tags=["docker"])) == {
        "faq:docker",
        "event:meetup",
    }
    assert found_ids(sample_index, "docker", tags=["Docker", "kubernetes"]) == ["event:meetup"]


def test_date_range_keeps_documents_published_within_it(sample_index):
    found = found_ids(
        sample_index,
        "models data features",
        published_after=day(3),
        published_before=day(8),
    )

    assert set(found) == {"episode:pipelines", "post:features"}


def test_sorting_by_date_puts_the_newest_first(sample_index):
    found = found_ids(sample_index, "models data features docker", sort="date", limit=4)

    assert found == ["event:meetup", "post:features", "episode:pipelines", "post:monitoring"]


def test_an_unknown_sort_is_refused_with_the_choices(sample_index):
    with pytest.raises(ValueError, match="relevance"):
        sample_index.search(SearchQuery(text="docker", sort="popularity"))


def test_counts_per_kind_and_total_cover_every_match_beyond_the_limit(sample_index):
    results = sample_index.search(SearchQuery(text="docker models", limit=1))

    assert len(results.hits) == 1
    assert results.counts_by_kind == {"faq": 1, "event": 1, "post": 1}
    assert results.total == 3


def test_a_limit_of_zero_returns_only_the_counts(sample_index):
    results = sample_index.search(SearchQuery(text="docker models", limit=0))

    assert results.hits == []
    assert results.total == 3


@pytest.fixture
def python_index(index, monkeypatch):
    """Ten posts; as if a word in more than one of them were common, as at a larger scale."""
    monkeypatch.setattr(matching, "COMMON_WORD_DOCUMENTS", 1)
    index.upsert(
        [
            document("post:flask", "Flask blueprints", "Structuring a python web app."),
            document("post:asyncio", "Asyncio in python", "Event loops and python tasks."),
            document("post:typing", "Python typing", "Protocols and generics in python."),
            document("post:both", "Python asyncio tips", "Cancelling tasks cleanly."),
            *[document(f"post:other{n}", f"Unrelated {n}", "Kubernetes notes.") for n in range(6)],
        ]
    )
    return index


def test_a_common_word_only_adds_to_documents_a_rarer_word_found(python_index):
    assert found_ids(python_index, "python flask") == ["post:flask"]


def test_a_question_of_only_common_words_needs_all_of_them(python_index):
    assert set(found_ids(python_index, "python asyncio")) == {"post:asyncio", "post:both"}


def test_snippet_marks_the_matched_words_but_not_every_the(sample_index):
    question = "how to start the tracking server from the right folder?"
    hit = sample_index.search(SearchQuery(text=question)).hits[0]

    assert hit.doc_id == "faq:mlflow"
    assert (
        "<mark>Start</mark> the <mark>tracking</mark> <mark>server</mark> "
        "from the <mark>folder</mark>"
    ) in hit.snippet


def test_snippet_escapes_html_in_the_stored_text(index):
    index.upsert(
        [document("post:xss", "Escaping", 'Say <script>alert("hi")</script> & escape it.')]
    )

    snippet = index.search(SearchQuery(text="escape")).hits[0].snippet

    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "&amp;" in snippet
    assert "<mark>escape</mark>" in snippet


def test_snippet_of_a_long_text_shows_the_part_with_the_matches(index):
    body = "Filler words about nothing. " * 40 + "Rotate the signing secret monthly. " + "More." * 5
    index.upsert([document("post:long", "Security", body)])

    snippet = index.search(SearchQuery(text="signing secret")).hits[0].snippet

    assert snippet.startswith("… ")
    assert "<mark>signing</mark> <mark>secret</mark>" in snippet
    assert len(snippet) < 400


def test_a_misspelt_word_gets_a_did_you_mean(sample_index):
    results = sample_index.search(SearchQuery(text="how to run dokcer"))

    assert results.suggestion == "how to run docker"


def test_correctly_spelt_questions_get_no_suggestion(sample_index):
    assert sample_index.search(SearchQuery(text="run the docker image")).suggestion is None


def test_a_question_of_unknown_words_finds_nothing_but_may_suggest(sample_index):
    results = sample_index.search(SearchQuery(text="certificat"))

    assert results.hits == []
    assert results.total == 0
    assert results.suggestion == "certificate"


HOSTILE_QUERIES = [
    "",
    "   ",
    "?!",
    ":",
    "title:docker",
    "*",
    "dock*",
    '"unbalanced quote',
    "(docker",
    "docker)",
    "AND",
    "OR",
    "NOT",
    "docker AND OR NOT",
    "docker~2",
    "docker^5",
    "[a TO z]",
    "{}[]()<>",
    "\\",
    "%s %d {0}",
    "'; DROP TABLE items; --",
    "<script>alert(1)</script>",
    "ünïcödé ✓ 漢字 🚀",
    "\x00\x01\x02",
    "a" * 10_000,
    "docker " * 2_000,
    "".join(chr(code) for code in range(32, 10_032)),
]


@pytest.mark.parametrize("text", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_hostile_queries_never_raise(sample_index, text):
    results = sample_index.search(SearchQuery(text=text))

    assert results.total >= len(results.hits)


@pytest.mark.parametrize("text", ["", "   ", "?!", "*", "{}[]()<>", "\x00\x01", "✓ 🚀"])
def test_empty_or_garbage_queries_return_empty_results(sample_index, text):
    results = sample_index.search(SearchQuery(text=text))

    assert (results.hits, results.total, results.counts_by_kind) == ([], 0, {})


def test_query_syntax_is_searched_as_plain_words(sample_index):
    assert found_ids(sample_index, "title:docker AND (kubernetes")[0] == "event:meetup"
