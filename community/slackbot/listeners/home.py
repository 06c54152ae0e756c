"""App Home: published when a member opens it, and again after each choice they make."""

import logging
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from community.config import settings
from community.db import session_scope
from community.events.queries import upcoming_events
from community.knowledge.items import web_url
from community.knowledge.queries import latest_items
from community.links import public_event_url
from community.members import pairing_choices
from community.members.profiles import remember_member
from community.models import Member
from community.newsletter.subscriptions import (
    SubscriptionError,
    find_subscriber,
    is_receiving,
    subscribe,
    unsubscribe,
)
from community.slackbot.receipts import first_delivery
from community.timezones import community_today
from integrations.slack.home_view import ACTION_IDS, HomeContent, HomeEvent, HomeItem, home_view
from integrations.slack.users import fetch_profile

if TYPE_CHECKING:
    from slack_bolt import App

log = logging.getLogger("community.slack")


def register(bolt: "App") -> None:
    bolt.event("app_home_opened")(home_opened)
    for action_id in ACTION_IDS:
        bolt.action(action_id)(choice_made)


def home_opened(body, event, client):
    if event.get("tab") == "home" and first_delivery(body):
        user_id = event["user"]
        profile = fetch_profile(client, user_id)
        with session_scope() as session:
            content = _content(session, remember_member(session, user_id, profile))
        client.views_publish(user_id=user_id, view=home_view(content))


def choice_made(ack, body, action, client):
    """One unit of work applies the choice and reads what to republish; Slack's calls for
    the pairing channel and the new App Home come after its commit."""
    ack()
    user_id = body["user"]["id"]
    choice = action["action_id"]
    value = action.get("selected_date") or action.get("value") or ""
    profile = fetch_profile(client, user_id)
    with session_scope() as session:
        member = remember_member(session, user_id, profile)
        notice = _choose(session, member, choice, value)
        content = _content(session, member)
    pairing_channel = settings().PAIRING_CHANNEL
    if not notice and pairing_channel and choice in ("pairing_join", "pairing_leave"):
        notice = follow_in_channel(client, pairing_channel, user_id, choice)
    if notice:
        content = replace(content, notices=[notice])
    client.views_publish(user_id=user_id, view=home_view(content))


def _content(session, member: Member) -> HomeContent:
    subscriber = find_subscriber(session, member.email) if member.email else None
    return HomeContent(
        community_name=settings().COMMUNITY_NAME,
        events=[_home_event(event) for event in upcoming_events(session=session)],
        items=[_home_item(item, source) for item, source in latest_items(session=session)],
        pairing_available=bool(settings().PAIRING_CHANNEL),
        pairing_opted_in=member.pairing_opt_in,
        pairing_skip_next=member.pairing_skip_next,
        pairing_snoozed_until=member.pairing_snoozed_until,
        newsletter_email=member.email,
        newsletter_subscribed=is_receiving(subscriber),
    )


def _choose(session, member: Member, choice: str, value: str) -> str:
    """Applies a button press; returns a notice for the member, or "" when all went well."""
    try:
        return _apply(session, member, choice, value)
    except (pairing_choices.PairingChoiceError, SubscriptionError) as error:
        return str(error)


def _apply(session, member: Member, choice: str, value: str) -> str:
    today = community_today()
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


def follow_in_channel(client: WebClient, channel: str, user_id: str, choice: str) -> str:
    """Pairing opt-in is membership of the pairing channel, so joining and leaving move you."""
    try:
        if choice == "pairing_join":
            client.conversations_invite(channel=channel, users=user_id)
        else:
            client.conversations_kick(channel=channel, user=user_id)
    except SlackApiError as error:
        if error.response.get("error") in ("already_in_channel", "not_in_channel"):
            return ""
        log.warning("pairing channel %s for %s failed: %s", choice, user_id, error)
        return "Saved, but I could not update your membership of the pairing channel."
    return ""
