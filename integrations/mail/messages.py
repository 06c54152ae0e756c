"""Composing email messages with the headers every mail client and spam filter expects.

Built with the standard library's MIME classes: they are about twice as fast as
EmailMessage's content manager, which counts when a newsletter goes to thousands of
people, and they never turn a long ASCII header such as List-Unsubscribe into encoded
words (mail providers would then not find the unsubscribe link).
"""

from datetime import UTC, datetime
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

UTF8_QP = Charset("utf-8")
UTF8_QP.header_encoding = QP
UTF8_QP.body_encoding = QP


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
) -> Message:
    """A plain-text message, or multipart/alternative with an HTML part when `html` is given."""
    for value in (sender, to, subject, *(headers or {}).values()):
        if "\n" in value or "\r" in value:
            raise ValueError("a header value cannot contain a line break")
    message = _body(text, html)
    message["From"] = _address(sender)
    message["To"] = _address(to)
    message["Subject"] = _header_text(subject)
    message["Date"] = format_datetime(datetime.now(UTC))
    # A fixed Message-ID lets receiving servers recognise a resend of the same message.
    message["Message-ID"] = message_id or make_msgid(domain=message_domain)
    for name, value in (headers or {}).items():
        message[name] = value
    return message


def _body(text: str, html: str | None) -> Message:
    plain = MIMEText(text, "plain", UTF8_QP)
    if html is None:
        return plain
    alternative = MIMEMultipart("alternative")
    alternative.attach(plain)
    alternative.attach(MIMEText(html, "html", UTF8_QP))
    return alternative


def _header_text(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")


def _address(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8") if name else address
