"""What a member's App Home shows, and the choices they make there."""

from datetime import date
from zoneinfo import ZoneInfo

from flask import Flask

from community.db import session_scope
from community.events.queries import upcoming_events
from community.knowledge.items import web_url
from community.knowledge.queries import latest_items
from community.links import public_event_url
from community.members import pairing_choices
from community.members.profiles import remember_member
from community.models import Member
from community.models.types import utcnow
from community.newsletter.subscriptions import (
    SubscriptionError,
    find_subscriber,
    is_receiving,
    subscribe,
    unsubscribe,
)
from integrations.slack.home_view import HomeContent, HomeEvent, HomeItem
from integrations.slack.users import SlackProfile


class HomeService:
    """Bound to the Flask app, because Slack listeners run outside any request."""

    def __init__(self, app: Flask):
        self.app = app

    def content(self, slack_id: str, profile: SlackProfile | None, notices=()) -> HomeContent:
        with self.app.app_context(), session_scope() as session:
            member = remember_member(session, slack_id, profile)
            subscriber = find_subscriber(session, member.email) if member.email else None
            return HomeContent(
                community_name=self.app.config["COMMUNITY_NAME"],
                events=[_home_event(event) for event in upcoming_events(session=session)],
                items=[_home_item(item, source) for item, source in latest_items(session=session)],
                pairing_available=bool(self.app.config.get("PAIRING_CHANNEL")),
                pairing_opted_in=member.pairing_opt_in,
                pairing_skip_next=member.pairing_skip_next,
                pairing_snoozed_until=member.pairing_snoozed_until,
                newsletter_email=member.email,
                newsletter_subscribed=is_receiving(subscriber),
                notices=list(notices),
            )

    def choose(self, slack_id: str, profile: SlackProfile | None, choice: str, value: str) -> str:
        """Apply a button press; returns a notice for the member, or "" when all went well."""
        with self.app.app_context(), session_scope() as session:
            member = remember_member(session, slack_id, profile)
            try:
                return self._apply(session, member, choice, value)
            except (pairing_choices.PairingChoiceError, SubscriptionError) as error:
                return str(error)

    def _apply(self, session, member: Member, choice: str, value: str) -> str:
        today = self.today()
        match choice:
            case "pairing_join":
                pairing_choices.join_pairing(member)
            case "pairing_leave":
                pairing_choices.leave_pairing(member)
            case "pairing_skip" | "pairing_unskip":
                pairing_choices.skip_next_round(member, choice == "pairing_skip")
            case "pairing_snooze":
                pairing_choices.snooze_pairing(member, _parse_date(value), today)
            case "pairing_unsnooze":
                pairing_choices.snooze_pairing(member, None, today)
            case "newsletter_subscribe":
                return _subscribe(session, member)
            case "newsletter_unsubscribe":
                subscriber = find_subscriber(session, member.email) if member.email else None
                if subscriber:
                    unsubscribe(subscriber)
        return ""

    def today(self) -> date:
        return _today_in(self.app.config["COMMUNITY_TIMEZONE"])


def _subscribe(session, member: Member) -> str:
    if not member.email:
        return "Slack did not share your email address; subscribe on the website instead."
    # The workspace has verified this address and the member asked from their own account,
    # which is the proof of ownership a confirmation email would otherwise give.
    subscribe(session, email=member.email, name=member.name, source="slack", confirmed=True)
    return ""


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise pairing_choices.PairingChoiceError("Pick a date to snooze until.") from None


def _today_in(timezone: str) -> date:
    return utcnow().astimezone(ZoneInfo(timezone)).date()


def _home_event(event) -> HomeEvent:
    return HomeEvent(
        title=event.title,
        starts_at=event.starts_at,
        timezone=event.timezone,
        url=public_event_url(event),
    )


def _home_item(item, source) -> HomeItem:
    return HomeItem(
        title=item.title,
        url=web_url(item.url),
        kind=item.kind,
        source=source.name,
        published=item.published_at,
    )
