"""What an introduction says: what the group shares, where to start, and when to meet."""

from collections.abc import Sequence
from dataclasses import dataclass

from integrations.slack.text import escape, link

SLOT_MINUTES = 30  # half-hour slots, as some time zones are half an hour off
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
DAYTIME = (9, 18)  # local hours that suit a call
WIDER_DAYTIME = (8, 21)


@dataclass(frozen=True)
class Introducee:
    slack_id: str
    name: str
    tz_offset: int
    interests: frozenset[str]


@dataclass(frozen=True)
class StartingPoint:
    title: str
    url: str | None


def shared_topics(people: Sequence[Introducee]) -> list[str]:
    common = (
        frozenset.intersection(*(person.interests for person in people)) if people else frozenset()
    )
    return sorted(common)


def meeting_window(people: Sequence[Introducee]) -> str:
    """A span of time that is daytime for everyone, in each person's own time."""
    for earliest, latest in (DAYTIME, WIDER_DAYTIME):
        slots = [
            slot
            for slot in range(SLOTS_PER_DAY)
            if all(earliest * 60 <= _local_minutes(slot, p) < latest * 60 for p in people)
        ]
        if slots:
            start, length = _longest_run(slots)
            return "; ".join(
                f"{_clock(start, p)}–{_clock(start + length, p)} for {escape(p.name)}"
                for p in people
            )
    return (
        "your days barely overlap, so an early morning for one of you and an evening "
        "for the other works best"
    )


def introduction_text(people: Sequence[Introducee], starting_point: StartingPoint | None) -> str:
    mentions = ", ".join(f"<@{person.slack_id}>" for person in people)
    lines = [f"Hello {mentions}! You are this round's one-on-one pairing. :wave:"]
    topics = shared_topics(people)
    if topics:
        lines.append(f"You share an interest in {escape(_listing(topics))}.")
    if starting_point:
        lines.append(f"Something to start with: {link(starting_point.url, starting_point.title)}.")
    lines.append(f"A time that suits you all: {meeting_window(people)}.")
    lines.append("Find 30 minutes for a call in the next days. I will check in later on.")
    return "\n".join(lines)


def _local_minutes(slot: int, person: Introducee) -> int:
    """Minutes after local midnight at the start of a UTC half-hour slot."""
    return (slot * SLOT_MINUTES + person.tz_offset // 60) % (24 * 60)


def _clock(slot: int, person: Introducee) -> str:
    minutes = _local_minutes(slot % SLOTS_PER_DAY, person)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _longest_run(slots: list[int]) -> tuple[int, int]:
    """(first slot, length) of the longest run, wrapping around midnight UTC."""
    chosen = set(slots)
    best = (slots[0], 1)
    for slot in slots:
        if (slot - 1) % SLOTS_PER_DAY in chosen and len(chosen) < SLOTS_PER_DAY:
            continue  # not the start of a run
        length = 1
        while (slot + length) % SLOTS_PER_DAY in chosen and length < SLOTS_PER_DAY:
            length += 1
        if length > best[1]:
            best = (slot, length)
    return best


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"
