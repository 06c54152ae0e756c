"""Composed messages with files: the body first, then each file, readable by any client."""

import email
import email.policy

import pytest

from integrations.mail.messages import Attachment, compose

CALENDAR = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nSUMMARY:Café\r\nEND:VCALENDAR\r\n"


def _parsed(message):
    return email.message_from_bytes(message.as_bytes(), policy=email.policy.default)


def _compose(**overrides):
    return compose(
        **{
            "sender": "Community <community@example.org>",
            "to": "ada@example.org",
            "subject": "Your place",
            "text": "See you there.",
            **overrides,
        }
    )


def test_files_follow_the_text_and_html_alternatives_in_a_mixed_message():
    message = _parsed(
        _compose(
            html="<p>See you there.</p>",
            attachments=[
                Attachment("event.ics", "text/calendar; method=REQUEST", CALENDAR),
                Attachment("slides.pdf", "application/pdf", b"%PDF-1.7\x00\xff"),
            ],
        )
    )

    body, calendar, slides = message.iter_parts()
    assert message.get_content_type() == "multipart/mixed"
    assert body.get_content_type() == "multipart/alternative"
    assert message.get_body(("html",)).get_content().strip() == "<p>See you there.</p>"
    assert (calendar.get_content_type(), calendar.get_param("method")) == (
        "text/calendar",
        "REQUEST",
    )
    assert calendar.get_payload(decode=True) == CALENDAR.encode()  # CRLF and UTF-8 intact
    assert (slides.get_filename(), slides.get_payload(decode=True)) == (
        "slides.pdf",
        b"%PDF-1.7\x00\xff",
    )
    assert message["Subject"] == "Your place"


def test_a_plain_message_with_a_file_keeps_its_text_as_the_body():
    message = _parsed(_compose(attachments=[Attachment("notes.txt", "text/plain", "Notes")]))

    assert message.get_body(("plain",)).get_content().strip() == "See you there."
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "notes.txt"


@pytest.mark.parametrize(
    "attachment",
    [
        Attachment("a.ics\nBcc: x@example.org", "text/calendar", CALENDAR),
        Attachment("a.ics", "calendar", CALENDAR),
        Attachment("a.ics", "text/calendar\r\nBcc: x@example.org", CALENDAR),
    ],
)
def test_a_file_name_or_type_that_would_break_the_headers_is_refused(attachment):
    with pytest.raises(ValueError):
        _compose(attachments=[attachment])
