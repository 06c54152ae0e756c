"""The Slack message says how sure the bot is."""

import json

from community.answers.service import Answer, CitedItem
from integrations.slack.blocks import answer_blocks, answer_fallback_text


def _answer(confidence: float) -> Answer:
    item = CitedItem(
        title="Detecting Model Drift in Production",
        kind="post",
        source="Blog",
        published=None,
        url="https://example.org/drift",
        passage="Compare the live feature distribution with the training one.",
        score=4.2,
        doc_id="item:1",
        external_id="1",
        coverage=confidence,
    )
    return Answer(question="how do I watch drift?", items=[item], confidence=confidence)


def test_a_confident_answer_is_presented_as_the_answer():
    answer = _answer(0.9)

    assert answer.decision == "answer"
    assert answer_fallback_text(answer).startswith("Answer: ")
    assert "might help" not in json.dumps(answer_blocks(answer))


def test_a_weak_match_is_offered_as_what_might_help():
    answer = _answer(0.35)

    assert answer.decision == "might_help"
    assert answer_fallback_text(answer).startswith("Might help: ")
    assert "these might help" in json.dumps(answer_blocks(answer))
    assert answer.to_dict()["decision"] == "might_help"
