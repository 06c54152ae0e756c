"""A session's recording with captions becomes knowledge the bot cites by the minute."""

import io
import json
import re

import pytest
from sqlmodel import select

from community.models import ConferenceSession, ContentItem, Source
from tests.helpers import csrf_token
from tests.local_http import FeedServer

RECORDING = "https://video.example.org/feature-stores"
SLIDES = "https://slides.example.org/feature-stores.pdf"
QUESTION = "how often should the offline feature store backfill point in time joins?"
SAID_AT = 754  # 12:34


@pytest.fixture
def app_config(app_config):
    """Captions are served from 127.0.0.1, which production refuses; small caps to test."""
    return {**app_config, "FEEDS_ALLOW_PRIVATE_NETWORKS": True, "FEEDS_MAX_BYTES": 100_000}


@pytest.fixture
def caption_server():
    with FeedServer() as server:
        yield server
    assert not server.errors, f"a server handler failed: {server.errors!r}"


def stamp(seconds: float, comma: bool = False) -> str:
    text = f"{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}:{seconds % 60:06.3f}"
    return text.replace(".", ",") if comma else text


def captions(said: str = "", at: int = 750, srt: bool = False) -> bytes:
    """Twenty minutes of cues, ten seconds each; `said` at `at` seconds."""
    blocks = [] if srt else ["WEBVTT", ""]
    for number, second in enumerate(range(0, 1200, 10), 1):
        text = f"<v Grace Hopper>Small talk about conference wifi number {second}."
        if second == at and said:
            text = f"<v Grace Hopper>{said}"
        timing = f"{stamp(second, srt)} --> {stamp(second + 10, srt)}"
        blocks += [str(number), timing, text, ""] if srt else [timing, text, ""]
    return "\n".join(blocks).encode()


BACKFILL = "We backfill the offline feature store nightly so point in time joins stay correct."


@pytest.fixture
def programme(make_conference, organiser):
    return make_conference()


def talk(programme) -> ConferenceSession:
    return programme.sessions["Feature stores in practice"]


def page_of(client, programme) -> str:
    response = client.get(f"/admin/conferences/{programme.conference.acronym}/recordings")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def save(client, programme, *, upload=None, **fields):
    """Posts one session's form as the page would, with its prefix."""
    item = talk(programme)
    token = csrf_token(page_of(client, programme))
    data = {"csrf_token": token}
    for name in ("recording_url", "slides_url", "captions_url"):
        data[f"s{item.id}-{name}"] = fields.get(name, "")
    if fields.get("remove_captions"):
        data[f"s{item.id}-remove_captions"] = "y"
    if upload is not None:
        data[f"s{item.id}-captions_file"] = (io.BytesIO(upload[1]), upload[0])
    return client.post(
        f"/admin/conferences/{programme.conference.acronym}/recordings/{item.id}",
        data=data,
        content_type="multipart/form-data",
    )


def ask(runner, question: str = QUESTION) -> dict:
    result = runner.invoke(args=["ask", question, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def recording_item(session, programme) -> ContentItem:
    session.expire_all()
    item = session.get(ConferenceSession, talk(programme).id)
    return session.get(ContentItem, item.content_item_id)


def test_captions_from_a_link_make_the_talk_cited_at_the_minute(
    client, runner, session, programme, caption_server
):
    caption_server.serve("/talk.vtt", captions(BACKFILL), {"Content-Type": "text/vtt"})

    response = save(
        client,
        programme,
        recording_url=RECORDING,
        slides_url=SLIDES,
        captions_url=caption_server.url("/talk.vtt"),
    )

    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "in the knowledge base with 20 passages" in html
    cited = ask(runner)["items"][0]
    assert cited["kind"] == "recording"
    assert cited["title"].startswith("Feature stores in practice — 12:")
    start = int(re.fullmatch(rf"{RECORDING}#t=(\d+)", cited["url"]).group(1))
    assert start <= SAID_AT < start + 60
    assert "point in time joins" in cited["passage"]
    assert cited["source"] == "MLOps World Conference"
    found = client.get("/search?q=offline+feature+store+backfill").get_data(as_text=True)
    assert "recording (" in found and "Feature stores in practice — 12:" in found


def test_uploaded_srt_captions_are_cited_and_the_item_page_links_each_moment(
    client, runner, session, programme
):
    response = save(
        client,
        programme,
        recording_url=RECORDING,
        upload=("talk.srt", captions(BACKFILL, srt=True)),
    )

    assert response.status_code == 302
    cited = ask(runner)["items"][0]
    assert cited["title"].startswith("Feature stores in practice — 12:")
    item = recording_item(session, programme)
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Conference recording" in page
    assert f'href="{RECORDING}#t=720"' in page
    assert "<v Grace" not in page and "point in time joins" in page
    listed = client.get("/admin/items?kind=recording").get_data(as_text=True)
    assert "Feature stores in practice" in listed and "Conference recording" in listed


def test_new_captions_replace_the_passages_and_removing_the_recording_hides_it(
    client, runner, session, programme
):
    save(client, programme, recording_url=RECORDING, upload=("a.vtt", captions(BACKFILL)))
    assert ask(runner)["items"]

    other = "Our embedding cache evicts vectors after seventeen hours of silence."
    save(client, programme, recording_url=RECORDING, upload=("b.vtt", captions(other, at=600)))

    assert ask(runner)["items"] == []  # the old passage is gone from the index
    cited = ask(runner, "when does the embedding cache evict vectors?")["items"][0]
    assert cited["title"] == "Feature stores in practice — 10:00"

    save(client, programme, recording_url="")

    item = recording_item(session, programme)
    assert item.status == "hidden"
    assert ask(runner, "when does the embedding cache evict vectors?")["items"] == []
    assert client.get(f"/items/{item.id}").status_code == 404


def test_every_recording_of_a_conference_shares_one_source(client, session, programme):
    save(client, programme, recording_url=RECORDING, upload=("a.vtt", captions(BACKFILL)))
    keynote = programme.sessions["Opening keynote"]
    token = csrf_token(page_of(client, programme))
    client.post(
        f"/admin/conferences/mlopscon/recordings/{keynote.id}",
        data={
            "csrf_token": token,
            f"s{keynote.id}-recording_url": "https://video.example.org/keynote",
            f"s{keynote.id}-captions_file": (io.BytesIO(captions("Welcome all.")), "k.vtt"),
        },
        content_type="multipart/form-data",
    )

    sources = session.exec(select(Source).where(Source.kind == "conference")).all()
    assert [source.name for source in sources] == ["MLOps World Conference"]
    items = session.exec(select(ContentItem).where(ContentItem.kind == "recording")).all()
    assert {item.source_id for item in items} == {sources[0].id} and len(items) == 2


def _garbled() -> bytes:
    return b"WEBVTT\n\nthis is not a cue\nneither is this\n"


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (("talk.vtt", b"\x89PNG\r\n\x1a\n\x00\x00\x00"), "binary"),
        (("talk.vtt", b"WEBVTT\n\n" + b"x" * 120_000), "larger than"),
        (("talk.vtt", _garbled()), "holds no readable text"),
        (("notes.txt", b"Just some words, with no times at all."), "not WebVTT (.vtt) or SRT"),
    ],
)
def test_a_bad_captions_file_is_refused_and_nothing_typed_is_lost(
    client, session, programme, upload, reason
):
    response = save(client, programme, recording_url=RECORDING, slides_url=SLIDES, upload=upload)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert reason in html and 'role="alert"' in html
    assert f'value="{RECORDING}"' in html and f'value="{SLIDES}"' in html
    session.expire_all()
    stored = session.get(ConferenceSession, talk(programme).id)
    assert (stored.recording_url, stored.content_item_id) == (None, None)


@pytest.mark.parametrize(
    ("body", "headers", "status", "reason"),
    [
        (b"WEBVTT\n\n" + b"x" * 120_000, {"Content-Type": "text/vtt"}, 200, "larger than"),
        (b"gone", {}, 404, "404"),
        (b"<html><script>alert(1)</script></html>", {"Content-Type": "text/html"}, 200, "not"),
    ],
)
def test_a_bad_captions_link_is_refused_with_the_reason(
    client, session, programme, caption_server, body, headers, status, reason
):
    caption_server.serve("/talk.vtt", body, headers, status=status)

    response = save(
        client, programme, recording_url=RECORDING, captions_url=caption_server.url("/talk.vtt")
    )

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The captions" in html and reason in html
    assert f'value="{caption_server.url("/talk.vtt")}"' in html


def test_a_link_that_is_not_a_web_address_is_refused(client, session, programme):
    response = save(client, programme, recording_url="javascript:alert(1)", slides_url=SLIDES)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Give a web address starting with https://" in html and f'value="{SLIDES}"' in html
    session.expire_all()
    assert session.get(ConferenceSession, talk(programme).id).slides_url is None


def test_captions_without_a_recording_link_are_refused(client, programme):
    response = save(client, programme, upload=("talk.vtt", captions(BACKFILL)))

    assert response.status_code == 400
    assert "Add the recording&#39;s link too" in response.get_data(as_text=True)


def test_a_private_address_is_refused_as_feeds_are(make_app, make_conference, session):
    app = make_app(FEEDS_ALLOW_PRIVATE_NETWORKS=False)
    client = app.test_client()
    from tests.helpers import add_organiser, log_in

    programme = make_conference()
    add_organiser(session)
    log_in(client)

    response = save(
        client, programme, recording_url=RECORDING, captions_url="http://127.0.0.1:9/talk.vtt"
    )

    assert response.status_code == 400
    assert "private" in response.get_data(as_text=True).lower()


def test_only_organisers_reach_the_recordings_page(app, make_conference):
    make_conference()
    anonymous = app.test_client()

    response = anonymous.get("/admin/conferences/mlopscon/recordings")

    assert response.status_code == 302 and "/login" in response.location
    assert anonymous.get("/admin/conferences/nope/feedback").status_code == 302
