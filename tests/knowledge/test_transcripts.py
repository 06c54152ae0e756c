"""Episodes' transcripts become passages an answer cites by the minute."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlmodel import select

from community.models import ContentItem
from community.models.types import utcnow
from tests.knowledge.feeds import feed

EPISODE = {
    "guid": "ep-7",
    "title": "Monitoring Models in the Wild",
    "link": "https://pod.example.org/7",
    "description": "A conversation about running models.",
    "published": datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    "enclosure": ("https://media.example.org/ep7.mp3", "audio/mpeg", "48000000"),
}
SAID_AT = 754  # 12:34
QUESTION = "how long a baseline window do drift alerts need?"


def _stamp(seconds: float) -> str:
    return f"{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}:{seconds % 60:06.3f}"


def _vtt() -> bytes:
    cues = ["WEBVTT", ""]
    for second in range(0, 1200, 10):
        text = f"Host: team rituals and hiring story number {second}."
        if second == 750:
            text = "Guest: our drift alerts compare against a baseline window of four weeks."
        cues += [f"{_stamp(second)} --> {_stamp(second + 10)}", text, ""]
    return "\n".join(cues).encode()


CHAPTERS = {"chapters": [{"startTime": 0, "title": "Intro"}, {"startTime": 600, "title": "Drift"}]}


def _episode(feed_server, transcript_path="/7.vtt", extra=()) -> dict:
    tags = [
        f'<podcast:transcript url="{feed_server.url(transcript_path)}" type="text/vtt"/>',
        f'<podcast:chapters url="{feed_server.url("/7.chapters.json")}" '
        'type="application/json+chapters"/>',
        *extra,
    ]
    return {**EPISODE, "extra": tags}


@pytest.fixture
def podcast(feed_server, runner):
    feed_server.serve("/7.vtt", _vtt(), {"Content-Type": "text/vtt"})
    feed_server.serve("/7.chapters.json", json.dumps(CHAPTERS).encode())
    feed_server.serve("/feed.xml", feed(_episode(feed_server), title="The MLOps Podcast"))
    assert runner.invoke(args=["feeds", "add", feed_server.url("/feed.xml")]).exit_code == 0
    assert runner.invoke(args=["feeds", "poll"]).exit_code == 0
    return feed_server


def _read(runner) -> list[dict]:
    result = runner.invoke(args=["feeds", "transcripts", "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def _episode_item(session) -> ContentItem:
    session.expire_all()
    return session.exec(select(ContentItem).where(ContentItem.kind == "episode")).one()


def test_an_answer_cites_the_minute_where_it_was_said(runner, podcast, session):
    (outcome,) = _read(runner)
    assert outcome["error"] is None and outcome["chapters"] == 2

    answer = json.loads(runner.invoke(args=["ask", QUESTION, "--json"]).output)

    cited = answer["items"][0]
    assert cited["title"].startswith("Monitoring Models in the Wild — 12:")
    item = _episode_item(session)
    start = int(re.fullmatch(rf".*/items/{item.id}#t=(\d+)", cited["page_url"]).group(1))
    assert start <= SAID_AT < start + 60
    assert cited["url"] == f"https://media.example.org/ep7.mp3#t={start}"
    assert "four weeks" in cited["passage"]


def test_passages_stay_inside_chapters_and_last_about_a_minute(runner, podcast, session):
    _read(runner)
    passages = _episode_item(session).transcript_passages

    starts = [p["start"] for p in passages]
    assert starts == sorted(starts) and 600 in starts  # a chapter starts a passage
    assert all(later - earlier <= 60 for earlier, later in zip(starts, starts[1:], strict=False))
    assert {p["chapter"] for p in passages if p["start"] >= 600} == {"Drift"}


def test_the_episode_page_shows_chapters_and_a_transcript_with_time_links(
    client, runner, podcast, session
):
    _read(runner)
    item = _episode_item(session)

    html = client.get(f"/items/{item.id}").get_data(as_text=True)

    assert '<a href="#t=600">10:00</a> Drift' in html
    assert 'id="t=720"' in html and 'href="https://media.example.org/ep7.mp3#t=720"' in html
    assert "baseline window of four weeks" in html


def test_a_transcript_is_fetched_again_only_when_its_address_changes(runner, podcast, session):
    _read(runner)
    fetched = podcast.paths_requested().count("/7.vtt")

    with time_machine.travel(utcnow() + timedelta(days=2)):
        assert _read(runner) == []
    assert podcast.paths_requested().count("/7.vtt") == fetched

    podcast.serve("/7-v2.vtt", _vtt(), {"Content-Type": "text/vtt"})
    podcast.serve("/feed.xml", feed(_episode(podcast, "/7-v2.vtt"), title="The MLOps Podcast"))
    runner.invoke(args=["feeds", "poll", "--all"])
    (outcome,) = _read(runner)
    assert outcome["error"] is None and "/7-v2.vtt" in podcast.paths_requested()


@pytest.mark.parametrize(
    ("body", "headers", "status", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", {"Content-Type": "text/vtt"}, 200, "binary"),
        (b"WEBVTT\n\n" + b"x" * 300_000, {"Content-Type": "text/vtt"}, 200, "larger"),
        (b"down for maintenance", {}, 503, "503"),
    ],
)
def test_a_hostile_or_failing_transcript_never_costs_the_episode(
    make_app, feed_server, session, body, headers, status, reason
):
    runner = make_app(FEEDS_ALLOW_PRIVATE_NETWORKS=True, FEEDS_MAX_BYTES=200_000).test_cli_runner()
    feed_server.serve("/7.vtt", body, headers, status=status)
    feed_server.serve("/7.chapters.json", json.dumps(CHAPTERS).encode())
    feed_server.serve("/feed.xml", feed(_episode(feed_server), title="The MLOps Podcast"))
    runner.invoke(args=["feeds", "add", feed_server.url("/feed.xml")])
    runner.invoke(args=["feeds", "poll"])

    (outcome,) = _read(runner)

    assert reason in outcome["error"]
    item = _episode_item(session)
    assert item.transcript_passages == [] and item.status == "published"
    answer = json.loads(
        runner.invoke(args=["ask", "monitoring models in the wild", "--json"]).output
    )
    assert answer["items"][0]["title"] == "Monitoring Models in the Wild"
    assert _read(runner) == []  # tried again only after a while
    with time_machine.travel(utcnow() + timedelta(hours=7)):
        assert len(_read(runner)) == 1


def test_an_episode_whose_guid_is_not_marked_as_no_permalink_keeps_its_transcript(
    runner, feed_server, session
):
    document = feed(_episode(feed_server), title="The MLOps Podcast").replace(
        b'<guid isPermaLink="false">', b"<guid>"
    )
    feed_server.serve("/7.vtt", _vtt(), {"Content-Type": "text/vtt"})
    feed_server.serve("/7.chapters.json", json.dumps(CHAPTERS).encode())
    feed_server.serve("/feed.xml", document)
    runner.invoke(args=["feeds", "add", feed_server.url("/feed.xml")])
    runner.invoke(args=["feeds", "poll"])

    (outcome,) = _read(runner)
    assert outcome["passages"] > 0


def _srt() -> bytes:
    blocks = []
    for number, second in enumerate(range(0, 1200, 10), start=1):
        text = f"team rituals and hiring story number {second}"
        if second == 750:
            text = "our drift alerts compare against a baseline window of four weeks"
        stamp = lambda s: _stamp(s).replace(".", ",")  # noqa: E731
        blocks.append(f"{number}\n{stamp(second)} --> {stamp(second + 10)}\n{text}\n")
    return "\n".join(blocks).encode()


def _json_transcript() -> bytes:
    segments = [
        {
            "startTime": second,
            "endTime": second + 10,
            "speaker": "Guest",
            "body": "our drift alerts compare against a baseline window of four weeks"
            if second == 750
            else f"team rituals and hiring story number {second}",
        }
        for second in range(0, 1200, 10)
    ]
    return json.dumps({"version": "1.0.0", "segments": segments}).encode()


@pytest.mark.parametrize(
    ("path", "media_type", "body"),
    [("/7.srt", "application/x-subrip", _srt), ("/7.json", "application/json", _json_transcript)],
)
def test_srt_and_json_transcripts_from_a_feed_are_cited_at_the_same_minute(
    runner, feed_server, session, path, media_type, body
):
    feed_server.serve(path, body(), {"Content-Type": media_type})
    feed_server.serve("/7.chapters.json", json.dumps(CHAPTERS).encode())
    tag = f'<podcast:transcript url="{feed_server.url(path)}" type="{media_type}"/>'
    episode = {**EPISODE, "extra": [tag]}
    feed_server.serve("/feed.xml", feed(episode, title="The MLOps Podcast"))
    runner.invoke(args=["feeds", "add", feed_server.url("/feed.xml")])
    runner.invoke(args=["feeds", "poll"])
    _read(runner)

    cited = json.loads(runner.invoke(args=["ask", QUESTION, "--json"]).output)["items"][0]

    start = int(cited["page_url"].rsplit("#t=", 1)[1])
    assert start <= SAID_AT < start + 60 and "four weeks" in cited["passage"]
