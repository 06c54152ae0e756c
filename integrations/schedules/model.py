"""A conference programme as the frab/pretalx schedule format describes it, as plain data."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

DURATION = re.compile(r"(\d{1,3}):([0-5]\d)(?::[0-5]\d)?")


class ScheduleError(ValueError):
    """A schedule that cannot be read; `problems` are sentences, each naming its place."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")


@dataclass(frozen=True)
class Person:
    name: str
    guid: str | None = None
    code: str | None = None  # pretalx's short code, e.g. "NQTF8Y"
    biography: str | None = None


@dataclass(frozen=True)
class Link:
    url: str
    title: str | None = None
    type: str | None = None  # "slides", "media", "web"…


@dataclass(frozen=True)
class ScheduleItem:
    """One event of the format: a talk, workshop, break… in one room."""

    guid: str
    title: str
    room: str
    date: datetime  # aware, in the offset the schedule gave it
    start: str  # "HH:MM", local to the date's offset
    duration: str  # "HH:MM"
    id: int | None = None
    code: str | None = None
    slug: str | None = None
    subtitle: str | None = None
    type: str | None = None
    language: str | None = None
    abstract: str | None = None
    description: str | None = None
    track: str | None = None
    persons: tuple[Person, ...] = ()
    links: tuple[Link, ...] = ()
    do_not_record: bool | None = None
    url: str | None = None  # the session's page where the schedule comes from
    origin_url: str | None = None

    @property
    def duration_minutes(self) -> int:
        return duration_minutes(self.duration)

    @property
    def ends_at(self) -> datetime:
        return self.date + timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class Room:
    name: str
    guid: str | None = None
    description: str | None = None
    capacity: int | None = None


@dataclass(frozen=True)
class Track:
    name: str
    color: str | None = None  # "#rrggbb"
    slug: str | None = None


@dataclass(frozen=True)
class Day:
    index: int  # 1 for the first day
    date: date
    day_start: datetime
    day_end: datetime
    rooms: dict[str, tuple[ScheduleItem, ...]] = field(default_factory=dict)  # in room order


@dataclass(frozen=True)
class Conference:
    acronym: str
    title: str
    start: date
    end: date
    time_zone: str  # an IANA name
    rooms: tuple[Room, ...] = ()
    tracks: tuple[Track, ...] = ()
    days: tuple[Day, ...] = ()
    url: str | None = None

    @property
    def sessions(self) -> list[ScheduleItem]:
        return [item for day in self.days for items in day.rooms.values() for item in items]


@dataclass(frozen=True)
class Schedule:
    version: str
    conference: Conference
    generator: str | None = None


def duration_minutes(text: str) -> int:
    hours, minutes = DURATION.fullmatch(text).group(1, 2)
    return int(hours) * 60 + int(minutes)


def duration_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
