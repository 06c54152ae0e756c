"""Bringing confirmed subscribers over from another newsletter tool (CSV)."""

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import Session

from community.email_addresses import InvalidEmail, normalise_email
from community.newsletter.subscriptions import SubscriptionError, find_subscriber, subscribe


@dataclass
class SubscriberImport:
    imported: int = 0
    already_known: int = 0  # subscribed already, or left before: an import never re-adds
    invalid: list[str] = field(default_factory=list)  # "line N: why", for the organiser


def import_subscribers(session: Session, data: str) -> SubscriberImport:
    """Columns email, name and optional subscribed_at (ISO 8601); invalid rows are reported."""
    reader = csv.DictReader(io.StringIO(data))
    if not reader.fieldnames or "email" not in [name.strip().lower() for name in reader.fieldnames]:
        raise SubscriptionError("the CSV needs a header row with at least an `email` column")
    report = SubscriberImport()
    for line, row in enumerate(reader, start=2):
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}
        _import_row(session, row, line, report)
    return report


def _import_row(session: Session, row: dict, line: int, report: SubscriberImport) -> None:
    try:
        consented_at = _moment(row.get("subscribed_at", ""))
        email = normalise_email(row.get("email", ""))
    except (InvalidEmail, ValueError) as error:
        report.invalid.append(f"line {line}: {error}")
        return
    if find_subscriber(session, email) is not None:
        report.already_known += 1
        return
    subscriber = subscribe(
        session, email=email, name=row.get("name", ""), source="import", confirmed=True
    )
    if consented_at:
        subscriber.consented_at = subscriber.confirmed_at = consented_at
    report.imported += 1


def _moment(text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"subscribed_at {text!r} is not an ISO 8601 date") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
