"""Block Kit for a conference's agenda in Slack, and the DM before a starred session.

Times are shown in the reader's zone, with the conference's zone noted when it differs.
Callers pass IANA zone names that exist.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from zoneinfo import ZoneInfo

from integrations.slack.blocks import button, section
from integrations.slack.text import escape, link

STAR = "agenda_star"
UNSTAR = "agenda_unstar"
SHOW = "agenda_show"  # opens a conference's agenda, whole or the member's own
ACTION_IDS = (STAR, UNSTAR, SHOW)
MESSAGE_BLOCK_LIMIT = 50  # Slack refuses a message with more


@dataclass(frozen=True)
class AgendaSession:
    id: int
    title: str
    url: str
    starts_at: datetime
    ends_at: datetime
    stage: str
    speakers: list[str]
    starred: bool
    on_now: bool = False


@dataclass(frozen=True)
class Agenda:
    acronym: str
    title: str
    url: str  # the public agenda page
    conference_zone: str
    reader_zone: str
    sessions: list[AgendaSession]
    mine: bool = False  # only the member's starred sessions
    notice: str | None = None  # what the last button press did


@dataclass(frozen=True)
class ConferenceChoice:
    acronym: str
    title: str
    starts_at: datetime
    zone: str


@dataclass(frozen=True)
class SessionReminder:
    title: str
    url: str
    stage: str
    starts_at: datetime
    ends_at: datetime
    minutes_left: int
    speakers: list[str]
    conference_zone: str
    reader_zone: str
    join_url: str | None = None  # a virtual stage's stream, for registered people only
    register_url: str | None = None  # where the unregistered get the join link


def action_value(acronym: str, *, mine: bool, session_id: int | None = None) -> str:
    value = {"a": acronym, "m": int(mine)}
    return json.dumps(value | ({"s": session_id} if session_id is not None else {}))


def read_action_value(value: str) -> tuple[str, bool, int | None]:
    """(acronym, mine, session id) from a button; ValueError for anything else."""
    data = json.loads(value)
    if not isinstance(data, dict) or not isinstance(data.get("a"), str):
        raise ValueError("not an agenda button")
    session_id = data.get("s")
    if session_id is not None and not isinstance(session_id, int):
        raise ValueError("not a session id")
    return data["a"], bool(data.get("m")), session_id


def agenda_blocks(agenda: Agenda) -> list[dict]:
    """The sessions by day in the reader's zone, each with its Star or Unstar button."""
    blocks = [section(_heading(agenda)), _context(_zones_note(agenda))]
    if agenda.notice:
        blocks.append(section(escape(agenda.notice)))
    footer = _footer(agenda)
    if not agenda.sessions:
        blocks.append(section(_nothing_text(agenda)))
        return [*blocks, footer]
    zone = ZoneInfo(agenda.reader_zone)
    shown = 0
    for day, sessions in groupby(
        agenda.sessions, key=lambda s: s.starts_at.astimezone(zone).date()
    ):
        if len(blocks) + 4 > MESSAGE_BLOCK_LIMIT:  # a day heading, a session, "more", footer
            break
        blocks.append(section(f"*{_day_label(day)}*") | {"block_id": f"day_{day.isoformat()}"})
        for item in sessions:
            if len(blocks) + 3 > MESSAGE_BLOCK_LIMIT:
                break
            blocks.append(_session_block(agenda, item))
            shown += 1
    if shown < len(agenda.sessions):
        more = len(agenda.sessions) - shown
        blocks.append(section(f"…and {more} more on {link(agenda.url, 'the agenda page')}."))
    return [*blocks, footer]


def agenda_fallback_text(agenda: Agenda) -> str:
    what = "your starred sessions" if agenda.mine else "sessions to come"
    return f"{agenda.title}: {len(agenda.sessions)} {what}"


def conference_list_blocks(choices: list[ConferenceChoice]) -> list[dict]:
    blocks = [section("*Conferences with an agenda*")]
    for choice in choices[: MESSAGE_BLOCK_LIMIT - 1]:
        starts = choice.starts_at.astimezone(ZoneInfo(choice.zone)).date()
        block = section(
            f"*{escape(choice.title)}* · `{escape(choice.acronym)}` · {_day_label(starts)}"
        )
        block["accessory"] = button(SHOW, "Agenda", action_value(choice.acronym, mine=False))
        blocks.append(block)
    return blocks


def reminder_message(reminder: SessionReminder) -> tuple[str, list[dict]]:
    """(text, blocks) of the DM sent shortly before a starred session starts."""
    soon = f"in {reminder.minutes_left} minute{'' if reminder.minutes_left == 1 else 's'}"
    when = _span(reminder.starts_at, reminder.ends_at, reminder.reader_zone)
    lines = [
        f"*Starting {soon}:* *{link(reminder.url, reminder.title)}*",
        f"{when}{_elsewhere(reminder.starts_at, reminder.reader_zone, reminder.conference_zone)}"
        f" · {escape(reminder.stage)}",
    ]
    if reminder.speakers:
        lines.append(escape(", ".join(reminder.speakers)))
    if reminder.join_url:
        lines.append(f"Join: {link(reminder.join_url, reminder.stage + ' stream')}")
    elif reminder.register_url:
        lines.append(
            f"The stream's link is for registered people: {link(reminder.register_url, 'register')}"
        )
    text = f"Starting {soon}: {escape(reminder.title)} ({when}, {escape(reminder.stage)})"
    return text, [section("\n".join(lines))]


def _heading(agenda: Agenda) -> str:
    title = link(agenda.url, agenda.title)
    return f"*{title}* · {'your agenda' if agenda.mine else 'sessions to come'}"


def _zones_note(agenda: Agenda) -> str:
    if agenda.reader_zone == agenda.conference_zone:
        return f"Times in {agenda.conference_zone}, the conference's zone."
    return (
        f"Times in your zone, {agenda.reader_zone}; "
        f"the conference runs on {agenda.conference_zone} time."
    )


def _nothing_text(agenda: Agenda) -> str:
    if agenda.mine:
        return "You have starred no sessions still to come. Star them on the whole agenda."
    return "No sessions are still to come."


def _session_block(agenda: Agenda, item: AgendaSession) -> dict:
    when = _span(item.starts_at, item.ends_at, agenda.reader_zone)
    details = [when + _elsewhere(item.starts_at, agenda.reader_zone, agenda.conference_zone)]
    details.append(escape(item.stage))
    if item.speakers:
        details.append(escape(", ".join(item.speakers)))
    now = " · *on now*" if item.on_now else ""
    star = ":star: " if item.starred else ""
    block = section(f"{star}*{link(item.url, item.title)}*{now}\n{' · '.join(details)}")
    value = action_value(agenda.acronym, mine=agenda.mine, session_id=item.id)
    block["accessory"] = (
        button(UNSTAR, "Unstar", value) if item.starred else button(STAR, "Star", value)
    )
    return block


def _footer(agenda: Agenda) -> dict:
    other = not agenda.mine
    label = "My agenda" if other else "Whole agenda"
    return {
        "type": "actions",
        "block_id": "agenda_views",
        "elements": [button(SHOW, label, action_value(agenda.acronym, mine=other))],
    }


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(text)}]}


def _span(starts_at: datetime, ends_at: datetime, zone_name: str) -> str:
    zone = ZoneInfo(zone_name)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    return f"{start:%H:%M}–{end:%H:%M} {start:%Z}"


def _elsewhere(starts_at: datetime, reader_zone: str, conference_zone: str) -> str:
    """The start in the conference's zone too, when the reader is somewhere else."""
    if reader_zone == conference_zone:
        return ""
    there = starts_at.astimezone(ZoneInfo(conference_zone))
    here = starts_at.astimezone(ZoneInfo(reader_zone))
    day = f" {there:%a}" if there.date() != here.date() else ""
    return f" ({there:%H:%M}{day} {there:%Z} at the conference)"


def _day_label(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"
