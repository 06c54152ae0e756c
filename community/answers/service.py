"""Answering a member's question from the knowledge base, citing where each answer came from."""

from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from community.models import UnansweredQuestion
from community.models.types import utcnow
from community.search.documents import EVENT_KIND
from search_index import SearchHit, SearchIndex, SearchQuery, best_passage

KNOWLEDGE_KINDS = ["post", "episode", "faq"]
# Hits far below the best one are noise next to it, even when they pass the absolute bar.
RELATIVE_CUTOFF = 0.4


@dataclass
class CitedItem:
    title: str
    kind: str
    source: str | None
    published: datetime | None
    url: str | None
    passage: str
    score: float
    doc_id: str
    external_id: str | None


@dataclass
class MatchingEvent:
    title: str
    starts_at: datetime | None
    doc_id: str
    url: str | None


@dataclass
class Answer:
    question: str
    items: list[CitedItem] = field(default_factory=list)
    events: list[MatchingEvent] = field(default_factory=list)
    suggestion: str | None = None

    @property
    def found(self) -> bool:
        return bool(self.items or self.events)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["found"] = self.found
        return data


def answer_question(
    *,
    session: Session,
    index: SearchIndex,
    question: str,
    asked_via: str,
    asked_by: str | None = None,
    limit: int = 3,
    min_score: float,
    record: bool = True,
) -> Answer:
    """The best cited items and matching upcoming events; records the question if none is good
    (unless `record` is off, as when a question set is evaluated)."""
    question = question.strip()
    if not question:
        raise ValueError("ask a question: the text is empty")
    results = index.search(SearchQuery(text=question, kinds=KNOWLEDGE_KINDS, limit=limit))
    best_score = results.hits[0].score if results.hits else 0.0
    bar = max(min_score, best_score * RELATIVE_CUTOFF)
    relevant = [hit for hit in results.hits if hit.score >= bar]
    answer = Answer(
        question=question,
        items=[_cite(hit, question) for hit in relevant],
        events=_upcoming_events(index, question, min_score),
        suggestion=results.suggestion,
    )
    if record and not answer.items:
        record_unanswered(
            session=session,
            question=question,
            asked_via=asked_via,
            asked_by=asked_by,
            score=best_score,
        )
    return answer


def _cite(hit: SearchHit, question: str) -> CitedItem:
    return CitedItem(
        title=hit.title,
        kind=hit.kind,
        source=hit.source,
        published=hit.published,
        url=hit.url,
        passage=best_passage(question, hit.body),
        score=round(hit.score, 3),
        doc_id=hit.doc_id,
        external_id=hit.external_id,
    )


def _upcoming_events(index: SearchIndex, question: str, min_score: float) -> list[MatchingEvent]:
    query = SearchQuery(text=question, kinds=[EVENT_KIND], published_after=utcnow(), limit=2)
    return [
        MatchingEvent(title=hit.title, starts_at=hit.published, doc_id=hit.doc_id, url=hit.url)
        for hit in index.search(query).hits
        if hit.score >= min_score
    ]


def record_unanswered(
    *, session: Session, question: str, asked_via: str, asked_by: str | None, score: float | None
) -> UnansweredQuestion:
    """One open record per question text, so asking again (or a crawler) adds no rows."""
    already_open = session.exec(
        select(UnansweredQuestion).where(
            UnansweredQuestion.question == question[:2000],
            UnansweredQuestion.resolved_at.is_(None),
        )
    ).first()
    if already_open is not None:
        return already_open
    record = UnansweredQuestion(
        question=question[:2000], asked_via=asked_via, asked_by=asked_by, best_score=score
    )
    session.add(record)
    session.flush()
    return record
