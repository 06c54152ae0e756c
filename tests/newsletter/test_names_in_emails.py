"""The name typed into the subscribe form is one short line, and the confirmation email it
reaches shows it as text that no mail client turns into a link."""

import pytest
from linkify_it import LinkifyIt
from sqlmodel import select

from community.models import OutgoingEmail, Subscriber
from tests.helpers import csrf_token
from tests.mail_server import plain_text


def _subscribe(client, name: str, email: str = "victim@example.org"):
    token = csrf_token(client.get("/newsletter").get_data(as_text=True))
    return client.post("/newsletter", data={"email": email, "name": name, "csrf_token": token})


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Ada\n\nYour mailbox is full: sign in again to keep it.", "one line"),
        ("A" * 101, "within 100 characters"),
    ],
)
def test_a_name_on_several_lines_or_too_long_is_refused(
    client, session, mail_server, name, problem
):
    response = _subscribe(client, name)

    assert response.status_code == 400
    assert problem in response.get_data(as_text=True)
    assert session.exec(select(Subscriber)).all() == []
    assert session.exec(select(OutgoingEmail)).all() == []


def test_a_name_never_becomes_a_link_in_the_confirmation(client, mail_server):
    _subscribe(client, "Ada, claim your prize at http://evil.com/win or www.evil.com")

    (email,) = mail_server.to("victim@example.org")
    text = plain_text(email)
    links = [match.url for match in LinkifyIt().match(text) or []]
    assert links and all(link.startswith("https://news.test/") for link in links), links
    assert "claim your prize at" in text
