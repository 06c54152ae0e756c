"""After a conference an organiser adds a talk's recording and captions and sends the follow-up;
the attendee opens the survey from the email, rates the talk and is thanked; the organiser
reads the results, at 1280 and 390 px."""

import re

import pytest

from community.models import Registration, SessionAttendance
from tests.browser.screens import SCREENSHOTS, WIDTHS, Screens, log_in_as_organiser, new_page
from tests.conferences.conftest import make_conference  # noqa: F401  (the fixture)
from tests.helpers import deliver_outbox
from tests.mail_server import plain_text

pytestmark = pytest.mark.browser
TALK = "Feature stores in practice"


def _cue(second: int) -> str:
    minute, start = divmod(second, 60)
    said = "We backfill the offline store nightly." if second == 120 else f"Cue {second}."
    return f"00:{minute:02d}:{start:02d}.000 --> 00:{minute:02d}:{start + 9:02d}.000\n{said}\n"


CAPTIONS = "WEBVTT\n\n" + "\n".join(_cue(second) for second in range(0, 300, 10))


@pytest.fixture
def app_config(app_config, mail_server):
    return {**app_config, "SMTP_URL": mail_server.url}


@pytest.fixture
def ended(make_conference, session):  # noqa: F811  (the imported fixture)
    programme = make_conference(days_ahead=-3)
    ada = Registration(event_id=programme.event.id, name="Ada Byron", email="ada@people.test")
    session.add(ada)
    session.flush()
    session.add(SessionAttendance(session_id=programme.sessions[TALK].id, registration_id=ada.id))
    session.commit()
    return programme


def _add_recording(page, live_server, screens, talk_id: int, captions_file) -> None:
    page.goto(f"{live_server}/admin/conferences/mlopscon/recordings")
    card = page.locator(f"#session-{talk_id}")
    card.get_by_label("Recording link").fill("https://video.example.org/feature-stores")
    card.get_by_label("Slides link").fill("https://slides.example.org/feature-stores.pdf")
    card.get_by_label("…or upload captions (.vtt or .srt)").set_input_files(captions_file)
    card.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/recordings(#session-\d+)?$"))
    assert "in the knowledge base with 5 passages" in page.locator(".flashes").inner_text()
    screens.shoot("recording-saved")
    page.get_by_role("button", name="Send the follow-up email").click()
    page.wait_for_url(re.compile(r".*/recordings$"))
    assert "Follow-up email sent to 1 person." in page.locator(".flashes").inner_text()
    screens.shoot("follow-up-sent")


@pytest.mark.parametrize("width", WIDTHS)
def test_an_attendee_rates_a_talk_from_the_email_and_the_organiser_reads_it(
    app, runner, live_server, browser, mail_server, ended, tmp_path, width
):
    app.extensions["settings"].PUBLIC_URL = live_server
    captions_file = tmp_path / "feature-stores.vtt"
    captions_file.write_text(CAPTIONS)
    talk_id = ended.sessions[TALK].id
    organiser = new_page(browser, width)
    screens = Screens(organiser, SCREENSHOTS / "conference-feedback" / f"{width}px")
    log_in_as_organiser(organiser, live_server, runner)

    _add_recording(organiser, live_server, screens, talk_id, captions_file)

    deliver_outbox(app)
    (email,) = mail_server.to("ada@people.test")
    text = plain_text(email)
    assert "https://video.example.org/feature-stores" in text
    link = re.search(rf"{re.escape(live_server)}/conferences/mlopscon/feedback/\S+", text)[0]
    attendee = new_page(browser, width)
    attendee_screens = Screens(
        attendee, SCREENSHOTS / "conference-feedback" / f"{width}px-attendee"
    )
    attendee.goto(link)
    question = attendee.locator(f"#survey-session-{talk_id}")
    assert TALK in question.inner_text()
    attendee_screens.shoot("survey")
    question.get_by_label("5", exact=True).check()
    question.get_by_label(f"Comment on {TALK} (optional)").fill("The backfill demo was gold.")
    attendee_screens.shoot("survey-filled")
    attendee.get_by_role("button", name="Send my feedback").click()
    attendee.get_by_role("heading", name="Thank you!").wait_for()
    attendee_screens.shoot("thanks")

    organiser.goto(f"{live_server}/admin/conferences/mlopscon/feedback")
    card = organiser.locator(f"#feedback-{talk_id}")
    assert "5.0 out of 5 from 1 rating" in card.inner_text()
    assert "The backfill demo was gold." in card.inner_text()
    screens.shoot("results")
