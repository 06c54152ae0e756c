"""The community's own calendar day, in COMMUNITY_TIMEZONE."""

from datetime import date
from zoneinfo import ZoneInfo

from community.config import settings
from community.models.types import utcnow


def community_today() -> date:
    return utcnow().astimezone(ZoneInfo(settings().COMMUNITY_TIMEZONE)).date()
