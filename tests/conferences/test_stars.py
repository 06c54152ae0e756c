import pytest

from community.conferences.stars import StarError, star, starred_session_ids, unstar
from community.models import Member, Registration


@pytest.fixture
def people(session, make_conference):
    programme = make_conference()
    member = Member(slack_id="U123", name="Ada")
    registration = Registration(event_id=programme.event.id, name="Bo", email="bo@example.org")
    session.add_all([member, registration])
    session.commit()
    return programme, member, registration


def test_a_star_puts_a_session_on_one_persons_agenda_once(session, people):
    programme, member, registration = people
    keynote = programme.sessions["Opening keynote"]
    star(session, keynote, member=member)
    star(session, keynote, member=member)
    session.commit()
    conference_id = programme.conference.id
    assert starred_session_ids(session, conference_id, member=member) == {keynote.id}
    assert starred_session_ids(session, conference_id, registration=registration) == set()


def test_unstarring_takes_it_off_and_says_whether_it_was_on(session, people):
    programme, _member, registration = people
    panel = programme.sessions["Platform teams panel"]
    star(session, panel, registration=registration)
    assert unstar(session, panel, registration=registration) is True
    assert unstar(session, panel, registration=registration) is False
    assert starred_session_ids(session, programme.conference.id, registration=registration) == set()


def test_a_star_needs_exactly_one_owner(session, people):
    programme, member, registration = people
    with pytest.raises(StarError):
        star(session, programme.sessions["Lunch"], member=member, registration=registration)
