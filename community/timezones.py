"""The community's own calendar day, in COMMUNITY_TIMEZONE."""

from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app

from community.models.types import utcnow


def community_today() -> date:
    return utcnow().astimezone(ZoneInfo(current_app.config["COMMUNITY_TIMEZONE"])).date()
