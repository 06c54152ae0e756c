import json
from datetime import date, datetime

import pytest

from community.models.types import utcnow
from community.newsletter.digest import issue_week_for
from community.newsletter.issues import sending_schedule
from community.newsletter.subscriptions import subscribe

PUBLIC_URL = "https://news.test"


@pytest.fixture
def app_config(app_config, mail_server):
    return {
        **app_config,
        "SMTP_URL": mail_server.url,
        "PUBLIC_URL": PUBLIC_URL,
        "MAIL_FROM": "MLOps Community <hello@news.test>",
        "NEWSLETTER_RATE_PER_SECOND": 0,
    }


@pytest.fixture
def subscribers(session):
    """Confirmed subscribers with the given addresses."""

    def add(*emails: str):
        added = [
            subscribe(session, email=email, name=email.split("@")[0], source="web", confirmed=True)
            for email in emails
        ]
        session.commit()
        return added

    return add


def issue_week(app) -> date:
    """The week of the issue that lists content added now, whatever the day and time."""
    with app.app_context():
        return issue_week_for(utcnow(), sending_schedule())


@pytest.fixture
def add_news(tmp_path):
    """Imports posts (or episodes) with `kb import` through `runner`, published at `moment`
    (None: undated), as a feed brings them in the week they are written."""

    def add(runner, titles: list[str], published: datetime | None, kind: str = "post"):
        path = tmp_path / f"news-{len(list(tmp_path.glob('news-*')))}.json"
        records = [
            {
                "id": f"{kind}-{title}",
                "title": title,
                "kind": kind,
                "body": f"<p>{title}, in a few words.</p>",
                "url": "https://example.org/" + title.lower().replace(" ", "-"),
                "collection": "This week",
                "published": published.isoformat() if published else None,
            }
            for title in titles
        ]
        path.write_text(json.dumps(records))
        result = runner.invoke(args=["kb", "import", str(path)])
        assert result.exit_code == 0, result.output

    return add
