"""Absolute links to public event pages, for Slack and email where there is no request."""

from flask import current_app

from community.models import Event


def public_event_url(event: Event) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/events/{event.id}"
