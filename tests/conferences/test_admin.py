"""The organiser's conference pages: making an event a conference, its settings, stages,
tracks and sessions, and publishing its agenda."""

import pytest
from sqlmodel import select

from community.models import Conference, ConferenceSession, SessionSpeaker, Speaker, Stage, Track
from tests.conferences.conftest import BERLIN
from tests.helpers import csrf_token


def _post(client, form_path: str, data: dict, action: str | None = None):
    """Submits the form on the page at `form_path`, with that page's CSRF token."""
    token = csrf_token(client.get(form_path).get_data(as_text=True))
    return client.post(action or form_path, data={"csrf_token": token, **data})


def _admin(programme, suffix: str = "") -> str:
    return f"/admin/conferences/{programme.conference.acronym}{suffix}"


def _version(session, programme) -> int:
    session.refresh(programme.conference)
    return programme.conference.schedule_version


def test_an_organiser_makes_an_event_a_conference_from_its_page(organiser, session, make_event):
    event = make_event(title="MLOps Summit")
    event_page = f"/admin/events/{event.id}"
    assert "Make it a conference" in organiser.get(event_page).get_data(as_text=True)

    answer = _post(
        organiser,
        event_page,
        {"acronym": "mlopssummit"},
        f"/admin/conferences/from-event/{event.id}",
    )

    assert answer.status_code == 302 and answer.location.endswith("/admin/conferences/mlopssummit")
    conference = session.exec(select(Conference)).one()
    session.refresh(event)
    assert (conference.event_id, conference.agenda_published_at, event.kind) == (
        event.id,
        None,
        "conference",
    )
    page = organiser.get(event_page).get_data(as_text=True)
    assert "Stages, sessions and agenda" in page and "Make it a conference" not in page
    assert "MLOps Summit" in organiser.get("/admin/conferences").get_data(as_text=True)


@pytest.mark.parametrize(
    ("acronym", "why"),
    [
        ("abc", "cannot be an acronym"),
        ("MLOpsCon", "cannot be an acronym"),
        ("mlops con", "cannot be an acronym"),
        ("mlops-con", "cannot be an acronym"),
        ("mlopscon", "already has the acronym"),
    ],
)
def test_a_bad_or_taken_acronym_is_refused_and_the_event_stays_as_it_was(
    organiser, session, make_event, make_conference, acronym, why
):
    make_conference(acronym="mlopscon")
    event = make_event(title="Another one")

    answer = _post(
        organiser,
        f"/admin/events/{event.id}",
        {"acronym": acronym},
        f"/admin/conferences/from-event/{event.id}",
    )

    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert why in page and f'value="{acronym}"' in page  # the typed acronym is kept
    assert len(session.exec(select(Conference)).all()) == 1
    session.refresh(event)
    assert event.kind != "conference"


def test_a_year_and_place_suffix_fits_the_schedule_format_s_pattern(organiser, make_event):
    event = make_event()
    answer = _post(
        organiser,
        f"/admin/events/{event.id}",
        {"acronym": "mlopscon-2027-berlin"},
        f"/admin/conferences/from-event/{event.id}",
    )
    assert answer.status_code == 302


def test_settings_take_call_for_proposals_times_in_the_conference_s_zone(
    organiser, session, make_conference
):
    programme = make_conference()
    version = _version(session, programme)

    answer = _post(
        organiser,
        _admin(programme, "/settings"),
        {
            "acronym": "mlopsworld",
            "cfp_opens_at": "2030-01-10T09:00",
            "cfp_closes_at": "2030-02-10T23:59",
            "cfp_description": "Send us your **best** talk.",
        },
    )

    assert answer.status_code == 302 and answer.location.endswith("/admin/conferences/mlopsworld")
    conference = session.get(Conference, programme.conference.id)
    session.refresh(conference)
    assert (
        conference.cfp_opens_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") == "2030-01-10 09:00"
    )
    assert conference.cfp_description == "Send us your **best** talk."
    assert conference.schedule_version > version
    assert organiser.get("/admin/conferences/mlopscon").status_code == 404


def test_a_call_closing_before_it_opens_is_refused(organiser, session, make_conference):
    programme = make_conference()

    answer = _post(
        organiser,
        _admin(programme, "/settings"),
        {
            "acronym": "mlopscon",
            "cfp_opens_at": "2030-02-10T09:00",
            "cfp_closes_at": "2030-01-10T09:00",
        },
    )

    assert answer.status_code == 400
    assert "must close after it opens" in answer.get_data(as_text=True)
    session.refresh(programme.conference)
    assert programme.conference.cfp_opens_at is None


def test_stages_are_added_edited_and_removed(organiser, session, make_conference):
    programme = make_conference()
    version = _version(session, programme)

    added = _post(
        organiser,
        _admin(programme, "/stages/new"),
        {"name": "Workshop Room", "kind": "physical", "capacity": "40", "position": "3"},
    )
    assert added.status_code == 302
    stage = session.exec(select(Stage).where(Stage.name == "Workshop Room")).one()
    assert (stage.capacity, stage.position, stage.kind) == (40, 3, "physical")
    assert _version(session, programme) > version

    edited = _post(
        organiser,
        _admin(programme, f"/stages/{stage.id}"),
        {"name": "Stream C", "kind": "virtual", "stream_url": "https://stream.example.org/c"},
    )
    assert edited.status_code == 302
    session.refresh(stage)
    assert (stage.name, stage.kind, stage.stream_url) == (
        "Stream C",
        "virtual",
        "https://stream.example.org/c",
    )
    assert "Stream C" in organiser.get(_admin(programme)).get_data(as_text=True)


def test_a_stream_needs_its_link_and_names_are_unique(organiser, session, make_conference):
    programme = make_conference()

    no_link = _post(
        organiser, _admin(programme, "/stages/new"), {"name": "Stream C", "kind": "virtual"}
    )
    taken = _post(
        organiser, _admin(programme, "/stages/new"), {"name": "Main Stage", "kind": "physical"}
    )
    scripted = _post(
        organiser,
        _admin(programme, "/stages/new"),
        {"name": "Stream D", "kind": "virtual", "stream_url": "javascript://alert(1)"},
    )

    assert no_link.status_code == taken.status_code == scripted.status_code == 400
    assert "needs the link" in no_link.get_data(as_text=True)
    assert "already has a stage called “Main Stage”" in taken.get_data(as_text=True)
    assert (
        len(session.exec(select(Stage).where(Stage.conference_id == programme.conference.id)).all())
        == 2
    )


def test_removing_a_stage_sends_its_sessions_back_to_the_unplaced(
    organiser, session, make_conference
):
    programme = make_conference()
    stage = programme.stages["Stream B"]

    answer = _post(
        organiser, _admin(programme), {}, _admin(programme, f"/stages/{stage.id}/remove")
    )

    assert answer.status_code == 302
    workshop = session.get(ConferenceSession, programme.sessions["Evaluating LLM apps"].id)
    session.refresh(workshop)
    assert (workshop.stage_id, workshop.starts_at) == (None, None)
    page = organiser.get(answer.location).get_data(as_text=True)
    assert "1 session went back to the unplaced ones" in page
    unplaced = page.split('id="unplaced"')[1].split('id="stages"')[0]
    assert "Evaluating LLM apps" in unplaced


def test_tracks_are_added_recoloured_and_removed(organiser, session, make_conference):
    programme = make_conference()

    added = _post(
        organiser,
        _admin(programme),
        {"track-name": "Data Engineering", "track-color": "#ff8800"},
        _admin(programme, "/tracks"),
    )
    assert added.status_code == 302
    track = session.exec(select(Track).where(Track.name == "Data Engineering")).one()
    assert (track.slug, track.color) == ("data-engineering", "#ff8800")

    bad = _post(
        organiser,
        _admin(programme, f"/tracks/{track.id}"),
        {"track-name": "Data", "track-color": "orange"},
    )
    assert bad.status_code == 400 and "#rrggbb" in bad.get_data(as_text=True)

    platforms = programme.tracks["Platforms"]
    removed = _post(
        organiser, _admin(programme), {}, _admin(programme, f"/tracks/{platforms.id}/remove")
    )
    assert removed.status_code == 302
    panel = session.get(ConferenceSession, programme.sessions["Platform teams panel"].id)
    session.refresh(panel)
    assert panel.track_id is None and panel.starts_at is not None


def test_a_session_is_added_with_a_known_and_a_new_speaker_then_placed(
    organiser, session, make_conference
):
    programme = make_conference()
    grace = programme.speakers["Grace Hopper"]

    answer = _post(
        organiser,
        _admin(programme, "/sessions/new"),
        {
            "title": "Drift detection at scale",
            "kind": "talk",
            "abstract": "How we **watch** models.",
            "tags": "Monitoring, drift, monitoring",
            "track": str(programme.tracks["Platforms"].id),
            "duration_minutes": "40",
            "speakers": [str(grace.id)],
            "new_speaker_name": "Katherine Johnson",
            "new_speaker_bio": "Computes trajectories.",
            "new_speaker_email": "katherine@example.org",
        },
    )

    assert answer.status_code == 302, answer.get_data(as_text=True)
    item = session.exec(
        select(ConferenceSession).where(ConferenceSession.title == "Drift detection at scale")
    ).one()
    assert answer.location.endswith(f"/sessions/{item.id}/place")
    assert (item.slug, item.tags, item.duration_minutes, item.starts_at) == (
        "drift-detection-at-scale",
        ["monitoring", "drift"],
        40,
        None,
    )
    names = session.exec(
        select(Speaker.name)
        .join(SessionSpeaker, SessionSpeaker.speaker_id == Speaker.id)
        .where(SessionSpeaker.session_id == item.id)
        .order_by(SessionSpeaker.position)
    ).all()
    assert names == ["Grace Hopper", "Katherine Johnson"]
    page = organiser.get(_admin(programme)).get_data(as_text=True)
    unplaced = page.split('id="unplaced"')[1].split('id="stages"')[0]
    assert "Drift detection at scale" in unplaced


def test_editing_a_session_changes_its_speakers_and_keeps_its_place(
    organiser, session, make_conference
):
    programme = make_conference()
    keynote = programme.sessions["Opening keynote"]
    alan = programme.speakers["Alan Turing"]

    answer = _post(
        organiser,
        _admin(programme, f"/sessions/{keynote.id}"),
        {
            "title": "Opening keynote",
            "kind": "keynote",
            "duration_minutes": "45",
            "track": "0",
            "speakers": [str(alan.id)],
        },
    )

    assert answer.status_code == 302
    speaker_ids = session.exec(
        select(SessionSpeaker.speaker_id).where(SessionSpeaker.session_id == keynote.id)
    ).all()
    assert speaker_ids == [alan.id]
    session.refresh(keynote)
    assert keynote.starts_at is not None


def test_a_speaker_of_another_conference_cannot_be_picked(organiser, session, make_conference):
    programme = make_conference()
    other = make_conference(acronym="othercon", title="Other conference")
    stranger = other.speakers["Ada Lovelace"]
    keynote = programme.sessions["Opening keynote"]

    answer = _post(
        organiser,
        _admin(programme, f"/sessions/{keynote.id}"),
        {
            "title": "Opening keynote",
            "kind": "keynote",
            "duration_minutes": "45",
            "track": "0",
            "speakers": [str(stranger.id)],
        },
    )

    assert answer.status_code == 400
    ids = session.exec(
        select(SessionSpeaker.speaker_id).where(SessionSpeaker.session_id == keynote.id)
    ).all()
    assert ids == [programme.speakers["Ada Lovelace"].id]
    assert (
        organiser.get(
            f"/admin/conferences/mlopscon/stages/{other.stages['Main Stage'].id}"
        ).status_code
        == 404
    )


def test_removing_a_session_takes_it_off_the_agenda(organiser, session, make_conference):
    programme = make_conference()
    lunch = programme.sessions["Lunch"]

    answer = _post(
        organiser, _admin(programme), {}, _admin(programme, f"/sessions/{lunch.id}/remove")
    )

    assert answer.status_code == 302
    assert (
        session.exec(select(ConferenceSession).where(ConferenceSession.title == "Lunch")).first()
        is None
    )


def test_unplacing_a_session_lists_it_apart(organiser, session, make_conference):
    programme = make_conference()
    lunch = programme.sessions["Lunch"]

    _post(organiser, _admin(programme), {}, _admin(programme, f"/sessions/{lunch.id}/unplace"))

    session.refresh(lunch)
    assert lunch.starts_at is None
    page = organiser.get(_admin(programme)).get_data(as_text=True)
    assert "Lunch" in page.split('id="unplaced"')[1].split('id="stages"')[0]


def test_publishing_and_unpublishing_the_agenda(organiser, session, make_conference):
    programme = make_conference()
    programme.conference.agenda_published_at = None
    session.commit()
    assert "not published" in organiser.get(_admin(programme)).get_data(as_text=True)

    published = _post(organiser, _admin(programme), {}, _admin(programme, "/publish"))

    session.refresh(programme.conference)
    assert published.status_code == 302 and programme.conference.agenda_published_at is not None
    page = organiser.get(_admin(programme)).get_data(as_text=True)
    assert (
        'href="/conferences/mlopscon"' in page
        and "The agenda is public at /conferences/mlopscon" in page
    )

    _post(organiser, _admin(programme), {}, _admin(programme, "/unpublish"))
    session.refresh(programme.conference)
    assert programme.conference.agenda_published_at is None


def test_a_post_without_its_csrf_token_changes_nothing(organiser, session, make_conference):
    programme = make_conference()
    programme.conference.agenda_published_at = None
    session.commit()

    organiser.post(_admin(programme, "/publish"))

    session.refresh(programme.conference)
    assert programme.conference.agenda_published_at is None


def test_someone_logged_out_is_sent_to_log_in(client, make_conference):
    programme = make_conference()
    answer = client.get(_admin(programme))
    assert answer.status_code == 302 and "/login" in answer.location
