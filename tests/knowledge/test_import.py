import json
from pathlib import Path

from sqlmodel import select

from community.models import ContentItem, Source

SAMPLE_POST = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "posts"
FAQ = [
    {
        "id": "a1b2c3d4",
        "question": "How do I version datasets?",
        "text": "Keep data in object storage and record content hashes with each training run.",
        "section": "Data",
        "course": "community-faq",
    },
    {
        "id": "e5f6a7b8",
        "question": "Which experiment tracker should we use?",
        "text": "Pick one your whole team will log to; the habit matters more than the tool.",
        "section": "Tooling",
        "course": "community-faq",
    },
]


def _items(session):
    return session.exec(select(ContentItem).order_by(ContentItem.external_id)).all()


def test_faq_file_import_maps_question_text_and_course(runner, session, tmp_path):
    path = tmp_path / "faq.json"
    path.write_text(json.dumps(FAQ))

    result = runner.invoke(args=["kb", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert "2 new" in result.output
    item = _items(session)[0]
    assert (item.kind, item.external_id, item.title) == ("faq", "a1b2c3d4", FAQ[0]["question"])
    assert item.body_text == FAQ[0]["text"]
    assert (item.collection, item.section) == ("community-faq", "Data")


def test_importing_again_updates_in_place_and_never_duplicates(runner, session, tmp_path):
    path = tmp_path / "faq.jsonl"
    path.write_text("\n".join(json.dumps(entry) for entry in FAQ))
    runner.invoke(args=["kb", "import", str(path)])
    edited = [{**FAQ[0], "text": "Use a data version control tool."}, FAQ[1]]
    path.write_text("\n".join(json.dumps(entry) for entry in edited))

    result = runner.invoke(args=["kb", "import", "--json", str(path)])

    report = json.loads(result.stdout)
    assert (report["new"], report["updated"], report["unchanged"]) == (0, 1, 1)
    items = _items(session)
    assert len(items) == 2
    assert items[0].body_text == "Use a data version control tool."


def test_generic_items_keep_kind_tags_url_and_date(runner, session, tmp_path):
    path = tmp_path / "items.json"
    record = {
        "id": "ep-7",
        "title": "Serving models on a budget",
        "body": "<p>Batching <script>alert(1)</script>and caching.</p>",
        "kind": "episode",
        "collection": "Podcast",
        "tags": ["Cost", "CI/CD"],
        "url": "https://pod.example.org/7",
        "published": "2026-10-01T09:00:00+02:00",
    }
    path.write_text(json.dumps([record]))

    assert runner.invoke(args=["kb", "import", str(path)]).exit_code == 0

    item = _items(session)[0]
    assert item.kind == "episode"
    assert item.tags == ["cost", "cislashcd"]
    assert item.published_at.isoformat() == "2026-10-01T07:00:00+00:00"
    assert "<script>" not in item.body_html
    assert item.body_text == "Batching and caching."


def test_markdown_post_with_front_matter_is_imported_with_normalised_tags(runner, session):
    sample = next(SAMPLE_POST.glob("*.md"), None)
    if sample is None:
        import pytest

        pytest.skip(f"the sample post folder {SAMPLE_POST} is absent")

    result = runner.invoke(args=["kb", "import", str(sample)])

    assert result.exit_code == 0, result.output
    item = _items(session)[0]
    assert item.title.startswith("MLOps at Scale")
    assert item.author == "Alan Shimel"
    assert item.url == item.external_id
    assert "cislashcd" in item.tags and "ai operations" in item.tags
    assert item.collection == "DevOps Blog"
    assert "Community Initiatives" in item.body_text


def test_a_broken_file_is_reported_and_the_others_still_import(runner, session, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(FAQ))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")

    result = runner.invoke(args=["kb", "import", str(broken), str(good)])

    assert result.exit_code == 1
    assert "not valid JSON" in result.output
    assert len(_items(session)) == 2


def test_an_item_without_id_is_refused_with_its_position(runner, session, tmp_path):
    path = tmp_path / "items.json"
    path.write_text(json.dumps([{"title": "no id"}]))

    result = runner.invoke(args=["kb", "import", str(path)])

    assert result.exit_code == 1
    assert "item 1 needs at least 'id' and 'title'" in result.output
    assert _items(session) == []


def test_opml_import_adds_feeds_with_their_collections(runner, session, tmp_path):
    path = tmp_path / "feeds.opml"
    path.write_text(
        """<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
        <outline text="Podcasts"><outline type="rss" text="Pod" xmlUrl="https://pod.example.org/rss"/></outline>
        <outline type="rss" text="Blog" xmlUrl="https://blog.example.org/feed"/>
        </body></opml>"""
    )

    result = runner.invoke(args=["kb", "import", str(path)])

    assert result.exit_code == 0, result.output
    feeds = {s.url: s.collection for s in session.exec(select(Source)).all()}
    assert feeds == {
        "https://pod.example.org/rss": "Podcasts",
        "https://blog.example.org/feed": None,
    }
    assert "2 feeds added" in result.output


def test_an_opml_file_of_one_feed_says_one_feed_was_added(runner, tmp_path):
    path = tmp_path / "feeds.opml"
    path.write_text(
        """<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
        <outline type="rss" text="Blog" xmlUrl="https://blog.example.org/feed"/>
        </body></opml>"""
    )

    result = runner.invoke(args=["kb", "import", str(path)])

    assert "1 feed added" in result.output and "1 feeds" not in result.output


def test_a_file_that_is_not_utf8_is_reported_not_a_crash(runner, session, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('[{"id": "1", "title": "Caf\u00e9"}]'.encode("latin-1"))

    result = runner.invoke(args=["kb", "import", str(path)])

    assert result.exit_code == 1
    assert "not UTF-8" in result.output
    assert _items(session) == []
