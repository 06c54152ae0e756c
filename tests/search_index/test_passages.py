"""Picking the sentences of a document that answer a question."""

from search_index import best_passage

ANSWER = (
    "The course runs for ten weeks. Each module has a homework. "
    "Homework submitted after the deadline is not graded. "
    "You can still get a certificate by passing the final project. "
    "Office hours are on Thursdays."
)


def test_best_passage_picks_the_sentence_that_answers():
    passage = best_passage("is late homework graded after the deadline?", ANSWER, max_sentences=1)

    assert passage == "Homework submitted after the deadline is not graded."


def test_best_passage_adds_neighbouring_sentences_that_also_answer():
    passage = best_passage("homework deadline and the certificate", ANSWER)

    assert passage == (
        "Homework submitted after the deadline is not graded. "
        "You can still get a certificate by passing the final project."
    )


def test_best_passage_treats_line_breaks_as_sentence_ends():
    text = "Problem: mlflow ui shows nothing\nSolution: run it where mlflow.db is\nAdded by Ana"

    assert best_passage("what is the solution", text, max_sentences=1) == (
        "Solution: run it where mlflow.db is"
    )


def test_best_passage_stays_within_max_chars():
    long_sentence = "Kubernetes " + "operators reconcile state " * 60 + "continuously."

    passage = best_passage("what do kubernetes operators do?", long_sentence, max_chars=120)

    assert len(passage) <= 120
    assert passage.startswith("Kubernetes operators reconcile state")
    assert passage.endswith("…")


def test_best_passage_without_any_shared_word_opens_the_text():
    assert best_passage("quantum annealing", ANSWER, max_sentences=2) == (
        "The course runs for ten weeks. Each module has a homework."
    )


def test_best_passage_of_empty_text_is_empty():
    assert best_passage("anything", "") == ""
