"""Members' verdicts on answers, and the figures organisers read from them.

A member has one verdict per answer: a later click replaces the earlier one, so clicking
*Helpful* five times counts as once, and changing one's mind counts as the change.
"""

from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community.models import AnswerFeedback
from community.models.answers import answer_key

ESCALATED = "Still needed help"  # the feedback reason *Still need help* records


@dataclass
class FeedbackSummary:
    total: int
    helpful: int

    @property
    def helpful_rate(self) -> float | None:
        return self.helpful / self.total if self.total else None


def record_feedback(
    *,
    session: Session,
    question: str,
    doc_ids: list[str],
    helpful: bool,
    given_by: str | None,
    reason: str | None = None,
) -> AnswerFeedback:
    question, doc_ids = question[:2000], [str(doc_id) for doc_id in doc_ids][:10]
    feedback = AnswerFeedback(
        question=question,
        doc_ids=doc_ids,
        answer_key=answer_key(question, doc_ids),
        helpful=helpful,
        reason=(reason or "").strip()[:2000] or None,
        given_by=given_by,
    )
    session.flush()  # what the caller added fails here, not inside the retry below
    try:
        _replace_verdict(session, feedback)
    except IntegrityError:  # the same member's other click, committed in between
        _replace_verdict(session, feedback)
    return feedback


def _replace_verdict(session: Session, feedback: AnswerFeedback) -> None:
    with session.begin_nested():
        if feedback.given_by is not None:
            session.execute(
                delete(AnswerFeedback).where(
                    AnswerFeedback.answer_key == feedback.answer_key,
                    AnswerFeedback.given_by == feedback.given_by,
                )
            )
        session.add(feedback)


def feedback_summary(*, session: Session) -> FeedbackSummary:
    total, helpful = session.exec(
        select(func.count(), func.count().filter(AnswerFeedback.helpful))
    ).one()
    return FeedbackSummary(total=total, helpful=helpful)


def unhelpful_answers(*, session: Session, limit: int = 100) -> list[AnswerFeedback]:
    statement = (
        select(AnswerFeedback)
        .where(AnswerFeedback.helpful.is_(False))
        .order_by(AnswerFeedback.created_at.desc())
        .limit(limit)
    )
    return list(session.exec(statement))
