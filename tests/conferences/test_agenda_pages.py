"""The public agenda: the list of conferences, a conference's days with their filters, the
"now and next" board while it runs, sessions' and speakers' pages, and who may see them."""

from datetime import UTC, timedelta

import pytest
import time_machine

from community.models import Conference, EventStatus, Speaker
from community.models.types import utcnow
from tests.conferences.conftest import BERLIN, berlin
from tests.test_site_layout import Element, parse


def with_class(element: Element, name: str) -> list[Element]:
    found = []
    for child in element.children:
        if name in (child.attrs.get("class") or "").split():
            found.append(child)
        found += with_class(child, name)
    return found


def _one(element: Element, name: str) -> str | None:
    found = with_class(element, name)
    return found[0].text if found else None


def cards(page: Element) -> list[dict]:
    """What each session's card on the page says."""
    return [
        {
            "title": card.find("h3").text,
            "when": card.find("time").text,
            "stage": _one(card, "agenda-stage"),
            "track": _one(card, "agenda-track"),
            "kind": _one(card, "agenda-kind"),
            "speakers": [
                link.text
                for part in with_class(card, "agenda-speakers")
                for link in part.find_all("a")
            ],
            "element": card,
        }
        for card in with_class(page, "agenda-session")
    ]


def text_of(page: Element) -> str:
    return page.find("main").text


@pytest.fixture
def programme(make_conference):
    return make_conference()


def _first_day(programme):
    return programme.event.starts_at.astimezone(BERLIN)


def test_the_list_shows_published_agendas_upcoming_first(client, session, make_conference):
    later = make_conference(acronym="later", days_ahead=40, title="Later Conf")
    sooner = make_conference(acronym="sooner", days_ahead=5, title="Sooner Conf")
    hidden = make_conference(acronym="hidden", days_ahead=7, title="Hidden Conf")
    hidden.conference.agenda_published_at = None
    session.add(hidden.conference)
    session.commit()

    html = client.get("/conferences").get_data(as_text=True)

    assert html.index("Sooner Conf") < html.index("Later Conf")
    assert "Hidden Conf" not in html
    assert f'href="/conferences/{sooner.conference.acronym}"' in html
    assert later.conference.acronym in html


def test_the_agenda_shows_day_one_with_time_stage_track_kind_and_speakers(client, programme):
    response = client.get("/conferences/mlopscon")
    page = parse(response)

    sessions = cards(page)
    assert [card["title"] for card in sessions] == [
        "Opening keynote",
        "Feature stores in practice",
        "Evaluating LLM apps",
        "Lunch",
    ]
    feature = sessions[1]
    assert feature["when"].startswith("10:00–10:30 CE")  # CET or CEST, Berlin's own clock
    assert feature["stage"] == "Main Stage"
    assert feature["track"] == "Platforms"
    assert feature["kind"] == "Talk"
    assert feature["speakers"] == ["Grace Hopper"]
    start = programme.sessions["Feature stores in practice"].starts_at.astimezone(UTC)
    # The reader's own time is filled in by local-time.js from the moment in UTC.
    assert f'datetime="{start.isoformat()}" data-local-time' in response.get_data(as_text=True)
    assert "--track-colour: #1f6feb" in response.get_data(as_text=True)
    assert "Now and next" not in text_of(page)  # it has not started


def test_day_two_and_filters_are_plain_links_and_a_get_form(client, programme):
    second_day = client.get("/conferences/mlopscon?day=2")
    assert [card["title"] for card in cards(parse(second_day))] == ["Platform teams panel"]

    by_track = parse(client.get("/conferences/mlopscon?day=1&track=llmops"))
    assert [card["title"] for card in cards(by_track)] == ["Evaluating LLM apps"]

    main_stage = programme.stages["Main Stage"]
    by_guid = parse(client.get(f"/conferences/mlopscon?stage={main_stage.guid}"))
    by_id = parse(client.get(f"/conferences/mlopscon?stage={main_stage.id}"))
    titles = [card["title"] for card in cards(by_guid)]
    assert titles == [card["title"] for card in cards(by_id)]
    assert titles == ["Opening keynote", "Feature stores in practice", "Lunch"]

    html = client.get("/conferences/mlopscon").get_data(as_text=True)
    assert '<form method="get"' in html and 'name="track"' in html and 'name="stage"' in html
    assert 'href="/conferences/mlopscon?day=2"' in html


def test_an_unknown_filter_says_so_and_shows_everything(client, programme):
    page = parse(client.get("/conferences/mlopscon?track=nope&day=99"))
    assert "There is no such track" in text_of(page)
    assert len(cards(page)) == 4  # day 1, every track


def test_while_it_runs_today_is_shown_with_now_and_next_per_stage(client, programme):
    second_morning = _first_day(programme) + timedelta(days=1)
    with time_machine.travel(berlin(second_morning, 14, 10), tick=False):
        page = parse(client.get("/conferences/mlopscon"))
    assert [card["title"] for card in cards(page)] == ["Platform teams panel"]

    with time_machine.travel(berlin(_first_day(programme), 10, 15), tick=False):
        page = parse(client.get("/conferences/mlopscon"))

    board = page.find("section", id="now-and-next")
    main = board.find("li", id=f"now-{programme.stages['Main Stage'].guid}").text
    stream = board.find("li", id=f"now-{programme.stages['Stream B'].guid}").text
    assert "Now: Feature stores in practice" in main and "Next: Lunch" in main
    assert "Now: Evaluating LLM apps" in stream and "Next: Nothing more today" in stream


def test_between_sessions_the_board_says_what_comes_next(client, programme):
    with time_machine.travel(berlin(_first_day(programme), 11, 45), tick=False):
        page = parse(client.get("/conferences/mlopscon"))
    board = page.find("section", id="now-and-next")
    main = board.find("li", id=f"now-{programme.stages['Main Stage'].guid}").text
    assert "Now: Nothing on" in main and "Next: Lunch" in main
    assert "Stream B" not in board.text  # nothing more on that stream today


def test_a_session_page_has_abstract_speakers_time_stage_track_tags_and_calendars(
    client, session, programme
):
    panel = programme.sessions["Platform teams panel"]
    panel.abstract = "Why **platform teams** win.\n\n<script>alert(1)</script>"
    panel.recording_url = "https://video.example.org/panel"
    panel.slides_url = "https://slides.example.org/panel.pdf"
    session.add(panel)
    session.commit()

    response = client.get("/conferences/mlopscon/sessions/platform-teams-panel")
    page = parse(response)
    html = response.get_data(as_text=True)

    assert page.find("h1").text == "Platform teams panel"
    assert "<strong>platform teams</strong>" in html and "<script>alert" not in html
    assert page.find("dd", id="session-stage").text == "Main Stage"
    assert page.find("dd", id="session-track").text == "Platforms"
    assert page.find("dd", id="session-tags").text == "mlops"
    assert "14:00" in page.find("time", id="session-when").text
    speakers = page.find("dd", id="session-speakers")
    links = [(a.attrs["href"], a.text) for a in speakers.find_all("a")]
    assert links == [
        ("/conferences/mlopscon/speakers/grace-hopper", "Grace Hopper"),
        ("/conferences/mlopscon/speakers/alan-turing", "Alan Turing"),
    ]
    assert page.find("a", id="session-recording").attrs["href"] == panel.recording_url
    assert page.find("a", id="session-slides").attrs["href"] == panel.slides_url
    ics = page.find("a", id="session-ics").attrs["href"]
    assert ics == "/conferences/mlopscon/sessions/platform-teams-panel.ics"
    google = page.find("a", id="google-calendar").attrs["href"]
    assert google.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE")
    span = "%2F".join(
        f"{moment.astimezone(UTC):%Y%m%dT%H%M%S}Z" for moment in (panel.starts_at, panel.ends_at)
    )
    assert f"dates={span}" in google
    assert "stream.example.org" not in html  # join links are never public


def test_a_speaker_page_has_the_bio_and_their_sessions(client, session, programme):
    ada: Speaker = programme.speakers["Ada Lovelace"]
    ada.biography = "Wrote the **first** program."
    session.add(ada)
    session.commit()

    page = parse(client.get("/conferences/mlopscon/speakers/ada-lovelace"))

    assert page.find("h1").text == "Ada Lovelace"
    assert "first" in page.find("div", id="speaker-bio").text
    assert [card["title"] for card in cards(page)] == ["Opening keynote", "Evaluating LLM apps"]
    assert "ada@speakers.test" not in text_of(page)


@pytest.mark.parametrize(
    "path",
    [
        "/conferences/mlopscon",
        "/conferences/mlopscon/sessions/opening-keynote",
        "/conferences/mlopscon/speakers/ada-lovelace",
        "/conferences/mlopscon/agenda.ics",
        "/conferences/mlopscon/sessions/opening-keynote.ics",
    ],
)
def test_an_unpublished_agenda_or_event_is_not_found(client, session, programme, path):
    conference: Conference = programme.conference
    conference.agenda_published_at = None
    session.add(conference)
    session.commit()
    assert client.get(path).status_code == 404

    conference.agenda_published_at = utcnow()
    programme.event.status = EventStatus.DRAFT
    session.add_all([conference, programme.event])
    session.commit()
    assert client.get(path).status_code == 404
    assert "mlopscon" not in client.get("/conferences").get_data(as_text=True)


def test_an_organiser_previews_an_unpublished_agenda_with_a_notice(organiser, session, programme):
    programme.conference.agenda_published_at = None
    session.add(programme.conference)
    session.commit()

    page = parse(organiser.get("/conferences/mlopscon"))

    assert "Preview." in page.find("p", id="agenda-preview").text
    assert len(cards(page)) == 4


def test_unknown_conference_session_or_speaker_is_not_found(client, programme):
    assert client.get("/conferences/nope").status_code == 404
    assert client.get("/conferences/mlopscon/sessions/nope").status_code == 404
    assert client.get("/conferences/mlopscon/speakers/nope").status_code == 404


def test_an_unplaced_session_is_not_on_the_public_agenda(client, session, programme):
    lunch = programme.sessions["Lunch"]
    lunch.starts_at = None
    session.add(lunch)
    session.commit()
    assert "Lunch" not in [
        card["title"] for card in cards(parse(client.get("/conferences/mlopscon")))
    ]
    assert client.get("/conferences/mlopscon/sessions/lunch").status_code == 404


def test_the_event_page_links_the_agenda_with_highlights(client, programme):
    page = parse(client.get(f"/events/{programme.event.id}"))
    section = page.find("section", id="conference-programme")
    assert section.find("a", id="agenda-link").attrs["href"] == "/conferences/mlopscon"
    highlights = section.find("ul", id="programme-highlights").text
    assert highlights.startswith("Opening keynote · Ada Lovelace")
    assert "Lunch" not in highlights
    assert "5 sessions on 2 stages in 2 tracks" in section.text


def test_the_event_page_says_nothing_of_an_unpublished_agenda(client, session, programme):
    programme.conference.agenda_published_at = None
    session.add(programme.conference)
    session.commit()
    html = client.get(f"/events/{programme.event.id}").get_data(as_text=True)
    assert "conference-programme" not in html and "/conferences/mlopscon" not in html
