"""The week's gaps: what members asked that the knowledge base did not answer well.

Three signals: questions that got no answer, answers marked *Not helpful*, and threads
passed on with *Still need help*. Questions that ask the same thing (most of their
distinctive words in common) are one gap, counted together, with the items the bot
offered and a solved thread waiting for review that may answer it.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, select

from community.answers.feedback import ESCALATED
from community.models import (
    AnswerFeedback,
    ContentItem,
    ItemKind,
    ItemStatus,
    UnansweredQuestion,
)
from community.models.types import utcnow
from integrations.slack.text import escape
from search_index.analysis import FUNCTION_TERMS, terms_of

SAME_QUESTION = 0.5  # share of distinctive words two questions must share to be one gap
MATCHING_THREAD = 0.3
MAX_GAPS = 50


@dataclass
class Gap:
    example: str
    times: int
    last_asked_at: datetime
    signals: set[str] = field(default_factory=set)  # "unanswered", "not helpful", "escalated"
    phrasings: list[str] = field(default_factory=list)
    offered: list[str] = field(default_factory=list)  # titles of the items the bot showed
    question_id: int | None = None  # an open unanswered question, to answer as FAQ
    waiting_threads: list[ContentItem] = field(default_factory=list)
    terms: frozenset[str] = frozenset()  # what it is about, to group and match by


def weekly_gaps(session: Session, *, now: datetime | None = None, days: int = 7) -> list[Gap]:
    """The gaps of the `days` before `now`, most asked first."""
    since = (now or utcnow()) - timedelta(days=days)
    grouping = _Grouping()
    for question in _open_questions(session, since):
        gap = grouping.gap_for(question.question, question.last_asked_at)
        gap.times += question.times_asked
        gap.signals.add("unanswered")
        gap.question_id = gap.question_id or question.id
    feedback = _unhelpful(session, since)
    titles = _titles(session, [doc_id for verdict in feedback for doc_id in verdict.doc_ids])
    for verdict in feedback:
        gap = grouping.gap_for(verdict.question, verdict.created_at)
        gap.times += 1
        gap.signals.add("escalated" if verdict.reason == ESCALATED else "not helpful")
        offered = [titles[doc_id] for doc_id in verdict.doc_ids if doc_id in titles]
        gap.offered = _merge(gap.offered, offered)
    ranked = sorted(grouping.gaps, key=lambda gap: (-gap.times, -gap.last_asked_at.timestamp()))
    _attach_waiting_threads(session, ranked[:MAX_GAPS])
    return ranked[:MAX_GAPS]


def _open_questions(session: Session, since: datetime) -> list[UnansweredQuestion]:
    statement = select(UnansweredQuestion).where(
        UnansweredQuestion.resolved_at.is_(None), UnansweredQuestion.last_asked_at >= since
    )
    return list(session.exec(statement.order_by(UnansweredQuestion.last_asked_at.desc())))


def _unhelpful(session: Session, since: datetime) -> list[AnswerFeedback]:
    statement = select(AnswerFeedback).where(
        AnswerFeedback.helpful.is_(False), AnswerFeedback.created_at >= since
    )
    return list(session.exec(statement.order_by(AnswerFeedback.created_at.desc())))


class _Grouping:
    """Gaps in the order first asked; a question joins the first gap that asks the same thing.

    Only gaps sharing a word can match, so each question is compared with those alone.
    """

    def __init__(self) -> None:
        self.gaps: list[Gap] = []
        self._gaps_with: dict[str, list[int]] = {}  # term -> positions of the gaps having it

    def gap_for(self, question: str, asked_at: datetime) -> Gap:
        terms = topic_terms(question)
        for position in sorted({at for term in terms for at in self._gaps_with.get(term, ())}):
            gap = self.gaps[position]
            if overlap(terms, gap.terms) >= SAME_QUESTION:
                if question not in gap.phrasings:
                    gap.phrasings.append(question)
                gap.last_asked_at = max(gap.last_asked_at, asked_at)
                return gap
        gap = Gap(example=question, times=0, last_asked_at=asked_at, phrasings=[question])
        gap.terms = terms
        for term in terms:
            self._gaps_with.setdefault(term, []).append(len(self.gaps))
        self.gaps.append(gap)
        return gap


def topic_terms(text: str) -> frozenset[str]:
    terms = set(terms_of(text))
    return frozenset(terms - FUNCTION_TERMS or terms)


def overlap(first: frozenset[str], second: frozenset[str]) -> float:
    """Shared words over the smaller question's words: a short rephrasing still matches."""
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def _titles(session: Session, doc_ids: list[str]) -> dict[str, str]:
    """The title of each knowledge item among `doc_ids`, by document id, in one query."""
    ids = {int(doc_id.split(":")[1]) for doc_id in doc_ids if doc_id.startswith("item:")}
    if not ids:
        return {}
    rows = session.exec(select(ContentItem.id, ContentItem.title).where(ContentItem.id.in_(ids)))
    return {f"item:{item_id}": title for item_id, title in rows}


def _merge(known: list[str], more: list[str]) -> list[str]:
    return known + [title for title in more if title not in known]


def _attach_waiting_threads(session: Session, gaps: list[Gap]) -> None:
    if not gaps:
        return
    statement = select(ContentItem).where(
        ContentItem.kind == ItemKind.THREAD, ContentItem.status == ItemStatus.PENDING
    )
    waiting = [
        (thread, topic_terms(f"{thread.title} {thread.body_text}"))
        for thread in session.exec(statement)
    ]
    for gap in gaps:
        gap.waiting_threads = [
            thread for thread, terms in waiting if overlap(gap.terms, terms) >= MATCHING_THREAD
        ]


def open_question(session: Session, question: str) -> UnansweredQuestion:
    """The open unanswered question with this text, made if only feedback had it."""
    question = " ".join(question.split())[:2000]
    statement = select(UnansweredQuestion).where(
        UnansweredQuestion.question == question, UnansweredQuestion.resolved_at.is_(None)
    )
    found = session.exec(statement).first()
    if found is None:
        found = UnansweredQuestion(question=question, asked_via="feedback")
        session.add(found)
        session.flush()
    return found


def gap_report_text(gaps: list[Gap], page_url: str, shown: int = 5) -> str:
    """The weekly Slack post for organisers: the most asked gaps and where to act on them."""
    if not gaps:
        return f"No gaps this week: every question got an answer members kept. {page_url}"
    count = f"{len(gaps)} gap{'s' if len(gaps) != 1 else ''}"
    lines = [f"*{count} in the knowledge base this week* — <{page_url}|act on them>"]
    for gap in gaps[:shown]:
        signals = ", ".join(sorted(gap.signals))
        lines.append(f"• “{escape(gap.example[:200])}” — {gap.times}× ({signals})")
    return "\n".join(lines)
