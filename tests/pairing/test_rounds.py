"""Rounds in the database: stored once, never repeating recent pairs, interests from the bot."""

from datetime import date, timedelta

from sqlalchemy import event
from sqlmodel import select

from community.models import (
    AnswerFeedback,
    ContentItem,
    Member,
    PairingGroup,
    PairingGroupMember,
    PairingRound,
    Source,
)
from community.models.pairing import GroupStatus, RoundStatus
from community.pairing.rounds import create_round, member_topics, past_groups


def _members(session, count: int) -> list[Member]:
    members = [
        Member(slack_id=f"U{n}", name=f"Person {n}", pairing_opt_in=True) for n in range(count)
    ]
    session.add_all(members)
    session.commit()
    return members


def _pairs(groups) -> set[frozenset[str]]:
    return {frozenset((a, b)) for group in groups for a in group for b in group if a < b}


def test_a_round_is_matched_once_even_when_asked_twice(session):
    _members(session, 6)
    first = create_round(session, date(2026, 12, 7), avoid_rounds=6)
    second = create_round(session, date(2026, 12, 7), avoid_rounds=6)
    session.commit()

    assert first.created and not second.created
    assert first.pairing_round.id == second.pairing_round.id
    assert len(session.exec(select(PairingGroup)).all()) == 3


def test_consecutive_rounds_never_repeat_a_pair_within_the_window(session):
    _members(session, 8)
    day = date(2026, 1, 5)
    for week in range(3):  # 8 people have 7 partners each: three rounds can all be fresh
        create_round(session, day + timedelta(weeks=week), avoid_rounds=6)
        session.commit()

    rounds = past_groups(session, before=date.max)
    seen: set[frozenset[str]] = set()
    for groups in rounds:
        assert not (_pairs(groups) & seen)
        seen |= _pairs(groups)


def test_only_the_rounds_in_the_window_are_avoided(session):
    _members(session, 4)  # four people can be paired in three ways only
    day = date(2026, 1, 5)
    for week in range(3):
        create_round(session, day + timedelta(weeks=week), avoid_rounds=6)
        session.commit()
    first, second, third = past_groups(session, before=date.max)

    create_round(session, day + timedelta(weeks=3), avoid_rounds=2)
    session.commit()

    assert _pairs(past_groups(session, before=date.max)[-1]) == _pairs(first)
    assert not _pairs(first) & (_pairs(second) | _pairs(third))


def _rows_read(session) -> list:
    """Every row the session's queries return from now on."""
    rows = []

    def record(state):
        if state.is_select:
            frozen = state.invoke_statement().freeze()
            rows.extend(frozen.data)
            return frozen()
        return None

    event.listen(session, "do_orm_execute", record)
    return rows


def _old_rounds(session, count: int, before: date) -> None:
    """Rounds long ago in which everyone met everyone else once more."""
    members = session.exec(select(Member).order_by(Member.slack_id)).all()
    for number in range(count):
        pairing_round = PairingRound(
            round_date=before - timedelta(weeks=2 * (number + 1)), status=RoundStatus.DONE
        )
        session.add(pairing_round)
        session.flush()
        for a, b in zip(members[::2], members[1::2], strict=True):
            group = PairingGroup(round_id=pairing_round.id, status=GroupStatus.INTRODUCED)
            session.add(group)
            session.flush()
            session.add_all(
                [
                    PairingGroupMember(group_id=group.id, member_id=a.id),
                    PairingGroupMember(group_id=group.id, member_id=b.id),
                ]
            )
    session.commit()


def test_a_new_round_reads_no_more_history_than_its_window(session):
    _members(session, 6)
    day = date(2026, 6, 1)
    _old_rounds(session, 3, before=day)
    rows = _rows_read(session)
    create_round(session, day, avoid_rounds=2)
    session.commit()
    read_with_little_history = len(rows)

    _old_rounds(session, 30, before=day - timedelta(weeks=6))
    rows.clear()
    plan = create_round(session, day + timedelta(weeks=2), avoid_rounds=2)
    session.commit()

    assert plan.created
    assert len(rows) == read_with_little_history  # the 30 older rounds were never read


def test_interests_include_tags_of_posts_saved_and_answers_rated(session):
    (member,) = _members(session, 1)
    member.interests = ["LLM"]
    source = Source(kind="curation", name="Curated")
    session.add(source)
    session.flush()
    saved = ContentItem(
        source_id=source.id,
        kind="post",
        external_id="a",
        title="A",
        tags=["Feature-Store"],
        submitted_by="slack:U0",
    )
    rated = ContentItem(
        source_id=source.id, kind="post", external_id="b", title="B", tags=["drift"]
    )
    session.add_all([saved, rated])
    session.flush()
    session.add(
        AnswerFeedback(question="q", doc_ids=[f"item:{rated.id}"], helpful=True, given_by="U0")
    )
    session.commit()

    assert member_topics(session, member) == {"llm", "feature-store", "drift"}
