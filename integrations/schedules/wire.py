"""The schedule document as it arrives, typed with pydantic so every error knows its place.

Lenient where real schedules differ (unknown fields are ignored, XML's text is coerced to
numbers and booleans) and strict where a wrong value would land in the programme (a number
where text belongs, a duration that is not HH:MM).
"""

import json
import re
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from integrations.schedules.model import DURATION

ACRONYM = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")
START = re.compile(r"([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?")
COLOUR = re.compile(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|#[0-9a-fA-F]{8}")


def shown(value: Any) -> str:
    """A value as the error message quotes it: short, and the way the document wrote it."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else f"{text[:57]}…"


def _text_of(value: Any, expected: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected {expected}, got {shown(value)}")
    return value.strip()


def _duration(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else None
    match = DURATION.fullmatch(text) if text is not None else None
    if match is None:
        raise ValueError(f"expected HH:MM, got {shown(value)}")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _start(value: Any) -> str:
    match = START.fullmatch(_text_of(value, "HH:MM"))
    if match is None:
        raise ValueError(f"expected HH:MM, got {shown(value)}")
    return f"{match.group(1)}:{match.group(2)}"


def _moment(value: Any) -> datetime:
    example = "a date and time such as 2020-12-14T09:00:00+01:00"
    try:
        return datetime.fromisoformat(_text_of(value, example))
    except ValueError:
        raise ValueError(f"expected {example}, got {shown(value)}") from None


def _day(value: Any) -> date:
    example = "a date such as 2020-12-14"
    text = _text_of(value, example)
    try:
        return date.fromisoformat(text[:10]) if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expected {example}, got {shown(value)}") from None


def _guid(value: Any) -> str:
    try:
        return str(uuid.UUID(_text_of(value, "a UUID")))
    except ValueError:
        raise ValueError(f"expected a UUID, got {shown(value)}") from None


def _acronym(value: Any) -> str:
    text = _text_of(value, "an acronym").lower()
    if not ACRONYM.fullmatch(text):
        raise ValueError(f"expected letters, digits, '-' and '_' (at most 100), got {shown(value)}")
    return text


def _colour(value: Any) -> str:
    text = _text_of(value, "a colour such as #1f6feb")
    if not COLOUR.fullmatch(text):
        raise ValueError(f"expected a colour such as #1f6feb, got {shown(value)}")
    return text.lower()


def _version(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return _text_of(value, "text")


def _list_or_none(value: Any) -> Any:
    return [] if value is None else value


def _text(limit: int | None = None) -> Any:
    return Annotated[
        str,
        BeforeValidator(lambda value: _text_of(value, "text")),
        Field(max_length=limit),
    ]


Duration = Annotated[str, BeforeValidator(_duration)]
Start = Annotated[str, BeforeValidator(_start)]
Moment = Annotated[datetime, BeforeValidator(_moment)]
Day = Annotated[date, BeforeValidator(_day)]
Guid = Annotated[str, BeforeValidator(_guid)]
Acronym = Annotated[str, BeforeValidator(_acronym)]
Colour = Annotated[str, BeforeValidator(_colour)]
Version = Annotated[str, BeforeValidator(_version)]
Text = _text()
Name = _text(200)
Title = _text(500)
Url = _text(2000)


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class WirePerson(_Wire):
    name: Name | None = None
    public_name: Name | None = None  # frab's older name for it
    guid: Guid | None = None
    code: _text(40) | None = None
    biography: Text | None = None

    @model_validator(mode="after")
    def _named(self) -> "WirePerson":
        if not (self.name or self.public_name):
            raise ValueError("a person needs a name")
        return self


class WireLink(_Wire):
    url: Url
    title: _text(500) | None = None
    type: _text(40) | None = None


class WireEvent(_Wire):
    guid: Guid
    title: Title
    date: Moment
    duration: Duration
    room: Name | None = None
    start: Start | None = None
    id: Annotated[int, Field(ge=1)] | None = None
    code: _text(40) | None = None
    slug: _text(200) | None = None
    subtitle: Title | None = None
    type: _text(50) | None = None
    language: _text(20) | None = None
    abstract: Text | None = None
    description: Text | None = None
    track: Name | None = None
    persons: Annotated[list[WirePerson], BeforeValidator(_list_or_none)] = []
    links: Annotated[list[WireLink], BeforeValidator(_list_or_none)] = []
    do_not_record: bool | None = None
    url: Url | None = None
    origin_url: Url | None = None


class WireDay(_Wire):
    day_start: Moment
    day_end: Moment
    index: Annotated[int, Field(ge=1)] | None = None
    date: Day | None = None
    rooms: dict[Name, Annotated[list[WireEvent], BeforeValidator(_list_or_none)]] = {}


class WireRoom(_Wire):
    name: Name
    guid: Guid | None = None
    description: Text | None = None
    capacity: Annotated[int, Field(ge=0)] | None = None


class WireTrack(_Wire):
    name: Name
    color: Colour | None = None
    slug: _text(200) | None = None


class WireConference(_Wire):
    acronym: Acronym
    title: _text(300)
    days: list[WireDay]
    start: Day | None = None
    end: Day | None = None
    time_zone_name: Text | None = None
    rooms: Annotated[list[WireRoom], BeforeValidator(_list_or_none)] = []
    tracks: Annotated[list[WireTrack], BeforeValidator(_list_or_none)] = []
    url: Url | None = None


class WireSchedule(_Wire):
    conference: WireConference
    version: Version = ""


class WireGenerator(_Wire):
    name: Text | None = None
    version: Version | None = None


class WireDocument(_Wire):
    schedule: WireSchedule
    generator: WireGenerator | None = None


def read_document(document: Any) -> WireDocument:
    """Raises ValidationError; `problems_of` turns it into sentences that name their place."""
    return WireDocument.model_validate(document)


def problems_of(error: ValidationError) -> list[str]:
    return [f"{place(problem['loc'])}: {_sentence(problem)}" for problem in error.errors()]


def place(location: tuple) -> str:
    """('schedule', 'conference', 'days', 1, 'rooms', 'Gray Room', 0) as
    schedule.conference.days[1].rooms['Gray Room'][0]."""
    text = ""
    for step, part in enumerate(location):
        if isinstance(part, int):
            text += f"[{part}]"
        elif step > 0 and location[step - 1] == "rooms":
            text += f"[{part!r}]"  # a day's rooms are keyed by name
        else:
            text += f".{part}" if text else str(part)
    return text or "the document"


_SENTENCES = {
    "missing": "is required",
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list",
    "dict_type": "expected an object",
    "model_type": "expected an object",
    "model_attributes_type": "expected an object",
}


def _sentence(problem: dict) -> str:
    kind = problem["type"]
    if kind == "missing":
        return "is required"
    if kind in _SENTENCES:
        return f"{_SENTENCES[kind]}, got {shown(problem.get('input'))}"
    if kind in ("string_too_long", "too_long"):
        return f"is longer than {problem['ctx']['max_length']} characters"
    if kind == "greater_than_equal":
        return f"expected at least {problem['ctx']['ge']}, got {shown(problem.get('input'))}"
    if kind == "value_error":
        return str(problem["ctx"]["error"])
    return problem["msg"]
