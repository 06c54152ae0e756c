"""SMTP over STARTTLS and SMTPS with a login, against a real aiosmtpd server; the outbox."""

import email
import email.policy
import socket
import ssl

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from integrations.mail.messages import compose
from integrations.mail.transport import (
    MailError,
    OutboxTransport,
    SmtpTransport,
    TemporaryMailError,
)

USER, PASSWORD = "mailer", "s3cret/with:odd@chars"


class Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append((session.authenticated, envelope.rcpt_tos, envelope.content))
        return "250 OK"


def _authenticate(server, session, envelope, mechanism, auth_data):
    valid = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode(),
        auth_data.password.decode(),
    ) == (USER, PASSWORD)
    return AuthResult(success=valid, handled=False)  # the server answers 535 on failure


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def authority():
    return trustme.CA()


@pytest.fixture
def client_context(authority):
    context = ssl.create_default_context()
    authority.configure_trust(context)
    return context


def _server_context(authority) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    return context


def _message(to: str = "ada@example.org"):
    return compose(sender="Community <hello@example.org>", to=to, subject="Hi", text="Hello")


@pytest.fixture
def starttls_server(authority):
    inbox, port = Inbox(), _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=_server_context(authority),
        require_starttls=True,
        auth_required=True,
        authenticator=_authenticate,
    )
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def smtps_server(authority):
    inbox, port = Inbox(), _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        ssl_context=_server_context(authority),
        auth_required=True,
        authenticator=_authenticate,
        # aiosmtpd does not count implicit TLS as TLS; the whole connection is encrypted.
        auth_require_tls=False,
    )
    controller.start()
    yield inbox, port
    controller.stop()


def _url(scheme: str, port: int, password: str = PASSWORD) -> str:
    from urllib.parse import quote

    return f"{scheme}://{USER}:{quote(password, safe='')}@127.0.0.1:{port}"


def test_starttls_with_a_login_reuses_one_connection(starttls_server, client_context):
    inbox, port = starttls_server
    transport = SmtpTransport(_url("smtp+starttls", port), ssl_context=client_context)

    transport.send(_message("ada@example.org"))
    first_connection = transport._connection
    transport.send(_message("grace@example.org"))
    reused = transport._connection is first_connection
    transport.close()

    assert reused
    assert [rcpt for _, rcpt, _ in inbox.received] == [["ada@example.org"], ["grace@example.org"]]
    assert all(authenticated for authenticated, _, _ in inbox.received)


# aiosmtpd warns for each connection, as it does not count implicit TLS as TLS.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtps_with_a_login(smtps_server, client_context):
    inbox, port = smtps_server

    with SmtpTransport(_url("smtps", port), ssl_context=client_context) as transport:
        transport.send(_message())

    (authenticated, _, content) = inbox.received[0]
    parsed = email.message_from_bytes(content, policy=email.policy.default)
    assert authenticated and parsed["Subject"] == "Hi"


def test_an_untrusted_certificate_is_refused(starttls_server):
    _, port = starttls_server

    with pytest.raises(TemporaryMailError, match="cannot reach the mail server"):
        SmtpTransport(_url("smtp+starttls", port)).send(_message())  # system CAs only


def test_a_wrong_password_is_a_clear_error(starttls_server, client_context):
    _, port = starttls_server
    transport = SmtpTransport(_url("smtp+starttls", port, "wrong"), ssl_context=client_context)

    with pytest.raises(MailError, match="refused the login in SMTP_URL.*535"):
        transport.send(_message())


def test_a_malformed_smtp_url_is_explained():
    with pytest.raises(MailError, match="SMTP_URL must look like"):
        SmtpTransport("http://mail.example.org")


def test_without_smtp_the_outbox_gets_one_eml_file_per_message(tmp_path):
    outbox = OutboxTransport(tmp_path / "outbox")

    outbox.send(_message("ada@example.org"))
    outbox.send(_message("grace@example.org"))

    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    recipients = {email.message_from_bytes(f.read_bytes())["To"] for f in files}
    assert recipients == {"ada@example.org", "grace@example.org"}
    assert not list((tmp_path / "outbox").glob(".*.partial"))
