"""From a SearchQuery to the matching documents of each segment, scored, as arrays.

Every word is looked up literally, so `:`, `*`, `"`, `AND` or brackets in a question are
just text and can never make a search fail. A term's postings are read whole and scored
with array arithmetic (search_index.codec), so a search costs a few operations per posting
instead of Whoosh's Python matchers' several microseconds per matching document.
"""

from dataclasses import dataclass

import numpy as np
from whoosh.reading import IndexReader, SegmentReader

from search_index.analysis import terms_of
from search_index.building import microseconds
from search_index.codec import DOCNUMS, WEIGHTS, postings_of, term_info
from search_index.documents import SearchQuery
from search_index.schema import CONTENT
from search_index.scoring import IDF_FLOOR, bm25, idf
from search_index.segments import SegmentCache, SegmentData

MAX_QUESTION_TERMS = 64  # beyond this a "question" is a pasted document; more words add cost
# A word in more documents than this is common: cheap to score, costly to enumerate.
COMMON_WORD_DOCUMENTS = 1000


def question_terms(text: str) -> list[str]:
    return terms_of(text)[:MAX_QUESTION_TERMS]


@dataclass
class Leaf:
    """One segment of the index being searched, and where its document numbers start."""

    reader: SegmentReader
    offset: int
    data: SegmentData

    @property
    def count(self) -> int:
        return len(self.data.lengths)


class Statistics:
    """The index-wide figures ranking needs of the question's terms, each looked up once."""

    def __init__(self, reader: IndexReader, leaves: list[Leaf]):
        self.leaves = leaves
        self.documents = reader.doc_count_all()  # deleted ones too, as Whoosh counts them
        self.average_length = reader.field_length(CONTENT) / (self.documents or 1) or 1
        self._infos: dict[str, list] = {}

    def doc_frequency(self, term: str) -> int:
        return sum(info.doc_frequency() for info in self._term_infos(term) if info is not None)

    def idf(self, term: str) -> float:
        return idf(self.documents, self.doc_frequency(term))

    def postings(self, leaf_number: int, term: str) -> tuple[np.ndarray, np.ndarray]:
        info = self._term_infos(term)[leaf_number]
        if info is None:
            return np.zeros(0, DOCNUMS), np.zeros(0, WEIGHTS)
        return postings_of(self.leaves[leaf_number].reader, info)

    def scores(
        self, leaf_number: int, term: str, docnums: np.ndarray, weights: np.ndarray
    ) -> np.ndarray:
        """The term's BM25 score in each of these documents of one segment, given its weights."""
        lengths = self.leaves[leaf_number].data.lengths[docnums]
        return bm25(self.idf(term), weights, lengths, self.average_length)

    def _term_infos(self, term: str) -> list:
        if term not in self._infos:
            encoded = term.encode()
            self._infos[term] = [term_info(leaf.reader, CONTENT, encoded) for leaf in self.leaves]
        return self._infos[term]


@dataclass
class WordsQuery:
    """Documents with any `selecting` word, scored by those and the `scoring` words; with no
    selecting word, documents must have every scoring word."""

    selecting: list[str]
    scoring: list[str]

    @property
    def terms(self) -> list[str]:
        return self.selecting + self.scoring


def words_query(terms: list[str], statistics: Statistics) -> WordsQuery | None:
    """Documents with any of the question's distinctive words, scored by all its words.

    Words in very many documents only add to the score of documents that a rarer word
    matched, as in Elasticsearch's common terms query: otherwise one "how" or "data" makes
    most of a large index match. When all the words are that common, documents must have
    all of them.
    """
    words = _telling_words(list(dict.fromkeys(terms)), statistics)
    if not words:
        return None
    rare = [w for w in words if statistics.doc_frequency(w) <= COMMON_WORD_DOCUMENTS]
    return WordsQuery(selecting=rare, scoring=[word for word in words if word not in rare])


def _telling_words(words: list[str], statistics: Statistics) -> list[str]:
    """The known words that help rank: not those in most documents, which FTS5's idf zeroes.

    When every word is that common, all are kept.
    """
    known = [word for word in words if statistics.doc_frequency(word)]
    telling = [word for word in known if statistics.idf(word) > IDF_FLOOR]
    return telling or known


def scored_matches(
    query: WordsQuery, statistics: Statistics, leaf_number: int, allowed: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """(docnums ascending, BM25 scores) of one segment's documents that match and are allowed."""
    count = statistics.leaves[leaf_number].count
    selecting = query.selecting or query.scoring
    found = np.zeros(count, np.int32)  # how many of the selecting words each document has
    postings = {term: statistics.postings(leaf_number, term) for term in query.terms}
    for term in selecting:
        found[postings[term][0]] += 1  # a term lists each document once
    matched = found > 0 if query.selecting else found == len(query.scoring)
    if allowed is not None:
        matched &= allowed
    scores = np.zeros(count)
    for term, (docnums, weights) in postings.items():
        wanted = matched[docnums]  # score only what matched: common words list many more
        scores[docnums[wanted]] += statistics.scores(
            leaf_number, term, docnums[wanted], weights[wanted]
        )
    docnums = np.flatnonzero(matched)
    return docnums, scores[docnums]


@dataclass(frozen=True)
class DocumentFilter:
    """Documents of any of the kinds, in the collection, with every tag, within the dates."""

    kinds: frozenset[str] | None = None
    collection: str | None = None
    tags: tuple[str, ...] = ()
    after: int | None = None  # microseconds since 1970, inclusive
    before: int | None = None

    @classmethod
    def of(cls, query: SearchQuery) -> "DocumentFilter":
        return cls(
            kinds=frozenset(query.kinds) if query.kinds else None,
            collection=query.collection or None,
            tags=tuple(sorted({tag.strip().lower() for tag in query.tags or []})),
            after=microseconds(query.published_after) if query.published_after else None,
            before=microseconds(query.published_before) if query.published_before else None,
        )

    def allowed(self, leaf: Leaf, cache: SegmentCache) -> np.ndarray | None:
        """Which of the segment's documents are live and pass; None when all of them are."""
        live = cache.live(leaf.reader)
        labelled = None
        if self.kinds is not None or self.collection or self.tags:
            # Kept per segment: the answer path's kinds filter alone would otherwise cost
            # more than the rest of its search.
            key = (self.kinds, self.collection, self.tags)
            labelled = cache.remembered(leaf.reader, key, lambda: self._labelled(leaf))
        allowed = _both(live, labelled)
        if self.after is not None or self.before is not None:
            allowed = _both(allowed, self._dated(leaf.data.recency))
        return allowed

    def _labelled(self, leaf: Leaf) -> np.ndarray:
        allowed = np.ones(leaf.count, bool)
        if self.kinds is not None:
            allowed &= leaf.data.kinds.having(self.kinds)
        if self.collection:
            allowed &= leaf.data.collections.having({self.collection})
        for tag in self.tags:
            tagged = np.zeros(leaf.count, bool)
            tagged[_tag_postings(leaf, tag)] = True
            allowed &= tagged
        return allowed

    def _dated(self, recency: np.ndarray) -> np.ndarray:
        # Undated documents hold the oldest possible value, and never fall within a range.
        dated = recency > np.iinfo(np.int64).min
        if self.after is not None:
            dated &= recency >= self.after
        if self.before is not None:
            dated &= recency <= self.before
        return dated


def _tag_postings(leaf: Leaf, tag: str) -> np.ndarray:
    info = term_info(leaf.reader, "tags", tag.encode())
    if info is None:
        return np.zeros(0, np.intp)
    docnums, _ = postings_of(leaf.reader, info)
    return docnums


def _both(first: np.ndarray | None, second: np.ndarray | None) -> np.ndarray | None:
    if first is None:
        return second
    if second is None:
        return first
    return first & second
