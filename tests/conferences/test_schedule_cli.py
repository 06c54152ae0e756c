"""`flask conferences import FILE_OR_URL`: from a file or through the safe fetcher, one unit
of work, refusals that say what was wrong and change nothing."""

import json

import pytest
from icalendar import Calendar
from sqlmodel import select

from community.events.registrations import Person, register
from community.models import Conference, ConferenceSession, Event
from tests.local_http import FeedServer
from tests.mail_server import plain_text
from tests.schedule_datasets import democon_bytes, encoded, tiny_schedule


def _run(runner, *args: str):
    return runner.invoke(args=["conferences", "import", *args])


def _nothing_imported(session) -> bool:
    tables = (Conference, Event, ConferenceSession)
    return all(session.exec(select(table)).all() == [] for table in tables)


def test_a_file_is_imported_and_the_outcome_printed_as_json(runner, tmp_path, session):
    path = tmp_path / "schedule.json"
    path.write_bytes(democon_bytes())

    result = _run(runner, str(path), "--json")

    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)
    assert (outcome["acronym"], outcome["conference"], outcome["published"]) == (
        "democon",
        "created",
        True,
    )
    assert outcome["sessions"] == {"created": 36, "updated": 0, "unchanged": 0, "removed": 0}
    assert len(session.exec(select(ConferenceSession)).all()) == 36


def test_the_summary_reads_as_counts_per_kind(runner, tmp_path):
    path = tmp_path / "schedule.json"
    path.write_bytes(democon_bytes())
    _run(runner, str(path))

    result = _run(runner, str(path))

    assert result.exit_code == 0, result.output
    assert "democon: conference unchanged, published." in result.stdout
    assert "Sessions: 0 new, 0 updated, 36 unchanged, 0 removed." in result.stdout


def test_a_reimport_that_moves_the_conference_emails_the_people_registered(
    runner, tmp_path, session, mail_server
):
    path = tmp_path / "schedule.json"
    path.write_bytes(encoded(tiny_schedule()))
    _run(runner, str(path))
    event = session.exec(select(Event)).one()
    register(session=session, event_id=event.id, person=Person("Ada", "ada@example.org"))
    session.commit()
    a_week_later = encoded(tiny_schedule()).replace(b"2030-06-04", b"2030-06-11")
    path.write_bytes(a_week_later.replace(b"2030-06-03", b"2030-06-10"))

    result = _run(runner, str(path))
    again = _run(runner, str(path))

    assert result.exit_code == 0, result.output
    assert "Emailed the new dates to 1 registered person." in result.stdout
    assert "Emailed" not in again.stdout  # nothing moved the second time
    (moved,) = mail_server.to("ada@example.org")
    assert moved["Subject"] == "Changed: TinyCon"
    assert "Mon 10 Jun 2030" in plain_text(moved)
    (calendar_file,) = moved.iter_attachments()  # her calendar's entry moves too
    (entry,) = Calendar.from_ical(calendar_file.get_content()).walk("VEVENT")
    assert (str(entry["UID"]), entry["SEQUENCE"]) == (event.uid, 1)
    assert entry.decoded("DTSTART").date().isoformat() == "2030-06-10"


def test_a_url_is_fetched_from_a_real_server(make_app, session):
    runner = make_app(FEEDS_ALLOW_PRIVATE_NETWORKS=True).test_cli_runner()
    with FeedServer() as server:
        server.serve(
            "/democon/schedule.json", democon_bytes(), {"Content-Type": "application/json"}
        )
        result = _run(runner, server.url("/democon/schedule.json"), "--json")

        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["sessions"]["created"] == 36
        assert "application/json" in server.requests[0][1]["accept"]


def test_a_url_at_a_private_address_is_refused_like_a_feed(runner, session):
    with FeedServer() as server:
        server.serve("/schedule.json", democon_bytes())
        result = _run(runner, server.url("/schedule.json"))

        assert server.requests == []  # never connected
    assert result.exit_code != 0
    assert "127.0.0.1 is a private address; refused" in result.output
    assert _nothing_imported(session)


def test_a_url_answering_more_than_a_schedule_may_be_is_refused(make_app, session):
    runner = make_app(FEEDS_ALLOW_PRIVATE_NETWORKS=True).test_cli_runner()
    with FeedServer() as server:
        server.serve("/huge.json", b"{" + b" " * (10 * 1000 * 1000) + b"}")
        result = _run(runner, server.url("/huge.json"))

    assert result.exit_code != 0
    assert "the response is larger than 5 MiB" in result.output
    assert _nothing_imported(session)


def test_a_10_mb_file_is_refused(runner, tmp_path, session):
    path = tmp_path / "huge.json"
    path.write_bytes(b"{" + b" " * (10 * 1000 * 1000) + b"}")

    result = _run(runner, str(path))

    assert result.exit_code != 0
    assert "is larger than the 5,242,880 bytes a schedule may be; refused" in result.output
    assert _nothing_imported(session)


def test_a_broken_schedule_exits_non_zero_listing_every_problem_and_changes_nothing(
    runner, tmp_path, session
):
    document = tiny_schedule()
    document["schedule"]["conference"]["time_zone_name"] = "Europe/Atlantis"
    path = tmp_path / "schedule.json"
    path.write_bytes(encoded(document))

    result = _run(runner, str(path), "--json")

    assert result.exit_code == 1
    refusal = json.loads(result.stdout.splitlines()[0])
    assert refusal["problems"] == [
        "schedule.conference.time_zone_name: 'Europe/Atlantis' is not an IANA time zone; "
        "use a name such as Europe/Berlin or UTC"
    ]
    assert "is not a schedule we can import; nothing was changed." in result.stderr
    assert _nothing_imported(session)


def test_a_refused_reimport_leaves_the_programme_as_it_was(runner, tmp_path, session):
    path = tmp_path / "schedule.json"
    path.write_bytes(encoded(tiny_schedule()))
    _run(runner, str(path))
    document = tiny_schedule()
    rooms = document["schedule"]["conference"]["days"][0]["rooms"]["Main Hall"]
    rooms[0]["title"] = "Renamed"
    rooms[1]["date"] = "2030-06-03T09:10:00+02:00"  # now overlaps the first
    path.write_bytes(encoded(document))

    result = _run(runner, str(path))

    assert result.exit_code != 0 and "overlaps 'Renamed'" in result.output
    titles = {row.title for row in session.exec(select(ConferenceSession))}
    assert titles == {"Opening", "Feature stores"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "neither schedule JSON"),
        (b'{"schedule": {"conference": []}}', "schedule.conference: expected an object"),
    ],
)
def test_something_that_is_not_a_schedule_is_refused(runner, tmp_path, session, content, message):
    path = tmp_path / "schedule.json"
    path.write_bytes(content)

    result = _run(runner, str(path))

    assert result.exit_code != 0 and message in result.output
    assert _nothing_imported(session)


def test_a_missing_file_is_explained(runner):
    result = _run(runner, "/nonexistent/schedule.json")

    assert result.exit_code != 0
    assert "could not read /nonexistent/schedule.json: No such file or directory" in result.output


def test_a_session_guid_of_another_conference_is_refused_and_nothing_changes(
    runner, tmp_path, session
):
    path = tmp_path / "schedule.json"
    path.write_bytes(encoded(tiny_schedule()))
    _run(runner, str(path))
    copy = tiny_schedule()
    copy["schedule"]["conference"]["acronym"] = "tinycon-copy"
    path.write_bytes(encoded(copy))

    result = _run(runner, str(path))

    assert result.exit_code != 0
    assert "belongs to another conference here" in result.output
    assert [row.acronym for row in session.exec(select(Conference))] == ["tinycon"]
