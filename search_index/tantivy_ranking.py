"""Ranking tantivy's candidates exactly as the Whoosh engine ranks its hits.

tantivy scores with its own BM25 per field; the candidates it returns are scored again here
with the index's BM25 over the weighted title, section and body (search_index.scoring and
ranking.weighted_parts), then raised by the question's phrases (ranking.rerank_by_phrases),
so both engines put the same documents first.
"""

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import tantivy

from search_index.analysis import terms_of
from search_index.ranking import rerank_by_phrases, weighted_parts
from search_index.scoring import saturated
from search_index.tantivy_queries import Statistics, rows_query, within
from search_index.tantivy_schema import stored_fields

# tantivy's order differs from the exact one by the title's share and by rounding lengths,
# so half as many candidates again as are ranked are scored exactly.
CANDIDATE_FACTOR = 1.5


@dataclass
class Candidate:
    """A document found, with its text's terms, analysed once per search."""

    row: int
    address: tantivy.DocAddress
    stored: dict
    score: float = 0.0
    parts: list[tuple[list[str], float]] = field(init=False)  # each part's terms, its weight

    def __post_init__(self):
        stored = self.stored
        self.parts = [
            (terms_of(text), weight)
            for text, weight in weighted_parts(stored["title"], stored["section"], stored["body"])
        ]

    def terms(self, with_section: bool) -> set[str]:
        (title, _), (section, _), (body, _) = self.parts
        return {*title, *(section if with_section else ()), *body}


def candidates(
    searcher: tantivy.Searcher, query: tantivy.Query, limit: int, *, by_date: bool = False
) -> list[Candidate]:
    """The best `limit` documents for the query, by tantivy's score or newest first."""
    if by_date:
        found = searcher.search(query, limit, count=False, order_by_field="recency")
    else:
        found = searcher.search(query, limit, count=False)
    return documents_at(searcher, [address for _, address in found.hits])


def rows_found(
    searcher: tantivy.Searcher, found: tantivy.SearchResult
) -> dict[int, tantivy.DocAddress]:
    """The row of each document found, and its address, in the order found."""
    addresses = [address for _, address in found.hits]
    rows = searcher.fast_field_values("row", addresses) if addresses else []
    return dict(zip(rows, addresses, strict=True))


def documents_at(searcher: tantivy.Searcher, addresses: list) -> list[Candidate]:
    rows = searcher.fast_field_values("row", addresses) if addresses else []
    return [
        Candidate(row=row, address=address, stored=stored_fields(searcher.doc(address)))
        for row, address in zip(rows, addresses, strict=True)
    ]


def score_exactly(found: list[Candidate], words: list[str], statistics: Statistics) -> None:
    """Each candidate's BM25 over the question's words, as the Whoosh engine scores it."""
    word_idf = {word: statistics.idf(word) for word in words}
    for candidate in found:
        weights: Counter[str] = Counter()
        length = 0
        for terms, weight in candidate.parts:
            length += len(terms)
            for term in terms:
                if term in word_idf:
                    weights[term] += weight
        candidate.score = sum(
            word_idf[term] * saturated(weight, length, statistics.average_length)
            for term, weight in weights.items()
        )


def best_first(found: list[Candidate]) -> list[Candidate]:
    return sorted(found, key=lambda candidate: candidate.score, reverse=True)


def raised_by_phrases(
    found: list[Candidate], terms: list[str], statistics: Statistics
) -> list[Candidate]:
    """The candidates, best first, their scores raised by the question's phrases."""
    by_row = {candidate.row: candidate for candidate in found}
    scored = [(candidate.row, candidate.score, candidate.parts) for candidate in found]
    reranked = []
    for row, score in rerank_by_phrases(scored, terms, statistics):
        by_row[row].score = score
        reranked.append(by_row[row])
    return reranked


def nearest(
    searcher: tantivy.Searcher,
    similarities: np.ndarray,
    *,
    filter: tantivy.Query | None,
    depth: int,
    floor: float,
) -> list[tuple[int, tantivy.DocAddress]]:
    """Up to `depth` (row, address) of live documents passing the filter, at or above
    `floor`, most similar first.

    The most similar rows are taken first and checked against the index (a row may belong to
    a deleted or replaced document, or fail the filter); more are taken while too few pass.
    """
    above = np.flatnonzero(similarities >= floor)
    if not len(above):
        return []
    wanted = depth * 4
    while True:
        rows = _most_similar(similarities, above, wanted)
        found = searcher.search(within(rows_query(rows), filter), len(rows), count=False)
        live = rows_found(searcher, found)
        passing = [(row, live[row]) for row in rows if row in live][:depth]
        if len(passing) == depth or len(rows) == len(above):
            return passing
        wanted *= 4


def _most_similar(similarities: np.ndarray, rows: np.ndarray, count: int) -> list[int]:
    if len(rows) > count:
        rows = rows[np.argpartition(-similarities[rows], count - 1)[:count]]
    return [int(row) for row in rows[np.argsort(-similarities[rows], kind="stable")]]
