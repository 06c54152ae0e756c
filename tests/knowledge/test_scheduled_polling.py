from sqlmodel import select

from community.knowledge.jobs import poll_due_feeds
from community.models import ContentItem, Source
from community.models.types import utcnow
from tests.knowledge.feeds import feed


def test_the_scheduled_job_polls_only_feeds_that_are_due(app, runner, session, feed_server):
    entry = {"guid": "1", "title": "Due feed entry", "link": "https://blog.example.org/1"}
    feed_server.serve("/due.xml", feed(entry))
    feed_server.serve("/later.xml", feed({**entry, "title": "Not due yet"}))
    runner.invoke(args=["feeds", "add", feed_server.url("/due.xml")])
    runner.invoke(args=["feeds", "add", feed_server.url("/later.xml")])
    later = session.exec(select(Source).where(Source.url.endswith("/later.xml"))).one()
    later.next_check_at = utcnow().replace(year=utcnow().year + 1)
    session.add(later)
    session.commit()

    with app.app_context():
        poll_due_feeds()

    assert [item.title for item in session.exec(select(ContentItem))] == ["Due feed entry"]
    assert feed_server.paths_requested() == ["/due.xml"]
