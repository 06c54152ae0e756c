import json

import pytest
from sqlmodel import select

from community.models import UnansweredQuestion
from tests.helpers import add_organiser, log_in


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


def test_ask_answers_from_the_demo_content_with_cited_passages(runner, demo, session):
    result = runner.invoke(args=["ask", "how do I detect model drift in production?", "--json"])

    answer = json.loads(result.output)
    assert answer["found"] is True
    top = answer["items"][0]
    assert "drift" in top["title"].lower()
    assert top["kind"] in ("post", "faq")
    assert top["source"]
    assert "drift" in top["passage"].lower()
    assert len(top["passage"]) <= 600
    assert session.exec(select(UnansweredQuestion)).all() == []


def _ask(runner, question: str) -> dict:
    return json.loads(runner.invoke(args=["ask", question, "--json"]).output)


def test_a_drift_question_cites_only_items_about_drift(runner, demo):
    answer = _ask(runner, "how do I detect model drift in production?")

    assert answer["decision"] == "answer" and answer["confidence"] >= 0.5
    for item in answer["items"]:
        assert "drift" in (item["title"] + item["passage"]).lower(), item["title"]


@pytest.mark.parametrize("question", ["drift", "feature store"])
def test_a_one_or_two_word_question_is_answered_when_items_cover_it(runner, demo, question):
    answer = _ask(runner, question)

    assert answer["decision"] == "answer"
    assert question in answer["items"][0]["title"].lower()


def test_a_question_the_knowledge_base_does_not_cover_gets_no_items(runner, demo):
    answer = _ask(runner, "how do I run kubeflow on my toaster")

    assert (answer["decision"], answer["items"]) == ("nothing", [])
    assert answer["confidence"] < 0.3


def test_ask_in_text_form_cites_title_kind_source_and_link(runner, demo):
    result = runner.invoke(args=["ask", "should we use shadow deployment or a canary release?"])

    assert result.exit_code == 0
    first_line = result.output.splitlines()[0]
    assert first_line.startswith("[1] ")
    assert "(" in first_line and ")" in first_line


def test_an_unrelated_question_from_the_command_line_is_answered_honestly_not_counted(
    runner, demo, session
):
    result = runner.invoke(args=["ask", "what is the best sourdough hydration for baguettes?"])

    assert "Nothing relevant found" in result.output
    assert session.exec(select(UnansweredQuestion)).all() == []  # not a member's question


def test_a_question_file_gets_one_json_answer_per_line_and_records_nothing(
    runner, demo, session, tmp_path
):
    questions = tmp_path / "questions.txt"
    questions.write_text(
        "how do I detect model drift in production?\n\n"
        "what is the best sourdough hydration for baguettes?\n"
    )

    result = runner.invoke(args=["ask", "--file", str(questions), "--json"])

    assert result.exit_code == 0, result.output
    drift, sourdough = (json.loads(line) for line in result.output.splitlines())
    assert drift["question"] == "how do I detect model drift in production?"
    assert drift["found"] and drift["items"][0]["external_id"]
    assert sourdough["found"] is False
    assert session.exec(select(UnansweredQuestion)).all() == []  # an evaluation, not members


def test_ask_needs_a_question_or_a_file_but_not_both(runner, demo, tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text("drift\n")

    assert runner.invoke(args=["ask"]).exit_code == 2
    assert runner.invoke(args=["ask", "drift", "--file", str(questions)]).exit_code == 2


def test_upcoming_events_that_match_are_part_of_the_answer(runner, demo):
    result = runner.invoke(args=["ask", "any workshops on feature stores coming up?", "--json"])

    answer = json.loads(result.output)
    assert any("Feature Store" in event["title"] for event in answer["events"])


def test_web_api_gives_the_same_answer_as_the_command_line(client, runner, demo):
    question = "how do I version datasets?"
    cli = json.loads(runner.invoke(args=["ask", question, "--json"]).output)

    web = client.get("/api/ask", query_string={"q": question}).get_json()

    assert [i["doc_id"] for i in web["items"]] == [i["doc_id"] for i in cli["items"]]
    assert client.get("/api/ask").status_code == 400


def test_organisers_see_and_close_unanswered_questions(app, client, demo, session):
    from community.answers.service import answer_question
    from community.db import session_scope

    with app.app_context(), session_scope() as unit:  # as a member asking in Slack
        answer_question(
            session=unit,
            index=app.extensions["search_index"],
            question="what is the best sourdough hydration for baguettes?",
            asked_via="slack",
            asked_by="U1",
            min_coverage=0.3,
        )
    add_organiser(session)
    log_in(client)

    page = client.get("/admin/questions").get_data(as_text=True)

    assert "sourdough hydration" in page
    question = session.exec(select(UnansweredQuestion)).one()
    from tests.helpers import csrf_token

    client.post(f"/admin/questions/{question.id}/resolve", data={"csrf_token": csrf_token(page)})
    assert "sourdough hydration" not in client.get("/admin/questions").get_data(as_text=True)


PASSWORD_FAQ = {
    "id": "password",
    "question": "How do I reset my password?",
    "text": "Click Forgot password on the sign-in page: we email a link to choose a new one.",
    "section": "Accounts",
    "course": "community",
}
FORGOT_LOGIN = "I can't remember my login credentials"  # no word of the entry in it


def _import_faq(runner, tmp_path, entries: list[dict]) -> None:
    path = tmp_path / "faq.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    result = runner.invoke(args=["kb", "import", str(path)])
    assert result.exit_code == 0, result.output


def test_a_question_in_other_words_is_offered_the_entry_that_means_the_same(runner, demo, tmp_path):
    _import_faq(runner, tmp_path, [PASSWORD_FAQ])

    answer = _ask(runner, FORGOT_LOGIN)

    assert answer["decision"] == "might_help"
    (item,) = answer["items"]
    assert item["external_id"] == "password"
    assert item["coverage"] == 0 and item["similarity"] >= 0.45
    assert answer["confidence"] == item["similarity"]


def test_without_the_semantic_model_a_question_in_other_words_finds_nothing(make_app, tmp_path):
    runner = make_app(SEARCH_SEMANTIC=False).test_cli_runner()
    _import_faq(runner, tmp_path, [PASSWORD_FAQ])

    answer = _ask(runner, FORGOT_LOGIN)

    assert (answer["decision"], answer["items"]) == ("nothing", [])
    assert _ask(runner, "reset password")["items"][0]["similarity"] is None
