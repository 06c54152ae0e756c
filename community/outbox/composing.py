"""Turning outbox rows into what the transports send, from the service's settings."""

import base64
from dataclasses import dataclass
from email.encoders import encode_base64
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from urllib.parse import urlsplit

from community.config import Settings
from community.models import OutgoingEmail
from integrations.mail.messages import Attachment, compose
from integrations.mail.transport import open_transport


def mail_transport(config: Settings):
    """SMTP to SMTP_URL, or .eml files in OUTBOX_DIR when no relay is configured."""
    return open_transport(config.SMTP_URL, config.OUTBOX_DIR, timeout=config.SMTP_TIMEOUT_SECONDS)


def message_domain(config: Settings) -> str:
    return urlsplit(config.PUBLIC_URL).hostname or "localhost"


@dataclass(frozen=True)
class InlineImage:
    """A picture the HTML part shows with `<img src="cid:{content_id}">`."""

    content_id: str  # "check-in@community": a message id's form, without the brackets
    filename: str
    content_type: str  # "image/png"
    content: bytes


def email_message(email: OutgoingEmail, config: Settings) -> Message:
    """The same Message-ID on every attempt, so receiving servers can spot a resend."""
    domain = message_domain(config)
    stored = email.attachments or ()
    inline = [_inline_image(item) for item in stored if item.get("content_id")]
    message = compose(
        sender=config.MAIL_FROM,
        to=email.to_address,
        subject=email.subject,
        text=email.text,
        html=email.html,
        message_domain=domain,
        message_id=f"<mail-{email.id or 0}@{domain}>",
        attachments=[_attachment(item) for item in stored if not item.get("content_id")],
    )
    if inline and email.html is not None:
        _show_inline(message, inline)
    return message


def _attachment(stored: dict) -> Attachment:
    content = stored["content"]
    if stored.get("encoding") == "base64":
        content = base64.b64decode(content)
    return Attachment(stored["filename"], stored["content_type"], content)


def _inline_image(stored: dict) -> InlineImage:
    attachment = _attachment(stored)
    return InlineImage(
        stored["content_id"], attachment.filename, attachment.content_type, attachment.content
    )


def _show_inline(message: Message, images: list[InlineImage]) -> None:
    """Puts the HTML and its pictures in one multipart/related part, as mail clients need to
    resolve `cid:` links; the attachments, if any, stay beside it."""
    alternative = message.get_payload(0) if message.get_content_subtype() == "mixed" else message
    both_bodies = MIMEMultipart("alternative")
    for part in alternative.get_payload():
        both_bodies.attach(part)
    alternative.set_type("multipart/related")
    alternative.set_param("type", "multipart/alternative")
    alternative.set_payload([both_bodies, *(_inline_part(image) for image in images)])


def _inline_part(image: InlineImage) -> Message:
    maintype, _, subtype = image.content_type.partition("/")
    if maintype != "image" or not subtype or any(c in image.content_id for c in "<>\r\n"):
        raise ValueError(f"{image.content_type!r} with {image.content_id!r} is no inline image")
    part = MIMENonMultipart(maintype, subtype)
    part.set_payload(image.content)
    encode_base64(part)
    part.add_header("Content-ID", f"<{image.content_id}>")
    part.add_header("Content-Disposition", "inline", filename=image.filename)
    return part
