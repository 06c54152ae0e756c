"""`/agenda`: a conference's sessions still to come, starred and unstarred from Slack.

`/agenda` lists the conferences whose agenda is published and that have not ended (or shows
the only one), `/agenda ACRONYM` its sessions still to come, `/agenda ACRONYM mine` the
member's own. The buttons come back here with the member and what they pressed.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sqlalchemy import func
from sqlmodel import Session, select

from community.conferences.programme import sessions_of, speakers_of_sessions, stages_of
from community.conferences.stars import (
    agenda_of_member,
    reader_zone,
    session_page_url,
    star,
    unstar_everywhere,
)
from community.links import public_url
from community.models import (
    Conference,
    ConferenceSession,
    Event,
    EventStatus,
    Member,
    SessionKind,
)
from integrations.slack.agenda_blocks import (
    Agenda,
    AgendaSession,
    ConferenceChoice,
    agenda_blocks,
    agenda_fallback_text,
    conference_list_blocks,
    read_action_value,
)

HELP = (
    "`/agenda` lists the conferences with an agenda · `/agenda ACRONYM` shows its sessions "
    "still to come, to star · `/agenda ACRONYM mine` shows the ones you starred"
)
MINE_WORDS = ("mine", "my", "starred")


@dataclass(frozen=True)
class AgendaReply:
    text: str
    blocks: list[dict] | None = None


def agenda_command(session: Session, member: Member, text: str, now: datetime) -> AgendaReply:
    """What `/agenda TEXT` answers the member."""
    words = text.split()
    if not words:
        return _open_agendas_reply(session, member, now)
    acronym, rest = words[0], [word.lower() for word in words[1:]]
    if acronym.lower() == "help" or len(rest) > 1 or (rest and rest[0] not in MINE_WORDS):
        return AgendaReply(HELP)
    found = open_agenda(session, acronym, now)
    if found is None:
        return AgendaReply(f"No published agenda still to come is called “{acronym[:100]}”. {HELP}")
    return agenda_reply(session, member, *found, now, mine=bool(rest))


def show_pressed(session: Session, member: Member, value: str, now: datetime) -> AgendaReply:
    """The "Agenda", "My agenda" and "Whole agenda" buttons."""
    try:
        acronym, mine, _ = read_action_value(value)
    except ValueError:
        return AgendaReply(HELP)
    found = open_agenda(session, acronym, now)
    if found is None:
        return AgendaReply("That agenda is no longer published.")
    return agenda_reply(session, member, *found, now, mine=mine)


def star_pressed(
    session: Session, member: Member, value: str, now: datetime, *, starring: bool
) -> AgendaReply:
    """Star or Unstar: changes the member's agenda and redraws the message they pressed."""
    try:
        acronym, mine, session_id = read_action_value(value)
    except ValueError:
        return AgendaReply(HELP)
    found = open_agenda(session, acronym, now)
    if found is None:
        return AgendaReply("That agenda is no longer published.")
    conference, event = found
    item = session.get(ConferenceSession, session_id) if session_id is not None else None
    if item is None or item.conference_id != conference.id:
        notice = "That session is no longer on the agenda."
    elif starring:
        star(session, item, member=member)
        notice = f"Starred “{item.title}”: I will message you 10 minutes before it starts."
    else:
        unstar_everywhere(session, item, member, event.id)
        notice = f"Unstarred “{item.title}”."
    return agenda_reply(session, member, conference, event, now, mine=mine, notice=notice)


def open_agendas(session: Session, now: datetime) -> list[tuple[Conference, Event]]:
    """Conferences whose agenda is published and that have not ended, soonest first."""
    statement = (
        _published_agendas()
        .where(Event.ends_at > now)
        .order_by(Event.starts_at, Conference.acronym)
    )
    return list(session.exec(statement))


def open_agenda(session: Session, acronym: str, now: datetime) -> tuple[Conference, Event] | None:
    statement = _published_agendas().where(
        Event.ends_at > now, func.lower(Conference.acronym) == acronym.lower()
    )
    return session.exec(statement).first()


def agenda_reply(
    session: Session,
    member: Member,
    conference: Conference,
    event: Event,
    now: datetime,
    *,
    mine: bool,
    notice: str | None = None,
) -> AgendaReply:
    starred = agenda_of_member(session, conference.id, event.id, member)
    sessions = [
        item for item in _still_to_come(session, conference, now) if not mine or item.id in starred
    ]
    stages = {stage.id: stage.name for stage in stages_of(session, conference)}
    speakers = speakers_of_sessions(session, [item.id for item in sessions])
    agenda = Agenda(
        acronym=conference.acronym,
        title=event.title,
        url=public_url(f"/conferences/{quote(conference.acronym)}"),
        conference_zone=event.timezone,
        reader_zone=reader_zone(member, event.timezone),
        sessions=[
            AgendaSession(
                id=item.id,
                title=item.title,
                url=session_page_url(conference, item),
                starts_at=item.starts_at,
                ends_at=item.ends_at,
                stage=stages.get(item.stage_id, ""),
                speakers=[speaker.name for speaker in speakers[item.id]],
                starred=item.id in starred,
                on_now=item.starts_at <= now,
            )
            for item in sessions
        ],
        mine=mine,
        notice=notice,
    )
    return AgendaReply(agenda_fallback_text(agenda), agenda_blocks(agenda))


def _open_agendas_reply(session: Session, member: Member, now: datetime) -> AgendaReply:
    found = open_agendas(session, now)
    if not found:
        return AgendaReply("No conference has a published agenda still to come.")
    if len(found) == 1:
        return agenda_reply(session, member, *found[0], now, mine=False)
    choices = [
        ConferenceChoice(conference.acronym, event.title, event.starts_at, event.timezone)
        for conference, event in found
    ]
    text = "Conferences with an agenda: " + ", ".join(choice.acronym for choice in choices)
    return AgendaReply(text, conference_list_blocks(choices))


def _published_agendas():
    return (
        select(Conference, Event)
        .join(Event, Event.id == Conference.event_id)
        .where(Conference.agenda_published_at.is_not(None), Event.status == EventStatus.PUBLISHED)
    )


def _still_to_come(
    session: Session, conference: Conference, now: datetime
) -> list[ConferenceSession]:
    """Placed sessions that have not ended, breaks left out: there is nothing to star there."""
    return [
        item
        for item in sessions_of(session, conference)
        if item.starts_at is not None
        and item.stage_id is not None
        and item.kind != SessionKind.BREAK
        and item.ends_at > now
    ]
