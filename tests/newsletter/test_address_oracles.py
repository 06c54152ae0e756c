"""The newsletter forms tell a stranger nothing about who subscribed: the same answer and
one email for every address, and only the address's owner gets the link that lets them act."""

import re

from tests.helpers import csrf_token
from tests.mail_server import plain_text


def _post(client, path: str, **fields):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={**fields, "csrf_token": token})


def _answer(response, email: str) -> tuple[int, str]:
    return response.status_code, response.get_data(as_text=True).replace(email, "ADDRESS")


def _preferences_link(message) -> str:
    match = re.search(r"https://news\.test(/newsletter/preferences/\S+)", plain_text(message))
    assert match, "the email has no link to the preferences"
    return match.group(1)


def test_subscribing_a_subscribed_address_answers_the_same_and_mails_its_owner_the_link(
    app, subscribers, mail_server
):
    subscribers("known@example.org")

    known = _post(app.test_client(), "/newsletter", email="known@example.org", name="X")
    new = _post(app.test_client(), "/newsletter", email="new@example.org", name="X")

    assert _answer(known, "known@example.org") == _answer(new, "new@example.org")
    (notice,) = mail_server.to("known@example.org")
    assert "already receives" in plain_text(notice)
    page = app.test_client().get(_preferences_link(notice)).get_data(as_text=True)
    assert "You receive the weekly newsletter at" in page
    (confirmation,) = mail_server.to("new@example.org")
    assert "/newsletter/confirm/" in plain_text(confirmation)


def test_asking_for_the_preferences_link_answers_the_same_for_any_address(
    app, subscribers, mail_server
):
    subscribers("known@example.org")
    assert "/newsletter/link" in app.test_client().get("/newsletter").get_data(as_text=True)

    known = _post(app.test_client(), "/newsletter/link", email="known@example.org")
    unknown = _post(app.test_client(), "/newsletter/link", email="nobody@example.org")

    assert known.status_code == 200
    assert _answer(known, "known@example.org") == _answer(unknown, "nobody@example.org")
    (link,) = mail_server.to("known@example.org")
    assert app.test_client().get(_preferences_link(link)).status_code == 200
    assert mail_server.to("nobody@example.org") == []
