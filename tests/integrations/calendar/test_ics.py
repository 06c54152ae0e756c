"""build_calendar() and parse_calendar(): round trips, zones, series, real and hostile files."""

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from integrations.calendar.ics import (
    MAX_DOCUMENT_BYTES,
    CalendarError,
    CalendarEvent,
    build_calendar,
    parse_calendar,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
ICALENDAR_TESTS = Path(icalendar.__file__).parent / "tests"
SHIPPED_FILES = sorted(ICALENDAR_TESTS.rglob("*.ics")) if ICALENDAR_TESTS.is_dir() else []


def calendar(*lines: str) -> bytes:
    """A VCALENDAR around the given content lines, with the CRLF line ends of RFC 5545."""
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", *lines, "END:VCALENDAR"]
    return ("\r\n".join(body) + "\r\n").encode()


def vevent(*lines: str) -> list[str]:
    return ["BEGIN:VEVENT", *lines, "END:VEVENT"]


def parse(data: bytes, **options) -> tuple[list[CalendarEvent], list[str]]:
    options = {"default_timezone": "Europe/Berlin", "now": NOW} | options
    parsed = parse_calendar(data, **options)
    return parsed.events, parsed.skipped


def shipped(name: str) -> bytes:
    path = ICALENDAR_TESTS / "calendars" / name
    if not path.is_file():
        pytest.skip(f"icalendar {icalendar.__version__} does not ship tests/calendars/{name}")
    return path.read_bytes()


def meetup(**changes) -> CalendarEvent:
    values = {
        "uid": "meetup-42@community.example",
        "title": "MLOps meetup: feature stores",
        "starts_at": datetime(2025, 3, 29, 18, tzinfo=UTC),  # 19:00 in Berlin, the day before DST
        "ends_at": datetime(2025, 3, 29, 20, 30, tzinfo=UTC),
        "timezone": "Europe/Berlin",
        "description": "Two talks.\nPizza afterwards; bring a friend, or two.",
        "location": "Factory Görlitzer Park, Lohmühlenstraße 65, Berlin",
        "url": "https://community.example/events/meetup-42?ref=ics",
        "sequence": 3,
        "last_modified": datetime(2025, 3, 1, 9, 15, 7, tzinfo=UTC),
        "categories": ("mlops", "talks, lightning"),
    }
    return CalendarEvent(**(values | changes))


# Building


def test_a_built_feed_reads_back_as_equal_events():
    events = [
        meetup(),
        meetup(uid="online-1", timezone="UTC", location=None, url=None, categories=()),
        meetup(uid="mumbai-1", timezone="Asia/Kolkata", cancelled=True, last_modified=None),
    ]

    feed = build_calendar(events, name="Community", product_id="-//Community//Events//EN")

    parsed, skipped = parse(feed)
    assert sorted(parsed, key=lambda event: event.uid) == sorted(events, key=lambda e: e.uid)
    assert skipped == []


def test_times_stay_local_wall_clock_times_with_their_zone_defined():
    feed = build_calendar([meetup()], name="Community", product_id="-//Community//Events//EN")
    text = feed.decode()

    assert "DTSTART;TZID=Europe/Berlin:20250329T190000\r\n" in text
    assert "DTEND;TZID=Europe/Berlin:20250329T213000\r\n" in text
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n" in text
    assert text.count("BEGIN:VTIMEZONE") == 1
    # The VTIMEZONE must know the change to summer time the next night.
    assert "TZOFFSETTO:+0200" in text


def test_the_second_pass_of_a_repeated_hour_is_written_in_utc_to_keep_the_instant():
    # Clocks in Berlin went from 03:00 back to 02:00 at 01:00 UTC on 27 October 2024.
    second_pass = meetup(
        starts_at=datetime(2024, 10, 27, 1, 30, tzinfo=UTC),
        ends_at=datetime(2024, 10, 27, 2, 30, tzinfo=UTC),
    )

    feed = build_calendar([second_pass], name="Late", product_id="-//Community//Events//EN")

    assert b"DTSTART:20241027T013000Z\r\n" in feed
    assert b"DTEND;TZID=Europe/Berlin:20241027T033000\r\n" in feed
    [event], _ = parse(feed)
    assert (event.starts_at, event.ends_at) == (second_pass.starts_at, second_pass.ends_at)


def test_a_feed_names_itself_and_asks_to_be_refreshed_hourly():
    feed = build_calendar(
        [],
        name="Berlin MLOps",
        product_id="-//Community//Events//EN",
        calendar_url="https://community.example/events.ics",
    ).decode()

    lines = set(feed.split("\r\n"))
    assert {
        "VERSION:2.0",
        "PRODID:-//Community//Events//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Berlin MLOps",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "SOURCE:https://community.example/events.ics",
    } <= lines
    assert "X-WR-TIMEZONE" not in feed


def test_utc_events_are_written_in_utc_without_a_time_zone_definition():
    feed = build_calendar(
        [meetup(timezone="UTC")], name="Community", product_id="-//Community//Events//EN"
    ).decode()

    assert "DTSTART:20250329T180000Z\r\n" in feed
    assert "VTIMEZONE" not in feed


def test_a_cancelled_event_is_published_as_cancelled_and_reads_back_so():
    feed = build_calendar(
        [meetup(cancelled=True)], name="Community", product_id="-//Community//Events//EN"
    )

    assert b"STATUS:CANCELLED\r\n" in feed
    [event], _ = parse(feed)
    assert event.cancelled


def test_the_feed_is_valid_for_icalendar_itself():
    feed = build_calendar([meetup()], name="Community", product_id="-//Community//Events//EN")

    [vevent_] = icalendar.Calendar.from_ical(feed).events
    assert vevent_.start == datetime(2025, 3, 29, 19, tzinfo=BERLIN)
    assert vevent_.DTSTAMP is not None
    assert not vevent_.errors


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"starts_at": datetime(2025, 3, 29, 18)}, "timezone-aware"),
        ({"ends_at": datetime(2025, 3, 29, 17, tzinfo=UTC)}, "before"),
        ({"timezone": "Mars/Olympus_Mons"}, "IANA"),
        ({"last_modified": datetime(2025, 3, 1)}, "timezone-aware"),
    ],
)
def test_an_event_that_could_not_be_published_correctly_is_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        meetup(**changes)


# Reading times


def test_an_all_day_event_starts_at_midnight_in_the_default_zone_and_lasts_a_day():
    [event], _ = parse(
        calendar(*vevent("UID:day", "SUMMARY:Hack day", "DTSTART;VALUE=DATE:20250704"))
    )

    assert event.starts_at == datetime(2025, 7, 4, tzinfo=BERLIN)
    assert event.ends_at == datetime(2025, 7, 5, tzinfo=BERLIN)
    assert event.timezone == "Europe/Berlin"


def test_an_all_day_event_with_an_end_date_ends_then():
    [event], _ = parse(
        calendar(*vevent("UID:conf", "DTSTART;VALUE=DATE:20250704", "DTEND;VALUE=DATE:20250707"))
    )

    assert event.ends_at == datetime(2025, 7, 7, tzinfo=BERLIN)


def test_floating_times_are_read_in_the_default_zone():
    [event], _ = parse(
        calendar(*vevent("UID:f", "DTSTART:20250704T190000", "DTEND:20250704T210000")),
        default_timezone="America/Chicago",
    )

    assert event.starts_at == datetime(2025, 7, 4, 19, tzinfo=ZoneInfo("America/Chicago"))
    assert event.timezone == "America/Chicago"


def test_utc_times_stay_utc():
    [event], _ = parse(calendar(*vevent("UID:u", "DTSTART:20250704T170000Z")))

    assert event.starts_at == datetime(2025, 7, 4, 17, tzinfo=UTC)
    assert event.timezone == "UTC"


def test_a_duration_gives_the_end_and_a_missing_end_means_no_length():
    events, _ = parse(
        calendar(
            *vevent("UID:d", "DTSTART:20250704T170000Z", "DURATION:PT1H30M"),
            *vevent("UID:n", "DTSTART:20250704T170000Z"),
        )
    )

    ends = {event.uid: event.ends_at for event in events}
    assert ends == {
        "d": datetime(2025, 7, 4, 18, 30, tzinfo=UTC),
        "n": datetime(2025, 7, 4, 17, tzinfo=UTC),
    }


def test_a_windows_zone_name_becomes_its_iana_zone():
    [event], _ = parse(
        calendar(*vevent("UID:w", 'DTSTART;TZID="W. Europe Standard Time":20250704T190000'))
    )

    assert event.timezone == "Europe/Berlin"
    assert event.starts_at == datetime(2025, 7, 4, 17, tzinfo=UTC)


def custom_zone_calendar(offset: str, *summer_time: str) -> bytes:
    return calendar(
        "BEGIN:VTIMEZONE",
        "TZID:Club Time",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{offset}",
        f"TZOFFSETTO:{offset}",
        "END:STANDARD",
        *summer_time,
        "END:VTIMEZONE",
        *vevent("UID:c", 'DTSTART;TZID="Club Time":20250704T100000'),
    )


def test_a_calendar_defined_zone_is_followed_and_reported_in_utc():
    [event], _ = parse(custom_zone_calendar("+0300"))

    assert event.starts_at == datetime(2025, 7, 4, 7, tzinfo=UTC)
    assert event.timezone == "UTC"


def test_one_calendar_zone_definition_never_changes_another_calendar():
    """icalendar keeps the first definition of a TZID for the whole process; we must not."""
    parse(custom_zone_calendar("+1400"))

    [event], _ = parse(custom_zone_calendar("-0500"))

    assert event.starts_at == datetime(2025, 7, 4, 15, tzinfo=UTC)


@pytest.mark.parametrize("rule", ["FREQ=DAILY", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"])
def test_a_zone_changing_by_a_rule_too_costly_to_follow_is_not_used(rule):
    """dateutil would search up to the year 9999 for a match, for seconds per rule."""
    summer_time = ["BEGIN:DAYLIGHT", "DTSTART:19700101T000000", f"RRULE:{rule}"]
    summer_time += ["TZOFFSETFROM:+0300", "TZOFFSETTO:+0400", "END:DAYLIGHT"]

    [event], skipped = parse(custom_zone_calendar("+0300", *summer_time))

    assert event.starts_at == datetime(2025, 7, 4, 10, tzinfo=BERLIN)
    assert skipped == [
        "time zone 'Club Time' has a change-over rule that is not yearly or never matches; "
        "its times were read as Europe/Berlin"
    ]


def test_an_unknown_zone_is_read_as_the_default_zone_and_reported():
    [event], skipped = parse(calendar(*vevent("UID:x", "DTSTART;TZID=Moon Base:20250704T100000")))

    assert event.starts_at == datetime(2025, 7, 4, 10, tzinfo=BERLIN)
    assert skipped == [
        "time zone 'Moon Base' is neither known nor defined in the calendar; "
        "its times were read as Europe/Berlin"
    ]


# Reading everything else


def test_status_cancelled_and_a_cancelling_calendar_both_cancel():
    events, _ = parse(
        calendar(
            *vevent("UID:a", "DTSTART:20250704T100000Z", "STATUS:CANCELLED"),
            *vevent("UID:b", "DTSTART:20250704T100000Z", "STATUS:cancelled"),
            *vevent("UID:c", "DTSTART:20250704T100000Z", "STATUS:CONFIRMED"),
        )
    )
    cancelling = calendar("METHOD:CANCEL", *vevent("UID:d", "DTSTART:20250704T100000Z"))

    assert [event.cancelled for event in events] == [True, True, False]
    assert parse(cancelling)[0][0].cancelled


def test_events_without_uid_or_start_are_skipped_with_a_reason_and_the_rest_kept():
    events, skipped = parse(
        calendar(
            *vevent("SUMMARY:Nameless", "DTSTART:20250704T100000Z"),
            *vevent("UID:no-start", "SUMMARY:Sometime"),
            *vevent("UID:two-starts", "DTSTART:20250704T100000Z", "DTSTART:20250705T100000Z"),
            *vevent("UID:backwards", "DTSTART:20250704T100000Z", "DTEND:20250704T090000Z"),
            *vevent("UID:fine", "DTSTART:20250704T100000Z"),
        )
    )

    assert [event.uid for event in events] == ["fine"]
    assert skipped == [
        "event 'Nameless' (no UID): it has no UID",
        "event 'no-start': it has no DTSTART",
        "event 'two-starts': it has more than one DTSTART",
        "event 'backwards': it ends before it starts",
    ]


def test_text_is_plain_one_line_where_it_should_be_and_cut_to_length():
    long_url = "https://example.org/" + "a" * 2000
    events, _ = parse(
        calendar(
            *vevent(
                "UID:t",
                "DTSTART:20250704T100000Z",
                "SUMMARY:" + "Long\\n  title\x00 " * 100,
                "DESCRIPTION:" + "d" * 30_000,
                "LOCATION:Room 1\\nBuilding 2" + "x" * 600,
                "URL:javascript:alert(1)",
                "CATEGORIES:ml,ml,Ops",
            ),
            *vevent("UID:u", "DTSTART:20250704T100000Z", f"URL:{long_url}"),
            *vevent("UID:v", "DTSTART:20250704T100000Z", "URL:HTTPS://example.org/ok"),
        )
    )
    title_and_text, too_long_url, fine_url = events

    assert title_and_text.title.startswith("Long title Long title")
    assert len(title_and_text.title) == 300
    assert len(title_and_text.description) == 20_000
    assert title_and_text.location.startswith("Room 1 Building 2")
    assert len(title_and_text.location) == 500
    assert title_and_text.url is None
    assert title_and_text.categories == ("ml", "Ops")
    assert too_long_url.url is None  # cutting it would leave a broken link
    assert fine_url.url == "HTTPS://example.org/ok"


def test_of_two_copies_of_an_event_the_higher_sequence_wins():
    events, skipped = parse(
        calendar(
            *vevent("UID:e", "SEQUENCE:1", "SUMMARY:Old", "DTSTART:20250704T100000Z"),
            *vevent("UID:e", "SEQUENCE:2", "SUMMARY:New", "DTSTART:20250704T110000Z"),
            *vevent("UID:e", "SEQUENCE:0", "SUMMARY:Older", "DTSTART:20250704T090000Z"),
        )
    )

    assert [(event.uid, event.title) for event in events] == [("e", "New")]
    assert len(skipped) == 2


# Series


WEEKLY_THURSDAYS = [
    "UID:jf",
    "SUMMARY:Journal club",
    "DTSTART;TZID=Europe/Berlin:20250102T190000",
    "DTEND;TZID=Europe/Berlin:20250102T203000",
    "RRULE:FREQ=WEEKLY;UNTIL=20251030T235959Z",
    "EXDATE;TZID=Europe/Berlin:20250605T190000",
]
MOVED_OCCURRENCE = [
    "UID:jf",
    "SUMMARY:Journal club (moved to Friday)",
    "RECURRENCE-ID;TZID=Europe/Berlin:20250612T190000",
    "DTSTART;TZID=Europe/Berlin:20250613T180000",
    "DTEND;TZID=Europe/Berlin:20250613T193000",
]


def test_a_series_gives_its_occurrences_in_the_window_at_local_wall_clock_time():
    events, skipped = parse(calendar(*vevent(*WEEKLY_THURSDAYS)))

    starts = [event.starts_at for event in events]
    assert starts[0] == datetime(
        2025, 5, 8, 19, tzinfo=BERLIN
    )  # first Thursday after now - 30 days
    assert starts[-1] == datetime(2025, 10, 30, 19, tzinfo=BERLIN)  # UNTIL, after DST ended
    assert {start.astimezone(BERLIN).hour for start in starts} == {19}
    assert all(event.ends_at - event.starts_at == timedelta(hours=1.5) for event in events)
    assert datetime(2025, 6, 5, 19, tzinfo=BERLIN) not in starts  # EXDATE
    assert len(events) == 25 and skipped == []


def test_each_occurrence_has_a_uid_that_stays_the_same_from_poll_to_poll():
    first_poll, _ = parse(calendar(*vevent(*WEEKLY_THURSDAYS)))
    week_later, _ = parse(calendar(*vevent(*WEEKLY_THURSDAYS)), now=NOW + timedelta(days=7))

    assert first_poll[1].uid == "jf#20250515T190000"
    assert first_poll[1] == week_later[0]
    assert len({event.uid for event in first_poll}) == len(first_poll)


def test_a_moved_occurrence_replaces_the_original_and_keeps_its_uid():
    events, _ = parse(calendar(*vevent(*WEEKLY_THURSDAYS), *vevent(*MOVED_OCCURRENCE)))

    by_uid = {event.uid: event for event in events}
    moved = by_uid["jf#20250612T190000"]
    assert moved.title == "Journal club (moved to Friday)"
    assert moved.starts_at == datetime(2025, 6, 13, 18, tzinfo=BERLIN)
    assert datetime(2025, 6, 12, 19, tzinfo=BERLIN) not in [e.starts_at for e in events]
    assert len(events) == 25


def test_a_cancelled_occurrence_is_returned_cancelled():
    cancelled = ["UID:jf", "RECURRENCE-ID;TZID=Europe/Berlin:20250619T190000", "STATUS:CANCELLED"]
    cancelled += ["DTSTART;TZID=Europe/Berlin:20250619T190000"]

    events, _ = parse(calendar(*vevent(*WEEKLY_THURSDAYS), *vevent(*cancelled)))

    assert [event.uid for event in events if event.cancelled] == ["jf#20250619T190000"]


def test_changes_to_occurrences_long_past_are_left_out_like_the_occurrences():
    old_change = ["UID:jf", "RECURRENCE-ID;TZID=Europe/Berlin:20250109T190000", "SUMMARY:Old"]
    old_change += ["DTSTART;TZID=Europe/Berlin:20250109T200000"]

    events, _ = parse(calendar(*vevent(*WEEKLY_THURSDAYS), *vevent(*old_change)))

    assert "Old" not in [event.title for event in events]


def test_more_than_50_series_keep_only_their_first_occurrence_after_the_50th():
    series = [
        line
        for number in range(51)
        for line in vevent(f"UID:s{number}", "DTSTART:20250101T080000Z", "RRULE:FREQ=MONTHLY")
    ]

    events, skipped = parse(calendar(*series))

    assert [event.uid for event in events if event.uid.startswith("s50#")] == [
        "s50#20250101T080000"
    ]
    assert skipped == [
        "event 's50': the calendar has more than 50 repeating events; "
        "only its first occurrence was kept"
    ]


def test_a_long_series_is_cut_at_200_occurrences_with_a_note():
    events, skipped = parse(
        calendar(*vevent("UID:daily", "DTSTART:20250101T080000Z", "RRULE:FREQ=DAILY"))
    )

    assert len(events) == 200
    assert skipped == ["event 'daily': only its first 200 occurrences in range were kept"]


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("FREQ=HOURLY", "it repeats more often than daily (FREQ=HOURLY)"),
        ("FREQ=DAILY;INTERVAL=0", "its repeat rule has INTERVAL=0"),
        ("FREQ=YEARLY;BYEASTER=0", "its repeat rule uses BYEASTER, which is not expanded"),
        ("FREQ=MONTHLY;BYDAY=10MO", "its repeat rule could not be followed"),
    ],
)
def test_a_series_that_cannot_be_expanded_keeps_only_its_first_occurrence(rule, reason):
    [event], [note] = parse(calendar(*vevent("UID:s", "DTSTART:20250101T080000Z", f"RRULE:{rule}")))

    assert event.uid == "s#20250101T080000"
    assert event.starts_at == datetime(2025, 1, 1, 8, tzinfo=UTC)
    assert note.startswith(f"event 's': {reason}")
    assert note.endswith("only its first occurrence was kept")


def test_a_rule_that_never_matches_gives_no_occurrences():
    never = "RRULE:FREQ=DAILY;BYMONTHDAY=30;BYMONTH=2"

    events, skipped = parse(calendar(*vevent("UID:never", "DTSTART:19300101T080000Z", never)))

    assert (events, skipped) == ([], [])


# The calendars icalendar tests itself with


@pytest.mark.skipif(not SHIPPED_FILES, reason=f"no test calendars under {ICALENDAR_TESTS}")
@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda path: path.name)
def test_every_calendar_icalendar_tests_with_reads_cleanly_or_is_refused(path):
    try:
        events, _ = parse(path.read_bytes())
    except CalendarError:
        return
    for event in events:
        assert event.starts_at.utcoffset() is not None and event.ends_at.utcoffset() is not None
        assert event.ends_at >= event.starts_at
        assert ZoneInfo(event.timezone)
    assert len({event.uid for event in events}) == len(events)


def test_shipped_holidays_are_all_day_events():
    events, skipped = parse(shipped("example.ics"))

    new_year, christmas, _ = events
    assert (new_year.uid, new_year.title) == ("636a0cc1dbd5a1667894465@icalendar", "New Year's Day")
    assert new_year.description == "Happy New Year!"
    # DTEND equals DTSTART there; an all-day event still lasts its day.
    assert (new_year.starts_at, new_year.ends_at) == (
        datetime(2022, 1, 1, tzinfo=BERLIN),
        datetime(2022, 1, 2, tzinfo=BERLIN),
    )
    assert (christmas.title, christmas.location) == ("Orthodox Christmas", "Russia")
    assert skipped == []


def test_shipped_custom_new_york_zone_gives_the_right_instant():
    [event], _ = parse(shipped("america_new_york.ics"))

    assert event.uid == "noend123"
    assert event.starts_at == datetime(2014, 8, 29, 12, tzinfo=UTC)  # 08:00 EDT
    assert event.ends_at == datetime(2014, 8, 29, 14, tzinfo=UTC)
    assert event.timezone == "UTC"


def test_shipped_custom_zone_with_a_date_start_is_followed():
    [event], _ = parse(shipped("issue_218_bad_tzid.ics"))

    assert event.starts_at == datetime(2017, 2, 28, 12, tzinfo=UTC)  # 23:00 at UTC+11


def test_shipped_custom_zone_changes_offset_at_its_own_transition():
    events, _ = parse(shipped("issue_722_timezone_transition_ambiguity.ics"))

    starts = {event.uid: event.starts_at for event in events}
    assert starts["0"] == datetime(2024, 3, 2, 20, tzinfo=UTC)  # +12:00 in winter
    assert starts["2"] == datetime(2024, 5, 4, 22, 0, 1, tzinfo=UTC)  # +10:00 from 08:00


def test_shipped_vendor_prefixed_zones_become_iana_zones():
    events, skipped = parse(shipped("issue_313_globally_unique_tzid.ics"))

    zones = {event.uid: (event.timezone, event.starts_at.hour) for event in events}
    assert zones == {
        "libical-evolution@issue-313": ("Europe/Berlin", 14),
        "mozilla-lightning@issue-313": ("America/New_York", 14),
        "multipart-olson@issue-313": ("America/Argentina/Buenos_Aires", 14),
    }
    assert skipped == []


def test_shipped_weekday_series_expands_at_zurich_wall_clock_time():
    events, skipped = parse(shipped("x_location.ics"))

    uid = "BFE33ADD-5553-48B5-B5A5-F9DA5CA4C393"
    assert events[0].uid == f"{uid}#20250502T140000"
    assert events[0].title == "Daily Sync"
    assert events[0].location == "Roadstar 16 12764 Happyville Denmark"
    assert {event.starts_at.weekday() for event in events} == {0, 1, 2, 3, 4}
    assert {(event.starts_at.hour, event.timezone) for event in events} == {(14, "Europe/Zurich")}
    assert {event.starts_at.utcoffset() for event in events} == {
        timedelta(hours=1),
        timedelta(hours=2),
    }
    assert skipped == [f"event {uid!r}: only its first 200 occurrences in range were kept"]


def test_shipped_weekly_series_with_a_slashed_zone_name():
    events, _ = parse(shipped("issue_466_convert_tzid_with_slash.ics"))

    assert {event.starts_at.weekday() for event in events} == {4}  # Fridays
    assert {event.timezone for event in events} == {"Europe/Stockholm"}
    assert events[0].uid == "0cab49a0-1167-40f0-bfed-ecb4d117047d#20250502T200000"


def test_shipped_unreadable_rule_keeps_the_first_occurrence():
    [event], skipped = parse(shipped("issue_1081_invalid_rrule_freq.ics"))

    assert event.uid == "test-123#20250101T100000"
    assert skipped == [
        "event 'test-123': its repeat rule could not be read; only its first occurrence was kept"
    ]


def test_shipped_change_to_an_occurrence_without_its_series_is_kept():
    [event], _ = parse(shipped("issue_1231_recurrence.ics"))

    assert event.uid == "test-uid#20250428T160500"
    assert event.title == "Test recurrence"


def test_shipped_broken_starts_are_skipped_with_reasons():
    assert parse(shipped("broken_dtstart.ics")) == (
        [],
        ["event 'test-123': its DTSTART is not a date or a date-time"],
    )
    assert parse(shipped("pacific_fiji.ics")) == (
        [],
        ["event 'noend123': it has more than one DTSTART"],
    )


def test_shipped_file_with_two_calendars_gives_the_events_of_both():
    events, _ = parse(shipped("multiple_calendar_components.ics"))

    assert sorted(event.title for event in events) == [
        "Boxing Day",
        "Christmas Day",
        "Christmas again!",
    ]


def test_shipped_file_ending_in_a_misspelt_end_line_is_refused():
    """It ends 'END:VCALENDARD'; icalendar accepts that, a cut-off download looks the same."""
    with pytest.raises(CalendarError, match="no END:VCALENDAR"):
        parse(shipped("timezone_same_start_and_offset.ics"))


# Hostile and broken input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the document is empty"),
        (b" \r\n\t", "the document is empty"),
        (random.Random(2025).randbytes(4096), "no BEGIN:VCALENDAR line"),
        (b"\x00\xff" * 3000, "no BEGIN:VCALENDAR line"),
        (b"<!DOCTYPE html><html><head><title>Events</title></head></html>", "a web page"),
        (b'{"events": []}', "no BEGIN:VCALENDAR line"),
        (b"BEGIN:VEVENT\r\nUID:1\r\nEND:VEVENT\r\n", "a lone VEVENT, not a VCALENDAR"),
        (calendar(*vevent("UID:1", "DTSTART:20250704T100000Z"))[:-20], "no END:VCALENDAR"),
        (b"BEGIN:VCALENDAR\r\nnot a content line\r\nEND:VCALENDAR\r\n", "not a readable iCalendar"),
        (calendar(*vevent("UID:1", "DESCRIPTION:" + "x" * 1_000_001)), "a line longer than"),
        (b"BEGIN:VCALENDAR\r\n" + b"X" * MAX_DOCUMENT_BYTES, "larger than 10 MiB"),
    ],
    ids=[
        "empty",
        "whitespace",
        "random-bytes",
        "binary",
        "html-page",
        "json",
        "bare-vevent",
        "truncated",
        "garbage-line",
        "huge-line",
        "oversized",
    ],
)
def test_what_is_not_a_calendar_is_refused_with_a_reason(data, message):
    with pytest.raises(CalendarError, match=message):
        parse(data)


def test_too_many_zone_definitions_are_refused():
    """icalendar caches every VTIMEZONE it sees for the life of the process."""
    zone = ["BEGIN:VTIMEZONE", "TZID:Z", "BEGIN:STANDARD", "DTSTART:19700101T000000"]
    zone += ["TZOFFSETFROM:+0100", "TZOFFSETTO:+0100", "END:STANDARD", "END:VTIMEZONE"]

    with pytest.raises(CalendarError, match="more than 20 zones"):
        parse(calendar(*zone * 21))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "windows-1252"])
def test_calendars_in_other_encodings_are_read(encoding):
    data = calendar(*vevent("UID:1", "DTSTART:20250704T100000Z", "SUMMARY:Café Müller"))

    [event], _ = parse(data.decode().encode(encoding))

    assert event.title == "Café Müller"


def test_control_characters_never_reach_the_caller():
    [event], _ = parse(
        calendar(*vevent("UID:1\x00", "DTSTART:20250704T100000Z", "DESCRIPTION:a\x00b\x1bc\\nd"))
    )

    assert (event.uid, event.description) == ("1", "abc\nd")


def test_an_overlong_uid_is_replaced_by_a_stable_hash():
    data = calendar(*vevent("UID:" + "u" * 600, "DTSTART:20250704T100000Z"))

    [first], _ = parse(data)
    [again], _ = parse(data)

    assert first.uid.startswith("sha256:") and len(first.uid) == 71
    assert first.uid == again.uid
