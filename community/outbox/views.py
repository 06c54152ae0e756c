"""The organiser's view of the outbox: what waits, what failed and why, and a retry."""

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import func, or_, update
from sqlmodel import select

from community.accounts.sessions import organisers_only
from community.db import get_session
from community.forms import ConfirmForm
from community.models import (
    Delivery,
    NewsletterIssue,
    OutboxStatus,
    OutgoingEmail,
    OutgoingSlackMessage,
    Subscriber,
)
from community.models.newsletter import DeliveryStatus
from community.models.types import utcnow
from community.outbox.queue import wake_after_commit
from community.pagination import Page, paginate, requested_page

blueprint = Blueprint("outbox", __name__, url_prefix="/admin/outbox", template_folder="templates")
organisers_only(blueprint)
KINDS = {"email": OutgoingEmail, "slack": OutgoingSlackMessage}
WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED)
ROWS_PER_PAGE = 50
LISTINGS = ("email", "slack", "newsletter")


@blueprint.get("/")
def overview():
    session = get_session()
    return render_template(
        "outbox/overview.html",
        counts={kind: _counts(session, model) for kind, model in KINDS.items()},
        pages={listing: _page(session, listing, number=1) for listing in LISTINGS},
        confirm=ConfirmForm(),
    )


@blueprint.get("/<any(email, slack, newsletter):listing>")
def waiting_list(listing: str):
    """One of the overview's lists, a page at a time."""
    page = _page(get_session(), listing, number=requested_page())
    return render_template("outbox/listing.html", listing=listing, page=page, confirm=ConfirmForm())


def _page(session, listing: str, *, number: int) -> Page:
    if listing == "newsletter":
        page = paginate(session, _newsletter_trouble(), number=number, size=ROWS_PER_PAGE)
        return Page([NewsletterDelivery(*row) for row in page.rows], page.number, page.has_next)
    model = KINDS[listing]
    statement = select(model).where(model.status.in_(WAITING)).order_by(model.id.desc())
    return paginate(session, statement, number=number, size=ROWS_PER_PAGE)


def _counts(session, model) -> dict[str, int]:
    rows = session.exec(select(model.status, func.count()).group_by(model.status)).all()
    return {status.value: 0 for status in OutboxStatus} | dict(rows)


@dataclass(frozen=True)
class NewsletterDelivery:
    """A newsletter delivery that was deferred or failed, shaped like the outbox's rows."""

    to_address: str
    subject: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None


def _newsletter_trouble():
    """Deliveries the mail server deferred (waiting for their next attempt) or that failed."""
    return (
        select(
            Subscriber.email,
            NewsletterIssue.subject,
            Delivery.status,
            Delivery.attempts,
            Delivery.next_attempt_at,
            Delivery.last_error,
        )
        .join(Subscriber, Delivery.subscriber_id == Subscriber.id)
        .join(NewsletterIssue, Delivery.issue_id == NewsletterIssue.id)
        .where(
            or_(
                Delivery.status == DeliveryStatus.FAILED,
                (Delivery.status == DeliveryStatus.PENDING) & (Delivery.attempts > 0),
            )
        )
        .order_by(Delivery.id.desc())
    )


@blueprint.post("/<kind>/<int:row_id>/retry")
def retry(kind: str, row_id: int):
    model = KINDS.get(kind) or abort(404)
    if not ConfirmForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(url_for(".overview"))
    session = get_session()
    retried = session.execute(
        update(model)
        .where(model.id == row_id, model.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)))
        .values(status=OutboxStatus.PENDING, next_attempt_at=utcnow(), attempts=0)
    )
    if retried.rowcount:
        wake_after_commit(session)
        flash("Queued to be sent again now.", "info")
    return redirect(url_for(".overview"))
