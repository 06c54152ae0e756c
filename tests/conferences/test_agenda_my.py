"""A registered person's own agenda through their registration's signed link: stars from the
my-agenda, agenda and session pages, the streams' join links only for confirmed places, and
clear refusals of links that open nothing here."""

from datetime import timedelta

import pytest

from community.conferences.agenda_personal import my_agenda_url
from community.conferences.stars import starred_session_ids
from community.events.registrations import Person, cancel_registration, register
from community.events.tokens import registration_token
from community.models import RegistrationStatus
from tests.conferences.test_agenda_pages import cards, text_of, with_class
from tests.helpers import csrf_token
from tests.test_site_layout import parse

STREAM = "https://stream.example.org/b"


@pytest.fixture
def programme(make_conference):
    return make_conference()


@pytest.fixture
def person(session, programme):
    registration = register(
        session=session,
        event_id=programme.event.id,
        person=Person(name="Bo Attendee", email="bo@example.org"),
    )
    session.commit()
    return registration


class Links:
    """A registration's signed links, signed with the app's secret key."""

    def __init__(self, app):
        self.app = app

    def token(self, registration) -> str:
        with self.app.app_context():
            return registration_token(registration.id)

    def my(self, registration) -> str:
        return f"/conferences/mlopscon/my/{self.token(registration)}"


@pytest.fixture
def links(app):
    return Links(app)


def _star(client, links, registration, slug: str, *, starred: bool, back: str = "my", page=None):
    html = client.get(page or links.my(registration)).get_data(as_text=True)
    return client.post(
        f"{links.my(registration)}/sessions/{slug}/star",
        data={
            "csrf_token": csrf_token(html),
            "starred": "1" if starred else "0",
            "back": back,
        },
    )


def _starred_titles(client, links, registration) -> list[str]:
    page = parse(client.get(links.my(registration)))
    return [card["title"] for card in cards(page.find("ol", id="starred-sessions"))]


def test_starring_from_my_agenda_lists_the_session_and_unstarring_removes_it(
    links, client, session, programme, person
):
    assert "Nothing starred yet" in text_of(parse(client.get(links.my(person))))

    response = _star(client, links, person, "evaluating-llm-apps", starred=True)

    assert response.status_code == 302
    assert response.location.endswith(f"{links.my(person)}#session-evaluating-llm-apps")
    assert _starred_titles(client, links, person) == ["Evaluating LLM apps"]
    starred = starred_session_ids(session, programme.conference.id, registration=person)
    assert starred == {programme.sessions["Evaluating LLM apps"].id}

    _star(client, links, person, "evaluating-llm-apps", starred=False)
    assert _starred_titles(client, links, person) == []


def test_emails_link_the_same_my_agenda(app, links, programme, person):
    with app.app_context():
        url = my_agenda_url(programme.conference, person.id)
    assert url == f"http://conf.test{links.my(person)}"


def test_my_agenda_lists_every_session_with_a_star_toggle(links, client, programme, person):
    page = parse(client.get(links.my(person)))
    every = [card for card in cards(page) if card["element"].attrs["id"].startswith("session-")]
    assert len(every) == 5
    labels = [card["element"].find("button").attrs["aria-label"] for card in every]
    assert labels[0] == "Star Opening keynote"


def test_the_agenda_and_session_pages_carry_the_link_and_star_from_there(
    links, client, programme, person
):
    token = links.token(person)
    agenda = f"/conferences/mlopscon?day=2&my={token}"
    page = parse(client.get(agenda))
    assert with_class(page, "agenda-star"), "the agenda opened from my agenda shows stars"
    session_link = cards(page)[0]["element"].find("h3").find("a").attrs["href"]
    assert session_link.endswith(f"platform-teams-panel?my={token}")

    from_agenda = _star(
        client, links, person, "platform-teams-panel", starred=True, back="agenda", page=agenda
    )
    assert "/conferences/mlopscon?day=2&my=" in from_agenda.location
    session_page = f"/conferences/mlopscon/sessions/opening-keynote?my={token}"
    from_session = _star(
        client, links, person, "opening-keynote", starred=True, back="session", page=session_page
    )
    assert from_session.location.endswith(session_page)

    assert _starred_titles(client, links, person) == ["Opening keynote", "Platform teams panel"]
    button = parse(client.get(session_page)).find("form", **{"class": "agenda-star"})
    assert button.find("button").text == "★ Starred"


def test_the_public_agenda_has_no_stars(client, programme):
    assert not with_class(parse(client.get("/conferences/mlopscon")), "agenda-star")


def test_a_star_without_its_form_token_changes_nothing(links, client, session, programme, person):
    response = client.post(
        f"{links.my(person)}/sessions/opening-keynote/star", data={"starred": "1", "back": "my"}
    )
    assert response.status_code in (302, 400)
    assert starred_session_ids(session, programme.conference.id, registration=person) == set()


def test_join_links_only_for_a_confirmed_place_never_on_public_pages(
    links, client, session, programme, person
):
    assert STREAM in client.get(links.my(person)).get_data(as_text=True)
    registration_page = client.get(f"/events/registration/{links.token(person)}")
    assert STREAM in registration_page.get_data(as_text=True)
    assert links.my(person) in registration_page.get_data(as_text=True)

    for path in [
        "/conferences/mlopscon",
        "/conferences/mlopscon/sessions/evaluating-llm-apps",
        f"/events/{programme.event.id}",
        "/conferences/mlopscon/agenda.ics",
    ]:
        assert STREAM not in client.get(path).get_data(as_text=True), path

    person.status = RegistrationStatus.WAITLISTED
    session.add(person)
    session.commit()
    page = client.get(links.my(person)).get_data(as_text=True)
    assert STREAM not in page and "on the waitlist" in page


def test_a_place_held_for_confirmation_sees_no_join_link(links, client, session, programme):
    held = register(
        session=session,
        event_id=programme.event.id,
        person=Person(name="Cy", email="cy@example.org"),
        confirm_within=timedelta(minutes=30),
    )
    session.commit()
    assert STREAM not in client.get(links.my(held)).get_data(as_text=True)


def test_a_cancelled_registration_gets_a_clear_404(links, client, session, programme, person):
    cancel_registration(session=session, registration=person)
    session.commit()

    response = client.get(links.my(person))

    assert response.status_code == 404
    assert "was cancelled" in parse_404(response)
    registration_page = client.get(f"/events/registration/{links.token(person)}")
    assert links.my(person) not in registration_page.get_data(as_text=True)
    event_page = f"/events/{programme.event.id}"  # a form token from another page
    assert (
        _star(client, links, person, "opening-keynote", starred=True, page=event_page).status_code
        == 404
    )


def test_a_registration_of_another_event_gets_a_clear_404(
    links, client, session, make_event, programme
):
    meetup = make_event(title="Another meetup")
    other = register(
        session=session, event_id=meetup.id, person=Person(name="Di", email="di@example.org")
    )
    session.commit()

    response = client.get(links.my(other))

    assert response.status_code == 404
    assert "another event" in parse_404(response)


def test_a_bad_token_gets_a_clear_404(client, programme):
    response = client.get("/conferences/mlopscon/my/not-a-token")
    assert response.status_code == 404
    assert "not a valid registration link" in parse_404(response)


def test_a_bad_token_on_the_agenda_shows_the_public_agenda(client, programme):
    page = parse(client.get("/conferences/mlopscon?my=forged"))
    assert "opens no agenda here" in text_of(page)
    assert not with_class(page, "agenda-star")


def parse_404(response) -> str:
    html = response.get_data(as_text=True)
    assert "This link opens no agenda" in html
    return html
