"""The bot's App Home: what is coming up, what is new, and the member's own settings."""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from integrations.slack.blocks import KIND_LABELS, button, section, short_date
from integrations.slack.text import escape, link

ACTION_IDS = (
    "pairing_join",
    "pairing_leave",
    "pairing_skip",
    "pairing_unskip",
    "pairing_snooze",
    "pairing_unsnooze",
    "newsletter_subscribe",
    "newsletter_unsubscribe",
)


@dataclass(frozen=True)
class HomeEvent:
    title: str
    starts_at: datetime
    timezone: str
    url: str


@dataclass(frozen=True)
class HomeItem:
    title: str
    url: str | None
    kind: str
    source: str
    published: datetime | None


@dataclass(frozen=True)
class HomeContent:
    community_name: str
    events: list[HomeEvent]
    items: list[HomeItem]
    pairing_available: bool
    pairing_opted_in: bool
    pairing_skip_next: bool
    pairing_snoozed_until: date | None
    newsletter_email: str | None
    newsletter_subscribed: bool
    notices: list[str] = field(default_factory=list)


def home_view(content: HomeContent) -> dict:
    blocks = [_header(f"Welcome to {content.community_name}")]
    blocks += [section(f":warning: {escape(notice)}") for notice in content.notices]
    blocks += _events_blocks(content.events)
    blocks += _items_blocks(content.items)
    blocks += _pairing_blocks(content)
    blocks += _newsletter_blocks(content)
    return {"type": "home", "blocks": blocks[:100]}


def _header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150]}}


def _events_blocks(events: list[HomeEvent]) -> list[dict]:
    lines = [f"• {link(event.url, event.title)} — {_local(event)}" for event in events]
    return [_header("Coming up"), section("\n".join(lines) or "No events are planned yet.")]


def _local(event: HomeEvent) -> str:
    moment = event.starts_at.astimezone(ZoneInfo(event.timezone))
    return f"{moment:%a %d %b, %H:%M} {moment.tzname()}"


def _items_blocks(items: list[HomeItem]) -> list[dict]:
    lines = []
    for item in items:
        title = link(item.url, item.title)
        details = [KIND_LABELS.get(item.kind, item.kind), escape(item.source)]
        details += [short_date(item.published)] if item.published else []
        lines.append(f"• {title} _{' · '.join(details)}_")
    return [_header("New in the knowledge base"), section("\n".join(lines) or "Nothing yet.")]


def _pairing_blocks(content: HomeContent) -> list[dict]:
    blocks = [_header("One-on-one pairing")]
    if not content.pairing_available:
        return blocks + [section("Pairing is not set up in this community yet.")]
    if not content.pairing_opted_in:
        text = "You are not taking part. Join to meet another member every round."
        return blocks + [section(text), _actions(button("pairing_join", "Join pairing", "join"))]
    return blocks + [section(_pairing_text(content)), _pairing_actions(content)]


def _pairing_text(content: HomeContent) -> str:
    if content.pairing_snoozed_until:
        return f"You are taking part, snoozed until {content.pairing_snoozed_until:%d %b %Y}."
    if content.pairing_skip_next:
        return "You are taking part, and will skip the next round."
    return "You are taking part: you will be introduced in the next round."


def _pairing_actions(content: HomeContent) -> dict:
    skip = (
        button("pairing_unskip", "Take part in the next round", "unskip")
        if content.pairing_skip_next
        else button("pairing_skip", "Skip the next round", "skip")
    )
    snooze = (
        button("pairing_unsnooze", "End the snooze", "unsnooze")
        if content.pairing_snoozed_until
        else {
            "type": "datepicker",
            "action_id": "pairing_snooze",
            "placeholder": {"type": "plain_text", "text": "Snooze until…"},
        }
    )
    return _actions(skip, snooze, button("pairing_leave", "Leave pairing", "leave"))


def _newsletter_blocks(content: HomeContent) -> list[dict]:
    blocks = [_header("Weekly newsletter")]
    if content.newsletter_subscribed:
        text = f"You receive the newsletter at {escape(content.newsletter_email or '')}."
        return blocks + [section(text), _actions(_unsubscribe_button())]
    if not content.newsletter_email:
        return blocks + [section("Slack did not share your email address with me.")]
    text = (
        "One email a week with what the community made and what is coming, "
        f"sent to {escape(content.newsletter_email)}."
    )
    return blocks + [section(text), _actions(_subscribe_button())]


def _subscribe_button() -> dict:
    return button("newsletter_subscribe", "Subscribe", "subscribe")


def _unsubscribe_button() -> dict:
    return button("newsletter_unsubscribe", "Unsubscribe", "unsubscribe")


def _actions(*elements: dict) -> dict:
    return {"type": "actions", "elements": list(elements)}
