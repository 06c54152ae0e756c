"""Subscribing with double opt-in, managing the subscription, leaving it."""

import re
from datetime import UTC, datetime, timedelta

import time_machine
from sqlmodel import select

from community.models import Subscriber
from community.models.newsletter import SubscriberStatus
from tests.helpers import csrf_token
from tests.mail_server import plain_text


def _subscribe(client, email: str, name: str = "Ada"):
    token = csrf_token(client.get("/newsletter").get_data(as_text=True))
    return client.post("/newsletter", data={"email": email, "name": name, "csrf_token": token})


def _link(message, path: str) -> str:
    match = re.search(rf"https://news\.test(/newsletter/{path}/\S+)", plain_text(message))
    assert match, f"no /newsletter/{path}/ link in the email"
    return match.group(1)


def _subscriber(session, email: str) -> Subscriber:
    session.expire_all()
    return session.exec(select(Subscriber).where(Subscriber.email == email)).one()


def test_subscribing_needs_one_click_on_the_emailed_link(client, session, mail_server):
    response = _subscribe(client, "ada@example.org")

    assert "Check your inbox" in response.get_data(as_text=True)
    assert _subscriber(session, "ada@example.org").status == SubscriberStatus.PENDING
    (confirmation,) = mail_server.to("ada@example.org")
    link = _link(confirmation, "confirm")

    page = client.get(link)  # what a link scanner does: look, never press
    assert "Yes, subscribe me" in page.get_data(as_text=True)
    assert _subscriber(session, "ada@example.org").status == SubscriberStatus.PENDING

    client.post(link, data={"csrf_token": csrf_token(page.get_data(as_text=True))})

    subscriber = _subscriber(session, "ada@example.org")
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert subscriber.consented_at is not None and subscriber.confirmed_at is not None


def test_a_forged_or_tampered_confirmation_link_does_nothing(client, session, mail_server):
    _subscribe(client, "ada@example.org")
    link = _link(mail_server.to("ada@example.org")[0], "confirm")

    assert client.get(link[:-3] + "abc").status_code == 404
    assert client.get("/newsletter/confirm/not-a-token").status_code == 404
    assert _subscriber(session, "ada@example.org").status == SubscriberStatus.PENDING


def test_the_form_answers_the_same_for_known_addresses_and_mails_them_their_link(
    client, session, subscribers, mail_server
):
    subscribers("ada@example.org")

    response = _subscribe(client, "ADA@example.org")

    assert "Check your inbox" in response.get_data(as_text=True)
    (notice,) = mail_server.to("ada@example.org")
    assert _link(notice, "preferences")
    assert _subscriber(session, "ada@example.org").status == SubscriberStatus.CONFIRMED


def test_a_bad_address_is_explained_and_nothing_is_stored(client, session):
    response = _subscribe(client, "not an address")

    assert response.status_code == 400
    assert session.exec(select(Subscriber)).all() == []


def test_preferences_and_unsubscribe_links_work_without_login(app, session, subscribers):
    (subscriber,) = subscribers("ada@example.org")
    with app.test_request_context():
        from community.newsletter.tokens import subscriber_token

        token = subscriber_token(subscriber.id)
    client = app.test_client()

    page = client.get(f"/newsletter/preferences/{token}").get_data(as_text=True)
    assert "You receive the weekly newsletter at" in page
    client.post(
        f"/newsletter/preferences/{token}", data={"name": "Ada L.", "csrf_token": csrf_token(page)}
    )
    assert _subscriber(session, "ada@example.org").name == "Ada L."

    assert "Unsubscribe" in client.get(f"/newsletter/unsubscribe/{token}").get_data(as_text=True)
    assert _subscriber(session, "ada@example.org").status == SubscriberStatus.CONFIRMED
    client.post(f"/newsletter/unsubscribe/{token}")
    assert _subscriber(session, "ada@example.org").status == SubscriberStatus.UNSUBSCRIBED

    page = client.get(f"/newsletter/preferences/{token}").get_data(as_text=True)
    client.post(
        f"/newsletter/preferences/{token}/resubscribe", data={"csrf_token": csrf_token(page)}
    )
    assert _subscriber(session, "ada@example.org").status == SubscriberStatus.CONFIRMED


def test_a_forged_unsubscribe_link_changes_nothing(client, session, subscribers):
    subscribers("ada@example.org")

    assert client.post("/newsletter/unsubscribe/MQ.forged").status_code == 404
    assert _subscriber(session, "ada@example.org").status == SubscriberStatus.CONFIRMED


def test_importing_subscribers_reports_invalid_rows_and_never_readds_leavers(
    runner, tmp_path, session, subscribers
):
    from community.newsletter.subscriptions import unsubscribe

    (leaver,) = subscribers("left@example.org")
    unsubscribe(leaver)
    session.commit()
    csv_file = tmp_path / "subscribers.csv"
    csv_file.write_text(
        "email,name,subscribed_at\n"
        "grace@example.org,Grace,2024-03-01T10:00:00+00:00\n"
        "not-an-email,Broken,\n"
        "left@example.org,Left,\n"
        "linus@example.org,Linus,\n"
    )

    result = runner.invoke(args=["newsletter", "subscribers", "import", str(csv_file), "--json"])

    assert result.exit_code == 0, result.output
    import json

    outcome = json.loads(result.stdout)
    assert (outcome["imported"], outcome["already_known"]) == (2, 1)
    assert len(outcome["invalid"]) == 1 and outcome["invalid"][0].startswith("line 3:")
    grace = _subscriber(session, "grace@example.org")
    assert grace.status == SubscriberStatus.CONFIRMED
    assert grace.consented_at.isoformat() == "2024-03-01T10:00:00+00:00"
    assert _subscriber(session, "left@example.org").status == SubscriberStatus.UNSUBSCRIBED


def _later(minutes: int):
    """Past the ten minutes within which no address gets a second email of any kind."""
    return time_machine.travel(datetime.now(UTC) + timedelta(minutes=minutes), tick=True)


def test_subscribing_twice_sends_one_confirmation_while_its_link_works(
    client, session, mail_server
):
    first = _subscribe(client, "ada@example.org")
    with _later(minutes=30):
        second = _subscribe(client, "ada@example.org", name="Ada Lovelace")

    assert second.status_code == first.status_code == 200
    assert second.get_data(as_text=True) == first.get_data(as_text=True)
    (confirmation,) = mail_server.to("ada@example.org")
    link = _link(confirmation, "confirm")
    page = client.get(link).get_data(as_text=True)
    client.post(link, data={"csrf_token": csrf_token(page)})
    assert _subscriber(session, "ada@example.org").status == SubscriberStatus.CONFIRMED


def test_asking_again_once_the_link_is_about_to_expire_sends_a_new_one(
    client, session, mail_server
):
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=True):
        _subscribe(client, "ada@example.org")
    with time_machine.travel(start + timedelta(days=6, hours=1), tick=True):
        _subscribe(client, "ada@example.org")
        first, second = mail_server.to("ada@example.org")
        assert _link(first, "confirm") != _link(second, "confirm")
        page = client.get(_link(second, "confirm"))

    assert "Yes, subscribe me" in page.get_data(as_text=True)


def test_coming_back_after_unsubscribing_sends_a_new_confirmation(client, session, mail_server):
    from community.newsletter.subscriptions import unsubscribe

    _subscribe(client, "ada@example.org")
    ada = _subscriber(session, "ada@example.org")
    unsubscribe(ada)
    session.commit()

    with _later(minutes=30):
        _subscribe(client, "ada@example.org")

    assert len(mail_server.to("ada@example.org")) == 2
    assert _subscriber(session, "ada@example.org").status == SubscriberStatus.PENDING


def test_a_used_confirmation_link_says_you_are_already_subscribed(client, session, mail_server):
    _subscribe(client, "ada@example.org")
    link = _link(mail_server.to("ada@example.org")[0], "confirm")
    page = client.get(link).get_data(as_text=True)
    client.post(link, data={"csrf_token": csrf_token(page)})

    again = client.get(link)
    pressed_again = client.post(link, data={"csrf_token": csrf_token(page)})
    with time_machine.travel(datetime.now(UTC) + timedelta(days=30), tick=True):
        much_later = client.get(link)

    for response in (again, pressed_again, much_later):
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "You are already subscribed" in html and "ada@example.org" in html
        assert "does not work" not in html
    assert len(mail_server.to("ada@example.org")) == 1


def test_an_unused_confirmation_link_expires_after_a_week(client, session, mail_server):
    _subscribe(client, "ada@example.org")
    link = _link(mail_server.to("ada@example.org")[0], "confirm")

    with time_machine.travel(datetime.now(UTC) + timedelta(days=8), tick=True):
        response = client.get(link)

    assert response.status_code == 404
    assert "does not work any more" in response.get_data(as_text=True)
