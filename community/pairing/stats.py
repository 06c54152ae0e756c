"""How pairing goes, round by round: participation, met rate and repeat rate.

A page of rounds costs a few aggregate queries. Participants and repeats need every group's
members, and those of the rounds in the window before, so they are worked out once per
round and kept in the caller's cache. A round's groups are stored at once when it is matched
and then change only by an introduction failing, so the numbers of groups and of failed
ones are part of what the figures are kept by.
"""

from collections import Counter
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from community.models import PairingGroup, PairingGroupMember, PairingRound
from community.models.pairing import GroupOutcome, GroupStatus
from community.pagination import Page, paginate
from community.pairing.rounds import rounds_with_groups

ROUNDS_PER_PAGE = 26
MAX_REMEMBERED = 10_000  # rounds' figures a cache keeps before it starts afresh
# (window, (round id, groups, failed groups), ((earlier round id, failed groups), …))
FiguresKey = tuple[int, tuple[int, int, int], tuple[tuple[int, int], ...]]
FiguresCache = MutableMapping[FiguresKey, tuple[int, int]]


@dataclass(frozen=True)
class RoundStats:
    round_date: date
    status: str
    participants: int
    groups: int
    introduced: int
    answered: int
    met: int
    repeats: int  # groups with two people who met within the window before

    @property
    def met_rate(self) -> float | None:
        """Of the groups introduced; None until someone answered a check-in."""
        return self.met / self.introduced if self.introduced and self.answered else None

    @property
    def repeat_rate(self) -> float:
        return self.repeats / self.groups if self.groups else 0.0


@dataclass(frozen=True)
class _Counts:
    groups: int = 0
    failed: int = 0
    introduced: int = 0
    answered: int = 0
    met: int = 0

    @property
    def kept(self) -> int:
        """Groups whose people were (or are being) introduced."""
        return self.groups - self.failed


def round_stats(
    session: Session,
    *,
    window: int,
    number: int = 1,
    size: int = ROUNDS_PER_PAGE,
    cache: FiguresCache | None = None,
) -> Page[RoundStats]:
    """One page of rounds, newest first."""
    newest_first = select(PairingRound).order_by(
        PairingRound.round_date.desc(), PairingRound.id.desc()
    )
    page = paginate(session, newest_first, number=number, size=size)
    if not page.rows:
        return Page(rows=[], number=page.number, has_next=False)
    counts = _counts(session, [pairing_round.id for pairing_round in page.rows])
    earlier = rounds_with_groups(session, before=page.rows[-1].round_date, count=window)
    failed = _failed(session, earlier)
    keys = _figures_keys(page.rows, earlier, counts, failed, window)
    figures = _figures(session, keys, {} if cache is None else cache)
    stats = [
        _stats_for(pairing_round, counts.get(pairing_round.id, _Counts()), *figures[key])
        for pairing_round, key in zip(page.rows, keys, strict=True)
    ]
    return Page(rows=stats, number=page.number, has_next=page.has_next)


def _counts(session: Session, round_ids: list[int]) -> dict[int, _Counts]:
    """Groups per round by status and outcome: one aggregate query, read from an index."""
    statement = (
        select(PairingGroup.round_id, PairingGroup.status, PairingGroup.outcome, func.count())
        .where(PairingGroup.round_id.in_(round_ids))
        .group_by(PairingGroup.round_id, PairingGroup.status, PairingGroup.outcome)
    )
    tallies: dict[int, Counter] = {}
    for round_id, status, outcome, count in session.exec(statement):
        tally = tallies.setdefault(round_id, Counter())
        tally["groups"] += count
        tally["failed"] += count if status == GroupStatus.FAILED else 0
        tally["introduced"] += count if status == GroupStatus.INTRODUCED else 0
        tally["answered"] += count if outcome is not None else 0
        tally["met"] += count if outcome == GroupOutcome.MET else 0
    return {round_id: _Counts(**tally) for round_id, tally in tallies.items()}


def _failed(session: Session, round_ids: list[int]) -> dict[int, int]:
    if not round_ids:
        return {}
    statement = (
        select(PairingGroup.round_id, func.count())
        .where(PairingGroup.round_id.in_(round_ids), PairingGroup.status == GroupStatus.FAILED)
        .group_by(PairingGroup.round_id)
    )
    return dict(session.exec(statement).all())


def _figures_keys(shown, earlier: list[int], counts, failed, window: int) -> list[FiguresKey]:
    """For each round shown, what its participants and repeats depend on: the window, the
    round itself and the rounds with groups in the window before it (oldest first)."""
    prior = [(round_id, failed.get(round_id, 0)) for round_id in reversed(earlier)]
    keys = {}
    for pairing_round in reversed(shown):  # oldest first, as rounds happened
        found = counts.get(pairing_round.id, _Counts())
        before = tuple(prior[-window:]) if window > 0 else ()
        keys[pairing_round.id] = (window, (pairing_round.id, found.groups, found.failed), before)
        if found.kept:
            prior.append((pairing_round.id, found.failed))
    return [keys[pairing_round.id] for pairing_round in shown]


def _figures(session: Session, keys: list[FiguresKey], cache: FiguresCache) -> dict:
    """Participants and repeats for each key; the groups of the rounds not in the cache yet
    (and of the rounds in their windows) are read in one query."""
    missing = [key for key in keys if key not in cache]
    needed = {key[1][0] for key in missing}
    needed |= {round_id for key in missing for round_id, _ in key[2]}
    by_round = _member_groups(session, needed) if needed else {}
    if len(cache) > MAX_REMEMBERED:
        cache.clear()
    for key in missing:
        _window, (round_id, _groups, _failed), before = key
        groups = by_round.get(round_id, [])
        recent = {pair for earlier, _ in before for pair in _pairs(by_round.get(earlier, []))}
        repeats = sum(any(pair in recent for pair in _pairs([group])) for group in groups)
        cache[key] = (sum(map(len, groups)), repeats)
    return {key: cache[key] for key in keys}


def _member_groups(session: Session, round_ids: set[int]) -> dict[int, list[list[int]]]:
    """Round id → its groups as member ids, failed introductions left out (they never met)."""
    statement = (
        select(PairingGroup.round_id, PairingGroupMember.group_id, PairingGroupMember.member_id)
        .join(PairingGroup, PairingGroup.id == PairingGroupMember.group_id)
        .where(PairingGroup.round_id.in_(list(round_ids)))
        .where(PairingGroup.status != GroupStatus.FAILED)
    )
    rounds: dict[int, dict[int, list[int]]] = {}
    for round_id, group_id, member_id in session.exec(statement):
        rounds.setdefault(round_id, {}).setdefault(group_id, []).append(member_id)
    return {round_id: list(groups.values()) for round_id, groups in rounds.items()}


def _pairs(groups: list[list[int]]):
    return (
        frozenset((a, b)) for group in groups for i, a in enumerate(group) for b in group[i + 1 :]
    )


def _stats_for(pairing_round: PairingRound, counts: _Counts, participants: int, repeats: int):
    return RoundStats(
        round_date=pairing_round.round_date,
        status=pairing_round.status,
        participants=participants,
        groups=counts.groups,
        introduced=counts.introduced,
        answered=counts.answered,
        met=counts.met,
        repeats=repeats,
    )
