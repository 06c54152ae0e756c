"""The organisers' list of subscribers: searched, filtered, exported and pruned.

Pages and the export read the rows a page or a chunk at a time, so a list of 50,000
subscribers costs no more than one of 50.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import delete, or_
from sqlmodel import Session, func, select

from community.models import Delivery, Subscriber
from community.models.newsletter import SubscriberStatus
from community.pagination import Page, paginate

PER_PAGE = 50
EXPORT_CHUNK = 1000
STATUSES = [status.value for status in SubscriberStatus]
CSV_COLUMNS = [
    "email",
    "name",
    "status",
    "source",
    "subscribed_at",
    "confirmed_at",
    "unsubscribed_at",
]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class SubscriberFilter:
    search: str = ""  # part of the address or the name, any case
    status: str = ""  # one of STATUSES, or every status

    def conditions(self) -> list:
        conditions = []
        if self.search:
            needle = self.search.lower()
            conditions.append(
                or_(
                    func.lower(Subscriber.email).contains(needle, autoescape=True),
                    func.lower(Subscriber.name).contains(needle, autoescape=True),
                )
            )
        if self.status in STATUSES:
            conditions.append(Subscriber.status == self.status)
        return conditions


def subscribers_page(session: Session, chosen: SubscriberFilter, number: int) -> Page[Subscriber]:
    """Newest first."""
    statement = select(Subscriber).where(*chosen.conditions()).order_by(Subscriber.id.desc())
    return paginate(session, statement, number=number, size=PER_PAGE)


def matching_count(session: Session, chosen: SubscriberFilter) -> int:
    statement = select(func.count()).select_from(Subscriber).where(*chosen.conditions())
    return session.exec(statement).one()


def csv_lines(session: Session, chosen: SubscriberFilter) -> Iterator[str]:
    """The header, then every matching subscriber, oldest first, read a chunk at a time."""
    yield _csv_line(CSV_COLUMNS)
    last_id = 0
    while True:
        chunk = session.exec(
            select(Subscriber)
            .where(Subscriber.id > last_id, *chosen.conditions())
            .order_by(Subscriber.id)
            .limit(EXPORT_CHUNK)
        ).all()
        if not chunk:
            return
        yield "".join(_csv_line(_csv_row(subscriber)) for subscriber in chunk)
        last_id = chunk[-1].id
        session.expunge_all()  # the rows written are not needed any more


def remove_subscriber(session: Session, subscriber: Subscriber) -> None:
    """Deletes the subscriber with their name, address, consent and delivery records."""
    session.execute(delete(Delivery).where(Delivery.subscriber_id == subscriber.id))
    session.delete(subscriber)
    session.flush()


def spreadsheet_safe(value: str) -> str:
    """A value a spreadsheet shows as text: one that would start a formula gets a '."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_row(subscriber: Subscriber) -> list[str]:
    moments = (subscriber.consented_at, subscriber.confirmed_at, subscriber.unsubscribed_at)
    return [
        subscriber.email,
        subscriber.name,
        subscriber.status,
        subscriber.source,
        *(moment.isoformat() if moment else "" for moment in moments),
    ]


def _csv_line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([spreadsheet_safe(value) for value in values])
    return buffer.getvalue()
