"""Absolute links to public event pages, for Slack, email and calendars where no request is."""

from flask import current_app, has_app_context

from community.models import Event


def public_event_url(event: Event) -> str:
    base = current_app.config["PUBLIC_URL"].rstrip("/") if has_app_context() else ""
    return f"{base}/events/{event.id}"
