"""A real HTTP server on 127.0.0.1 whose answers each test writes per path, and a DNS that
answers invented names."""

import socket
import ssl
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]


def reply(
    request: BaseHTTPRequestHandler,
    status: int = 200,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> None:
    request.send_response(status)
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)


def redirect(request: BaseHTTPRequestHandler, status: int, location: str) -> None:
    reply(request, status, headers={"Location": location})


class FeedServer:
    """Answers each path (query ignored) with the handler a test registered, and records every
    request (path and lower-cased headers). A handler's exception fails the test at teardown."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None):
        self.handlers: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.errors: list[BaseException] = []
        self.stop = threading.Event()  # set at teardown: a stalling handler lets go
        self._server = _Server(("127.0.0.1", 0), _RequestHandler)
        self._server.feed_server = self
        self._scheme = "https" if ssl_context else "http"
        if ssl_context:
            self._server.socket = ssl_context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str, *, host: str = "127.0.0.1") -> str:
        return f"{self._scheme}://{host}:{self.port}{path}"

    def route(self, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.handlers[path] = handler
            return handler

        return register

    def serve(
        self, path: str, body: bytes = b"", headers: dict[str, str] | None = None, status: int = 200
    ) -> None:
        self.handlers[path] = lambda request: reply(request, status, body, headers)

    def redirect(self, path: str, status: int, location: str) -> None:
        self.handlers[path] = lambda request: redirect(request, status, location)

    def paths_requested(self) -> list[str]:
        return [path for path, _ in self.requests]

    def __enter__(self) -> "FeedServer":
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    feed_server: FeedServer

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        # the client hanging up is what several tests are about
        if not isinstance(error, ConnectionError | ssl.SSLError | TimeoutError):
            self.feed_server.errors.append(error)


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802  (the name http.server calls)
        feed_server = self.server.feed_server
        headers = {name.lower(): value for name, value in self.headers.items()}
        feed_server.requests.append((self.path, headers))
        handler = feed_server.handlers.get(self.path.partition("?")[0])
        if handler is None:
            reply(self, 404, b"no handler for this path")
        else:
            handler(self)

    def log_message(self, *args) -> None:
        pass


class FakeDns:
    """Invented names answer with the addresses a test gives, one answer per lookup (the last
    one repeats); every other name resolves as usual."""

    def __init__(self, real_getaddrinfo):
        self._real = real_getaddrinfo
        self._answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []

    def answer(self, name: str, *answers: list[str]) -> None:
        self._answers[name] = list(answers)

    def getaddrinfo(self, host, port, *args, **kwargs):
        if host not in self._answers:
            return self._real(host, port, *args, **kwargs)
        self.lookups.append(host)
        answers = self._answers[host]
        addresses = answers.pop(0) if len(answers) > 1 else answers[0]
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [_address_info(address, port) for address in addresses]


def _address_info(address: str, port: int):
    if ":" in address:
        return (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))
