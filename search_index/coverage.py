"""How much of a question a document covers, as a share that does not grow with the corpus.

Each distinctive word of the question weighs its idf in the index; a word the index has
never seen weighs the most, because a knowledge base that lacks the question's subject
("bank", "Doha") should not answer it. Words that only carry a question's form ("how",
"do", "I") weigh nothing unless they are all the question has.
"""

from search_index.analysis import FUNCTION_TERMS, terms_of


def question_weights(terms: list[str], statistics) -> dict[str, float]:
    """Each telling term's idf; `statistics` has the index's idf(term)."""
    distinct = list(dict.fromkeys(terms))
    telling = [term for term in distinct if term not in FUNCTION_TERMS] or distinct
    return {term: statistics.idf(term) for term in telling}


def coverage(weights: dict[str, float], text: str) -> float:
    return coverage_of_terms(weights, set(terms_of(text)))


def coverage_of_terms(weights: dict[str, float], present: set[str]) -> float:
    total = sum(weights.values())
    if not total:
        return 0.0
    return sum(weight for term, weight in weights.items() if term in present) / total
