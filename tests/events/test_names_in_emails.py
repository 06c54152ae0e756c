"""The name typed into the RSVP form is one short line, and in the emails it reaches it is
text that no mail client turns into a link."""

import pytest
from linkify_it import LinkifyIt
from sqlmodel import select

from community.models import OutgoingEmail, Registration
from tests.helpers import csrf_token
from tests.mail_server import plain_text

LINK_BAIT = "Ada, claim your prize at http://evil.com/win, www.evil.com or prizes@evil.com"


def _rsvp(client, event_id: int, name: str, email: str = "victim@example.org"):
    token = csrf_token(client.get(f"/events/{event_id}").get_data(as_text=True))
    return client.post(
        f"/events/{event_id}/rsvp",
        data={"name": name, "email": email, "csrf_token": token},
        follow_redirects=True,
    )


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Ada\n\nYour account is locked. Call +1 555 0100 to unlock it.", "one line"),
        ("Ada\rBcc: everyone@example.org", "one line"),
        ("A" * 101, "within 100 characters"),
    ],
)
def test_a_name_on_several_lines_or_too_long_is_refused(
    client, make_event, session, mail_server, name, problem
):
    event = make_event()

    response = _rsvp(client, event.id, name)

    assert response.status_code == 400
    assert problem in response.get_data(as_text=True)
    assert session.exec(select(Registration)).all() == []
    assert session.exec(select(OutgoingEmail)).all() == []


def test_a_name_never_becomes_a_link_in_the_email(client, make_event, mail_server):
    event = make_event()

    _rsvp(client, event.id, LINK_BAIT)

    (email,) = mail_server.to("victim@example.org")
    text = plain_text(email)
    links = [match.url for match in LinkifyIt().match(text) or []]
    assert links and all(link.startswith("http://events.test/") for link in links), links
    assert "claim your prize at" in text  # still there to read, as text
