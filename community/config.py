"""Settings read from environment variables (and `.env` when present).

The code reads the typed `Settings` object (`settings()` inside the app, or the
`settings` argument a function is given), never string keys of `app.config`; Flask's
own configuration keeps only what Flask and its extensions read.
"""

from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app
from pydantic import Field, PrivateAttr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
DEFAULT_SECRET_KEY = "change-me"  # noqa: S105  (the value refused below)
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class UnsafeConfiguration(RuntimeError):
    """Raised at start-up when a setting would be unsafe in production."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    DATABASE_URL: str = f"sqlite:///{INSTANCE_DIR / 'community.db'}"
    SEARCH_INDEX_DIR: Path = INSTANCE_DIR / "index"
    OUTBOX_DIR: Path = INSTANCE_DIR / "outbox"
    SECRET_KEY: str = DEFAULT_SECRET_KEY
    # The port `make run` (`flask dev`) serves on. Unless PUBLIC_URL is set, links in emails,
    # calendars and feeds point at this machine on this port: http://127.0.0.1:PORT.
    PORT: int = Field(default=5000, ge=1, le=65535)
    PUBLIC_URL: str = ""
    COMMUNITY_NAME: str = "MLOps Community"
    COMMUNITY_TIMEZONE: str = "UTC"

    SLACK_BOT_TOKEN: str | None = None
    SLACK_SIGNING_SECRET: str | None = None
    SLACK_APP_TOKEN: str | None = None
    SLACK_API_URL: str = "https://slack.com/api/"
    SLACK_INVITE_URL: str | None = None  # the community's Slack join link, in every page's footer
    PAIRING_CHANNEL: str | None = None  # Slack channel id; its members take part in pairing
    PAIRING_FREQUENCY: Literal["weekly", "biweekly", "4weekly"] = "biweekly"
    PAIRING_DAY: Weekday = "mon"
    PAIRING_HOUR: int = Field(default=10, ge=0, le=23)  # introductions, in COMMUNITY_TIMEZONE
    PAIRING_AVOID_ROUNDS: int = Field(default=6, ge=0)  # no repeat within this many rounds
    PAIRING_CHECKIN_DAYS: int = Field(default=5, ge=1)
    SLACK_MESSAGES_PER_SECOND: float = 1.0  # outbox posts to Slack, below Slack's limits
    # "Save to knowledge base" fetches pages members choose, on threads of its own so a slow
    # page never holds the ones that acknowledge Slack: this many threads, each page within
    # this many seconds in all, and this many saves in flight or waiting per member.
    SLACK_SAVE_WORKERS: int = Field(default=2, ge=1)
    SLACK_SAVE_SECONDS: float = Field(default=10.0, gt=0)
    SLACK_SAVES_PER_MEMBER: int = Field(default=2, ge=1)
    EVENTS_CHANNEL: str | None = None  # Slack channel id where new events are announced
    # How long an RSVP from the public form holds its place while its email is unconfirmed.
    RSVP_HOLD_MINUTES: int = Field(default=30, ge=1, le=7 * 24 * 60)
    # Channel ids where the bot answers new questions unasked (spaces or commas between)
    SLACK_HELP_CHANNELS: Annotated[list[str], NoDecode] = []
    # User ids whose ✅ marks any help-channel reply as the answer, besides the asker's
    SLACK_ORGANISERS: Annotated[list[str], NoDecode] = []
    # Where "Still need help" sends a question: a channel id, and/or experts' user ids
    SLACK_ESCALATION_CHANNEL: str | None = None
    SLACK_ORGANISERS_CHANNEL: str | None = None  # channel id for the weekly gap report
    SLACK_EXPERTS: Annotated[list[str], NoDecode] = []
    # ICS feeds imported every hour; in the environment, separated by spaces or commas
    EVENTS_IMPORT_URLS: Annotated[list[str], NoDecode] = []

    SMTP_URL: str | None = None
    SMTP_TIMEOUT_SECONDS: float = 30.0  # a relay that stops answering fails after this
    MAIL_FROM: str = "MLOps Community <community@localhost>"
    NEWSLETTER_SEND_DAY: Weekday = "mon"  # day of the week the digest is built
    NEWSLETTER_SEND_TIME: time = time(9, 0)  # in COMMUNITY_TIMEZONE, like 09:00
    NEWSLETTER_AUTO_SEND: bool = False  # send without an organiser pressing Send
    NEWSLETTER_RATE_PER_SECOND: float = 20.0  # 0: as fast as the mail server takes them
    # An answer is among the most helpful once this many members found it helpful.
    NEWSLETTER_HELPFUL_MIN_MEMBERS: int = Field(default=3, ge=1)

    FEEDS_ALLOW_PRIVATE_NETWORKS: bool = False
    FEEDS_POLL_MINUTES: int = 60
    FEEDS_MAX_BACKOFF_HOURS: int = 24
    FEEDS_CONCURRENCY: int = 8
    FEEDS_MAX_BYTES: int = 10 * 1024 * 1024
    LOG_FORMAT: Literal["text", "json"] = "text"
    LOG_LEVEL: str = "INFO"

    # Also match and rank by meaning, with the embedding model inside the wordllama wheel.
    SEARCH_SEMANTIC: bool = True
    SEARCH_ENGINE: Literal["whoosh", "tantivy"] = "whoosh"
    # How often each process that searches applies changes committed elsewhere (seconds;
    # 0: only after its own commits). A node this many changes behind rebuilds instead.
    SEARCH_FOLLOW_SECONDS: float = Field(default=1.0, ge=0)
    SEARCH_REBUILD_BEHIND: int = Field(default=20_000, ge=1)
    # Names this machine's index in the change log; the host name and index folder by default.
    SEARCH_NODE_NAME: str | None = None
    # Changes are kept until every node applied them, and never longer than this.
    SEARCH_CHANGE_LOG_DAYS: int = Field(default=7, ge=1)
    # An item is cited when it holds this share of a question's distinctive words (0 to 1),
    # or when its meaning is this similar to the question's (cosine, 0 to 1).
    ANSWER_MIN_COVERAGE: float = Field(default=0.45, ge=0, le=1)
    ANSWER_MIN_SIMILARITY: float = Field(default=0.45, ge=0, le=1)

    TRUSTED_PROXY_HOPS: int = 0  # proxies in front of the app whose X-Forwarded-* to trust
    # Bearer token that opens /metrics to a scraper elsewhere; unset, only loopback is served.
    METRICS_TOKEN: str | None = Field(default=None, min_length=16)
    # Failed logins of one account from one address before each further attempt waits: first
    # LOGIN_DELAY_SECONDS, then twice as long each time up to LOGIN_MAX_DELAY_MINUTES.
    LOGIN_MAX_FAILURES: int = Field(default=5, ge=1)
    LOGIN_DELAY_SECONDS: int = Field(default=30, ge=1)
    LOGIN_MAX_DELAY_MINUTES: int = Field(default=15, ge=1, le=24 * 60)  # failures last a day
    # An organiser's or team member's login ends after this long without a request.
    LOGIN_IDLE_MINUTES: int = Field(default=120, ge=5, le=30 * 24 * 60)
    # Anonymous writes (subscribe, RSVP, cancel, preferences, ask the organisers) per client
    # address, and per email address typed or per link, in each window; see the README.
    PUBLIC_WRITES_PER_CLIENT: int = Field(default=20, ge=1)
    PUBLIC_WRITES_PER_ADDRESS: int = Field(default=5, ge=1)
    PUBLIC_WRITES_WINDOW_MINUTES: int = Field(default=10, ge=1)
    ASK_API_PER_MINUTE: int = Field(default=30, ge=1)  # /api/ask answers per client address
    # Confirmation and manage-link emails to one address: one of a kind per this many
    # minutes, and at most this many a day altogether.
    EMAIL_CAP_MINUTES: int = Field(default=10, ge=1)
    EMAIL_CAP_PER_DAY: int = Field(default=5, ge=1)
    SCHEDULER_LEASE_SECONDS: int = 30
    SCHEDULER_HEARTBEAT_SECONDS: int = 60

    @field_validator("NEWSLETTER_SEND_DAY", "PAIRING_DAY", mode="before")
    @classmethod
    def _lower_case_day(cls, value):
        return value.lower() if isinstance(value, str) else value

    @field_validator(
        "EVENTS_IMPORT_URLS",
        "SLACK_HELP_CHANNELS",
        "SLACK_ORGANISERS",
        "SLACK_EXPERTS",
        mode="before",
    )
    @classmethod
    def _address_list(cls, value):
        if isinstance(value, str):
            return value.replace(",", " ").split()
        return value

    @field_validator("SLACK_INVITE_URL")
    @classmethod
    def _web_link(cls, value: str | None) -> str | None:
        if value and not value.lower().startswith(("https://", "http://")):
            raise ValueError("must be a web link (https://…), the one people open to join")
        return value or None

    @field_validator("PUBLIC_URL")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    _public_url_follows_port: bool = PrivateAttr(default=False)

    @model_validator(mode="after")
    def _local_public_url(self) -> "Settings":
        if not self.PUBLIC_URL:
            self.PUBLIC_URL = local_url(self.PORT)
            self._public_url_follows_port = True
        return self

    @property
    def public_url_follows_port(self) -> bool:
        """True when PUBLIC_URL is not configured and so names this machine's PORT."""
        return self._public_url_follows_port

    def serve_on_port(self, port: int) -> None:
        """The dev server's port: links follow it unless PUBLIC_URL is configured."""
        self.PORT = port
        if self._public_url_follows_port:
            self.PUBLIC_URL = local_url(port)

    @field_validator("COMMUNITY_TIMEZONE")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown IANA time zone {value!r}") from error
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.COMMUNITY_TIMEZONE)


def local_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def load_settings(overrides: dict) -> Settings:
    """The environment's settings, with the given values (tests, embedding) on top."""
    return Settings(
        **{key: value for key, value in overrides.items() if key in Settings.model_fields}
    )


def settings() -> Settings:
    """The settings of the running app."""
    return current_app.extensions["settings"]


def settings_of(app: Flask) -> Settings:
    return app.extensions["settings"]


def refuse_unsafe_secret(secret: str, *, debug_or_testing: bool) -> None:
    """A guessable SECRET_KEY lets anyone forge organiser sessions."""
    if debug_or_testing:
        return
    secret = secret or ""
    if secret == DEFAULT_SECRET_KEY or len(secret) < 16:
        raise UnsafeConfiguration(
            "SECRET_KEY is unset or too weak. Set it in the environment or in .env, "
            'for example: SECRET_KEY=$(python -c "import secrets; print(secrets.token_hex(32))")'
        )
