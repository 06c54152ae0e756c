"""Any web page can make a visitor's browser send a GET (an <img>, a prefetch): no GET route
may change anything. Only /api/ask counts itself, against its own limit."""

import threading

from sqlalchemy import event
from werkzeug.routing import AnyConverter

from community.db import get_engine
from community.events.registrations import Person, register
from community.events.tokens import registration_token
from community.newsletter.subscriptions import subscribe
from community.newsletter.tokens import confirmation_token, subscriber_token

WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")
TOKEN_OF = {
    "events.manage_registration": "registration",
    "newsletter.confirm_page": "confirmation",
}


def _sample_urls(app, session, make_event) -> list[str]:
    """One URL per GET route of the app, with arguments that exist."""
    event_ = make_event()
    registration = register(
        session=session, event_id=event_.id, person=Person(name="Ada", email="ada@example.org")
    )
    subscriber = subscribe(session, email="bo@example.org", source="web", confirmed=False)
    session.commit()
    with app.app_context():
        tokens = {
            "registration": registration_token(registration.id),
            "confirmation": confirmation_token(subscriber.id, subscriber.email),
            "subscriber": subscriber_token(subscriber.id),
        }
    values = {"event_id": event_.id, "item_id": 1, "issue_id": 1, "question_id": 1}
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        arguments = {name: values.get(name, 1) for name in rule.arguments}
        if "token" in rule.arguments:
            arguments["token"] = tokens[TOKEN_OF.get(rule.endpoint, "subscriber")]
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                arguments[name] = sorted(converter.items)[0]
        urls.append(rule.build(arguments, append_unknown=False)[1])
    return urls


def test_no_get_route_changes_anything(app, client, session, make_event):
    urls = _sample_urls(app, session, make_event)
    writes = []
    requests_thread = threading.get_ident()  # the test client serves in this thread

    @event.listens_for(get_engine(app), "before_cursor_execute")
    def note_writes(_connection, _cursor, statement, _params, _context, _many):
        verb = statement.lstrip().split(None, 1)[0].upper()
        if threading.get_ident() == requests_thread and verb in WRITES:
            writes.append(statement.split("\n")[0])

    for url in [*urls, "/api/ask?q=drift", "/search?q=drift", "/api/search?q=drift"]:
        assert client.get(url).status_code != 500, url  # /healthz is 503 with no scheduler

    assert [write for write in writes if "rate_limit_counter" not in write] == []
    assert len(urls) > 20  # every GET route, organisers' ones too (logged out)
