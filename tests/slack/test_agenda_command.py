"""`/agenda` in Slack: a conference's sessions to come in the member's zone, starred from
the message, and the member's own agenda."""

import itertools
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
import yaml
from sqlmodel import select

from community.conferences.stars import star, starred_session_ids
from community.models import Conference, ConferenceSession, Member, Registration, SessionStar
from community.models.types import utcnow
from integrations.slack.manifest import render_manifest
from tests.conferences import conftest as conference_fixtures
from tests.slack.fake_slack import signed_headers, slack_user
from tests.slack.signed_requests import SIGNING_SECRET, block_action, post_interaction

_trigger_ids = itertools.count(1)
make_conference = conference_fixtures.make_conference  # the conferences' fixture, used here too


@pytest.fixture(autouse=True)
def _pinned_clock():
    # A Monday in June: ten days on, New York is six hours behind Berlin (in the weeks when only
    # one of them has changed its clocks, it is five).
    with time_machine.travel(datetime(2026, 6, 8, 8, 0, tzinfo=UTC), tick=True):
        yield


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PUBLIC_URL": "http://conf.test"}


@pytest.fixture
def ada(slack):
    """A member in New York, six hours behind the conference in Berlin."""
    slack.users["U1"] = slack_user("U1", "Ada", "ada@example.org", tz="America/New_York")
    return "U1"


def _command(client, slack, user_id: str, text: str = "", *, secret: str = SIGNING_SECRET):
    body = urlencode(
        {
            "command": "/agenda",
            "text": text,
            "user_id": user_id,
            "channel_id": "C1",
            "team_id": "T1",
            "response_url": slack.response_url,
            "trigger_id": f"t{next(_trigger_ids)}",  # two commands are never one replayed
        }
    )
    return client.post(
        "/slack/events",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers=signed_headers(secret, body),
    )


def _reply(slack) -> dict:
    return slack.calls_to("T1")[-1]


def _sections(reply: dict) -> list[dict]:
    return [block for block in reply.get("blocks") or [] if block["type"] == "section"]


def _session_block(reply: dict, title: str) -> dict:
    return next(
        block
        for block in _sections(reply)
        if "accessory" in block and title in block["text"]["text"]
    )


def _press(client, slack, user_id: str, button: dict):
    action = {"type": "button", "action_id": button["action_id"], "value": button["value"]}
    return post_interaction(client, block_action(user_id, action, response_url=slack.response_url))


def _footer_button(reply: dict) -> dict:
    (actions,) = [block for block in reply["blocks"] if block["type"] == "actions"]
    return actions["elements"][0]


def test_the_agenda_lists_sessions_to_come_by_day_in_the_members_zone(
    client, slack, session, ada, make_conference
):
    programme = make_conference()

    assert _command(client, slack, ada, "mlopscon").status_code == 200

    reply = _reply(slack)
    assert reply["response_type"] == "ephemeral"
    days = [block for block in _sections(reply) if block.get("block_id", "").startswith("day_")]
    assert len(days) == 2  # the conference's two days, each a heading
    keynote = _session_block(reply, "Opening keynote")
    # 09:00 in Berlin is 03:00 in New York
    assert "03:00–03:45" in keynote["text"]["text"]
    assert "09:00" in keynote["text"]["text"] and "at the conference" in keynote["text"]["text"]
    assert "/conferences/mlopscon/sessions/opening-keynote" in keynote["text"]["text"]
    assert "Main Stage" in keynote["text"]["text"] and "Ada Lovelace" in keynote["text"]["text"]
    assert keynote["accessory"]["text"]["text"] == "Star"
    note = json.dumps(reply["blocks"])
    assert "America/New_York" in note and "Europe/Berlin" in note
    assert "Lunch" not in note  # a break has nothing to star
    assert programme.event.title in reply["text"]


def test_starring_from_the_button_persists_and_redraws_the_message(
    client, slack, session, ada, make_conference
):
    programme = make_conference()
    _command(client, slack, ada, "mlopscon")
    star_button = _session_block(_reply(slack), "Evaluating LLM apps")["accessory"]

    _press(client, slack, ada, star_button)

    member = session.exec(select(Member).where(Member.slack_id == ada)).one()
    workshop = programme.sessions["Evaluating LLM apps"]
    assert starred_session_ids(session, programme.conference.id, member=member) == {workshop.id}
    redrawn = _reply(slack)
    assert redrawn["replace_original"] is True
    assert _session_block(redrawn, "Evaluating LLM apps")["accessory"]["text"]["text"] == "Unstar"
    assert _session_block(redrawn, "Opening keynote")["accessory"]["text"]["text"] == "Star"
    assert "10 minutes before it starts" in json.dumps(redrawn["blocks"])

    _press(client, slack, ada, star_button)  # an old message's Star again: still one star
    assert len(session.exec(select(SessionStar)).all()) == 1


def test_my_agenda_shows_only_starred_sessions_and_unstar_takes_them_off(
    client, slack, session, ada, make_conference
):
    programme = make_conference()
    _command(client, slack, ada, "mlopscon")
    _press(client, slack, ada, _session_block(_reply(slack), "Platform teams panel")["accessory"])

    _command(client, slack, ada, "mlopscon mine")

    mine = _reply(slack)
    titles = json.dumps(mine["blocks"])
    assert "Platform teams panel" in titles
    assert "Opening keynote" not in titles and "Feature stores in practice" not in titles
    assert _footer_button(mine)["text"]["text"] == "Whole agenda"

    _press(client, slack, ada, _session_block(mine, "Platform teams panel")["accessory"])

    session.expire_all()
    assert session.exec(select(SessionStar)).all() == []
    emptied = _reply(slack)
    assert "You have starred no sessions" in json.dumps(emptied["blocks"])
    _press(client, slack, ada, _footer_button(emptied))  # back to the whole agenda
    assert "Opening keynote" in json.dumps(_reply(slack)["blocks"])
    assert programme.conference.id


def test_unstar_in_slack_also_removes_a_star_given_on_the_web(
    client, slack, session, ada, make_conference
):
    programme = make_conference()
    registration = Registration(
        event_id=programme.event.id, name="Ada", email="ADA@example.org"
    )  # the member's own place, under the address Slack verified
    session.add(registration)
    session.commit()
    star(session, programme.sessions["Opening keynote"], registration=registration)
    session.commit()

    _command(client, slack, ada, "mlopscon mine")
    keynote = _session_block(_reply(slack), "Opening keynote")
    assert keynote["accessory"]["text"]["text"] == "Unstar"

    _press(client, slack, ada, keynote["accessory"])

    session.expire_all()
    assert starred_session_ids(session, programme.conference.id, registration=registration) == set()


def test_the_agenda_alone_shows_the_only_conference_or_lists_them(
    client, slack, session, ada, make_conference
):
    make_conference()
    _command(client, slack, ada)
    assert "Opening keynote" in json.dumps(_reply(slack)["blocks"])

    make_conference(acronym="llmday", days_ahead=20, title="LLM Day")
    _command(client, slack, ada)

    listing = _reply(slack)
    buttons = [block["accessory"] for block in _sections(listing) if "accessory" in block]
    assert [json.loads(button["value"])["a"] for button in buttons] == ["mlopscon", "llmday"]
    _press(client, slack, ada, buttons[1])
    assert "LLM Day" in json.dumps(_reply(slack)["blocks"])


def test_unpublished_ended_and_unknown_agendas_are_not_shown(
    client, slack, session, ada, make_conference
):
    hidden = make_conference(acronym="draftcon")
    session.get(Conference, hidden.conference.id).agenda_published_at = None
    past = make_conference(acronym="oldcon", days_ahead=-5)
    session.commit()

    for acronym in ("draftcon", "oldcon", "nosuchcon"):
        _command(client, slack, ada, acronym)
        assert "No published agenda still to come" in _reply(slack)["text"]
        assert not _reply(slack).get("blocks")
    _command(client, slack, ada)
    assert "No conference has a published agenda" in _reply(slack)["text"]
    assert past.event.ends_at < utcnow()


def test_sessions_that_have_ended_are_left_out(client, slack, session, ada, make_conference):
    programme = make_conference()
    first_day = programme.event.starts_at
    for item in programme.sessions.values():  # the conference began an hour ago
        item.starts_at -= first_day - utcnow() + timedelta(hours=1)
    session.commit()

    _command(client, slack, ada, "mlopscon")

    shown = json.dumps(_reply(slack)["blocks"])
    assert "Opening keynote" not in shown  # 45 minutes long: over
    assert "Evaluating LLM apps" in shown and "on now" in shown  # 90 minutes: still running
    assert "Platform teams panel" in shown


def test_a_forged_signature_is_refused_and_stars_nothing(
    client, slack, session, ada, make_conference
):
    programme = make_conference()
    _command(client, slack, ada, "mlopscon")
    button = _session_block(_reply(slack), "Opening keynote")["accessory"]
    payload = block_action(
        ada,
        {"type": "button", "action_id": button["action_id"], "value": button["value"]},
        response_url=slack.response_url,
    )
    body = urlencode({"payload": json.dumps(payload)})

    forged = client.post(
        "/slack/events",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers=signed_headers("not-the-signing-secret", body),
    )

    assert forged.status_code == 401
    assert session.exec(select(SessionStar)).all() == []
    assert _command(client, slack, ada, "mlopscon", secret="guessed").status_code == 401
    assert programme.conference.acronym == "mlopscon"


def test_the_manifest_offers_the_command_at_this_deployment():
    manifest = yaml.safe_load(
        render_manifest(public_url="https://community.example", community_name="MLOps")
    )
    commands = {item["command"]: item for item in manifest["features"]["slash_commands"]}
    assert commands["/agenda"]["url"] == "https://community.example/slack/events"


def test_a_long_agenda_stays_within_slacks_block_limit_and_points_to_the_page(
    client, slack, session, ada, make_conference
):
    programme = make_conference()
    first = programme.sessions["Opening keynote"]
    session.add_all(
        ConferenceSession(
            conference_id=programme.conference.id,
            guid=f"extra-{number}",
            slug=f"lightning-talk-{number}",
            title=f"Lightning talk {number}",
            stage_id=first.stage_id,
            starts_at=first.starts_at + timedelta(minutes=5 * number),
            duration_minutes=5,
        )
        for number in range(1, 61)
    )
    session.commit()

    _command(client, slack, ada, "mlopscon")

    blocks = _reply(slack)["blocks"]
    assert len(blocks) <= 50
    assert "more on <http://conf.test/conferences/mlopscon|the agenda page>" in json.dumps(blocks)
    assert blocks[-1]["type"] == "actions"  # "My agenda" is still there


def test_what_the_member_typed_is_shown_as_text_never_as_a_mention(client, slack, session, ada):
    _command(client, slack, ada, "<!channel>")

    assert "&lt;!channel&gt;" in _reply(slack)["text"]
    assert "<!channel>" not in _reply(slack)["text"]


def test_a_button_on_an_agenda_no_longer_published_says_so(
    client, slack, session, ada, make_conference
):
    programme = make_conference()
    _command(client, slack, ada, "mlopscon")
    button = _session_block(_reply(slack), "Opening keynote")["accessory"]
    session.get(Conference, programme.conference.id).agenda_published_at = None
    session.commit()

    _press(client, slack, ada, button)

    assert "no longer published" in _reply(slack)["text"]
    assert session.exec(select(SessionStar)).all() == []
