"""Okapi BM25 over a document's weighted words, with FTS5's idf."""

from math import log

import numpy as np

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


def bm25(
    term_idf: float, weights: np.ndarray, lengths: np.ndarray, average_length: float
) -> np.ndarray:
    """One term's score in each of its documents, given its weight and length in each."""
    weights = weights.astype(np.float64)
    norms = K1 * (1 - B + B * lengths / average_length)
    return term_idf * weights * (K1 + 1) / (weights + norms)
