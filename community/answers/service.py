"""Answering a member's question from the knowledge base, citing where each answer came from."""

from dataclasses import asdict, dataclass, field
from datetime import datetime

from flask import current_app
from sqlmodel import Session, func, select

import search_index
from community.config import settings
from community.links import page_url_for
from community.models import KNOWLEDGE_KINDS, UnansweredQuestion
from community.models.types import utcnow
from community.search.documents import EVENT_KIND
from search_index import SearchHit, SearchQuery
from search_index.generations import LiveIndex

# Hits far below the best one are noise next to it, even when they cover enough.
RELATIVE_CUTOFF = 0.4
# The items cited are the best that pass the gate among this many: a word-matched item of
# little relevance must not crowd out one that means what the member asked.
CANDIDATES = 5
# From this confidence on, the best item answers the question; below it, the items cited
# are offered as what "might help".
CONFIDENT = 0.6


class Decision:
    ANSWER = "answer"
    MIGHT_HELP = "might_help"
    NOTHING = "nothing"


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
    coverage: float
    similarity: float | None = None  # cosine similarity in meaning; None without the model
    page_url: str | None = None  # the item's page here; `url` is the original


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
    confidence: float = 0.0  # the best item's, 0 to 1: see confidence()

    @property
    def found(self) -> bool:
        return bool(self.items or self.events)

    @property
    def decision(self) -> str:
        if not self.items:
            return Decision.NOTHING
        return Decision.ANSWER if self.confidence >= CONFIDENT else Decision.MIGHT_HELP

    def to_dict(self) -> dict:
        """The JSON of /api/ask and `ask --json`: items use /api/search's field names."""
        data = asdict(self)
        data["found"] = self.found
        data["decision"] = self.decision
        for item in data["items"]:
            item["id"] = item["doc_id"]
            item["published"] = _iso(item["published"])
        for event in data["events"]:
            event["id"] = event["doc_id"]
            event["starts_at"] = _iso(event["starts_at"])
        return data


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def answer_question(
    *,
    session: Session,
    index: LiveIndex,
    question: str,
    asked_via: str,
    asked_by: str | None = None,
    limit: int = 3,
    min_coverage: float,
    min_similarity: float = 1.0,
    record: bool = True,
    context: str = "",
) -> Answer:
    """The best cited items and matching upcoming events; records the question if none is good
    (unless `record` is off, as when a question set is evaluated).

    `context` is what came before a follow-up ("what should I compare it against?"): the
    earlier messages of its thread, searched together with it.
    """
    question = question.strip()
    if not question:
        raise ValueError("ask a question: the text is empty")
    gate = _Gate(min_coverage, min_similarity)
    searched = f"{context.strip()}\n{question}".strip()
    query = SearchQuery(text=searched, kinds=KNOWLEDGE_KINDS, limit=max(limit, CANDIDATES))
    results = index.search(query)
    passing = [hit for hit in results.hits if gate.passes(hit)]
    best_score = passing[0].score if passing else 0.0
    relevant = [hit for hit in passing if hit.score >= best_score * RELATIVE_CUTOFF][:limit]
    answer = Answer(
        question=question,
        items=[_cite(hit, searched) for hit in relevant],
        events=_upcoming_events(index, searched, gate),
        suggestion=results.suggestion,
        confidence=round(max((confidence(hit) for hit in results.hits), default=0.0), 3),
    )
    if record and asked_by and not answer.items:  # a member's question, not a test or a crawler
        record_unanswered(
            session=session,
            question=question,
            asked_via=asked_via,
            asked_by=asked_by,
            score=results.hits[0].score if results.hits else None,
        )
    return answer


def ask(
    session: Session,
    question: str,
    *,
    asked_via: str,
    asked_by: str | None = None,
    record: bool = True,
    context: str = "",
) -> Answer:
    """The answer every entry point gives: this app's index and ANSWER_MIN_* settings."""
    return answer_question(
        session=session,
        index=current_app.extensions["search_index"],
        question=question,
        asked_via=asked_via,
        asked_by=asked_by,
        min_coverage=settings().ANSWER_MIN_COVERAGE,
        min_similarity=settings().ANSWER_MIN_SIMILARITY,
        record=record,
        context=context,
    )


def _cite(hit: SearchHit, question: str) -> CitedItem:
    return CitedItem(
        title=hit.title,
        kind=hit.kind,
        source=hit.source,
        published=hit.published,
        url=hit.url,
        passage=search_index.best_passage(question, hit.body),  # Whoosh loads on first use
        score=round(hit.score, 3),
        doc_id=hit.doc_id,
        external_id=hit.external_id,
        coverage=round(hit.coverage, 3),
        similarity=round(hit.similarity, 3) if hit.similarity is not None else None,
        page_url=page_url_for(hit.doc_id),
    )


@dataclass(frozen=True)
class _Gate:
    """Whether an item is relevant enough to cite: it holds enough of the question's
    distinctive words, or (when the index has a semantic model) it means the same thing."""

    min_coverage: float
    min_similarity: float

    def passes(self, hit: SearchHit) -> bool:
        if hit.coverage >= self.min_coverage:
            return True
        return hit.similarity is not None and hit.similarity >= self.min_similarity


def confidence(hit: SearchHit) -> float:
    """How sure an item answers the question, 0 to 1: the stronger of its two signals."""
    return max(hit.coverage, hit.similarity or 0.0, 0.0)


def _upcoming_events(index: LiveIndex, question: str, gate: _Gate) -> list[MatchingEvent]:
    query = SearchQuery(text=question, kinds=[EVENT_KIND], published_after=utcnow(), limit=2)
    return [
        MatchingEvent(title=hit.title, starts_at=hit.published, doc_id=hit.doc_id, url=hit.url)
        for hit in index.search(query).hits
        if gate.passes(hit)
    ]


def record_unanswered(
    *, session: Session, question: str, asked_via: str, asked_by: str | None, score: float | None
) -> UnansweredQuestion:
    """One open record per question, counting how often and when it was last asked."""
    question = " ".join(question.split())[:2000]
    already_open = session.exec(
        select(UnansweredQuestion).where(
            func.lower(UnansweredQuestion.question) == question.lower(),
            UnansweredQuestion.resolved_at.is_(None),
        )
    ).first()
    if already_open is not None:
        already_open.times_asked += 1
        already_open.last_asked_at = utcnow()
        session.flush()
        return already_open
    record = UnansweredQuestion(
        question=question, asked_via=asked_via, asked_by=asked_by, best_score=score
    )
    session.add(record)
    session.flush()
    return record
