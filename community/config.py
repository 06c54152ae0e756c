"""Settings read from environment variables (and `.env` when present)."""

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
DEFAULT_SECRET_KEY = "change-me"  # noqa: S105  (the value refused below)


class UnsafeConfiguration(RuntimeError):
    """Raised at start-up when a setting would be unsafe in production."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    DATABASE_URL: str = f"sqlite:///{INSTANCE_DIR / 'community.db'}"
    SEARCH_INDEX_DIR: Path = INSTANCE_DIR / "index"
    OUTBOX_DIR: Path = INSTANCE_DIR / "outbox"
    SECRET_KEY: str = DEFAULT_SECRET_KEY
    PUBLIC_URL: str = "http://127.0.0.1:5000"
    COMMUNITY_NAME: str = "MLOps Community"
    COMMUNITY_TIMEZONE: str = "UTC"

    SLACK_BOT_TOKEN: str | None = None
    SLACK_SIGNING_SECRET: str | None = None
    SLACK_APP_TOKEN: str | None = None
    SLACK_API_URL: str = "https://slack.com/api/"
    PAIRING_CHANNEL: str | None = None  # Slack channel id; its members take part in pairing
    PAIRING_FREQUENCY: Literal["weekly", "biweekly", "4weekly"] = "biweekly"
    PAIRING_DAY: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    PAIRING_HOUR: int = Field(default=10, ge=0, le=23)  # introductions, in COMMUNITY_TIMEZONE
    PAIRING_AVOID_ROUNDS: int = Field(default=6, ge=0)  # no repeat within this many rounds
    PAIRING_CHECKIN_DAYS: int = Field(default=5, ge=1)
    PAIRING_MESSAGES_PER_SECOND: float = 1.0  # below Slack's limit for posting messages
    EVENTS_CHANNEL: str | None = None  # Slack channel id where new events are announced
    EVENTS_IMPORT_URLS: str = ""  # space-separated ICS feeds imported every hour

    SMTP_URL: str | None = None
    SMTP_TIMEOUT_SECONDS: float = 30.0  # a relay that stops answering fails after this
    MAIL_FROM: str = "MLOps Community <community@localhost>"
    NEWSLETTER_SEND_DAY: str = "mon"  # day of the week the digest is built (cron names)
    NEWSLETTER_SEND_TIME: str = "09:00"  # in COMMUNITY_TIMEZONE
    NEWSLETTER_AUTO_SEND: bool = False  # send without an organiser pressing Send
    NEWSLETTER_RATE_PER_SECOND: float = 20.0  # 0: as fast as the mail server takes them

    FEEDS_ALLOW_PRIVATE_NETWORKS: bool = False
    FEEDS_POLL_MINUTES: int = 60
    FEEDS_MAX_BACKOFF_HOURS: int = 24
    FEEDS_CONCURRENCY: int = 8
    FEEDS_MAX_BYTES: int = 10 * 1024 * 1024
    LOG_FORMAT: str = "text"
    LOG_LEVEL: str = "INFO"

    ANSWER_MIN_SCORE: float = 3.0

    TRUSTED_PROXY_HOPS: int = 0  # proxies in front of the app whose X-Forwarded-* to trust
    LOGIN_MAX_FAILURES: int = 5
    LOGIN_LOCKOUT_MINUTES: int = 15
    SCHEDULER_LEASE_SECONDS: int = 30
    SCHEDULER_HEARTBEAT_SECONDS: int = 60

    @field_validator("NEWSLETTER_SEND_TIME")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        hour, _, minute = value.partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise ValueError(f"{value!r} is not a time like 09:00")
        return value

    @field_validator("NEWSLETTER_SEND_DAY")
    @classmethod
    def _weekday(cls, value: str) -> str:
        days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        if value.lower() not in days:
            raise ValueError(f"{value!r} is not one of {', '.join(days)}")
        return value.lower()

    @field_validator("COMMUNITY_TIMEZONE")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown IANA time zone {value!r}") from error
        return value

    @field_validator("LOG_FORMAT")
    @classmethod
    def _known_log_format(cls, value: str) -> str:
        if value not in ("text", "json"):
            raise ValueError("LOG_FORMAT must be 'text' or 'json'")
        return value

    def flask_config(self) -> dict:
        return self.model_dump()


def refuse_unsafe_secret(config: dict) -> None:
    """A guessable SECRET_KEY lets anyone forge organiser sessions."""
    if config.get("DEBUG") or config.get("TESTING"):
        return
    secret = config.get("SECRET_KEY") or ""
    if secret == DEFAULT_SECRET_KEY or len(secret) < 16:
        raise UnsafeConfiguration(
            "SECRET_KEY is unset or too weak. Set it in the environment or in .env, "
            'for example: SECRET_KEY=$(python -c "import secrets; print(secrets.token_hex(32))")'
        )
