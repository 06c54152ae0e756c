"""Rounds in the database: stored once, never repeating recent pairs, interests from the bot."""

from datetime import date, timedelta

from sqlmodel import select

from community.models import AnswerFeedback, ContentItem, Member, PairingGroup, Source
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
