"""What an introduction proposes: a time that is daytime for everyone, in their own zone."""

from datetime import timedelta

import pytest

from community.models import Member
from community.models.types import utcnow
from community.pairing.introductions import Introducee, introduction_text, meeting_window
from community.pairing.membership import is_away


def _person(name: str, hours: float, interests=()) -> Introducee:
    return Introducee(name[0], name, int(hours * 3600), frozenset(interests))


def test_the_window_is_daytime_for_both_with_half_hour_zones():
    window = meeting_window([_person("Ada", 1), _person("Priya", 5.5)])

    assert window == "09:00–13:30 for Ada; 13:30–18:00 for Priya"


def test_a_window_can_cross_midnight_utc():
    window = meeting_window([_person("Tui", 13), _person("Moana", 13)])

    assert window == "09:00–18:00 for Tui; 09:00–18:00 for Moana"


def test_far_apart_zones_get_an_honest_suggestion():
    window = meeting_window([_person("Ada", 0), _person("Kai", 8), _person("Sam", -8)])

    assert "barely overlap" in window


def test_the_introduction_names_what_they_share():
    text = introduction_text([_person("Ada", 1, ["drift", "llm"]), _person("Bo", 2, ["llm"])], None)

    assert "You share an interest in llm." in text


@pytest.mark.parametrize(
    ("text", "emoji", "away"),
    [
        ("On vacation!", "", True),
        ("(OOO) back Monday", "", True),
        ("Out of office", "", True),
        ("", ":palm_tree:", True),
        ("Vacation planning meeting", "", True),
        ("Writing the holiday-season newsletter", "", True),
        ("In meetings", ":calendar:", False),
        ("", "", False),
    ],
)
def test_away_statuses(text, emoji, away):
    member = Member(slack_id="U1", name="Ada", status_text=text, status_emoji=emoji)

    assert is_away(member) is away


def test_an_expired_away_status_no_longer_counts():
    member = Member(
        slack_id="U1",
        name="Ada",
        status_text="On vacation",
        status_expires_at=utcnow() - timedelta(hours=1),
    )

    assert not is_away(member)
