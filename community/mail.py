"""Sending one email from the service's settings (SMTP_URL, or the outbox folder)."""

import logging
from urllib.parse import urlsplit

from flask import current_app

from integrations.mail.messages import compose
from integrations.mail.transport import MailError, open_transport

log = logging.getLogger("community.mail")


def mail_transport(config=None):
    config = config or current_app.config
    return open_transport(config.get("SMTP_URL"), config["OUTBOX_DIR"])


def message_domain(config=None) -> str:
    config = config or current_app.config
    return urlsplit(config["PUBLIC_URL"]).hostname or "localhost"


def send_email(*, to: str, subject: str, text: str, html: str | None = None) -> bool:
    """True when sent; a mail outage is logged and never undoes what the caller saved."""
    transport = mail_transport()
    try:
        message = compose(
            sender=current_app.config["MAIL_FROM"],
            to=to,
            subject=subject,
            text=text,
            html=html,
            message_domain=message_domain(),
        )
        transport.send(message)
        return True
    except (MailError, ValueError) as error:  # ValueError: a header the email package refuses
        log.warning("email %r to %s not sent: %s", subject, to, error)
        return False
    finally:
        transport.close()
