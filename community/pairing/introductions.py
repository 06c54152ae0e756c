"""What an introduction says: what the group shares, where to start, and when to meet."""

from collections.abc import Sequence
from dataclasses import dataclass

HOUR = 3600
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
    """A span of hours that is daytime for everyone, in each person's own time."""
    for earliest, latest in (DAYTIME, WIDER_DAYTIME):
        hours = [
            h
            for h in range(24)
            if all(_local_hour(h, p) in range(earliest, latest) for p in people)
        ]
        if hours:
            start, end = _longest_run(hours)
            return "; ".join(f"{_fmt(start, p)}–{_fmt(end + 1, p)} for {p.name}" for p in people)
    return (
        "your days barely overlap, so an early morning for one of you and an evening "
        "for the other works best"
    )


def introduction_text(people: Sequence[Introducee], starting_point: StartingPoint | None) -> str:
    mentions = ", ".join(f"<@{person.slack_id}>" for person in people)
    lines = [f"Hello {mentions}! You are this round's one-on-one pairing. :wave:"]
    topics = shared_topics(people)
    if topics:
        lines.append(f"You share an interest in {_listing(topics)}.")
    if starting_point:
        link = (
            f"<{starting_point.url}|{starting_point.title}>"
            if starting_point.url
            else starting_point.title
        )
        lines.append(f"Something to start with: {link}.")
    lines.append(f"A time that suits you all: {meeting_window(people)}.")
    lines.append("Find 30 minutes for a call in the next days. I will check in later on.")
    return "\n".join(lines)


def _local_hour(utc_hour: int, person: Introducee) -> int:
    return (utc_hour + round(person.tz_offset / HOUR)) % 24


def _fmt(utc_hour: int, person: Introducee) -> str:
    return f"{_local_hour(utc_hour, person):02d}:00"


def _longest_run(hours: list[int]) -> tuple[int, int]:
    best = current = (hours[0], hours[0])
    for hour in hours[1:]:
        current = (current[0], hour) if hour == current[1] + 1 else (hour, hour)
        if current[1] - current[0] > best[1] - best[0]:
            best = current
    return best


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"
