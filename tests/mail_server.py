"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives, for tests."""

import asyncio
import email
import email.policy
import errno
import socket
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller

START_ATTEMPTS = 5


class MailServer:
    """Receives mail like any relay; `refuse` and `reject_next` play permanent failures."""

    def __init__(self):
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: dict[str, str] = {}  # recipient -> SMTP reply, e.g. "550 no such user"
        self.hold_at: int | None = None  # the Nth recipient waits until `release()`
        self.held = threading.Event()  # set once a sender is waiting on the hold
        self.hold_after_data = False  # keep the next message, then never answer its DATA
        self._recipients_seen = 0
        self._holding = False
        self._lock = threading.Lock()
        self.port = _free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        self._recipients_seen += 1
        if self._recipients_seen == self.hold_at:
            self._holding = True
            self.held.set()
            while self._holding:  # the sender waits for our answer, as on a slow server
                await asyncio.sleep(0.01)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.received.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            holding, self.hold_after_data = self.hold_after_data, False
        if holding:  # the message is here; the sender never hears so
            self._holding = True
            self.held.set()
            while self._holding:
                await asyncio.sleep(0.01)
        return "250 Message accepted"

    def release(self) -> None:
        self._holding = False

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [message for message in self.received if message["To"] == address]

    def __enter__(self) -> "MailServer":
        # A free port can be taken by another test process between choosing it and binding
        # it (the suite runs several at once), so a taken one is given up for another.
        for attempt in range(START_ATTEMPTS):
            try:
                self._controller.start()
                return self
            except OSError as error:
                self._controller.loop.close()  # its self-pipe sockets, else left unclosed
                if error.errno != errno.EADDRINUSE or attempt == START_ATTEMPTS - 1:
                    raise
                self.port = _free_port()
                self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        raise AssertionError("unreachable")

    def __exit__(self, *_) -> None:
        self._controller.stop()


class StallingRelay:
    """A TCP relay in front of a mail server. Stalled, it accepts connections and never
    says a word, like a relay that hangs; recovered, it passes bytes both ways."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.stalled = threading.Event()
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._open: list[socket.socket] = []
        self._closed = False

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def _accept_forever(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            self._open.append(client)
            if self.stalled.is_set():
                continue  # held open, never answered
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self._open.append(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(source, sink), daemon=True).start()

    def recover(self) -> None:
        """Stalled connections drop, as when a hung relay restarts; new ones go through."""
        self.stalled.clear()
        for connection in self._open:
            connection.close()

    def __enter__(self) -> "StallingRelay":
        threading.Thread(target=self._accept_forever, daemon=True).start()
        return self

    def __exit__(self, *_) -> None:
        self._closed = True
        self._listener.close()
        for connection in self._open:
            connection.close()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        sink.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def plain_text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()
