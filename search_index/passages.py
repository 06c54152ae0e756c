"""The part of a document that answers a question."""

import re
from math import log

from search_index.analysis import FUNCTION_TERMS, terms_of

# A sentence ends at . ! or ? followed by a space, or at a line break.
_sentence_end = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")


def best_passage(question: str, text: str, *, max_sentences: int = 3, max_chars: int = 600) -> str:
    """The consecutive sentences covering the most of the question's telling words; plain text.

    Without a corpus, a word's weight comes from how few of the text's sentences use it.
    """
    sentences = split_sentences(text)
    if not sentences:
        return ""
    wanted = set(terms_of(question)) - FUNCTION_TERMS
    sentence_terms = [set(terms_of(sentence)) & wanted for sentence in sentences]
    weights = _rarity_weights(sentence_terms)
    if not weights:  # nothing in common: the opening is the best summary
        return _shorten(_opening(sentences, max_sentences, max_chars), max_chars)
    best = max(
        _windows(sentences, max_sentences, max_chars),
        key=lambda window: _window_rank(window, sentence_terms, weights),
    )
    return _shorten(" ".join(sentences[best[0] : best[1]]), max_chars)


def split_sentences(text: str) -> list[str]:
    return [sentence for sentence in _sentence_end.split(text.strip()) if sentence]


def _rarity_weights(sentence_terms: list[set[str]]) -> dict[str, float]:
    sentence_count = len(sentence_terms)
    in_sentences: dict[str, int] = {}
    for terms in sentence_terms:
        for term in terms:
            in_sentences[term] = in_sentences.get(term, 0) + 1
    return {term: log(1 + sentence_count / count) for term, count in in_sentences.items()}


def _opening(sentences: list[str], max_sentences: int, max_chars: int) -> str:
    windows = _windows(sentences[:max_sentences], max_sentences, max_chars)
    return " ".join(sentences[: max(end for start, end in windows if start == 0)])


def _windows(sentences: list[str], max_sentences: int, max_chars: int):
    """(start, end) of every run of up to max_sentences sentences that fits in max_chars."""
    for start in range(len(sentences)):
        yield start, start + 1  # a single sentence always qualifies; it is shortened later
        length = len(sentences[start])
        for end in range(start + 2, min(start + max_sentences, len(sentences)) + 1):
            length += 1 + len(sentences[end - 1])
            if length > max_chars:
                break
            yield start, end


def _window_rank(window, sentence_terms, weights) -> tuple[float, int, int]:
    """Most weight covered first, then fewer sentences, then earlier in the text."""
    start, end = window
    covered = set().union(*sentence_terms[start:end])
    return sum(weights[term] for term in covered), start - end, -start


def _shorten(passage: str, max_chars: int) -> str:
    if len(passage) <= max_chars:
        return passage
    cut = passage.rfind(" ", 0, max_chars - 1)
    return passage[: cut if cut > 0 else max_chars - 1].rstrip() + "…"
