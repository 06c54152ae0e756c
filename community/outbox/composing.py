"""Turning outbox rows into what the transports send, from the service's settings."""

import base64
from email.message import Message
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


def email_message(email: OutgoingEmail, config: Settings) -> Message:
    """The same Message-ID on every attempt, so receiving servers can spot a resend."""
    domain = message_domain(config)
    return compose(
        sender=config.MAIL_FROM,
        to=email.to_address,
        subject=email.subject,
        text=email.text,
        html=email.html,
        message_domain=domain,
        message_id=f"<mail-{email.id or 0}@{domain}>",
        attachments=[_attachment(stored) for stored in email.attachments or ()],
    )


def _attachment(stored: dict) -> Attachment:
    content = stored["content"]
    if stored.get("encoding") == "base64":
        content = base64.b64decode(content)
    return Attachment(stored["filename"], stored["content_type"], content)
