"""'Did you mean': replace words the index has never seen with a close word it has."""

import string
import threading

from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from search_index.analysis import WORD, fold

MIN_WORD_LENGTH = 4  # shorter words have too many neighbours one edit away to guess well
MAX_WORD_LENGTH = 30  # longer "words" are pasted tokens or hashes, not misspellings
MAX_WORDS_CHECKED = 32


class KnownWords:
    """The indexed words of each segment, held in memory for fast look-ups.

    Whoosh's own fuzzy term search walks the term dictionary and costs about a millisecond
    per word; a set look-up for each one-edit variant costs a tenth of that. Segments never
    change once written, so each is read once, and dropped when merged away.
    """

    def __init__(self):
        self._by_segment: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()

    def sets_for(self, reader: IndexReader) -> list[frozenset[str]]:
        leaves = [leaf for leaf, _ in reader.leaf_readers() if leaf.segment() is not None]
        with self._lock:
            cached = dict(self._by_segment)
        current = {}
        for leaf in leaves:
            segment_id = leaf.segment().segment_id()
            if segment_id in cached:
                current[segment_id] = cached[segment_id]
            else:
                current[segment_id] = _segment_words(leaf)
        with self._lock:
            self._by_segment = current  # forget segments merged away
        return list(current.values())


def _segment_words(leaf: IndexReader) -> frozenset[str]:
    return frozenset(term.decode() for term in leaf.lexicon("vocabulary"))


def suggest_correction(text: str, searcher: Searcher, known_words: KnownWords) -> str | None:
    """The text with unknown words corrected, or None when no word needed it."""
    word_sets = known_words.sets_for(searcher.reader())
    corrections = {}
    for match in list(WORD.finditer(text))[:MAX_WORDS_CHECKED]:
        replacement = _correction(match.group(), word_sets, searcher)
        if replacement:
            corrections[match.span()] = replacement
    if not corrections:
        return None
    parts, written_up_to = [], 0
    for (start, end), replacement in corrections.items():
        parts += [text[written_up_to:start], replacement]
        written_up_to = end
    return "".join(parts) + text[written_up_to:]


def _correction(written: str, word_sets: list[frozenset[str]], searcher: Searcher) -> str | None:
    word = fold(written)
    if not MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH or not word.isalpha():
        return None
    if _is_known(word, word_sets):
        return None
    candidates = [edit for edit in one_edit_away(word) if _is_known(edit, word_sets)]
    if not candidates:
        return None
    return max(candidates, key=lambda c: (searcher.doc_frequency("vocabulary", c), c))


def _is_known(word: str, word_sets: list[frozenset[str]]) -> bool:
    return any(word in words for words in word_sets)


def one_edit_away(word: str) -> set[str]:
    """Every string one deletion, insertion, substitution or swap of neighbours from word."""
    letters = set(string.ascii_lowercase) | set(word)
    splits = [(word[:cut], word[cut:]) for cut in range(len(word) + 1)]
    deletions = {left + right[1:] for left, right in splits if right}
    swaps = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    substitutions = {left + c + right[1:] for left, right in splits if right for c in letters}
    insertions = {left + c + right for left, right in splits for c in letters}
    return (deletions | swaps | substitutions | insertions) - {word}
