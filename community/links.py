"""Absolute links to this deployment, built from PUBLIC_URL in one place.

Slack messages, emails, calendars and feeds are read away from any request, so
their links cannot come from url_for's request host.
"""

from flask import has_app_context

from community.config import settings
from community.models import Event


def public_url(path: str = "") -> str:
    """`path` (starting with /) on the public site; relative when no app is running."""
    return (settings().PUBLIC_URL if has_app_context() else "") + path


def public_event_url(event: Event) -> str:
    return public_url(f"/events/{event.id}")


def public_item_url(item_id: int) -> str:
    return public_url(f"/items/{item_id}")


def page_url_for(doc_id: str) -> str | None:
    """The public page of an indexed document ("item:12", "event:3"), or None; a passage
    ("item:12@754") links to its moment on the item's page."""
    whole, _, part = doc_id.partition("@")  # "item:4@754": the passage at 754 s of item 4
    kind, _, number = whole.partition(":")
    if not number.isdigit():
        return None
    if kind == "item":
        moment = f"#t={part}" if part.isdigit() else ""
        return public_item_url(int(number)) + moment
    if kind == "event":
        return public_url(f"/events/{number}")
    return None
