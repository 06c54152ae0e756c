"""Placing a session: the clashes an organiser is warned of, and the warning page that saves
only after an explicit "Place anyway"."""

import re
from datetime import date, datetime, timedelta

from community.conferences.placement import conflicts_of, programme_conflicts
from community.models import ConferenceSession, SessionSpeaker
from tests.conferences.conftest import BERLIN, berlin
from tests.helpers import csrf_token


def _unplaced_talk(session, programme, title="Scaling inference", speakers=("Ada Lovelace",)):
    item = ConferenceSession(
        conference_id=programme.conference.id,
        guid=f"guid-{title}",
        slug=title.lower().replace(" ", "-"),
        title=title,
        duration_minutes=30,
    )
    session.add(item)
    session.flush()
    session.add_all(
        SessionSpeaker(session_id=item.id, speaker_id=programme.speakers[name].id, position=index)
        for index, name in enumerate(speakers)
    )
    session.commit()
    return item


def _first_day(programme):
    return programme.event.starts_at.astimezone(BERLIN)


def _conflicts(session, programme, item, stage, starts_at, minutes=30):
    return conflicts_of(
        session, programme.conference, item, programme.stages[stage].id, starts_at, minutes
    )


def test_a_speaker_giving_another_talk_at_that_time_is_a_conflict(session, make_conference):
    programme = make_conference()
    talk = _unplaced_talk(session, programme)

    # Ada is in the workshop on Stream B from 10:00 to 11:30.
    found = _conflicts(session, programme, talk, "Main Stage", berlin(_first_day(programme), 11))

    assert [conflict.kind for conflict in found] == ["speaker"]
    assert "Ada Lovelace would be in two places at once" in found[0].message
    assert "“Evaluating LLM apps”" in found[0].message and "10:00–11:30" in found[0].message


def test_a_stage_already_taken_at_that_time_is_double_booked(session, make_conference):
    programme = make_conference()
    talk = _unplaced_talk(session, programme, speakers=("Alan Turing",))

    found = _conflicts(
        session, programme, talk, "Main Stage", berlin(_first_day(programme), 12, 30)
    )

    assert [conflict.kind for conflict in found] == ["stage"]
    assert found[0].message.startswith("Main Stage is double-booked")
    assert "“Lunch”" in found[0].message


def test_back_to_back_sessions_do_not_clash(session, make_conference):
    programme = make_conference()
    talk = _unplaced_talk(session, programme)

    # The keynote ends at 09:45 on the Main Stage; the workshop with Ada starts at 10:00.
    found = _conflicts(
        session, programme, talk, "Main Stage", berlin(_first_day(programme), 9, 45), 15
    )

    assert found == []


def test_a_session_outside_the_conference_s_days_is_a_conflict(session, make_conference):
    programme = make_conference()
    talk = _unplaced_talk(session, programme, speakers=())
    day_after = _first_day(programme) + timedelta(days=2)

    found = _conflicts(session, programme, talk, "Stream B", berlin(day_after, 10))

    assert [conflict.kind for conflict in found] == ["outside-days"]
    assert "outside the conference's days" in found[0].message


def test_a_session_ending_after_the_conference_closes_is_a_conflict(session, make_conference):
    programme = make_conference()
    talk = _unplaced_talk(session, programme, speakers=())
    last_day = _first_day(programme) + timedelta(days=1)

    # The conference closes at 18:00 on its second day.
    found = _conflicts(session, programme, talk, "Stream B", berlin(last_day, 17, 45))

    assert [conflict.kind for conflict in found] == ["after-end"]
    assert "18:00" in found[0].message


def test_moving_a_placed_session_does_not_clash_with_itself(session, make_conference):
    programme = make_conference()
    keynote = programme.sessions["Opening keynote"]

    found = _conflicts(
        session, programme, keynote, "Main Stage", keynote.starts_at + timedelta(minutes=5), 40
    )

    assert found == []


def test_the_placed_programme_lists_each_clash_once(session, make_conference):
    programme = make_conference()
    assert programme_conflicts(session, programme.conference) == []
    panel = programme.sessions["Platform teams panel"]
    panel.starts_at = programme.sessions["Feature stores in practice"].starts_at
    session.commit()

    found = programme_conflicts(session, programme.conference)

    # Grace speaks at both, on the same stage; Alan is also in the workshop on Stream B.
    assert sorted(conflict.kind for conflict in found) == ["speaker", "speaker", "stage"]
    assert sum("Grace Hopper" in conflict.message for conflict in found) == 1
    assert sum("Alan Turing" in conflict.message for conflict in found) == 1


# Through the organiser's page.


def _place(client, programme, item, *, stage, day, start, minutes=30, anyway=None, acknowledged=""):
    path = f"/admin/conferences/{programme.conference.acronym}/sessions/{item.id}/place"
    token = csrf_token(client.get(path).get_data(as_text=True))
    data = {
        "csrf_token": token,
        "stage": programme.stages[stage].id,
        "day": day.isoformat(),
        "start": start,
        "duration_minutes": minutes,
        "acknowledged": acknowledged,
    }
    if anyway:
        data["place_anyway"] = "yes"
    return client.post(path, data=data)


def _acknowledged(page: str) -> str:
    match = re.search(r'id="acknowledged" name="acknowledged" type="hidden" value="([^"]*)"', page)
    assert match, "the warning page carries the conflicts it showed"
    return match.group(1)


def test_a_placement_without_conflicts_saves_at_once(organiser, session, make_conference):
    programme = make_conference()
    talk = _unplaced_talk(session, programme)
    day = _first_day(programme).date()

    answer = _place(organiser, programme, talk, stage="Stream B", day=day, start="14:00")

    assert answer.status_code == 302
    session.refresh(talk)
    assert talk.starts_at == berlin(_first_day(programme), 14)
    assert talk.stage_id == programme.stages["Stream B"].id
    page = organiser.get(answer.location).get_data(as_text=True)
    assert "Placed “Scaling inference” on Stream B." in page


def test_a_clash_is_shown_and_nothing_saved_until_placed_anyway(
    organiser, session, make_conference
):
    programme = make_conference()
    talk = _unplaced_talk(session, programme)
    version = programme.conference.schedule_version
    day = _first_day(programme).date()

    warned = _place(organiser, programme, talk, stage="Main Stage", day=day, start="10:00")

    page = warned.get_data(as_text=True)
    assert warned.status_code == 409
    assert "Ada Lovelace would be in two places at once" in page
    assert "Main Stage is double-booked" in page and "Place anyway" in page
    session.refresh(talk)
    assert talk.starts_at is None

    placed = _place(
        organiser,
        programme,
        talk,
        stage="Main Stage",
        day=day,
        start="10:00",
        anyway=True,
        acknowledged=_acknowledged(page),
    )

    assert placed.status_code == 302
    session.refresh(talk)
    session.refresh(programme.conference)
    assert talk.starts_at == berlin(_first_day(programme), 10)
    assert programme.conference.schedule_version > version
    overview = organiser.get(placed.location).get_data(as_text=True)
    assert "despite 2 conflicts" in overview
    assert "Conflicts in the programme (2)" in overview


def test_placing_anyway_after_a_change_of_time_warns_of_the_new_clashes(
    organiser, session, make_conference
):
    programme = make_conference()
    talk = _unplaced_talk(session, programme)
    day = _first_day(programme).date()
    first = _place(organiser, programme, talk, stage="Stream B", day=day, start="10:15")
    seen = _acknowledged(first.get_data(as_text=True))

    # The organiser changed the stage after the warning, then pressed "Place anyway".
    again = _place(
        organiser,
        programme,
        talk,
        stage="Main Stage",
        day=day,
        start="10:15",
        anyway=True,
        acknowledged=seen,
    )

    assert again.status_code == 409
    assert "Main Stage is double-booked" in again.get_data(as_text=True)
    session.refresh(talk)
    assert talk.starts_at is None


def test_moving_a_session_away_from_a_clash_saves_it(organiser, session, make_conference):
    programme = make_conference()
    talk = _unplaced_talk(session, programme)
    day = _first_day(programme).date()
    assert (
        _place(organiser, programme, talk, stage="Main Stage", day=day, start="10:00").status_code
        == 409
    )

    moved = _place(organiser, programme, talk, stage="Main Stage", day=day, start="15:00")

    assert moved.status_code == 302
    session.refresh(talk)
    assert talk.starts_at == berlin(_first_day(programme), 15)


def test_a_time_the_clocks_skip_is_refused(organiser, session, make_conference):
    programme = make_conference()
    talk = _unplaced_talk(session, programme)
    event = programme.event
    # The last Sunday of March next year, when Berlin's clocks go from 02:00 to 03:00.
    year = event.starts_at.year + 1
    spring = next(
        datetime(year, 3, day) for day in range(31, 24, -1) if date(year, 3, day).weekday() == 6
    )
    event.starts_at, event.ends_at = berlin(spring, 1), berlin(spring, 18)
    session.commit()

    answer = _place(
        organiser, programme, talk, stage="Main Stage", day=spring.date(), start="02:30"
    )

    assert answer.status_code == 400
    assert "does not exist" in answer.get_data(as_text=True)
    session.refresh(talk)
    assert talk.starts_at is None


def test_a_day_that_is_not_the_conference_s_is_refused(organiser, session, make_conference):
    programme = make_conference()
    talk = _unplaced_talk(session, programme)
    later = _first_day(programme).date() + timedelta(days=5)

    answer = _place(organiser, programme, talk, stage="Main Stage", day=later, start="10:00")

    assert answer.status_code == 400
    session.refresh(talk)
    assert talk.starts_at is None
