import re
from datetime import UTC, datetime, timedelta

import time_machine
from sqlmodel import delete, select

from community.home.views import LATEST
from community.models import ContentItem, Event, Source
from community.models.types import utcnow


def test_empty_home_page_explains_there_is_nothing_yet(client):
    page = client.get("/").get_data(as_text=True)

    assert "Nothing gathered yet" in page
    assert "No events are planned yet" in page


def test_demo_load_fills_an_empty_database_once(runner, session):
    first = runner.invoke(args=["demo", "load"])
    second = runner.invoke(args=["demo", "load"])

    assert first.exit_code == 0, first.output
    assert "Loaded 4 posts, 4 podcast episodes, 12 FAQ entries and 5 events" in first.output
    assert "already holds content" in second.output
    assert len(session.exec(select(ContentItem)).all()) == 20
    assert len(session.exec(select(Event)).all()) == 5


def test_home_page_shows_latest_items_and_upcoming_events_from_the_demo(runner, client, session):
    runner.invoke(args=["demo", "load"])

    page = client.get("/").get_data(as_text=True)

    newest_episode = "GPU Scheduling on Kubernetes"
    oldest_post = "Detecting Model Drift in Production"
    assert newest_episode in page
    assert "Cost-Aware LLM Serving" in page
    assert page.index(newest_episode) < page.index("CI/CD for ML Models")
    events = session.exec(select(Event).order_by(Event.starts_at)).all()
    assert events[0].starts_at > utcnow()
    assert events[0].title in page
    # FAQ entries are answers for the bot, not news: they stay off the home page.
    assert "Which experiment tracker should my team pick?" not in page
    assert oldest_post in page


def test_event_times_are_shown_in_the_event_time_zone(runner, client, session):
    # Thursday 25 March 2027, on Berlin winter time: the demo's Berlin meetup, three days on,
    # is on the Sunday the clocks go forward, so the page must say CEST from the event's date.
    with time_machine.travel(datetime(2027, 3, 25, 10, 0, tzinfo=UTC), tick=True):
        runner.invoke(args=["demo", "load"])
        event = session.exec(select(Event).where(Event.timezone == "Europe/Berlin")).one()

        page = client.get("/").get_data(as_text=True)

    assert "Sun 28 Mar 2027, 18:30 CEST" in page
    assert event.starts_at.isoformat() in page


def test_the_newest_dated_items_come_first_and_undated_ones_fill_the_rest(client, session):
    source = Source(kind="feed", name="A blog")
    session.add(source)
    session.flush()
    now = utcnow()
    for number in range(LATEST + 2):
        session.add(
            ContentItem(
                source_id=source.id,
                kind="post",
                external_id=f"dated-{number}",
                title=f"Dated post {number:02d}",
                published_at=now - timedelta(days=number),
            )
        )
    session.add(ContentItem(source_id=source.id, kind="post", external_id="u", title="Undated"))
    session.commit()

    page = client.get("/").get_data(as_text=True)
    shown = re.findall(r"Dated post \d\d|Undated", page)

    assert shown == [f"Dated post {number:02d}" for number in range(LATEST)]
    older = [f"dated-{number}" for number in range(2, LATEST + 2)]
    session.exec(delete(ContentItem).where(ContentItem.external_id.in_(older)))
    session.commit()
    page = client.get("/").get_data(as_text=True)
    assert re.findall(r"Dated post \d\d|Undated", page) == [
        "Dated post 00",
        "Dated post 01",
        "Undated",
    ]
