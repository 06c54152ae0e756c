"""The organisers' subscriber list: search, status filter, consent, pages, CSV, removal."""

import csv
import io
import re
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert
from sqlmodel import select

from community.models import Delivery, Subscriber
from community.models.newsletter import SubscriberStatus
from community.newsletter.subscriptions import subscribe, unsubscribe
from tests.helpers import csrf_token

PAGE = "/admin/newsletter/subscribers"


@pytest.fixture
def crowd(session):
    """Ada (confirmed), Grace (pending), Linus (left), a bounced address and a spreadsheet trap."""

    def add(email: str, name: str, confirmed: bool = True) -> Subscriber:
        return subscribe(session, email=email, name=name, source="web", confirmed=confirmed)

    add("ada@example.org", "Ada").confirmed_at = datetime(2026, 5, 4, 12, 30, tzinfo=UTC)
    add("grace@example.org", "Grace Hopper", confirmed=False)
    unsubscribe(add("linus@example.org", "Linus"))
    add("gone@example.org", "").status = SubscriberStatus.BOUNCED
    add("trap@example.org", '=HYPERLINK("https://evil.example/","Click")')
    session.commit()


def _rows(page: str) -> list[str]:
    body = page[page.index('id="subscribers"') :]
    return [email for email in _addresses(body)]


def _addresses(html: str) -> list[str]:

    return re.findall(r"<td class=\"lead\">([a-z0-9]+@example\.org)</td>", html)


def _id_of(session, email: str) -> int:
    return session.exec(select(Subscriber.id).where(Subscriber.email == email)).one()


def test_search_by_address_or_name_and_filter_by_status(organiser, crowd):
    everyone = organiser.get(PAGE).get_data(as_text=True)
    by_name = organiser.get(PAGE, query_string={"q": "hopper"}).get_data(as_text=True)
    by_address = organiser.get(PAGE, query_string={"q": "LINUS@"}).get_data(as_text=True)
    confirmed = organiser.get(PAGE, query_string={"status": "confirmed"}).get_data(as_text=True)
    bounced = organiser.get(PAGE, query_string={"status": "bounced"}).get_data(as_text=True)
    wildcard = organiser.get(PAGE, query_string={"q": "%"}).get_data(as_text=True)

    assert len(_rows(everyone)) == 5 and "5 subscribers" in everyone
    assert _rows(by_name) == ["grace@example.org"] and "1 subscriber matches" in by_name
    assert _rows(by_address) == ["linus@example.org"]
    assert sorted(_rows(confirmed)) == ["ada@example.org", "trap@example.org"]
    assert "2 subscribers match" in confirmed
    assert _rows(bounced) == ["gone@example.org"]
    assert _rows(wildcard) == []  # a % is a character to look for, not a wildcard


def test_the_list_shows_when_each_subscriber_consented(organiser, crowd):
    page = organiser.get(PAGE, query_string={"q": "ada"}).get_data(as_text=True)
    pending = organiser.get(PAGE, query_string={"q": "grace"}).get_data(as_text=True)

    assert "confirmed 2026-05-04 12:30 UTC" in page
    assert "subscribed " in pending and "not confirmed" in pending


def test_the_newsletter_page_links_to_the_subscribers(organiser, crowd):
    page = organiser.get("/admin/newsletter/").get_data(as_text=True)

    assert f'href="{PAGE}"' in page
    assert f'href="{PAGE}?status=bounced"' in page


def test_fifty_thousand_subscribers_come_a_page_at_a_time_and_quickly(organiser, session):
    now = datetime.now(UTC)
    rows = [
        {
            "email": f"reader{number:05d}@example.org",
            "name": f"Reader {number}",
            "status": SubscriberStatus.CONFIRMED,
            "source": "import",
            "consented_at": now,
            "confirmed_at": now,
            "created_at": now,
        }
        for number in range(50_000)
    ]
    session.execute(insert(Subscriber), rows)
    session.commit()

    started = time.perf_counter()
    first = organiser.get(PAGE).get_data(as_text=True)
    second = organiser.get(PAGE, query_string={"page": 2}).get_data(as_text=True)
    found = organiser.get(PAGE, query_string={"q": "reader04242"}).get_data(as_text=True)
    elapsed = time.perf_counter() - started

    assert "50,000 subscribers" in first
    assert first.count("Remove…") == 50 and second.count("Remove…") == 50
    assert "reader49999@example.org" in first and "reader49949@example.org" in second
    assert 'rel="next"' in first and "page=2" in first
    assert "reader04242@example.org" in found and "1 subscriber matches" in found
    assert elapsed < 5, f"three pages over 50,000 subscribers took {elapsed:.1f} s"


def test_the_export_is_the_filtered_set_as_csv_that_spreadsheets_read_safely(organiser, crowd):
    everyone = organiser.get(f"{PAGE}.csv")
    assert everyone.is_streamed
    rows = list(csv.DictReader(io.StringIO(everyone.get_data(as_text=True))))
    confirmed = organiser.get(f"{PAGE}.csv", query_string={"status": "confirmed"})

    assert everyone.mimetype == "text/csv"
    assert "attachment" in everyone.headers["Content-Disposition"]
    assert list(rows[0]) == [
        "email", "name", "status", "source", "subscribed_at", "confirmed_at", "unsubscribed_at"
    ]  # fmt: skip
    assert len(rows) == 5
    trap = next(row for row in rows if row["email"] == "trap@example.org")
    assert trap["name"] == '\'=HYPERLINK("https://evil.example/","Click")'
    ada = next(row for row in rows if row["email"] == "ada@example.org")
    assert ada["confirmed_at"] == "2026-05-04T12:30:00+00:00"
    chosen = list(csv.DictReader(io.StringIO(confirmed.get_data(as_text=True))))
    assert sorted(row["email"] for row in chosen) == ["ada@example.org", "trap@example.org"]


def test_every_formula_start_is_neutralised():
    from community.newsletter.subscriber_list import spreadsheet_safe

    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx"):
        assert spreadsheet_safe(value) == "'" + value
    assert spreadsheet_safe("ada@example.org") == "ada@example.org"


def test_removing_asks_first_then_deletes_them_and_they_get_no_more_mail(
    organiser, crowd, session, runner, mail_server
):
    ada_id = _id_of(session, "ada@example.org")
    confirm_page = organiser.get(f"{PAGE}/{ada_id}/remove")
    page = confirm_page.get_data(as_text=True)
    assert confirm_page.status_code == 200 and "ada@example.org" in page
    assert 'class="button-danger"' in page and "deletes their address, name" in page
    session.expire_all()
    assert session.get(Subscriber, ada_id) is not None  # looking removes nobody

    removed = organiser.post(f"{PAGE}/{ada_id}/remove", data={"csrf_token": csrf_token(page)})
    listed = organiser.get(removed.headers["Location"]).get_data(as_text=True)

    assert "Removed ada@example.org" in listed and "ada@example.org</td>" not in listed
    session.expire_all()
    assert session.get(Subscriber, ada_id) is None
    assert session.exec(select(Delivery).where(Delivery.subscriber_id == ada_id)).all() == []
    issue = runner.invoke(args=["newsletter", "build", "--week", "2031-01-06"]).stdout.strip()
    runner.invoke(args=["newsletter", "send", issue])
    assert mail_server.to("ada@example.org") == []
    assert len(mail_server.to("trap@example.org")) == 1


def test_removing_a_subscriber_who_was_sent_an_issue_removes_their_deliveries(
    organiser, crowd, session, runner, mail_server
):
    issue = runner.invoke(args=["newsletter", "build", "--week", "2031-01-06"]).stdout.strip()
    runner.invoke(args=["newsletter", "send", issue])
    ada_id = _id_of(session, "ada@example.org")
    page = organiser.get(f"{PAGE}/{ada_id}/remove").get_data(as_text=True)

    organiser.post(f"{PAGE}/{ada_id}/remove", data={"csrf_token": csrf_token(page)})

    session.expire_all()
    assert session.exec(select(Delivery).where(Delivery.subscriber_id == ada_id)).all() == []
    assert session.exec(select(Delivery)).all()  # the others' records stay


def test_a_removal_without_its_form_token_removes_nobody(organiser, crowd, session):
    ada_id = _id_of(session, "ada@example.org")

    organiser.post(f"{PAGE}/{ada_id}/remove")

    session.expire_all()
    assert session.get(Subscriber, ada_id) is not None
