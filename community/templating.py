"""Jinja filters shared by every template."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask


def init_templating(app: Flask) -> None:
    app.add_template_filter(local_time)


def local_time(moment: datetime, timezone: str) -> str:
    """A UTC moment as the clock reads in `timezone`, e.g. 'Tue 3 Dec 2026, 18:30 CET'."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"
