"""The time zones named by the TZID parameters of one iCalendar document.

icalendar remembers the first VTIMEZONE it meets for a TZID for the rest of the process and uses
it for every later document (icalendar 7.3.2): one feed's definition would set the clocks of
another. Resolving here, per document, keeps feeds apart; icalendar's own pick is not used.
"""

import functools
import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, time, tzinfo

from icalendar import Timezone, vRecur
from icalendar.timezone import tzp
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from integrations.calendar.recurrence import RecurrenceError, read_rule, repeats_within

MAX_DEFINED_ZONE_RULES = 50  # RRULEs of VTIMEZONEs one document may make us follow
_CYCLE_YEARS = 400
# dateutil.tz.tzical raises any of these on definitions it cannot follow.
_DEFINITION_ERRORS = (ValueError, TypeError, LookupError, ArithmeticError)


class UnusableTimeZone(ValueError):
    pass


def iana_zone(name: str) -> zoneinfo.ZoneInfo | None:
    """The IANA zone of exactly that name; no file is opened for a name that is not one."""
    return zoneinfo.ZoneInfo(name) if name in _iana_names() else None


@functools.cache
def _iana_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class DocumentTimeZones:
    """TZIDs as IANA names, Windows names, the document's own VTIMEZONEs or vendor-prefixed names.

    A TZID none of these explains is read as the fallback zone, and the reason is kept in
    problems, once per TZID.
    """

    def __init__(self, definitions: Iterable[Timezone], *, fallback: zoneinfo.ZoneInfo) -> None:
        self._definitions: dict[str, Timezone] = {}
        for definition in definitions:
            self._definitions.setdefault(str(definition.get("TZID", "")), definition)
        self._fallback = fallback
        self._resolved: dict[str, tzinfo] = {}
        self._defined_rules_left = MAX_DEFINED_ZONE_RULES
        self.problems: list[str] = []

    def resolve(self, tzid: str) -> tzinfo:
        if tzid not in self._resolved:
            try:
                self._resolved[tzid] = self._lookup(tzid)
            except UnusableTimeZone as error:
                self._resolved[tzid] = self._fallback
                self.problems.append(f"{error}; its times were read as {self._fallback.key}")
        return self._resolved[tzid]

    def _lookup(self, tzid: str) -> tzinfo:
        name = tzid.strip().strip("/")
        zone = iana_zone(name) or iana_zone(WINDOWS_TO_OLSON.get(name, ""))
        if zone is not None:
            return zone
        if tzid in self._definitions:
            return self._defined_zone(tzid)
        if tzid.startswith("/"):  # RFC 5545 "globally unique" ids: /vendor.example/Europe/Berlin
            zone = _zone_after_prefix(name)
            if zone is not None:
                return zone
        raise UnusableTimeZone(f"time zone {tzid!r} is neither known nor defined in the calendar")

    def _defined_zone(self, tzid: str) -> tzinfo:
        definition = self._definitions[tzid]
        self._check_rules(tzid, definition)
        try:
            zone = definition.to_tz(tzp, lookup_tzid=False)
            datetime(2000, 1, 1, tzinfo=zone).utcoffset()  # fail here, not in the middle of a read
        except _DEFINITION_ERRORS as error:
            raise UnusableTimeZone(f"time zone {tzid!r} has an unreadable definition") from error
        return zone

    def _check_rules(self, tzid: str, definition: Timezone) -> None:
        """Only yearly rules that match at all: dateutil searches up to the year 9999 otherwise."""
        rules = [
            (part, recur)
            for part in definition.subcomponents
            for recur in _values(part.get("RRULE"))
        ]
        if len(rules) > self._defined_rules_left:
            raise UnusableTimeZone(
                f"time zone {tzid!r} was not used: the calendar's zones have more than "
                f"{MAX_DEFINED_ZONE_RULES} change-over rules"
            )
        self._defined_rules_left -= len(rules)
        for part, recur in rules:
            if not _is_yearly_change(recur, part.get("DTSTART")):
                raise UnusableTimeZone(
                    f"time zone {tzid!r} has a change-over rule that is not yearly or never matches"
                )


def _is_yearly_change(recur: object, start: object) -> bool:
    first = _wall_clock(getattr(start, "dt", None))
    if not isinstance(recur, vRecur) or first is None:
        return False
    if str((recur.get("FREQ") or [""])[0]).upper() != "YEARLY":
        return False
    if (recur.get("INTERVAL") or [1])[0] != 1:
        return False
    try:
        return repeats_within(read_rule(recur, until=None), first, years=_CYCLE_YEARS)
    except RecurrenceError:
        return False


def _wall_clock(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime.combine(value, time())
    return None


def _zone_after_prefix(name: str) -> zoneinfo.ZoneInfo | None:
    """Longest IANA name at the end: .../Tzfile/America/Argentina/Buenos_Aires keeps three parts."""
    parts = name.split("/")
    for first in range(1, len(parts)):
        zone = iana_zone("/".join(parts[first:]))
        if zone is not None:
            return zone
    return None


def _values(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
