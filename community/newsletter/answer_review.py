"""The helpful answers a draft holds, and the organisers' review of each member's question.

A question is a member's own words, so the email quotes one only after an organiser has
approved it. Until then the answer appears as the published items it cited, which the
community already reviewed; an answer that cited none stays out until it is approved.
A dropped answer is not in the issue, and the next candidate takes its place.
"""

from sqlmodel import Session, select

from community.models.newsletter import AnswerReview, IssueAnswer, NewsletterIssue
from community.models.types import utcnow
from community.newsletter.digest import HelpfulAnswer, HelpfulCandidate

ANSWERS_PER_ISSUE = 3


def hold_in_draft(
    session: Session, issue: NewsletterIssue, candidates: list[HelpfulCandidate]
) -> list[HelpfulAnswer]:
    """Records the answers the draft holds now; returns them as the email shows them."""
    rows = {row.answer_key: row for row in _rows_of(session, issue)}
    held = [
        candidate
        for candidate in candidates
        if candidate.key not in rows or rows[candidate.key].review != AnswerReview.DROPPED
    ][:ANSWERS_PER_ISSUE]
    _forget_answers_not_held(session, rows, {candidate.key for candidate in held})
    shown = []
    for position, candidate in enumerate(held):
        row = _hold(session, issue, rows.get(candidate.key), candidate, position)
        if (answer := _as_shown(row, candidate)) is not None:
            shown.append(answer)
    session.flush()
    return shown


def answers_in_draft(session: Session, issue: NewsletterIssue) -> list[IssueAnswer]:
    """In the email's order, then the dropped ones."""
    return sorted(
        _rows_of(session, issue),
        key=lambda row: (row.review == AnswerReview.DROPPED, row.position),
    )


def answer_in_draft(session: Session, issue: NewsletterIssue, answer_id: int) -> IssueAnswer | None:
    answer = session.get(IssueAnswer, answer_id)
    return answer if answer is not None and answer.issue_id == issue.id else None


def set_review(answer: IssueAnswer, review: AnswerReview) -> None:
    answer.review = review
    answer.reviewed_at = utcnow()


def _rows_of(session: Session, issue: NewsletterIssue) -> list[IssueAnswer]:
    return list(session.exec(select(IssueAnswer).where(IssueAnswer.issue_id == issue.id)))


def _forget_answers_not_held(
    session: Session, rows: dict[str, IssueAnswer], held: set[str]
) -> None:
    """Dropped answers are remembered, so they stay out; others return as new if they do."""
    for key, row in rows.items():
        if key not in held and row.review != AnswerReview.DROPPED:
            session.delete(row)


def _hold(
    session: Session,
    issue: NewsletterIssue,
    row: IssueAnswer | None,
    candidate: HelpfulCandidate,
    position: int,
) -> IssueAnswer:
    if row is None:
        row = IssueAnswer(issue_id=issue.id, answer_key=candidate.key, question="", members=0)
        session.add(row)
    if row.review == AnswerReview.PENDING:  # an approved question keeps the words approved
        row.question = candidate.question
    row.members, row.position = candidate.members, position
    row.cited_titles = [item.title for item in candidate.items]
    return row


def _as_shown(row: IssueAnswer, candidate: HelpfulCandidate) -> HelpfulAnswer | None:
    if row.review == AnswerReview.APPROVED:
        return HelpfulAnswer(row.question, candidate.members, candidate.items)
    if candidate.items:
        return HelpfulAnswer(None, candidate.members, candidate.items)
    return None
