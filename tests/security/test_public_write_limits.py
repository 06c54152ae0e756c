"""Strangers' floods against the public forms and /api/ask, over real HTTP (issue #17).

Every flood is a bounded number of requests a little past the limits `app_config` below
sets low; what counts is what the database and the mail server
hold afterwards, and that the refused requests get a 429 a person or a script can act on.
"""

import threading

import pytest
from sqlalchemy import func
from sqlmodel import select

from community.events.registrations import Person, register
from community.events.tokens import registration_token
from community.models import Registration, Subscriber, UnansweredQuestion
from community.models.newsletter import SubscriberStatus
from community.newsletter.subscriptions import subscribe
from community.newsletter.tokens import subscriber_token
from tests.helpers import csrf_token, deliver_outbox

# Low enough for a bounded flood to pass them; the defaults are in community/config.py.
PER_CLIENT = 5
PER_ADDRESS = 3
ASK_API_PER_MINUTE = 5
UNANSWERABLE = "what is the best sourdough hydration for baguettes?"


@pytest.fixture
def app_config(app_config, mail_server):
    return {
        **app_config,
        "SMTP_URL": mail_server.url,
        "PUBLIC_URL": "http://community.test",
        # As behind one TLS proxy: X-Forwarded-For says which client a request comes from.
        "TRUSTED_PROXY_HOPS": 1,
        "PUBLIC_WRITES_PER_CLIENT": PER_CLIENT,
        "PUBLIC_WRITES_PER_ADDRESS": PER_ADDRESS,
        "ASK_API_PER_MINUTE": ASK_API_PER_MINUTE,
    }


def _count(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def _refused(responses) -> list[bool]:
    return [response.status_code == 429 for response in responses]


def _assert_readable_refusal(response) -> None:
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 600
    assert "text/html" in response.headers["Content-Type"]
    assert "Too many requests" in response.text and "try again in" in response.text


def _subscribe(client, email: str):
    return client.submit("/newsletter", email=email, name="Reader")


def test_a_flood_of_subscriptions_from_one_client_is_refused_and_writes_nothing(
    app, session, visitor, mail_server
):
    flooder = visitor()

    responses = [_subscribe(flooder, f"reader{n}@example.org") for n in range(PER_CLIENT + 4)]

    assert _refused(responses) == [False] * PER_CLIENT + [True] * 4
    _assert_readable_refusal(responses[-1])
    assert _count(session, Subscriber) == PER_CLIENT
    deliver_outbox(app)
    assert len(mail_server.received) == PER_CLIENT
    # Another client is not held back by the flood.
    assert _subscribe(visitor("198.51.100.2"), "someone@example.org").status_code == 200


def test_one_address_submitted_again_and_again_gets_one_email_and_the_usual_page(
    app, visitor, mail_server
):
    responses = [_subscribe(visitor(), "victim@example.org") for _ in range(PER_ADDRESS)]

    assert [response.status_code for response in responses] == [200] * PER_ADDRESS
    assert len({response.text for response in responses}) == 1  # nothing tells them apart
    assert "Check your inbox" in responses[-1].text
    deliver_outbox(app)
    assert len(mail_server.to("victim@example.org")) == 1


def test_one_address_is_limited_whatever_client_submits_it(app, session, visitor, mail_server):
    responses = [
        _subscribe(visitor(f"198.51.100.{n}"), "Victim@Example.org ")
        for n in range(PER_ADDRESS + 3)
    ]

    assert _refused(responses) == [False] * PER_ADDRESS + [True] * 3
    assert _count(session, Subscriber) == 1
    deliver_outbox(app)
    assert len(mail_server.received) == 1


def test_concurrent_subscriptions_from_one_client_never_pass_the_limit(app, session, visitor):
    """Parallel requests, as several web workers would serve them: none slips past."""
    flooders = [visitor() for _ in range(PER_CLIENT + 5)]
    pages = [flooder.http.get("/newsletter").text for flooder in flooders]
    statuses = []
    start = threading.Barrier(len(flooders))

    def post(n: int) -> None:
        start.wait(timeout=30)
        response = flooders[n].http.post(
            "/newsletter",
            data={"email": f"r{n}@example.org", "csrf_token": csrf_token(pages[n])},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(flooders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [200] * PER_CLIENT + [429] * 5
    assert _count(session, Subscriber) == PER_CLIENT


def _rsvp(client, event, email: str):
    return client.submit(f"/events/{event.id}", f"/events/{event.id}/rsvp", name="Ada", email=email)


def test_a_flood_of_rsvps_is_refused_and_registers_nobody_more(session, visitor, make_event):
    event = make_event()
    flooder = visitor()

    responses = [_rsvp(flooder, event, f"guest{n}@example.org") for n in range(PER_CLIENT + 3)]

    assert _refused(responses) == [False] * PER_CLIENT + [True] * 3
    assert all(response.status_code < 400 for response in responses[:PER_CLIENT])
    _assert_readable_refusal(responses[-1])
    assert _count(session, Registration) == PER_CLIENT


def test_one_address_cannot_be_registered_for_event_after_event(
    app, session, visitor, make_event, mail_server
):
    events = [make_event(title=f"Meetup {n}") for n in range(PER_ADDRESS + 2)]

    responses = [
        _rsvp(visitor(f"198.51.100.{n}"), event, "victim@example.org")
        for n, event in enumerate(events)
    ]

    assert _refused(responses) == [False] * PER_ADDRESS + [True] * 2
    assert _count(session, Registration) == PER_ADDRESS
    deliver_outbox(app)
    assert len(mail_server.to("victim@example.org")) <= PER_ADDRESS


def _registration_link(app, session, event) -> str:
    registration = register(
        session=session, event_id=event.id, person=Person(name="Ada", email="ada@example.org")
    )
    session.commit()
    with app.app_context():
        return f"/events/registration/{registration_token(registration.id)}"


def test_pressing_cancel_again_and_again_is_refused_after_the_limit(
    app, session, visitor, make_event
):
    link = _registration_link(app, session, make_event())
    clients = [visitor(f"198.51.100.{n}") for n in range(PER_ADDRESS + 2)]
    tokens = [csrf_token(client.http.get(link).text) for client in clients]  # before it is gone

    responses = [
        client.http.post(f"{link}/cancel", data={"csrf_token": token})
        for client, token in zip(clients, tokens, strict=True)
    ]

    assert _refused(responses) == [False] * PER_ADDRESS + [True] * 2
    _assert_readable_refusal(responses[-1])


def _subscriber_link(app, session, email: str) -> str:
    subscriber = subscribe(session, email=email, source="web", confirmed=True)
    session.commit()
    with app.app_context():
        return subscriber_token(subscriber.id)


def test_preferences_saved_too_often_are_refused_and_left_unchanged(app, session, visitor):
    token = _subscriber_link(app, session, "ada@example.org")
    page = f"/newsletter/preferences/{token}"
    clients = [visitor(f"198.51.100.{n}") for n in range(PER_ADDRESS + 1)]

    responses = [client.submit(page, name=f"Name {n}") for n, client in enumerate(clients)]

    assert _refused(responses) == [False] * PER_ADDRESS + [True]
    session.expire_all()
    assert session.exec(select(Subscriber.name)).one() == f"Name {PER_ADDRESS - 1}"


def test_one_click_unsubscribes_from_a_mail_provider_are_not_held_back(app, session, visitor):
    """They all come from the few servers of a mail provider: only each link is limited."""
    tokens = [_subscriber_link(app, session, f"reader{n}@example.org") for n in range(8)]
    provider = visitor("192.0.2.25").http

    statuses = [
        provider.post(
            f"/newsletter/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
        ).status_code
        for token in tokens
    ]

    assert statuses == [200] * 8
    session.expire_all()
    assert set(session.exec(select(Subscriber.status)).all()) == {SubscriberStatus.UNSUBSCRIBED}


def test_api_ask_flood_gets_429_in_json_and_records_no_question(session, visitor):
    """What any web page can make its visitors' browsers do with an <img>."""
    client = visitor().http

    responses = [
        client.get("/api/ask", params={"q": f"{UNANSWERABLE} {n}"})
        for n in range(ASK_API_PER_MINUTE + 3)
    ]

    assert _refused(responses) == [False] * ASK_API_PER_MINUTE + [True] * 3
    refused = responses[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["error"] == "too many requests"
    assert _count(session, UnansweredQuestion) == 0


def test_a_search_that_found_nothing_useful_offers_to_ask_the_organisers(runner, session, visitor):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    member = visitor()

    answered = member.http.get("/search", params={"q": "how do I detect model drift?"})
    unanswered = member.http.get("/search", params={"q": UNANSWERABLE})

    assert "Ask the organisers" not in answered.text
    assert "Ask the organisers" in unanswered.text
    sent = member.submit(
        f"/search?q={UNANSWERABLE}", "/search/ask-organisers", question=UNANSWERABLE
    )
    assert sent.status_code == 200 and "the organisers will see your question" in sent.text
    question = session.exec(select(UnansweredQuestion)).one()
    assert (question.question, question.asked_via) == (UNANSWERABLE, "web")


def test_asking_the_organisers_again_and_again_is_refused(session, visitor):
    flooder = visitor()

    responses = [
        flooder.submit(f"/search?q=gluten {n}", "/search/ask-organisers", question=f"gluten {n}")
        for n in range(PER_CLIENT + 2)
    ]

    assert _refused(responses) == [False] * PER_CLIENT + [True] * 2
    _assert_readable_refusal(responses[-1])
    assert _count(session, UnansweredQuestion) == PER_CLIENT


def test_asking_for_the_preferences_link_again_and_again_sends_one_email(
    app, session, visitor, mail_server
):
    _subscriber_link(app, session, "ada@example.org")

    responses = [
        visitor(f"198.51.100.{n}").submit("/newsletter/link", email="ada@example.org")
        for n in range(PER_ADDRESS + 1)
    ]

    assert _refused(responses) == [False] * PER_ADDRESS + [True]
    deliver_outbox(app)
    assert len(mail_server.to("ada@example.org")) == 1


def test_asking_for_the_registration_link_again_and_again_sends_one_email(
    app, session, visitor, make_event, mail_server
):
    event = make_event()
    _registration_link(app, session, event)
    page, action = f"/events/{event.id}", f"/events/{event.id}/registration-link"

    responses = [
        visitor(f"198.51.100.{n}").submit(page, action, email="ada@example.org")
        for n in range(PER_ADDRESS + 1)
    ]

    assert _refused(responses) == [False] * PER_ADDRESS + [True]
    deliver_outbox(app)
    assert len(mail_server.to("ada@example.org")) == 1
