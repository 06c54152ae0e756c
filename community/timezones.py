"""The community's own calendar day, in COMMUNITY_TIMEZONE, and the dates the service keeps."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from community.config import settings
from community.models.types import utcnow

# Dates organisers may give. Wide enough for any archive or plan, and far enough inside
# Python's years 1 to 9999 that moving a moment to UTC, a series of 52 months, a duplicate a
# week later or a reminder a day before never leaves the calendar.
FIRST_SUPPORTED_YEAR = 1900
LAST_SUPPORTED_YEAR = 2999
SUPPORTED_YEARS = f"{FIRST_SUPPORTED_YEAR} to {LAST_SUPPORTED_YEAR}"


def community_today() -> date:
    return utcnow().astimezone(ZoneInfo(settings().COMMUNITY_TIMEZONE)).date()


def is_supported(moment: date | datetime) -> bool:
    return FIRST_SUPPORTED_YEAR <= moment.year <= LAST_SUPPORTED_YEAR
