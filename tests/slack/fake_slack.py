"""A local HTTP server playing Slack's Web API (and response_url webhooks) for tests."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"


class FakeSlack:
    """Answers every Web API method with ok; records calls as (method, arguments)."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.rate_limit_next: dict[str, int] = {}  # method -> how many 429s to answer first
        self.down: set[str] = set()  # methods that answer 503, as during a Slack outage
        self.errors: dict[str, str] = {}  # method -> Slack error code it answers with
        self.users: dict[str, dict] = {}  # user id -> what users.info returns as "user"
        self.socket_url: str | None = None  # what apps.connections.open hands out
        self.channel_members: dict[str, list[str]] = {}  # conversations.members, 2 per page
        self.down_after: dict[str, int] = {}  # method -> answer 503 once it was called N times
        self.messages: dict[str, list[dict]] = {}  # channel -> posted messages, for history
        self.threads: dict[tuple[str, str], list[dict]] = {}  # conversations.replies, 2 a page
        self.channel_names: dict[str, str] = {}  # conversations.info
        self.history_page_size = 100
        # method -> the call number (1 = first) that waits, unanswered, until released
        self.hang_on_call: dict[str, int] = {}
        self.hanging = threading.Event()
        self._release_hang = threading.Event()
        self.hold_after_posting = False  # keep the next poster waiting once its post is stored
        self.posted_and_holding = threading.Event()
        self._release_post = threading.Event()
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (the name http.server calls)
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                method = self.path.rsplit("/", 1)[-1]
                status, reply = fake._reply(method, _arguments(raw, self.headers))
                body = json.dumps(reply).encode() if isinstance(reply, dict) else reply
                try:
                    self.send_response(status)
                    if status == 429:
                        self.send_header("Retry-After", "0")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the caller was killed while it waited: no one to answer

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll keeps shutdown() at teardown from waiting half a second per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/api/"

    @property
    def response_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/response/T1"

    def _reply(self, method: str, arguments: dict):
        with self._lock:
            if method in self.down_after and len(self.calls_to(method)) >= self.down_after[method]:
                return 503, {"ok": False, "error": "service_unavailable"}
            if method in self.down:
                return 503, {"ok": False, "error": "service_unavailable"}
            if self.rate_limit_next.get(method):
                self.rate_limit_next[method] -= 1
                return 429, {"ok": False, "error": "ratelimited"}
            self.calls.append((method, arguments))
            hang = self.hang_on_call.get(method) == len(self.calls_to(method))
        if hang:  # the caller waits, as on a connection that stopped answering
            self.hanging.set()
            self._release_hang.wait(60)
        if method in self.errors:
            return 200, {"ok": False, "error": self.errors[method]}
        if method == "users.info":
            return _user_info(self.users.get(arguments.get("user")))
        if method == "conversations.open":
            return 200, {"ok": True, "channel": {"id": _conversation(arguments.get("users", ""))}}
        if method == "conversations.members":
            return 200, self._members_page(arguments)
        if method == "chat.postMessage":
            return 200, self._post(arguments)
        if method == "conversations.history":
            return 200, self._history(arguments)
        if method == "conversations.replies":
            return 200, self._replies_page(arguments)
        if method == "chat.getPermalink":
            ts = arguments.get("message_ts", "").replace(".", "")
            link = f"https://example.slack.com/archives/{arguments.get('channel')}/p{ts}"
            return 200, {"ok": True, "permalink": link}
        if method == "conversations.info":
            channel = arguments.get("channel")
            return 200, {
                "ok": True,
                "channel": {"id": channel, "name": self.channel_names.get(channel, channel)},
            }
        if method == "apps.connections.open":
            return 200, {"ok": True, "url": self.socket_url}
        if method == "auth.test":
            return 200, {"ok": True, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "team_id": "T1"}
        if method == "T1":  # a response_url webhook
            return 200, b"ok"
        return 200, {"ok": True, "ts": f"{time.time():.6f}", "channel": arguments.get("channel")}

    def _post(self, arguments: dict) -> dict:
        """Stores the message where conversations.history finds it; a DM to a user id lands
        in that person's direct-message channel, as on Slack."""
        channel = arguments.get("channel", "")
        if channel.startswith(("U", "W")):
            channel = _conversation(channel)
        ts = f"{time.time():.6f}"
        with self._lock:
            message = {"ts": ts, "text": arguments.get("text"), **_metadata(arguments)}
            self.messages.setdefault(channel, []).append(message)
            holding, self.hold_after_posting = self.hold_after_posting, False
        if holding:  # Slack has the message; its answer is what never arrives
            self.posted_and_holding.set()
            self._release_post.wait(60)
        return {"ok": True, "ts": ts, "channel": channel}

    def release_hang(self) -> None:
        self._release_hang.set()

    def release_post(self) -> None:
        self._release_post.set()

    def _history(self, arguments: dict) -> dict:
        """Newest first, after `oldest` and before `latest`, `history_page_size` a page."""
        oldest = float(arguments.get("oldest") or 0)
        latest = float(arguments.get("latest") or "inf")
        with self._lock:
            posted = list(self.messages.get(arguments.get("channel"), []))
        newest_first = [m for m in reversed(posted) if oldest < float(m["ts"]) < latest]
        start = int(arguments.get("cursor") or 0)
        end = start + self.history_page_size
        following = str(end) if end < len(newest_first) else ""
        return {
            "ok": True,
            "messages": newest_first[start:end],
            "has_more": bool(following),
            "response_metadata": {"next_cursor": following},
        }

    def _replies_page(self, arguments: dict) -> dict:
        """The thread holding the message `ts` names, whether its first message or a reply."""
        channel, ts = arguments.get("channel"), arguments.get("ts")
        thread = next(
            (
                messages
                for (where, _), messages in self.threads.items()
                if where == channel and any(m["ts"] == ts for m in messages)
            ),
            [],
        )
        start = int(arguments.get("cursor") or 0)
        following = str(start + 2) if start + 2 < len(thread) else ""
        return {
            "ok": True,
            "messages": thread[start : start + 2],
            "has_more": bool(following),
            "response_metadata": {"next_cursor": following},
        }

    def _members_page(self, arguments: dict) -> dict:
        members = self.channel_members.get(arguments.get("channel"), [])
        start = int(arguments.get("cursor") or 0)
        following = str(start + 2) if start + 2 < len(members) else ""
        return {
            "ok": True,
            "members": members[start : start + 2],
            "response_metadata": {"next_cursor": following},
        }

    def calls_to(self, method: str) -> list[dict]:
        return [arguments for name, arguments in self.calls if name == method]

    def __enter__(self) -> "FakeSlack":
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._release_hang.set()
        self._server.shutdown()
        self._server.server_close()


def _conversation(users: str) -> str:
    """A one-person conversation is a D channel, a group DM a G channel."""
    people = users.split(",")
    return ("D" if len(people) == 1 else "G") + "".join(people)


def _metadata(arguments: dict) -> dict:
    metadata = arguments.get("metadata")
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    return {"metadata": metadata} if metadata else {}


def _user_info(user: dict | None):
    if user is None:
        return 200, {"ok": False, "error": "user_not_found"}
    return 200, {"ok": True, "user": user}


def slack_user(user_id: str, name: str, email: str | None = None, tz: str = "Europe/Berlin"):
    """A person as users.info describes them."""
    offsets = {"Europe/Berlin": 3600, "America/New_York": -18000, "Asia/Kolkata": 19800}
    return {
        "id": user_id,
        "name": name.lower(),
        "real_name": name,
        "tz": tz,
        "tz_offset": offsets.get(tz, 0),
        "is_bot": False,
        "deleted": False,
        "profile": {"display_name": name, "real_name": name, "email": email},
    }


def _arguments(raw: str, headers) -> dict:
    if "json" in headers.get("Content-Type", ""):
        return json.loads(raw or "{}")
    return {key: values[0] for key, values in parse_qs(raw).items()}


def signed_headers(secret: str, body: str, *, timestamp: int | None = None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body)
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}
