"""Okapi BM25 over a document's weighted words, with FTS5's idf."""

from math import log

from whoosh.scoring import WeightingModel, WeightLengthScorer

# FTS5 floors idf just above zero: a word in more than half of the documents still
# matches but no longer moves the ranking, which is what stop words should do.
IDF_FLOOR = 1e-6
K1 = 1.2
B = 0.75


def idf(documents: int, containing: int) -> float:
    return max(log((documents - containing + 0.5) / (containing + 0.5)), IDF_FLOOR)


def saturated(weight: float, length: float, average_length: float) -> float:
    """BM25's term-frequency part: grows with the weight, less so in long documents."""
    norm = K1 * (1 - B + B * length / average_length)
    return weight * (K1 + 1) / (weight + norm)


class DocumentBM25(WeightingModel):
    def supports_block_quality(self):
        return True

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        return idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))

    def scorer(self, searcher, fieldname, text, qf=1):
        return DocumentBM25Scorer(self, searcher, fieldname, text)


class DocumentBM25Scorer(WeightLengthScorer):
    def __init__(self, model: DocumentBM25, searcher, fieldname, text):
        self.idf = model.idf(searcher, fieldname, text)
        self.average_length = searcher.get_parent().avg_field_length(fieldname) or 1
        self.setup(searcher, fieldname, text)

    def _score(self, weight, length):
        return self.idf * saturated(weight, length, self.average_length)
