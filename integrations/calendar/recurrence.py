"""Occurrences of a recurring event inside a window, expanded with dateutil.rrule.

Everything here works on naive local wall-clock times: RFC 5545 repeats an event at the same
local time, so 10:00 in Berlin stays 10:00 across daylight-saving changes. The caller reads the
times in the event's own zone and attaches that zone to the results.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.rrule import rrule, rrulestr
from icalendar import vRecur

MAX_OCCURRENCES = 200
MAX_EXAMINED = 50_000  # occurrences looked at per rule, before and inside the window
MAX_YEARS_BEFORE_WINDOW = 100
EXPANDED_FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
RFC_5545_RULE_PARTS = frozenset(
    {
        "FREQ",
        "UNTIL",
        "COUNT",
        "INTERVAL",
        "BYSECOND",
        "BYMINUTE",
        "BYHOUR",
        "BYDAY",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYMONTH",
        "BYSETPOS",
        "WKST",
    }
)
_GREGORIAN_CYCLE_YEARS = 400  # weekdays and leap years repeat exactly every 400 years
_LATEST_SHIFTED_YEAR = 9998  # datetime stops at 9999; leave room for an end after a start
# dateutil raises all of these on rules it cannot follow (BYDAY=10MO gives an IndexError).
_DATEUTIL_ERRORS = (ValueError, TypeError, LookupError, ArithmeticError)


class RecurrenceError(ValueError):
    """The series cannot be expanded; the message says why, for an organiser."""


@dataclass(frozen=True)
class Rule:
    """One RRULE: its parts other than UNTIL, and UNTIL as local wall-clock time."""

    parts: dict[str, list]
    until: datetime | None = None

    def without_limits(self) -> "Rule":
        return Rule({name: value for name, value in self.parts.items() if name != "COUNT"})

    def dateutil_rule(self, first_start: datetime) -> rrule:
        text = vRecur(self.parts).to_ical().decode()
        try:
            return rrulestr(text, dtstart=first_start)
        except _DATEUTIL_ERRORS as error:
            raise RecurrenceError(f"its repeat rule {text!r} could not be read") from error


@dataclass(frozen=True)
class Series:
    """A recurring event's DTSTART, RRULEs, RDATEs and EXDATEs, all as local wall-clock times."""

    first_start: datetime
    rules: tuple[Rule, ...] = ()
    extra_starts: tuple[datetime, ...] = ()
    excluded_starts: frozenset[datetime] = frozenset()
    excluded_days: frozenset[date] = frozenset()  # EXDATE given as a date removes that whole day

    def excludes(self, start: datetime) -> bool:
        return start in self.excluded_starts or start.date() in self.excluded_days

    def may_reach(self, window_start: datetime) -> bool:
        """False when every rule ends before the window, so expanding it costs nothing."""
        return any(rule.until is None or rule.until >= window_start for rule in self.rules)


@dataclass(frozen=True)
class Expansion:
    starts: list[datetime]
    truncated: bool  # more than the limit fell inside the window


def read_rule(recur: vRecur, until: datetime | None) -> Rule:
    """A Rule from icalendar's RRULE value, or RecurrenceError for a rule we do not expand."""
    unknown = sorted(set(recur) - RFC_5545_RULE_PARTS)
    if unknown:
        raise RecurrenceError(f"its repeat rule uses {', '.join(unknown)}, which is not expanded")
    frequency = str((recur.get("FREQ") or [""])[0]).upper()
    if not frequency:
        raise RecurrenceError("its repeat rule has no FREQ")
    if frequency not in EXPANDED_FREQUENCIES:
        raise RecurrenceError(f"it repeats more often than daily (FREQ={frequency})")
    interval = (recur.get("INTERVAL") or [1])[0]
    if not isinstance(interval, int) or interval < 1:
        # dateutil loops forever on INTERVAL=0 when no day matches
        raise RecurrenceError(f"its repeat rule has INTERVAL={interval}")
    return Rule({name: value for name, value in recur.items() if name != "UNTIL"}, until)


def expand(
    series: Series,
    window_start: datetime,
    window_end: datetime,
    *,
    limit: int = MAX_OCCURRENCES,
) -> Expansion:
    """Starts of the series from window_start to window_end, DTSTART included, at most limit.

    Raises RecurrenceError when a rule cannot be followed within the bounds above.
    """
    if series.first_start < window_start - timedelta(days=365 * MAX_YEARS_BEFORE_WINDOW):
        raise RecurrenceError(f"it started more than {MAX_YEARS_BEFORE_WINDOW} years ago")
    candidates = {series.first_start, *series.extra_starts}
    for rule in series.rules:
        candidates.update(_rule_starts(rule, series, window_start, window_end, limit))
    starts = sorted(
        start
        for start in candidates
        if window_start <= start <= window_end and not series.excludes(start)
    )
    return Expansion(starts[:limit], truncated=len(starts) > limit)


def repeats_within(rule: Rule, first_start: datetime, *, years: int) -> bool:
    """Whether the rule, ignoring COUNT and UNTIL, gives any start within that many years."""
    last_year = min(first_start.year + years, _LATEST_SHIFTED_YEAR)
    window_end = datetime(last_year, 12, 31)
    series = Series(first_start)
    return bool(_rule_starts(rule.without_limits(), series, first_start, window_end, limit=1))


def _rule_starts(
    rule: Rule, series: Series, window_start: datetime, window_end: datetime, limit: int
) -> list[datetime]:
    last = min(window_end, rule.until) if rule.until else window_end
    if series.first_start > last or last < window_start:
        return []  # nothing to find, and a rule that never matches would still cost a search
    found: list[datetime] = []
    for examined, start in enumerate(_starts_of(rule, series.first_start, last), start=1):
        if start > last:
            break
        if examined > MAX_EXAMINED:
            raise RecurrenceError(f"it has more than {MAX_EXAMINED:,} occurrences to go through")
        if start >= window_start and not series.excludes(start):
            found.append(start)
            if len(found) > limit:
                break
    return found


def _starts_of(rule: Rule, first_start: datetime, last: datetime) -> Iterator[datetime]:
    """The rule's starts in order, computed some whole 400-year cycles later and moved back."""
    shift = _shift_years(last)
    shifted_starts = rule.dateutil_rule(_moved(first_start, shift))
    try:
        for shifted_start in shifted_starts:
            yield _moved(shifted_start, -shift)
    except _DATEUTIL_ERRORS as error:
        raise RecurrenceError(f"its repeat rule could not be followed ({error})") from error


def _shift_years(last: datetime) -> int:
    """Whole Gregorian cycles to move a rule forward by, so that dateutil's search ends soon.

    After the last match dateutil keeps looking until the year 9999; for a rule that never
    matches (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) that took 5 s from 1990. Moving the whole
    problem forward by whole 400-year cycles gives the same dates, shifted, and leaves at most
    one cycle to search.
    """
    cycles = max(0, (_LATEST_SHIFTED_YEAR - last.year) // _GREGORIAN_CYCLE_YEARS)
    return cycles * _GREGORIAN_CYCLE_YEARS


def _moved(moment: datetime, years: int) -> datetime:
    return moment.replace(year=moment.year + years)  # 29 February survives whole cycles
