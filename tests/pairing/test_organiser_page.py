"""The organiser page: each round's figures, older rounds a page at a time."""

import html
import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from community.models import Member, PairingGroup, PairingGroupMember, PairingRound
from community.models.pairing import GroupStatus, RoundStatus
from community.pairing.stats import ROUNDS_PER_PAGE

FIRST_ROUND = date(2026, 1, 5)
ROW = re.compile(r"<tr>\s*<td>(\d{4}-\d\d-\d\d)</td>(.*?)</tr>", re.S)
CELL = re.compile(r"<td>(.*?)</td>", re.S)


@pytest.fixture
def app(make_app):
    return make_app(PAIRING_AVOID_ROUNDS=2)


@pytest.fixture
def people(session) -> dict[str, Member]:
    members = {name: Member(slack_id=f"U{name}", name=name) for name in "ABCD"}
    session.add_all(members.values())
    session.commit()
    return members


def _round(session, number: int, groups: list[str], failed: tuple[str, ...] = ()) -> None:
    """Round `number` (every two weeks) with groups like "AB", those in `failed` failed."""
    pairing_round = PairingRound(
        round_date=FIRST_ROUND + timedelta(weeks=2 * number), status=RoundStatus.DONE
    )
    session.add(pairing_round)
    session.flush()
    members = {member.name: member for member in session.exec(select(Member))}
    for names in groups:
        status = GroupStatus.FAILED if names in failed else GroupStatus.INTRODUCED
        group = PairingGroup(round_id=pairing_round.id, status=status)
        session.add(group)
        session.flush()
        session.add_all(
            PairingGroupMember(group_id=group.id, member_id=members[name].id) for name in names
        )
    session.commit()


def _rows(client, path: str = "/admin/pairing/") -> dict[str, list[str]]:
    """Round date → its cells: status, participants, groups, introduced, answered, met
    rate, repeat rate."""
    page = client.get(path).get_data(as_text=True)
    table = page[page.index('id="pairing-rounds"') :]
    return {day: CELL.findall(cells) for day, cells in ROW.findall(table)}


def _repeat_rates(client) -> list[str]:
    return [cells[-1] for _day, cells in sorted(_rows(client).items())]


def test_repeats_count_pairs_met_in_the_window_and_follow_a_later_failure(
    organiser, session, people
):
    _round(session, 0, ["AB", "CD"])
    _round(session, 1, ["AC", "BD"])
    _round(session, 2, ["AD", "BC"], failed=("BC",))  # B and C never met
    _round(session, 3, ["AB", "CD"])  # they met three rounds ago: outside the window of two
    _round(session, 4, ["AD", "BC"])  # A and D met two rounds ago; B and C did not meet

    assert _repeat_rates(organiser) == ["0%", "0%", "0%", "0%", "50%"]
    assert _rows(organiser)["2026-02-02"][1] == "2"  # participants: only the group introduced

    (group,) = session.exec(
        select(PairingGroup)
        .where(PairingGroup.status == GroupStatus.INTRODUCED)
        .join(PairingRound)
        .where(PairingRound.round_date == date(2026, 2, 2))
    ).all()
    group.status = GroupStatus.FAILED  # nobody met in round 2: the window skips it now
    session.commit()

    assert _repeat_rates(organiser) == ["0%", "0%", "0%", "100%", "0%"]
    assert _rows(organiser)["2026-02-02"][1] == "0"


def test_older_rounds_are_a_page_further(organiser, session):
    for number in range(ROUNDS_PER_PAGE + 1):
        _round(session, number, [])

    first = organiser.get("/admin/pairing/").get_data(as_text=True)
    older = re.search(r'<a rel="next" href="([^"]+)">Older rounds</a>', first)
    second = _rows(organiser, html.unescape(older.group(1)))

    newest = FIRST_ROUND + timedelta(weeks=2 * ROUNDS_PER_PAGE)
    assert len(_rows(organiser)) == ROUNDS_PER_PAGE
    assert newest.isoformat() in _rows(organiser)
    assert list(second) == [FIRST_ROUND.isoformat()]
