"""When rounds happen: a weekday every one, two or four weeks, at an hour of the community."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_WEEKS = {"weekly": 1, "biweekly": 2, "4weekly": 4}
FIRST_MONDAY = date(2024, 1, 1)  # counting weeks from a fixed Monday keeps the rhythm stable


def is_round_day(day: date, config) -> bool:
    if day.weekday() != WEEKDAYS.index(config.PAIRING_DAY):
        return False
    weeks = (day - FIRST_MONDAY).days // 7
    return weeks % EVERY_WEEKS[config.PAIRING_FREQUENCY] == 0


def local_now(config, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(config.COMMUNITY_TIMEZONE))


def intro_time_reached(config, now: datetime) -> bool:
    """On a round day, once the introduction hour has come."""
    local = local_now(config, now)
    return is_round_day(local.date(), config) and local.hour >= config.PAIRING_HOUR


def due_round_days(config, now: datetime) -> list[date]:
    """Today's round once its hour has come, and yesterday's in case the scheduler was down
    for the rest of that day: a late round beats a missed one."""
    local = local_now(config, now)
    yesterday = local.date() - timedelta(days=1)
    days = [yesterday] if is_round_day(yesterday, config) else []
    return days + ([local.date()] if intro_time_reached(config, now) else [])


def reminder_due(config, now: datetime) -> date | None:
    """The round date whose reminder goes out now (the day before, at the same hour)."""
    local = local_now(config, now)
    tomorrow = local.date() + timedelta(days=1)
    if is_round_day(tomorrow, config) and local.hour >= config.PAIRING_HOUR:
        return tomorrow
    return None
