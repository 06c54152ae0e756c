"""Members' verdicts on answers, and the figures organisers read from them."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from community.models import AnswerFeedback


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
    feedback = AnswerFeedback(
        question=question[:2000],
        doc_ids=[str(doc_id) for doc_id in doc_ids][:10],
        helpful=helpful,
        reason=(reason or "").strip()[:2000] or None,
        given_by=given_by,
    )
    session.add(feedback)
    session.flush()
    return feedback


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
