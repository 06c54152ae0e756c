"""From a SearchQuery to tantivy queries that match what the Whoosh engine matches.

Terms are looked up literally (tantivy's query parser is never used), so no question can
make a search fail. The words come from search_index.matching.words_query() with the
statistics below, the same as for Whoosh: FTS5's idf over the whole index.
"""

from math import log

import tantivy

from search_index.analysis import FUNCTION_TERMS
from search_index.documents import SearchQuery
from search_index.matching import WordsQuery
from search_index.schema import UNDATED
from search_index.scoring import idf
from search_index.tantivy_schema import EVERY_DOCUMENT, SCHEMA, microseconds, tag_term

# Candidates for exact scoring come from tantivy's own BM25, with the title as a field of its
# own at this weight: at an average length, TITLE_WEIGHT's 1.5 raises a word's exact score by
# about a fifth. On the FAQ sets and bench/search's corpus it finds the candidates that
# exact scoring ranks first better than 0 or 0.5 do.
TITLE_EXTRA = 0.2
LATEST = 2**63 - 1


class Statistics:
    """What ranking needs to know of the index, each term looked up once per search."""

    def __init__(self, searcher: tantivy.Searcher, average_length: float):
        self.searcher = searcher
        self.documents = searcher.doc_freq("document", EVERY_DOCUMENT)  # deleted ones too
        self.average_length = average_length or 1.0
        self._frequencies: dict[str, int] = {}

    def doc_frequency(self, term: str) -> int:
        if term not in self._frequencies:
            self._frequencies[term] = self.searcher.doc_freq("content", term)
        return self._frequencies[term]

    def idf(self, term: str) -> float:
        return idf(self.documents, self.doc_frequency(term))


def tantivy_query(words: WordsQuery | None, statistics: Statistics) -> tantivy.Query | None:
    """matching.words_query()'s documents: any selecting word, scored by all the words.

    Each word's score is scaled from tantivy's idf to FTS5's, so that the candidates come in
    nearly the order exact scoring (search_index.tantivy_ranking) gives them.
    """
    if words is None:
        return None
    scoring = [_scored(word, statistics) for word in words.scoring]
    if not words.selecting:
        return _all_of(scoring)
    selecting = _any_of([_scored(word, statistics) for word in words.selecting])
    if not scoring:
        return selecting
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, selecting), *((tantivy.Occur.Should, query) for query in scoring)]
    )


def highlighted(words: list[str]) -> set[str]:
    """The words worth marking in a snippet: marking every "is" and "how" helps no reader."""
    return set(words) - FUNCTION_TERMS or set(words)


def _scored(word: str, statistics: Statistics) -> tantivy.Query:
    containing = statistics.doc_frequency(word)
    boost = statistics.idf(word) / _tantivy_idf(statistics.documents, containing)
    in_content = tantivy.Query.term_query(SCHEMA, "content", word, index_option="freq")
    in_title = tantivy.Query.term_query(SCHEMA, "title", word, index_option="freq")
    return tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Should, tantivy.Query.boost_query(in_content, boost)),
            (tantivy.Occur.Should, tantivy.Query.boost_query(in_title, boost * TITLE_EXTRA)),
        ]
    )


def _tantivy_idf(documents: int, containing: int) -> float:
    return log(1 + (documents - containing + 0.5) / (containing + 0.5))


def _any_of(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, query) for query in queries])


def _all_of(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query) for query in queries])


def filter_query(query: SearchQuery) -> tantivy.Query | None:
    """Documents of any of the kinds, in the collection, with every tag, within the dates."""
    conditions = []
    if query.kinds:
        conditions.append(tantivy.Query.term_set_query(SCHEMA, "kind", list(query.kinds)))
    if query.collection:
        conditions.append(_term("collection", query.collection))
    for tag in query.tags or []:
        conditions.append(_term("tags", tag_term(tag)))
    if query.published_after or query.published_before:
        conditions.append(_dated(query))
    if not conditions:
        return None
    return tantivy.Query.const_score_query(_all_of(conditions), 0.0)  # filters do not rank


def within(matching_query: tantivy.Query | None, filter: tantivy.Query | None) -> tantivy.Query:
    """The matching documents that pass the filter; every document passing it without words."""
    parts = [query for query in (matching_query, filter) if query is not None]
    if not parts:
        return tantivy.Query.all_query()
    return _all_of(parts)


def rows_query(rows: list[int]) -> tantivy.Query:
    return tantivy.Query.term_set_query(SCHEMA, "row", rows)


def _term(field: str, value: str) -> tantivy.Query:
    return tantivy.Query.term_query(SCHEMA, field, value, index_option="basic")


def _dated(query: SearchQuery) -> tantivy.Query:
    """Undated documents (UNDATED, the smallest value) never match a date range."""
    after, before = query.published_after, query.published_before
    lowest = UNDATED + 1 if after is None else max(microseconds(after), UNDATED + 1)
    highest = LATEST if before is None else microseconds(before)
    return tantivy.Query.range_query(SCHEMA, "recency", tantivy.FieldType.Integer, lowest, highest)
