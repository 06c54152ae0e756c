"""From a SearchQuery to Whoosh queries, without Whoosh's query language.

Every word is looked up literally, so `:`, `*`, `"`, `AND` or brackets in a question are
just text and can never make a search fail.
"""

from datetime import UTC, datetime

from whoosh.query import And, AndMaybe, DateRange, Or, Query, Term
from whoosh.searching import Searcher

from search_index.analysis import terms_of
from search_index.documents import SearchQuery
from search_index.scoring import IDF_FLOOR

MAX_QUESTION_TERMS = 64  # beyond this a "question" is a pasted document; more words add cost
# A word in more documents than this is common: cheap to score, costly to enumerate.
COMMON_WORD_DOCUMENTS = 1000


def question_terms(text: str) -> list[str]:
    return terms_of(text)[:MAX_QUESTION_TERMS]


def words_query(terms: list[str], searcher: Searcher) -> Query | None:
    """Documents with any of the question's distinctive words, scored by all its words.

    Words in very many documents only add to the score of documents that a rarer word
    matched, as in Elasticsearch's common terms query: otherwise one "how" or "data" makes
    most of a large index match, and Whoosh must score every one of those documents. When
    all the words are that common, documents must have all of them.
    """
    words = _telling_words(list(dict.fromkeys(terms)), searcher)
    if not words:
        return None
    rare = [w for w in words if searcher.doc_frequency("content", w) <= COMMON_WORD_DOCUMENTS]
    common = [Term("content", word) for word in words if word not in rare]
    if not rare:
        return And(common)
    selecting = Or([Term("content", word) for word in rare])
    return AndMaybe(selecting, Or(common)) if common else selecting


def _telling_words(words: list[str], searcher: Searcher) -> list[str]:
    """The known words that help rank: not those in most documents, which FTS5's idf zeroes.

    When every word is that common, all are kept.
    """
    known = [word for word in words if searcher.doc_frequency("content", word)]
    weighting = searcher.weighting
    telling = [word for word in known if weighting.idf(searcher, "content", word) > IDF_FLOOR]
    return telling or known


def filter_query(query: SearchQuery) -> Query | None:
    """Documents of any of the kinds, in the collection, with every tag, within the dates."""
    conditions = []
    if query.kinds:
        conditions.append(Or([Term("kind", kind) for kind in query.kinds]))
    if query.collection:
        conditions.append(Term("collection", query.collection))
    for tag in query.tags or []:
        conditions.append(Term("tags", tag.strip().lower()))
    if query.published_after or query.published_before:
        after, before = naive_utc(query.published_after), naive_utc(query.published_before)
        conditions.append(DateRange("published", after, before))
    return And(conditions) if conditions else None


def naive_utc(moment: datetime | None) -> datetime | None:
    """Whoosh stores naive datetimes; a naive input is taken to be UTC already."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
