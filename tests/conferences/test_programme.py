from datetime import timedelta

from community.conferences.programme import (
    conference_by_acronym,
    conference_days,
    sessions_of,
    speakers_of_sessions,
)
from tests.conferences.conftest import BERLIN


def test_a_conference_has_a_day_for_each_date_it_touches_in_its_time_zone(make_conference):
    programme = make_conference()
    first = programme.event.starts_at.astimezone(BERLIN).date()
    days = conference_days(programme.event)
    assert [(day.index, day.date) for day in days] == [(1, first), (2, first + timedelta(days=1))]
    assert days[0].starts_at.astimezone(BERLIN).hour == 0


def test_an_event_ending_at_midnight_does_not_reach_into_the_next_day(make_conference):
    programme = make_conference()
    event = programme.event
    event.ends_at = days_end = conference_days(event)[0].ends_at
    assert [day.ends_at for day in conference_days(event)] == [days_end]


def test_sessions_come_in_start_order_with_their_speakers_in_order(session, make_conference):
    programme = make_conference()
    sessions = sessions_of(session, conference_by_acronym(session, "mlopscon"))
    starts = [item.starts_at for item in sessions]
    assert starts == sorted(starts)
    assert sessions[0].title == "Opening keynote"
    workshop = programme.sessions["Evaluating LLM apps"]
    speakers = speakers_of_sessions(session, [workshop.id])
    assert [speaker.name for speaker in speakers[workshop.id]] == ["Alan Turing", "Ada Lovelace"]
