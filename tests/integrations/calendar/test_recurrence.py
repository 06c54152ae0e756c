"""expand(): the same dates dateutil gives, found within bounds, and refusals with reasons."""

from datetime import date, datetime

import pytest
from dateutil.rrule import rrulestr
from icalendar import vRecur

from integrations.calendar.recurrence import (
    MAX_EXAMINED,
    RecurrenceError,
    Series,
    expand,
    read_rule,
    repeats_within,
)

WINDOW = (datetime(2025, 5, 2, 12), datetime(2026, 6, 1, 12))
EVERY_HOUR_OF_THE_DAY = "FREQ=DAILY;BYHOUR=" + ",".join(str(hour) for hour in range(24))


def rule(text: str, until: datetime | None = None):
    return read_rule(vRecur.from_ical(text), until)


def dateutil_alone(text: str, first: datetime) -> list[datetime]:
    """What dateutil gives without any shifting, DTSTART included."""
    starts = {first, *rrulestr(text, dtstart=first).between(*WINDOW, inc=True)}
    return sorted(start for start in starts if WINDOW[0] <= start <= WINDOW[1])


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU", datetime(2021, 3, 4, 18, 30)),
        ("FREQ=MONTHLY;BYDAY=-1FR", datetime(2019, 1, 25, 19)),
        ("FREQ=MONTHLY;BYMONTHDAY=31", datetime(2024, 1, 31, 9)),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", datetime(2023, 6, 30, 17)),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", datetime(2024, 2, 29, 12)),
        ("FREQ=YEARLY;BYWEEKNO=1,53;BYDAY=MO", datetime(2020, 1, 1, 8)),
        ("FREQ=YEARLY;BYYEARDAY=1,100,-1", datetime(2022, 1, 1, 0)),
        ("FREQ=DAILY;INTERVAL=3;BYHOUR=9,17", datetime(2025, 1, 1, 9)),
        ("FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=13;BYDAY=FR", datetime(2001, 4, 13, 20)),
        ("FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=1TU", datetime(1996, 11, 5, 7)),
        ("FREQ=WEEKLY;COUNT=30;BYDAY=SA", datetime(2025, 1, 4, 10)),
        ("FREQ=DAILY;COUNT=3", datetime(2024, 1, 1, 10)),
    ],
)
def test_the_shifted_search_finds_exactly_what_dateutil_finds(text, first):
    expansion = expand(Series(first, rules=(rule(text),)), *WINDOW, limit=1000)

    assert expansion.starts == dateutil_alone(text, first)
    assert not expansion.truncated


def test_exdates_remove_occurrences_and_a_date_removes_its_whole_day():
    series = Series(
        datetime(2025, 5, 5, 9),
        rules=(rule("FREQ=DAILY;BYHOUR=9,17;COUNT=8"),),
        excluded_starts=frozenset({datetime(2025, 5, 5, 17)}),
        excluded_days=frozenset({date(2025, 5, 6)}),
    )

    assert expand(series, *WINDOW).starts == [
        datetime(2025, 5, 5, 9),
        datetime(2025, 5, 7, 9),
        datetime(2025, 5, 7, 17),
        datetime(2025, 5, 8, 9),
        datetime(2025, 5, 8, 17),
    ]


def test_until_is_the_last_possible_start_and_rdates_are_added():
    series = Series(
        datetime(2025, 5, 5, 9),
        rules=(rule("FREQ=WEEKLY", until=datetime(2025, 5, 19, 9)),),
        extra_starts=(datetime(2025, 5, 7, 9), datetime(2027, 1, 1, 9)),
    )

    assert expand(series, *WINDOW).starts == [
        datetime(2025, 5, 5, 9),
        datetime(2025, 5, 7, 9),
        datetime(2025, 5, 12, 9),
        datetime(2025, 5, 19, 9),
    ]


def test_a_limit_keeps_the_earliest_and_says_so():
    expansion = expand(
        Series(datetime(2025, 5, 1, 9), rules=(rule("FREQ=DAILY"),)), *WINDOW, limit=3
    )

    assert expansion.starts == [datetime(2025, 5, day, 9) for day in (3, 4, 5)]
    assert expansion.truncated


@pytest.mark.parametrize(
    ("series", "reason"),
    [
        (Series(datetime(1900, 1, 1), rules=(rule("FREQ=YEARLY"),)), "more than 100 years ago"),
        (
            Series(datetime(2000, 1, 1), rules=(rule(EVERY_HOUR_OF_THE_DAY),)),
            f"more than {MAX_EXAMINED:,} occurrences",
        ),
    ],
)
def test_series_too_costly_to_follow_are_refused(series, reason):
    with pytest.raises(RecurrenceError, match=reason):
        expand(series, *WINDOW)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("FREQ=MINUTELY", "more often than daily"),
        ("INTERVAL=2", "no FREQ"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL=0"),
        ("FREQ=YEARLY;RSCALE=HEBREW", "uses RSCALE"),
    ],
)
def test_rules_we_do_not_expand_are_refused_with_a_reason(text, reason):
    with pytest.raises(RecurrenceError, match=reason):
        rule(text)


def test_a_change_over_rule_is_told_apart_from_one_that_never_matches():
    last_sunday_of_march = rule("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;COUNT=1")
    thirtieth_of_february = rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")

    assert repeats_within(last_sunday_of_march, datetime(1601, 1, 1), years=400)
    assert not repeats_within(thirtieth_of_february, datetime(1601, 1, 1), years=400)
