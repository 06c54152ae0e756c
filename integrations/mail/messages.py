"""Composing email messages with the headers every mail client and spam filter expects."""

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def compose(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    message_domain: str = "localhost",
    message_id: str | None = None,
) -> EmailMessage:
    """A plain-text message, or multipart/alternative with an HTML part when `html` is given."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    # A fixed Message-ID lets receiving servers recognise a resend of the same message.
    message["Message-ID"] = message_id or make_msgid(domain=message_domain)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message
