"""The follow-up survey: one rating and comment per person per session, changeable, behind a
signed link; organisers see each session's count, average, distribution and comments."""

import re

import pytest
from sqlmodel import select

from community.conferences.feedback import survey_token
from community.models import Registration, RegistrationStatus, SessionFeedback
from tests.helpers import csrf_token

TALK = "Feature stores in practice"
WORKSHOP = "Evaluating LLM apps"


@pytest.fixture
def ended(make_conference, session):
    programme = make_conference(days_ahead=-3)
    programme.sessions[TALK].recording_url = "https://video.example.org/fs"
    programme.sessions[WORKSHOP].slides_url = "https://slides.example.org/llm"
    session.commit()
    return programme


def register(session, programme, name="Ada Byron", email="ada@people.test", **fields):
    registration = Registration(event_id=programme.event.id, name=name, email=email, **fields)
    session.add(registration)
    session.commit()
    return registration


def survey_path(app, programme, registration) -> str:
    with app.app_context():
        token = survey_token(programme.conference, registration)
    return f"/conferences/{programme.conference.acronym}/feedback/{token}"


def answer(client, path, answers: dict[int, tuple[str, str]]):
    data = {"csrf_token": csrf_token(client.get(path).get_data(as_text=True))}
    for session_id, (rating, comment) in answers.items():
        if rating:
            data[f"rating_{session_id}"] = rating
        data[f"comment_{session_id}"] = comment
    return client.post(path, data=data)


def test_a_person_rates_the_sessions_and_can_change_their_answer(app, client, session, ended):
    ada = register(session, ended)
    path = survey_path(app, ended, ada)
    talk, workshop = ended.sessions[TALK], ended.sessions[WORKSHOP]

    page = client.get(path).get_data(as_text=True)
    assert TALK in page and WORKSHOP in page and "Opening keynote" not in page

    thanks = answer(client, path, {talk.id: ("4", "Clear and practical"), workshop.id: ("", "")})
    assert thanks.status_code == 200 and "Thank you!" in thanks.get_data(as_text=True)
    changed = answer(client, path, {talk.id: ("5", "Even better on rewatch")})
    assert changed.status_code == 200

    (stored,) = session.exec(select(SessionFeedback)).all()
    assert (stored.session_id, stored.rating, stored.comment) == (
        talk.id,
        5,
        "Even better on rewatch",
    )
    again = client.get(path).get_data(as_text=True)
    assert (
        re.search(r'<input checked id="rating_\d+-4"', again) and "Even better on rewatch" in again
    )


def test_a_comment_without_a_rating_is_refused_and_kept(app, client, session, ended):
    path = survey_path(app, ended, register(session, ended))
    talk = ended.sessions[TALK]

    response = answer(client, path, {talk.id: ("", "Loved the demo")})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f"Choose a rating from 1 to 5 for “{TALK}” to send your comment" in html
    assert "Loved the demo" in html
    assert session.exec(select(SessionFeedback)).all() == []


def test_a_rating_outside_one_to_five_is_refused(app, client, session, ended):
    path = survey_path(app, ended, register(session, ended))

    response = answer(client, path, {ended.sessions[TALK].id: ("9", "")})

    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)


def test_forged_foreign_and_cancelled_links_find_nothing(
    app, client, session, ended, make_conference
):
    ada = register(session, ended)
    other = make_conference(acronym="othercon", days_ahead=-5, title="Other Conference")
    stranger = register(session, other, email="ada@other.test")
    gone = register(
        session, ended, "Carol", "carol@people.test", status=RegistrationStatus.CANCELLED
    )
    real = survey_path(app, ended, ada)

    assert client.get(real).status_code == 200
    assert client.get(real[:-2] + ("xy" if not real.endswith("xy") else "ab")).status_code == 404
    assert client.get(real.replace("mlopscon", "othercon")).status_code == 404
    foreign = survey_path(app, other, stranger).replace("othercon", "mlopscon")
    assert client.get(foreign).status_code == 404
    assert client.get(survey_path(app, ended, gone)).status_code == 404
    with app.app_context():
        from itsdangerous import URLSafeSerializer

        registration_salt = URLSafeSerializer(app.config["SECRET_KEY"], salt="event-registration")
        wrong_salt = registration_salt.dumps([ended.conference.id, ada.id])
    assert client.get(f"/conferences/mlopscon/feedback/{wrong_salt}").status_code == 404


def test_organisers_see_count_average_distribution_and_comments(
    app, client, organiser, session, ended
):
    talk = ended.sessions[TALK]
    for number, (rating, comment) in enumerate([("5", "Superb"), ("4", ""), ("3", "Too fast")]):
        person = register(session, ended, f"P{number}", f"p{number}@people.test")
        anonymous = app.test_client()
        answer(anonymous, survey_path(app, ended, person), {talk.id: (rating, comment)})

    html = organiser.get("/admin/conferences/mlopscon/feedback").get_data(as_text=True)

    card = html[html.index(f'id="feedback-{talk.id}"') :]
    assert re.search(r'class="average">4\.0</strong> out of 5 from 3 ratings', card)
    counts = re.findall(r'<span class="count">(\d+)</span>', card)[:5]
    assert counts == ["1", "1", "1", "0", "0"]  # 5, 4, 3, 2, 1
    assert "Superb" in card and "Too fast" in card
    assert WORKSHOP not in html  # no answers, no card


def test_the_results_are_for_organisers_only(client, ended):
    response = client.get("/admin/conferences/mlopscon/feedback")

    assert response.status_code == 302 and "/login" in response.location
