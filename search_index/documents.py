"""The plain values that go into the index and come out of it."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class SearchDocument:
    doc_id: str  # unique across kinds: "item:42", "event:7"
    kind: str  # "post" | "episode" | "faq" | "event"
    title: str
    body: str  # plain text
    external_id: str | None = None
    collection: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    url: str | None = None
    source: str | None = None  # display name of where it came from
    published: datetime | None = None  # timezone-aware UTC; an event's start time


@dataclass
class SearchQuery:
    text: str
    kinds: list[str] | None = None
    collection: str | None = None
    tags: list[str] | None = None
    published_after: datetime | None = None
    published_before: datetime | None = None
    sort: str = "relevance"  # or "date", newest first
    limit: int = 10


@dataclass
class SearchHit:
    doc_id: str
    kind: str
    title: str
    score: float
    external_id: str | None
    url: str | None
    source: str | None
    collection: str | None
    section: str | None
    tags: list[str]
    published: datetime | None
    snippet: str  # safe HTML: matched terms in <mark>, everything else escaped
    body: str  # the stored plain body, for passage extraction
    # Share of the question's distinctive words (weighted by how rare they are in the
    # index; a word the index has never seen weighs most) that this document contains.
    # Unlike a BM25 score it reads the same in a corpus of 50 items or of 100,000.
    coverage: float = 0.0
    # Cosine similarity of the document's meaning to the question's, -1 to 1; None when
    # the index has no semantic model.
    similarity: float | None = None


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int  # matching documents before the limit
    counts_by_kind: dict[str, int]  # over all matches, for facets
    suggestion: str | None  # corrected query text when words look misspelt
    counts_by_collection: dict[str, int] = field(default_factory=dict)  # likewise

    @classmethod
    def empty(cls) -> "SearchResults":
        return cls(hits=[], total=0, counts_by_kind={}, suggestion=None)
