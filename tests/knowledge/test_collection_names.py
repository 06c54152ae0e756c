"""One name per collection: the one pages show is the one the command line takes."""

import json
import re

import pytest
from sqlmodel import select

from community.models import ContentItem, ItemKind, Source


@pytest.fixture
def demo(runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0


def _drift_entry(session) -> ContentItem:
    return session.exec(
        select(ContentItem).where(
            ContentItem.kind == ItemKind.FAQ, ContentItem.title.startswith("How do I detect data")
        )
    ).one()


def test_the_demo_faq_is_called_the_same_on_its_pages_in_search_and_on_the_command_line(
    client, session, runner, demo, tmp_path
):
    entry = _drift_entry(session)
    source = session.get(Source, entry.source_id)
    page = client.get(f"/items/{entry.id}").get_data(as_text=True)
    meta = re.sub(r"\s+", " ", re.search(r'id="item-meta">(.*?)</p>', page, re.S).group(1))
    facets = client.get("/api/search?q=drift").get_json()["counts_by_collection"]
    questions = tmp_path / "questions.csv"
    questions.write_text(
        "question,collection,document\n"
        f"How can I notice data drift once my model is live?,{entry.collection},"
        f"{entry.external_id}\n"
    )

    report = json.loads(runner.invoke(args=["kb", "eval", str(questions), "--json"]).stdout)

    assert entry.collection == source.name == "community-faq"
    assert meta.strip().startswith("community-faq") and "Community FAQ" not in page
    assert "community-faq" in facets
    assert report["hit_rate"] == 1.0


def test_kb_eval_with_an_unknown_collection_fails_and_lists_the_known_ones(runner, demo, tmp_path):
    questions = tmp_path / "questions.csv"
    questions.write_text(
        "question,course,document\n"
        "How can I notice data drift once my model is live?,Community FAQ,3fa91c07\n"
    )

    result = runner.invoke(args=["kb", "eval", str(questions)])

    assert result.exit_code != 0
    assert "0.000" not in result.output
    assert "unknown collection 'Community FAQ' (did you mean 'community-faq'?)" in result.output
    known = result.output.split("Known collections:")[1]
    assert "community-faq" in known and "Practitioners' Hour" in known


def test_kb_search_with_an_unknown_collection_fails_and_lists_the_known_ones(runner, demo):
    result = runner.invoke(args=["kb", "search", "drift", "--collection", "faq"])

    assert result.exit_code != 0
    assert "unknown collection 'faq'" in result.output
    assert "Known collections: " in result.output and "community-faq" in result.output


def test_kb_search_in_a_known_collection_finds_its_items(runner, demo):
    result = runner.invoke(
        args=["kb", "search", "drift", "--collection", "community-faq", "--json"]
    )

    hits = json.loads(result.stdout)
    assert result.exit_code == 0 and hits
    assert {hit["kind"] for hit in hits} == {"faq"}


def test_kb_eval_on_an_empty_knowledge_base_says_there_is_nothing_to_search(runner, tmp_path):
    questions = tmp_path / "questions.csv"
    questions.write_text("question,collection,document\nWhat is drift?,community-faq,x\n")

    result = runner.invoke(args=["kb", "eval", str(questions)])

    assert result.exit_code != 0
    assert "Known collections: none yet" in result.output
