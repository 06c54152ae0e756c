"""How pairing goes, round by round: participation, met rate and repeat rate."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from community.models import PairingGroup, PairingRound
from community.models.pairing import GroupOutcome, GroupStatus
from community.pairing.matching import recent_pairs_from
from community.pairing.rounds import groups_by_round


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


def round_stats(session: Session, *, window: int, limit: int = 26) -> list[RoundStats]:
    """Newest first."""
    rounds = session.exec(select(PairingRound).order_by(PairingRound.round_date)).all()
    by_round = groups_by_round(session, before=date.max)
    stats, earlier = [], []
    for pairing_round in rounds:
        member_groups = by_round.get(pairing_round.id, [])
        stats.append(
            _stats_for(session, pairing_round, member_groups, recent_pairs_from(earlier, window))
        )
        if member_groups:
            earlier.append(member_groups)
    return list(reversed(stats))[:limit]


def _stats_for(session, pairing_round, member_groups, recent) -> RoundStats:
    groups = session.exec(
        select(PairingGroup).where(PairingGroup.round_id == pairing_round.id)
    ).all()
    repeats = sum(
        any(frozenset((a, b)) in recent for i, a in enumerate(group) for b in group[i + 1 :])
        for group in member_groups
    )
    return RoundStats(
        round_date=pairing_round.round_date,
        status=pairing_round.status,
        participants=sum(len(group) for group in member_groups),
        groups=len(groups),
        introduced=sum(g.status == GroupStatus.INTRODUCED for g in groups),
        answered=sum(g.outcome is not None for g in groups),
        met=sum(g.outcome == GroupOutcome.MET for g in groups),
        repeats=repeats,
    )
