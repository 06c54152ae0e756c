"""Delivering messages: over SMTP (one reused connection) or as .eml files in an outbox.

Failures come out as two kinds, because callers treat them differently: a permanent one
(5xx: the address is refused, do not retry it) and a temporary one (4xx, a dropped
connection, an outage: try again later).
"""

import hashlib
import os
import smtplib
import ssl
import time
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
IDLE_CHECK_SECONDS = 5.0


class MailError(Exception):
    """`recipient_only` when the server refused or deferred this one address and the next
    message can go ahead; otherwise the problem is the server, the sender or the settings."""

    def __init__(self, message: str, *, recipient_only: bool = False):
        super().__init__(message)
        self.recipient_only = recipient_only


class PermanentMailError(MailError):
    """The server refused for good (5xx)."""


class TemporaryMailError(MailError):
    """It may go through later (4xx, connection lost, server down)."""


def open_transport(smtp_url: str | None, outbox_dir: Path, *, timeout: float = 30.0):
    if not smtp_url:
        return OutboxTransport(outbox_dir)
    return SmtpTransport(smtp_url, timeout=timeout)


class OutboxTransport:
    """Writes each message as an .eml file; for running without a mail server."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(str(message["Message-ID"]).encode()).hexdigest()[:32]
        partial = self.folder / f".{name}.partial"
        partial.write_bytes(message.as_bytes())
        os.replace(partial, self.folder / f"{name}.eml")  # readers never see half a message

    def close(self) -> None:
        pass


class SmtpTransport:
    """One connection reused for many messages, reopened once if the server dropped it."""

    def __init__(self, url: str, *, timeout: float = 30.0, ssl_context=None):
        self.settings = _parse_url(url)
        self.timeout = timeout
        self.ssl_context = ssl_context or ssl.create_default_context()
        self._connection: smtplib.SMTP | None = None
        self._last_used = 0.0

    def send(self, message: EmailMessage) -> None:
        """Sends once: a failure mid-message is not retried here, as it may have arrived."""
        try:
            refused = self._connected().send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            raise _classified(_first_refusal(error.recipients), recipient=True) from error
        except smtplib.SMTPResponseException as error:
            self._drop_after(error)
            raise _classified((error.smtp_code, error.smtp_error)) from error
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise TemporaryMailError(f"mail server unreachable: {error}") from error
        if refused:
            raise _classified(_first_refusal(refused), recipient=True)

    def _connected(self) -> smtplib.SMTP:
        if self._connection is not None and not self._still_open():
            self.close()
        if self._connection is None:
            self._connection = self._connect()
        self._last_used = time.monotonic()
        return self._connection

    def _still_open(self) -> bool:
        """Servers drop idle sessions; check before reusing one that sat for a while."""
        if time.monotonic() - self._last_used < IDLE_CHECK_SECONDS:
            return True
        try:
            return self._connection.noop()[0] == 250
        except (OSError, smtplib.SMTPException):
            return False

    def _connect(self) -> smtplib.SMTP:
        try:
            return self._open_session()
        except smtplib.SMTPAuthenticationError as error:
            raise MailError(f"the mail server refused the login in SMTP_URL: {error}") from error
        except (OSError, smtplib.SMTPException) as error:
            raise TemporaryMailError(f"cannot reach the mail server: {error}") from error

    def _open_session(self) -> smtplib.SMTP:
        scheme, host, port, user, password = self.settings
        if scheme == "smtps":
            connection = smtplib.SMTP_SSL(
                host, port, timeout=self.timeout, context=self.ssl_context
            )
        else:
            connection = smtplib.SMTP(host, port, timeout=self.timeout)
        try:
            if scheme == "smtp+starttls":
                connection.starttls(context=self.ssl_context)
            if user:
                connection.login(user, password)
        except BaseException:
            connection.close()  # a refused login or handshake must not leave the socket open
            raise
        return connection

    def _drop_after(self, error: smtplib.SMTPResponseException) -> None:
        if error.smtp_code in (421, 554):  # the server is closing the session
            self.close()

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()

    def __enter__(self) -> "SmtpTransport":
        return self

    def __exit__(self, *_) -> None:
        self.close()


def _parse_url(url: str) -> tuple[str, str, int, str | None, str | None]:
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise MailError(
            "SMTP_URL must look like smtp://host:25, smtp+starttls://user:pass@host:587 "
            "or smtps://user:pass@host:465"
        )
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return parts.scheme, parts.hostname, parts.port or SCHEMES[parts.scheme], user, password


def _first_refusal(refused: dict) -> tuple[int, bytes]:
    return next(iter(refused.values()))


def _classified(reply: tuple[int, bytes | str], *, recipient: bool = False) -> MailError:
    code, text = reply
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    if 500 <= code < 600:
        return PermanentMailError(f"{code} {text}", recipient_only=recipient)
    return TemporaryMailError(f"{code} {text}", recipient_only=recipient and code != 421)
