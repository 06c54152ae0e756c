"""Ranking tantivy's candidates exactly as the Whoosh engine ranks its hits.

tantivy scores with its own BM25 per field; the candidates it returns are scored again here
with the index's BM25 over the weighted title, section and body (search_index.scoring and
ranking.weighted_parts), then raised by the question's phrases as search_index.ranking
raises them, so both engines put the same documents first.
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np
import tantivy

from search_index.analysis import adjacent_pairs, terms_of
from search_index.ranking import PAIR_BOOST, weighted_parts
from search_index.scoring import saturated
from search_index.tantivy_queries import Statistics, rows_query, within
from search_index.tantivy_schema import stored_fields

# tantivy's order differs from the exact one by the title's share and by rounding lengths,
# so half as many candidates again as are ranked are scored exactly.
CANDIDATE_FACTOR = 1.5


@dataclass
class Candidate:
    row: int
    address: tantivy.DocAddress
    stored: dict
    score: float = 0.0
    phrase_bonus: float = 0.0


def candidates(
    searcher: tantivy.Searcher, query: tantivy.Query, limit: int, *, by_date: bool = False
) -> list[Candidate]:
    """The best `limit` documents for the query, by tantivy's score or newest first."""
    if by_date:
        found = searcher.search(query, limit, count=False, order_by_field="recency")
    else:
        found = searcher.search(query, limit, count=False)
    return documents_at(searcher, [address for _, address in found.hits])


def documents_at(searcher: tantivy.Searcher, addresses: list) -> list[Candidate]:
    rows = searcher.fast_field_values("row", addresses) if addresses else []
    return [
        Candidate(row=row, address=address, stored=stored_fields(searcher.doc(address)))
        for row, address in zip(rows, addresses, strict=True)
    ]


def score_exactly(
    found: list[Candidate], terms: list[str], words: list[str], statistics: Statistics
) -> None:
    """Each candidate's BM25 over the question's words, as DocumentBM25 scores it in Whoosh;
    its phrase bonus (see search_index.ranking) is kept aside for rerank_by_phrases().

    One pass over each candidate's terms finds both, since analysing the text is the cost.
    """
    word_idf = {word: statistics.idf(word) for word in words}
    asked = set(terms)
    # A pair's idf as if its words were independent, as search_index.ranking estimates it.
    pair_idf = {
        pair: statistics.idf(pair[0]) + statistics.idf(pair[1]) for pair in adjacent_pairs(terms)
    }
    for candidate in found:
        weights, pair_weights, length = _weights(candidate.stored, asked, word_idf, pair_idf)
        candidate.score = sum(
            word_idf[term] * saturated(weight, length, statistics.average_length)
            for term, weight in weights.items()
        )
        candidate.phrase_bonus = PAIR_BOOST * sum(
            pair_idf[pair] * saturated(weight, length, statistics.average_length)
            for pair, weight in pair_weights.items()
        )


def _weights(stored: dict, asked: set[str], word_idf: dict, pair_idf: dict):
    """The weighted frequency of each word and each pair of the question, and the length."""
    weights: Counter[str] = Counter()
    pair_weights: Counter[tuple[str, str]] = Counter()
    length = 0
    for text, weight in weighted_parts(stored["title"], stored["section"], stored["body"]):
        part = terms_of(text)
        length += len(part)
        previous = None
        for term in part:
            if term not in asked:
                previous = None
                continue
            if term in word_idf:
                weights[term] += weight
            if (previous, term) in pair_idf:
                pair_weights[previous, term] += weight
            previous = term
    return weights, pair_weights, length


def best_first(found: list[Candidate]) -> list[Candidate]:
    return sorted(found, key=lambda candidate: candidate.score, reverse=True)


def rerank_by_phrases(found: list[Candidate]) -> list[Candidate]:
    """The candidates with their scores raised by the question's phrases, best first."""
    for candidate in found:
        candidate.score += candidate.phrase_bonus
    return best_first(found)


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
        addresses = [address for _, address in found.hits]
        live = dict(zip(searcher.fast_field_values("row", addresses), addresses, strict=True))
        passing = [(row, live[row]) for row in rows if row in live][:depth]
        if len(passing) == depth or len(rows) == len(above):
            return passing
        wanted *= 4


def _most_similar(similarities: np.ndarray, rows: np.ndarray, count: int) -> list[int]:
    if len(rows) > count:
        rows = rows[np.argpartition(-similarities[rows], count - 1)[:count]]
    return [int(row) for row in rows[np.argsort(-similarities[rows], kind="stable")]]
