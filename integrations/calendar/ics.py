"""iCalendar in and out: CalendarEvent values to a published VCALENDAR, and any VCALENDAR back.

Titles, descriptions and locations come back as plain text, cut to sane lengths but not
sanitised: a caller that shows them in HTML must escape them. Only http(s) links are kept.
"""

import codecs
import hashlib
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import (
    Calendar,
    Component,
    Event,
    GloballyUniqueTZIDGuessed,
    vBroken,
    vDDDLists,
    vDuration,
    vRecur,
)

from integrations.calendar.recurrence import (
    MAX_OCCURRENCES,
    RecurrenceError,
    Rule,
    Series,
    expand,
    read_rule,
)
from integrations.calendar.timezones import DocumentTimeZones, iana_zone

MiB = 1024 * 1024
MAX_DOCUMENT_BYTES = 10 * MiB  # as FEEDS_MAX_BYTES; icalendar reads about 1 MiB a second
MAX_LINE_CHARS = 1_000_000  # one unfolded content line
MAX_TIME_ZONE_DEFINITIONS = 20  # icalendar caches each one for the life of the process
MAX_EXPANDED_SERIES = 50  # a crafted rule costs up to half a second to expand
WINDOW_BEFORE = timedelta(days=30)
WINDOW_AFTER = timedelta(days=365)
TITLE_CHARS = 300
DESCRIPTION_CHARS = 20_000
LOCATION_CHARS = 500
URL_CHARS = 2000
UID_CHARS = 255  # longer UIDs are replaced by their hash, leaving room for "#<start>"
CATEGORY_CHARS = 100
MAX_CATEGORIES = 50
REFRESH_INTERVAL = timedelta(hours=1)

_UTC = ZoneInfo("UTC")
_LARGEST_SEQUENCE = 2**31 - 1
# icalendar's accessors raise these on values of the wrong shape; each costs one VEVENT only.
_VALUE_ERRORS = (ValueError, TypeError, LookupError, ArithmeticError)
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CALENDAR_BEGINS = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*VCALENDAR[ \t]*\r?$", re.I | re.M)
_CALENDAR_ENDS = re.compile(r"^[ \t]*END[ \t]*:[ \t]*VCALENDAR[ \t]*\r?$", re.I | re.M)
_ANY_BEGINS = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*([A-Z-]{1,40})[ \t]*\r?$", re.I | re.M)
_TIME_ZONE_BEGINS = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*VTIMEZONE", re.I | re.M)
_FOLDED_LINE_BREAK = re.compile(r"\r?\n[ \t]")
_HTML_PAGE = re.compile(r"<!doctype\s+html|<html[\s>]", re.I)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # keeps tab and newline


class CalendarError(ValueError):
    """The bytes are not a calendar that can be read; the message says why, for an organiser."""


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str  # IANA name; "UTC" for UTC, floating and custom-zone times
    description: str = ""
    location: str | None = None
    url: str | None = None
    cancelled: bool = False
    sequence: int = 0
    last_modified: datetime | None = None
    categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("starts_at", "ends_at", "last_modified"):
            moment = getattr(self, name)
            if moment is not None and moment.utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware")
        if self.ends_at < self.starts_at:
            raise ValueError("ends_at is before starts_at")
        if iana_zone(self.timezone) is None:
            raise ValueError(f"{self.timezone!r} is not an IANA time zone")


@dataclass
class ParsedCalendar:
    events: list[CalendarEvent]
    # Why VEVENTs, or occurrences of a series, were left out or read with a fallback.
    skipped: list[str] = field(default_factory=list)


def build_calendar(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    product_id: str,
    calendar_url: str | None = None,
) -> bytes:
    """A PUBLISH calendar: one VEVENT per event, in the event's own zone, with its VTIMEZONE."""
    events = list(events)
    calendar = _published_calendar(name=name, product_id=product_id, calendar_url=calendar_url)
    stamp = _whole_seconds(datetime.now(UTC))
    for event in events:
        calendar.add_component(_vevent(event, stamp))
    if events:
        first_date, last_date = _years_spanned(events)
        calendar.add_missing_timezones(first_date=first_date, last_date=last_date)
    return calendar.to_ical()


def parse_calendar(
    data: bytes, *, default_timezone: str = "UTC", now: datetime | None = None
) -> ParsedCalendar:
    """The events of an iCalendar document, recurring ones expanded around now.

    Dates and floating times are read in default_timezone. A series gives its occurrences from
    now - 30 days to now + 365 days (at most 200), each with the UID "<uid>#<local start>";
    a one-off event is returned whenever it happens. Raises CalendarError, and no other
    exception, when the bytes are not a readable calendar.
    """
    fallback = iana_zone(default_timezone)
    if fallback is None:
        raise ValueError(f"default_timezone {default_timezone!r} is not an IANA time zone")
    now = now or datetime.now(UTC)
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    calendars = _calendars(_checked_text(data))
    skipped: list[str] = []
    entries = _read_entries(calendars, fallback, skipped)
    expander = _SeriesExpander(now - WINDOW_BEFORE, now + WINDOW_AFTER, skipped)
    events = _unique(expander.events(entries), skipped)
    return ParsedCalendar(sorted(events, key=lambda e: (e.starts_at, e.uid)), skipped)


# Building


def _published_calendar(*, name: str, product_id: str, calendar_url: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", product_id)
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.calendar_name = name  # NAME (RFC 7986) and X-WR-CALNAME
    # RFC 7986 requires VALUE=DURATION, which icalendar's refresh_interval setter leaves out.
    calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))  # Outlook's name for it
    if calendar_url:
        calendar.url = calendar_url
        calendar.source = calendar_url  # RFC 7986: where to fetch it again
    return calendar


def _vevent(event: CalendarEvent, stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("UID", event.uid)
    vevent.add("DTSTAMP", stamp)
    vevent.add("SUMMARY", event.title)
    vevent.add("DTSTART", _in_zone(event.starts_at, event.timezone))
    vevent.add("DTEND", _in_zone(event.ends_at, event.timezone))
    vevent.add("STATUS", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("SEQUENCE", event.sequence)
    if event.description:
        vevent.add("DESCRIPTION", event.description)
    if event.location:
        vevent.add("LOCATION", event.location)
    if event.url:
        vevent.add("URL", event.url)
    if event.last_modified:
        vevent.add("LAST-MODIFIED", _whole_seconds(event.last_modified.astimezone(UTC)))
    if event.categories:
        vevent.add("CATEGORIES", list(event.categories))
    return vevent


def _in_zone(moment: datetime, timezone: str) -> datetime:
    """Local wall-clock time with a TZID, so calendars keep it across DST rule changes.

    RFC 5545 reads a wall-clock time that happens twice (when clocks go back) as the first
    one, so the second can only be written in UTC.
    """
    local = _whole_seconds(moment.astimezone(ZoneInfo(timezone)))
    return local.astimezone(UTC) if local.fold else local


def _whole_seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)  # iCalendar has no fractions of a second


def _years_spanned(events: list[CalendarEvent]) -> tuple[date, date]:
    """Whole years around all events: each VTIMEZONE lists the changes between them."""
    first_year = max(min(event.starts_at for event in events).year - 1, 1)
    last_year = min(max(event.ends_at for event in events).year + 2, 9999)
    return date(first_year, 1, 1), date(last_year, 1, 1)


# Reading the document


def _checked_text(data: bytes) -> str:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise CalendarError(f"the calendar is larger than {MAX_DOCUMENT_BYTES // MiB} MiB")
    text = _decoded(bytes(data))
    if not text.strip():
        raise CalendarError("the document is empty")
    if not _CALENDAR_BEGINS.search(text):
        raise CalendarError(_not_a_calendar_reason(text))
    if len(_CALENDAR_ENDS.findall(text)) < len(_CALENDAR_BEGINS.findall(text)):
        raise CalendarError("the calendar has no END:VCALENDAR; the download may have been cut")
    if max(map(len, _FOLDED_LINE_BREAK.sub("", text).splitlines())) > MAX_LINE_CHARS:
        raise CalendarError(f"the calendar has a line longer than {MAX_LINE_CHARS:,} characters")
    if len(_TIME_ZONE_BEGINS.findall(text)) > MAX_TIME_ZONE_DEFINITIONS:
        raise CalendarError(f"the calendar defines more than {MAX_TIME_ZONE_DEFINITIONS} zones")
    return text


def _decoded(data: bytes) -> str:
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("windows-1252", errors="replace")  # older Outlook exports


def _not_a_calendar_reason(text: str) -> str:
    if _HTML_PAGE.search(text[:1024]):
        return (
            "the address serves a web page, not a calendar; "
            "use the calendar's own address (often ending in .ics)"
        )
    component = _ANY_BEGINS.search(text[:1024])
    if component:
        return f"the document is a lone {component.group(1).upper()}, not a VCALENDAR"
    return "not an iCalendar document: there is no BEGIN:VCALENDAR line"


def _calendars(text: str) -> list[Calendar]:
    try:
        with warnings.catch_warnings():
            # Vendor-prefixed TZIDs are resolved per document later; the guess is not ours.
            warnings.simplefilter("ignore", GloballyUniqueTZIDGuessed)
            components = Calendar.from_ical(text, multiple=True)
    except Exception as error:  # icalendar raises assorted types on malformed input
        raise CalendarError(f"not a readable iCalendar document ({_cut(error, 200)})") from error
    calendars = [component for component in components if component.name == "VCALENDAR"]
    if not calendars:
        raise CalendarError("the document holds no complete VCALENDAR")
    return calendars


# Reading events


class _Unusable(ValueError):
    """A VEVENT that cannot be used; the message completes 'event X: ...'."""


@dataclass(frozen=True)
class _Entry:
    """One usable VEVENT, before its series (if it is one) is expanded."""

    event: CalendarEvent  # DTSTART to DTEND, under the plain UID
    zone: tzinfo  # DTSTART's zone, which may be a calendar's own, non-IANA one
    start: datetime  # DTSTART as wall-clock time in zone
    duration: timedelta  # on the wall clock
    series: Series | None = None
    series_problem: str | None = None  # an RRULE that cannot be expanded
    recurrence_id: datetime | None = None  # the start of the occurrence this one replaces


def _read_entries(
    calendars: list[Calendar], fallback: ZoneInfo, skipped: list[str]
) -> list[_Entry]:
    definitions = [zone for calendar in calendars for zone in _children(calendar, "VTIMEZONE")]
    reader = _VEventReader(DocumentTimeZones(definitions, fallback=fallback), fallback)
    entries = []
    for calendar in calendars:
        cancelled = str(_first(calendar, "METHOD") or "").strip().upper() == "CANCEL"
        for vevent in _children(calendar, "VEVENT"):
            try:
                entries.append(reader.entry(vevent, cancelled=cancelled))
            except _VALUE_ERRORS as error:
                skipped.append(f"{_label(vevent)}: {_reason(error)}")
    skipped.extend(reader.zones.problems)
    return _latest_versions(entries, skipped)


class _VEventReader:
    def __init__(self, zones: DocumentTimeZones, fallback: ZoneInfo) -> None:
        self.zones = zones
        self._fallback = fallback

    def entry(self, vevent: Component, *, cancelled: bool) -> _Entry:
        uid = _uid(vevent)
        start_value = _only(vevent, "DTSTART")
        start = self._moment(start_value.dt, _tzid(start_value))
        end = self._end(vevent, start, all_day=not isinstance(start_value.dt, datetime))
        series, series_problem = self._series(vevent, start)
        return _Entry(
            event=_event(vevent, uid, start, end, cancelled=cancelled),
            zone=start.tzinfo,
            start=_wall(start, start.tzinfo),
            duration=_wall(end, start.tzinfo) - _wall(start, start.tzinfo),
            series=series,
            series_problem=series_problem,
            recurrence_id=self._recurrence_id(vevent),
        )

    def _recurrence_id(self, vevent: Component) -> datetime | None:
        value = _first_moment(vevent, "RECURRENCE-ID")
        return None if value is None else self._moment(value.dt, _tzid(value))

    def _moment(self, value: date, tzid: str | None) -> datetime:
        if not isinstance(value, datetime):
            return datetime.combine(value, time(), self._fallback)
        if tzid:
            return value.replace(tzinfo=self.zones.resolve(tzid))
        if value.tzinfo is None:
            return value.replace(tzinfo=self._fallback)  # floating time
        return value.astimezone(_UTC)

    def _end(self, vevent: Component, start: datetime, *, all_day: bool) -> datetime:
        end_value = _first_moment(vevent, "DTEND")
        duration = getattr(_first(vevent, "DURATION"), "dt", None)
        if end_value is not None:
            end = self._moment(end_value.dt, _tzid(end_value)).astimezone(start.tzinfo)
        elif isinstance(duration, timedelta):
            end = _add_on_wall_clock(start, max(duration, timedelta()))
        else:
            end = start
        if all_day and end <= start:
            return _add_on_wall_clock(start, timedelta(days=1))
        if end < start:
            raise _Unusable("it ends before it starts")
        return end

    def _series(self, vevent: Component, start: datetime) -> tuple[Series | None, str | None]:
        rules = _values(vevent.get("RRULE"))
        extra_starts = [self._moment(value, tzid) for value, tzid in _dates(vevent, "RDATE")]
        if not rules and not extra_starts:
            return None, None
        zone = start.tzinfo
        excluded = list(_dates(vevent, "EXDATE"))
        try:
            read_rules = tuple(self._rule(recur, zone) for recur in rules)
        except RecurrenceError as error:
            return None, str(error)
        series = Series(
            first_start=_wall(start, zone),
            rules=read_rules,
            extra_starts=tuple(_wall(moment, zone) for moment in extra_starts),
            excluded_starts=frozenset(
                _wall(self._moment(value, tzid), zone)
                for value, tzid in excluded
                if isinstance(value, datetime)
            ),
            excluded_days=frozenset(
                value for value, _ in excluded if not isinstance(value, datetime)
            ),
        )
        return series, None

    def _rule(self, recur: object, zone: tzinfo) -> Rule:
        if not isinstance(recur, vRecur):
            raise RecurrenceError("its repeat rule could not be read")
        until = (recur.get("UNTIL") or [None])[0]
        if isinstance(until, datetime):
            until = _wall(until, zone) if until.tzinfo else until
        elif isinstance(until, date):
            until = datetime.combine(until, time.max)  # the whole last day counts
        return read_rule(recur, until)


def _event(
    vevent: Component, uid: str, start: datetime, end: datetime, *, cancelled: bool
) -> CalendarEvent:
    starts_at, timezone = _in_named_zone(start)
    ends_at, _ = _in_named_zone(end)
    return CalendarEvent(
        uid=uid,
        title=_text(vevent, "SUMMARY", TITLE_CHARS, one_line=True),
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone,
        description=_text(vevent, "DESCRIPTION", DESCRIPTION_CHARS),
        location=_text(vevent, "LOCATION", LOCATION_CHARS, one_line=True) or None,
        url=_web_address(vevent),
        cancelled=cancelled or _text(vevent, "STATUS", 20).upper() == "CANCELLED",
        sequence=_sequence(vevent),
        last_modified=_last_modified(vevent),
        categories=_categories(vevent),
    )


def _latest_versions(entries: list[_Entry], skipped: list[str]) -> list[_Entry]:
    """One entry per UID and RECURRENCE-ID: the highest SEQUENCE, else the first."""
    kept: dict[tuple[str, datetime | None], _Entry] = {}
    for entry in entries:
        key = (entry.event.uid, _in_utc(entry.recurrence_id))
        other = kept.get(key)
        if other is not None:
            dropped = entry if entry.event.sequence <= other.event.sequence else other
            skipped.append(
                f"event {_cut(dropped.event.uid, 100)!r}: it appears more than once; "
                "the copy with the highest SEQUENCE was kept"
            )
            if dropped is entry:
                continue
        kept[key] = entry
    return list(kept.values())


# Expanding series


class _SeriesExpander:
    """Occurrences of series inside the window; one-off events and overrides pass through."""

    def __init__(self, window_start: datetime, window_end: datetime, skipped: list[str]) -> None:
        self._window_start = window_start
        self._window_end = window_end
        self._skipped = skipped
        self._series_left = MAX_EXPANDED_SERIES

    def events(self, entries: list[_Entry]) -> list[CalendarEvent]:
        masters = {entry.event.uid: entry for entry in entries if entry.recurrence_id is None}
        overrides = [entry for entry in entries if entry.recurrence_id is not None]
        replaced = {(entry.event.uid, _in_utc(entry.recurrence_id)) for entry in overrides}
        events = []
        for entry in overrides:
            master = masters.get(entry.event.uid)
            events.extend(self._contained(entry, self._override, entry, master))
        for master in masters.values():
            events.extend(self._contained(master, self._occurrences, master, replaced))
        return events

    def _contained(self, entry: _Entry, compute: Callable, *arguments) -> list[CalendarEvent]:
        """Any trouble computing one entry's events costs that entry only."""
        try:
            return compute(*arguments)
        except _VALUE_ERRORS as error:
            self._note(entry, f"its occurrences could not be computed ({_cut(error, 200)})")
            return []

    def _override(self, entry: _Entry, master: _Entry | None) -> list[CalendarEvent]:
        """A moved or changed occurrence, under the UID the series gives that occurrence.

        Like the series, it is kept only near the window; one without its series always is.
        """
        original_start = entry.recurrence_id
        if master is not None and master.series is not None:
            original_start = original_start.astimezone(master.zone)
            if not (self._covers(original_start) or self._covers(entry.event.starts_at)):
                return []
        return [replace(entry.event, uid=_occurrence_uid(entry.event.uid, original_start))]

    def _covers(self, moment: datetime) -> bool:
        return self._window_start <= moment <= self._window_end

    def _occurrences(self, master: _Entry, replaced: set) -> list[CalendarEvent]:
        if master.series_problem:
            return self._first_only(master, master.series_problem)
        if master.series is None:
            return [master.event]
        window_start = _wall(self._window_start, master.zone)
        if master.series.may_reach(window_start):
            self._series_left -= 1
            if self._series_left < 0:
                reason = f"the calendar has more than {MAX_EXPANDED_SERIES} repeating events"
                return self._first_only(master, reason)
        try:
            expansion = expand(master.series, window_start, _wall(self._window_end, master.zone))
        except RecurrenceError as error:
            return self._first_only(master, str(error))
        if expansion.truncated:
            self._note(master, f"only its first {MAX_OCCURRENCES} occurrences in range were kept")
        uid = master.event.uid
        moments = [start.replace(tzinfo=master.zone) for start in expansion.starts]
        return [
            _occurrence(master, moment)
            for moment in moments
            if (uid, _in_utc(moment)) not in replaced
        ]

    def _first_only(self, master: _Entry, reason: str) -> list[CalendarEvent]:
        self._note(master, f"{reason}; only its first occurrence was kept")
        return [_occurrence(master, master.start.replace(tzinfo=master.zone))]

    def _note(self, master: _Entry, reason: str) -> None:
        self._skipped.append(f"event {_cut(master.event.uid, 100)!r}: {reason}")


def _occurrence(master: _Entry, start: datetime) -> CalendarEvent:
    starts_at, timezone = _in_named_zone(start)
    ends_at, _ = _in_named_zone(_add_on_wall_clock(start, master.duration))
    return replace(
        master.event,
        uid=_occurrence_uid(master.event.uid, start),
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone,
    )


def _occurrence_uid(uid: str, start: datetime) -> str:
    local_start, _ = _in_named_zone(start)
    return f"{uid}#{local_start:%Y%m%dT%H%M%S}"


def _unique(events: list[CalendarEvent], skipped: list[str]) -> list[CalendarEvent]:
    """A one-off event whose UID looks like an occurrence's could collide; the first stays."""
    seen: set[str] = set()
    unique = []
    for event in events:
        if event.uid in seen:
            skipped.append(f"event {_cut(event.uid, 100)!r}: its UID was used twice")
            continue
        seen.add(event.uid)
        unique.append(event)
    return unique


# Times


def _in_utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


def _wall(moment: datetime, zone: tzinfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def _add_on_wall_clock(moment: datetime, duration: timedelta) -> datetime:
    """Python adds to the wall clock: 10:00 plus one day is 10:00 the next day, DST or not."""
    return moment + duration


def _in_named_zone(moment: datetime) -> tuple[datetime, str]:
    """The moment in its own IANA zone, or in UTC when its zone was defined by a calendar."""
    zone = moment.tzinfo
    name = zone.key if isinstance(zone, ZoneInfo) and iana_zone(zone.key or "") else "UTC"
    return moment.astimezone(ZoneInfo(name)), name


# Property values


def _children(component: Component, name: str) -> list[Component]:
    """Direct children only: a VEVENT nested in something else is not the calendar's."""
    return [child for child in component.subcomponents if child.name == name]


def _values(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(component: Component, name: str) -> object | None:
    """The first readable value; icalendar keeps unreadable ones as vBroken."""
    for value in _values(component.get(name)):
        if not isinstance(value, vBroken):
            return value
    return None


def _only(component: Component, name: str):
    values = _values(component.get(name))
    if not values:
        raise _Unusable(f"it has no {name}")
    if len(values) > 1:
        raise _Unusable(f"it has more than one {name}")
    if not _is_moment(values[0]):
        raise _Unusable(f"its {name} is not a date or a date-time")
    return values[0]


def _first_moment(component: Component, name: str):
    return next((value for value in _values(component.get(name)) if _is_moment(value)), None)


def _is_moment(value: object) -> bool:
    """A readable date or date-time; asking a vBroken for its value raises."""
    return not isinstance(value, vBroken) and isinstance(getattr(value, "dt", None), date)


def _tzid(value: object) -> str | None:
    return getattr(value, "params", {}).get("TZID")


def _dates(component: Component, name: str) -> Iterable[tuple[date, str | None]]:
    """Each date or date-time of RDATE or EXDATE lines, with its TZID; a period gives its start."""
    for line in _values(component.get(name)):
        if not isinstance(line, vDDDLists):
            continue
        for item in line.dts:
            value = item.dt[0] if isinstance(item.dt, tuple) else item.dt
            if isinstance(value, date):
                yield value, line.params.get("TZID")


def _uid(vevent: Component) -> str:
    uid = _plain(_first(vevent, "UID") or "").strip()
    if not uid:
        raise _Unusable("it has no UID")
    if len(uid) > UID_CHARS:
        return "sha256:" + hashlib.sha256(uid.encode()).hexdigest()
    return uid


def _text(component: Component, name: str, limit: int, *, one_line: bool = False) -> str:
    value = _first(component, name)
    if value is None:
        return ""
    text = _plain(value)
    return (" ".join(text.split()) if one_line else text.strip())[:limit]


def _plain(value: object) -> str:
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARACTERS.sub("", text)


def _web_address(vevent: Component) -> str | None:
    address = str(_first(vevent, "URL") or "").strip()
    if len(address) > URL_CHARS or _CONTROL_CHARACTERS.search(address) or " " in address:
        return None  # cutting would leave a broken link
    try:
        parts = urlsplit(address)
    except ValueError:
        return None
    return address if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _sequence(vevent: Component) -> int:
    try:
        sequence = int(_first(vevent, "SEQUENCE") or 0)
    except (TypeError, ValueError):
        return 0
    return min(max(sequence, 0), _LARGEST_SEQUENCE)


def _last_modified(vevent: Component) -> datetime | None:
    value = getattr(_first(vevent, "LAST-MODIFIED"), "dt", None)
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), UTC)
    return None


def _categories(vevent: Component) -> tuple[str, ...]:
    names: dict[str, None] = {}  # ordered and unique
    for line in _values(vevent.get("CATEGORIES")):
        for category in getattr(line, "cats", []):
            name = " ".join(_plain(category).split())[:CATEGORY_CHARS]
            if name:
                names.setdefault(name)
    return tuple(names)[:MAX_CATEGORIES]


def _label(vevent: Component) -> str:
    uid = _text(vevent, "UID", 100, one_line=True)
    if uid:
        return f"event {uid!r}"
    title = _text(vevent, "SUMMARY", 100, one_line=True)
    return f"event {title!r} (no UID)" if title else "an event without UID or title"


def _reason(error: Exception) -> str:
    if isinstance(error, _Unusable):
        return str(error)
    return f"it could not be read ({_cut(error, 200)})"


def _cut(value: object, limit: int) -> str:
    return str(value)[:limit]
