"""Jinja filters and globals shared by every template, including the typed `settings`."""

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from flask import Flask

from community.config import settings_of
from community.events.formatting import event_when, event_where
from community.links import page_url_for
from community.plurals import counted


def init_templating(app: Flask) -> None:
    app.add_template_global(settings_of(app), "settings")
    app.add_template_global(page_url_for)
    app.add_template_filter(local_time)
    app.add_template_filter(counted)  # {{ n|counted('person') }}: '1 person', '3 people'
    app.add_template_global(event_when)
    app.add_template_global(event_where)
    app.add_template_global(timezones)


@cache
def timezones() -> list[str]:
    """IANA names, for the time zone picker."""
    return sorted(zone for zone in available_timezones() if "/" in zone or zone == "UTC")


def local_time(moment: datetime, timezone: str) -> str:
    """A UTC moment as the clock reads in `timezone`, e.g. 'Tue 3 Dec 2026, 18:30 CET'."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"
