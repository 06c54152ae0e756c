"""How much of a question a document covers, as a share that does not grow with the corpus.

Each distinctive word of the question weighs its idf in the index; a word the index has
never seen weighs the most, because a knowledge base that lacks the question's subject
("bank", "Doha") should not answer it. Words that only carry a question's form ("how",
"do", "I") weigh nothing unless they are all the question has.
"""

from whoosh.searching import Searcher

from search_index.analysis import FUNCTION_TERMS, terms_of
from search_index.scoring import idf


def question_weights(terms: list[str], searcher: Searcher) -> dict[str, float]:
    distinct = list(dict.fromkeys(terms))
    telling = [term for term in distinct if term not in FUNCTION_TERMS] or distinct
    documents = searcher.doc_count_all()
    return {term: idf(documents, searcher.doc_frequency("content", term)) for term in telling}


def coverage(weights: dict[str, float], text: str) -> float:
    total = sum(weights.values())
    if not total:
        return 0.0
    present = set(terms_of(text))
    return sum(weight for term, weight in weights.items() if term in present) / total
