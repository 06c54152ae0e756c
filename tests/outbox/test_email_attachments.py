"""Emails with files attached: kept in the outbox row, so retries send them whole."""

from sqlalchemy import update
from sqlmodel import select

from community.db import session_scope
from community.models import OutboxStatus, OutgoingEmail
from community.models.types import utcnow
from community.outbox import queue_email
from community.outbox.worker import deliver_outbox as outbox_job
from integrations.mail.messages import Attachment
from tests.helpers import deliver_outbox

CALENDAR = "\r\n".join(
    (
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Café night",
        "END:VCALENDAR",
        "",
    )
)
IMAGE = bytes(range(256)) * 4  # every byte value, as a binary file has


def _queue(app, **email) -> bool:
    with app.app_context(), session_scope() as session:
        return queue_email(
            session,
            **{
                "to": "ada@example.org",
                "subject": "Your place",
                "text": "See you there.",
                "html": "<p>See you <strong>there</strong>.</p>",
                "attachments": [
                    Attachment("event.ics", "text/calendar; method=PUBLISH", CALENDAR),
                    Attachment("map.png", "image/png", IMAGE),
                ],
                **email,
            },
        )


def _files(message) -> dict[str, tuple[str, bytes]]:
    return {
        part.get_filename(): (part.get_content_type(), part.get_payload(decode=True))
        for part in message.iter_attachments()
    }


def test_the_message_holds_the_text_the_html_and_each_file(make_app, mail_server):
    app = make_app(SMTP_URL=mail_server.url)

    assert _queue(app)
    deliver_outbox(app)

    (message,) = mail_server.to("ada@example.org")
    assert message.get_content_type() == "multipart/mixed"
    assert message.get_body(("plain",)).get_content() == "See you there."
    assert "<strong>there</strong>" in message.get_body(("html",)).get_content()
    files = _files(message)
    assert files["event.ics"] == ("text/calendar", CALENDAR.encode())
    assert files["map.png"] == ("image/png", IMAGE)
    calendar_part = next(p for p in message.iter_attachments() if p.get_filename() == "event.ics")
    assert calendar_part.get_param("method") == "PUBLISH"
    assert calendar_part.get_content_disposition() == "attachment"


def test_files_queued_during_an_outage_arrive_whole_once_the_server_is_back(
    make_app, session, mail_server
):
    down = make_app(SMTP_URL="smtp://127.0.0.1:9")  # nothing listens there
    working = make_app(SMTP_URL=mail_server.url)

    assert _queue(down)
    deliver_outbox(down)
    session.execute(update(OutgoingEmail).values(next_attempt_at=utcnow()))
    session.commit()
    with working.app_context():
        outbox_job()

    (message,) = mail_server.to("ada@example.org")
    assert _files(message)["map.png"] == ("image/png", IMAGE)
    assert _files(message)["event.ics"][1] == CALENDAR.encode()
    session.expire_all()
    (row,) = session.exec(select(OutgoingEmail)).all()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)


def test_a_file_name_with_a_line_break_is_refused_without_queueing(app, session):
    bad = Attachment("event.ics\r\nBcc: everyone@example.org", "text/calendar", CALENDAR)

    assert not _queue(app, attachments=[bad])

    assert session.exec(select(OutgoingEmail)).all() == []
