"""One-on-one pairing end to end against the stand-in Slack Web API."""

import json
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from sqlalchemy import update
from sqlmodel import select

from community.models import (
    Member,
    OutboxStatus,
    OutgoingSlackMessage,
    PairingGroup,
    PairingRound,
)
from community.models.pairing import GroupOutcome, GroupStatus, RoundStatus
from community.models.types import utcnow
from community.outbox.worker import deliver_outbox as outbox_job
from community.pairing.jobs import run_pairing, sync_pairing_channel
from community.pairing.rounds import group_members
from tests.helpers import add_organiser, deliver_outbox, log_in
from tests.slack.fake_slack import signed_headers, slack_user
from tests.slack.signed_requests import SIGNING_SECRET, block_action, post_event, post_interaction

CHANNEL = "CCOFFEE1"
# Every test runs on Tuesday 8 December 2026, 10:00 UTC (the community's zone here): rounds on
# "tue" are today's, on "mon" yesterday's and on "wed" tomorrow's, and the date cannot roll over
# between arranging a test and running the pairing job.
NOW = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
PEOPLE = {
    "U1": ("Ada", "Europe/Berlin", ["llm", "drift"]),
    "U2": ("Grace", "Europe/Berlin", ["drift", "kubernetes"]),
    "U3": ("Linus", "America/New_York", ["kubernetes"]),
    "U4": ("Alan", "America/New_York", ["llm"]),
    "U5": ("Barbara", "Asia/Kolkata", ["rag"]),
}


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "PAIRING_CHANNEL": CHANNEL,
        "SLACK_MESSAGES_PER_SECOND": 0,
        "COMMUNITY_TIMEZONE": "UTC",
        "PAIRING_FREQUENCY": "weekly",
        "PAIRING_DAY": "tue",  # today
        "PAIRING_HOUR": 0,
    }


@pytest.fixture
def members(slack, session):
    """Five members in the pairing channel, with profiles and interests."""
    for slack_id, (name, tz, interests) in PEOPLE.items():
        slack.users[slack_id] = slack_user(slack_id, name, f"{name.lower()}@example.org", tz=tz)
        offset = slack.users[slack_id]["tz_offset"]
        session.add(
            Member(
                slack_id=slack_id,
                name=name,
                tz=tz,
                tz_offset=offset,
                interests=interests,
                pairing_opt_in=True,
            )
        )
    session.commit()
    return list(PEOPLE)


def _coffee(client, slack, user_id: str, text: str):
    body = urlencode(
        {
            "command": "/coffee",
            "text": text,
            "user_id": user_id,
            "channel_id": "C1",
            "team_id": "T1",
            "response_url": slack.response_url,
            "trigger_id": "t",
        }
    )
    client.post(
        "/slack/events",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers=signed_headers(SIGNING_SECRET, body),
    )
    return slack.calls_to("T1")[-1]["text"]


def _run(app):
    with app.app_context():
        run_pairing()
    deliver_outbox(app)  # the round's messages leave through the outbox


def _intros(slack) -> dict[str, str]:
    return {
        call["channel"]: call["text"]
        for call in slack.calls_to("chat.postMessage")
        if call["channel"].startswith("G")
    }


def test_a_round_introduces_everyone_once_and_posts_a_summary(app, slack, session, members):
    _run(app)

    intros = _intros(slack)
    opened = [call["users"].split(",") for call in slack.calls_to("conversations.open")]
    assert sorted(len(users) for users in opened) == [2, 3]
    assert sorted(user for users in opened for user in users) == sorted(members)
    assert len(intros) == 2
    assert all("A time that suits you all" in text for text in intros.values())
    (summary,) = [c for c in slack.calls_to("chat.postMessage") if c["channel"] == CHANNEL]
    assert "introduced 5 members in 2 groups" in summary["text"]
    assert session.exec(select(PairingRound)).one().status == RoundStatus.DONE

    _run(app)  # the next quarter-hour run: nothing new
    assert len(slack.calls_to("chat.postMessage")) == 3


def test_an_introduction_names_shared_interests_and_a_time_for_both(app, slack, session, members):
    for slack_id in ("U3", "U4", "U5"):
        session.exec(select(Member).where(Member.slack_id == slack_id)).one().pairing_opt_in = False
    session.commit()

    _run(app)

    (text,) = _intros(slack).values()
    assert "<@U1>" in text and "<@U2>" in text
    assert "You share an interest in drift" in text
    assert "for Ada" in text and "for Grace" in text


def test_skipping_snoozed_and_away_members_sit_the_round_out(app, slack, session, members):
    by_id = {m.slack_id: m for m in session.exec(select(Member)).all()}
    by_id["U1"].pairing_skip_next = True
    by_id["U2"].pairing_snoozed_until = TODAY + timedelta(days=3)
    by_id["U3"].status_text, by_id["U3"].status_emoji = "On vacation", ":palm_tree:"
    session.commit()

    _run(app)

    opened = [call["users"] for call in slack.calls_to("conversations.open")]
    assert opened == ["U4,U5"]
    session.refresh(by_id["U1"])
    assert not by_id["U1"].pairing_skip_next  # skipping was for this round only


def test_a_slack_outage_mid_round_resumes_without_introducing_anyone_twice(
    app, slack, session, members
):
    slack.down_after["chat.postMessage"] = 1  # the second introduction fails

    _run(app)
    assert len(_intros(slack)) == 1
    statuses = sorted(g.status for g in session.exec(select(PairingGroup)).all())
    assert statuses == [GroupStatus.INTRODUCED, GroupStatus.INTRODUCED]  # both are queued
    (waiting,) = session.exec(
        select(OutgoingSlackMessage).where(
            OutgoingSlackMessage.status == OutboxStatus.PENDING,
            OutgoingSlackMessage.open_with.is_not(None),
        )
    ).all()
    assert waiting.channel.startswith("G")  # its group DM was opened and is kept for the retry

    del slack.down_after["chat.postMessage"]
    session.execute(update(OutgoingSlackMessage).values(next_attempt_at=utcnow()))
    session.commit()  # as when the retry wait is over
    _run(app)
    with app.app_context():
        outbox_job()

    assert len(_intros(slack)) == 2
    posts = [
        c["channel"] for c in slack.calls_to("chat.postMessage") if c["channel"].startswith("G")
    ]
    assert len(posts) == len(set(posts)) == 2


def test_the_reminder_goes_out_the_day_before_once(make_app, slack, session, members):
    app = make_app(PAIRING_DAY="wed")  # tomorrow

    _run(app)
    _run(app)

    (reminder,) = slack.calls_to("chat.postMessage")
    assert reminder["channel"] == CHANNEL
    assert "introduce 5 members" in reminder["text"] and "/coffee skip" in reminder["text"]
    assert slack.calls_to("conversations.open") == []


def _checkins(slack):
    return [
        c
        for c in slack.calls_to("chat.postMessage")
        if "blocks" in c and "pairing_met" in json.dumps(c["blocks"])
    ]


def test_check_ins_ask_once_remind_once_and_record_the_answer(app, client, slack, session, members):
    _run(app)
    groups = session.exec(select(PairingGroup)).all()
    for group in groups:
        group.introduced_at = utcnow() - timedelta(days=6)
    session.commit()

    _run(app)
    _run(app)
    assert len(_checkins(slack)) == 2
    for group in groups:
        session.refresh(group)
        group.checkin_sent_at = utcnow() - timedelta(days=3)
    session.commit()
    _run(app)
    _run(app)
    assert len(_checkins(slack)) == 4  # one reminder per group, then no more

    group = groups[0]
    inside = group_members(session, group.id)[0].slack_id
    outsider = next(
        s for s in PEOPLE if s not in {m.slack_id for m in group_members(session, group.id)}
    )
    button = {"type": "button", "action_id": "pairing_met", "value": str(group.id)}
    post_interaction(client, block_action(outsider, button, response_url=slack.response_url))
    session.refresh(group)
    assert group.outcome is None
    post_interaction(client, block_action(inside, button, response_url=slack.response_url))
    session.refresh(group)
    assert group.outcome == GroupOutcome.MET
    assert "answered: We met" in slack.calls_to("T1")[-1]["text"]


def test_membership_follows_the_channel(app, client, slack, session, members):
    slack.channel_members[CHANNEL] = ["U1", "U2", "U9"]  # three pages of two
    with app.app_context():
        sync_pairing_channel()
    opted_in = {
        m.slack_id for m in session.exec(select(Member).where(Member.pairing_opt_in.is_(True)))
    }
    assert opted_in == {"U1", "U2", "U9"}

    post_event(
        client, {"type": "member_joined_channel", "user": "U3", "channel": CHANNEL}, event_id="EvJ1"
    )
    post_event(
        client, {"type": "member_left_channel", "user": "U1", "channel": CHANNEL}, event_id="EvL1"
    )
    post_event(
        client,
        {"type": "member_joined_channel", "user": "U4", "channel": "COTHER"},
        event_id="EvJ2",
    )

    session.expire_all()
    opted_in = {
        m.slack_id for m in session.exec(select(Member).where(Member.pairing_opt_in.is_(True)))
    }
    assert opted_in == {"U2", "U3", "U9"}


def test_a_status_change_in_slack_is_remembered(client, slack, session, members):
    user = slack_user("U1", "Ada", "ada@example.org")
    user["profile"].update(status_text="Parental leave", status_emoji=":baby:")

    post_event(client, {"type": "user_change", "user": user}, event_id="EvU1")

    ada = session.exec(select(Member).where(Member.slack_id == "U1")).one()
    assert ada.status_text == "Parental leave"


def test_coffee_commands(client, slack, session, members):
    assert "skip the next round" in _coffee(client, slack, "U1", "skip")
    assert "Snoozed until" in _coffee(client, slack, "U2", "snooze 2w")
    assert "Snooze until a date" in _coffee(client, slack, "U2", "snooze someday")
    assert "mlops, feature stores" in _coffee(
        client, slack, "U3", "interests MLOps,  Feature Stores"
    )
    assert "not be paired" in _coffee(client, slack, "U4", "avoid <@U5|barbara>")
    assert "/coffee join" in _coffee(client, slack, "U5", "help")
    _coffee(client, slack, "U5", "leave")

    by_id = {m.slack_id: m for m in session.exec(select(Member)).all()}
    assert by_id["U1"].pairing_skip_next
    assert by_id["U2"].pairing_snoozed_until == date(2026, 12, 22)  # two weeks from today
    assert by_id["U3"].interests == ["mlops", "feature stores"]
    assert by_id["U4"].avoid_slack_ids == ["U5"]
    assert not by_id["U5"].pairing_opt_in
    (kick,) = slack.calls_to("conversations.kick")
    assert (kick["channel"], kick["user"]) == (CHANNEL, "U5")


def test_the_organiser_page_shows_participation_met_and_repeat_rates(
    app, client, slack, session, members
):
    _run(app)
    group = session.exec(select(PairingGroup)).first()
    group.outcome = GroupOutcome.MET
    session.commit()
    add_organiser(session)
    log_in(client)

    page = client.get("/admin/pairing/").get_data(as_text=True)

    assert 'id="pairing-chart"' in page
    row = page[page.index('id="pairing-rounds"') :]
    assert "<td>5</td><td>2</td>" in row.replace("\n", "").replace("    ", "")
    assert "50%" in row and "0%" in row


def test_the_sync_looks_up_new_people_and_bots_are_never_paired(app, slack, session):
    slack.users["U7"] = slack_user("U7", "Priya", "priya@example.org", tz="Asia/Kolkata")
    slack.users["U8"] = slack_user("U8", "Linus", "linus@example.org", tz="America/New_York")
    slack.users["UBOT"] = {**slack_user("UBOT", "Community bot"), "is_bot": True}
    slack.channel_members[CHANNEL] = ["U7", "U8", "UBOT"]

    with app.app_context():
        sync_pairing_channel()
    _run(app)

    priya = session.exec(select(Member).where(Member.slack_id == "U7")).one()
    assert (priya.name, priya.tz_offset) == ("Priya", 19800)
    assert [call["users"] for call in slack.calls_to("conversations.open")] == ["U7,U8"]


def test_a_failed_summary_does_not_stop_the_check_ins(app, slack, session, members):
    slack.errors["chat.postMessage"] = "not_in_channel"  # the bot was removed from the channel
    _run(app)
    del slack.errors["chat.postMessage"]
    for group in session.exec(select(PairingGroup)).all():
        group.status, group.conversation_id = GroupStatus.INTRODUCED, group.conversation_id or "G1"
        group.introduced_at = utcnow() - timedelta(days=6)
    session.commit()

    _run(app)

    assert len(_checkins(slack)) == 2


def test_a_round_missed_while_the_scheduler_was_down_runs_the_next_day(
    make_app, slack, session, members
):
    _run(make_app(PAIRING_DAY="mon"))  # yesterday

    (pairing_round,) = session.exec(select(PairingRound)).all()
    assert pairing_round.round_date == date(2026, 12, 7)
    assert len(_intros(slack)) == 2


def test_met_rate_waits_for_answers(app, client, slack, session, members):
    _run(app)
    add_organiser(session)
    log_in(client)

    page = client.get("/admin/pairing/").get_data(as_text=True)

    row = page[page.index('id="pairing-rounds"') :]
    assert "—" in row
