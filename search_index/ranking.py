"""Relevance: BM25 over any of the question's words, then a bonus for its phrases.

Pairs of neighbouring question words found side by side in a document confirm that it is
about the same thing. Indexing every word pair would multiply the terms Whoosh writes (and
its indexing time) several times over, so pairs are counted in the stored text of the top
candidates only; ranked that way the FAQ sets score as they do with pairs in the index.
"""

from collections import Counter

from search_index.analysis import adjacent_pairs
from search_index.scoring import saturated

# A question usually restates an entry's title; on the FAQ sets 1.5 beats 1 and 2.
TITLE_WEIGHT = 1.5
SECTION_WEIGHT = 1.0
BODY_WEIGHT = 1.0
PAIR_BOOST = 0.25  # phrases refine the order; single words decide what matches
RERANK_DEPTH = 20  # deeper re-ranking changed nothing on the FAQ sets


def weighted_parts(title: str, section: str | None, body: str) -> list[tuple[str, float]]:
    return [(title, TITLE_WEIGHT), (section or "", SECTION_WEIGHT), (body, BODY_WEIGHT)]


def rerank_by_phrases(
    candidates: list[tuple[int, float, list[tuple[list[str], float]]]],
    terms: list[str],
    statistics,
) -> list[tuple[int, float]]:
    """(docnum, score) best first: each candidate's score raised by the question's phrases.

    A candidate is (docnum, score, its parts' terms with their weights).
    """
    pairs = set(adjacent_pairs(terms))
    pair_idf = _pair_idf(pairs, statistics) if pairs else {}
    scored = [
        (docnum, score + _phrase_bonus(parts, pair_idf, statistics.average_length))
        for docnum, score, parts in candidates
    ]
    return sorted(scored, key=lambda pair: pair[1], reverse=True)


def _pair_idf(pairs: set[tuple[str, str]], statistics) -> dict[tuple[str, str], float]:
    """A pair's idf as if its words were independent: the sum of theirs.

    The index holds no pair statistics; on the FAQ sets this estimate ranks as well as the
    real pair frequencies did.
    """
    word_idf = {word: statistics.idf(word) for pair in pairs for word in pair}
    return {pair: word_idf[pair[0]] + word_idf[pair[1]] for pair in pairs}


def _phrase_bonus(parts: list[tuple[list[str], float]], pair_idf: dict, average_length) -> float:
    if not pair_idf:
        return 0.0
    found: Counter[tuple[str, str]] = Counter()
    length = 0
    for terms, weight in parts:
        length += len(terms)
        for pair in adjacent_pairs(terms):
            if pair in pair_idf:
                found[pair] += weight
    return PAIR_BOOST * sum(
        pair_idf[pair] * saturated(weight, length, average_length) for pair, weight in found.items()
    )


# Reciprocal rank fusion's constant: a document's share falls as 1 / (RRF_K + rank), so a
# larger constant flattens the difference between the first ranks.
RRF_K = 3
SEMANTIC_WEIGHT = 0.4


def fuse_rankings(lexical: list[int], semantic: list[int]) -> list[tuple[int, float]]:
    """Documents ranked by reciprocal rank fusion of several rankings, best first.

    Ranks, unlike BM25 scores and cosine similarities, are on one scale whatever the
    corpus, so neither ranking needs calibrating against the other.
    """
    fused: dict[int, float] = {}
    for ranking, weight in ((lexical, 1.0), (semantic, SEMANTIC_WEIGHT)):
        for rank, docnum in enumerate(ranking, start=1):
            fused[docnum] = fused.get(docnum, 0.0) + weight / (RRF_K + rank)
    return sorted(fused.items(), key=lambda pair: pair[1], reverse=True)
