"""'Did you mean': replace words the index has never seen with a close word it has."""

import json
import string
import threading
from collections.abc import Mapping

from whoosh.codec.base import Segment
from whoosh.reading import IndexReader

from search_index.analysis import WORD, fold

MIN_WORD_LENGTH = 4  # shorter words have too many neighbours one edit away to guess well
MAX_WORD_LENGTH = 30  # longer "words" are pasted tokens or hashes, not misspellings
MAX_WORDS_CHECKED = 32
# Beside each segment: its words as written, with how many of its documents use each. The
# index keeps no postings for them, which would double its postings for this one use.
WORDS_EXTENSION = ".words"


def write_segment_words(storage, segment: Segment, counts: Mapping[str, int]) -> None:
    words_file = storage.create_file(segment.make_filename(WORDS_EXTENSION))
    try:
        words_file.write(json.dumps(counts, ensure_ascii=False, separators=(",", ":")).encode())
    finally:
        words_file.close()


def read_segment_words(storage, segment: Segment) -> dict[str, int]:
    name = segment.make_filename(WORDS_EXTENSION)
    if not storage.file_exists(name):
        return {}
    words_file = storage.open_file(name)
    try:
        return json.loads(words_file.read().decode())
    finally:
        words_file.close()


class KnownWords:
    """The words of each segment, held in memory for fast look-ups.

    Whoosh's own fuzzy term search walks the term dictionary and costs about a millisecond
    per word; a look-up for each one-edit variant costs a tenth of that. Segments never
    change once written, so each is read once, and dropped when merged away.
    """

    def __init__(self):
        self._by_segment: dict[str, dict[str, int]] = {}
        self._lock = threading.Lock()

    def counts_for(self, reader: IndexReader) -> list[dict[str, int]]:
        leaves = [leaf for leaf, _ in reader.leaf_readers() if leaf.segment() is not None]
        with self._lock:
            cached = dict(self._by_segment)
        current = {}
        for leaf in leaves:
            segment = leaf.segment()
            segment_id = segment.segment_id()
            if segment_id in cached:
                current[segment_id] = cached[segment_id]
            else:
                current[segment_id] = read_segment_words(leaf.storage(), segment)
        with self._lock:
            self._by_segment = current  # forget segments merged away
        return list(current.values())


def suggest_correction(text: str, reader: IndexReader, known_words: KnownWords) -> str | None:
    """The text with unknown words corrected, or None when no word needed it."""
    word_counts = known_words.counts_for(reader)
    corrections = {}
    for match in list(WORD.finditer(text))[:MAX_WORDS_CHECKED]:
        replacement = _correction(match.group(), word_counts)
        if replacement:
            corrections[match.span()] = replacement
    if not corrections:
        return None
    parts, written_up_to = [], 0
    for (start, end), replacement in corrections.items():
        parts += [text[written_up_to:start], replacement]
        written_up_to = end
    return "".join(parts) + text[written_up_to:]


def _correction(written: str, word_counts: list[dict[str, int]]) -> str | None:
    word = fold(written)
    if not MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH or not word.isalpha():
        return None
    if _documents_using(word, word_counts):
        return None
    candidates = {edit: _documents_using(edit, word_counts) for edit in one_edit_away(word)}
    known = [candidate for candidate, documents in candidates.items() if documents]
    if not known:
        return None
    return max(known, key=lambda candidate: (candidates[candidate], candidate))


def _documents_using(word: str, word_counts: list[dict[str, int]]) -> int:
    return sum(counts.get(word, 0) for counts in word_counts)


def one_edit_away(word: str) -> set[str]:
    """Every string one deletion, insertion, substitution or swap of neighbours from word."""
    letters = set(string.ascii_lowercase) | set(word)
    splits = [(word[:cut], word[cut:]) for cut in range(len(word) + 1)]
    deletions = {left + right[1:] for left, right in splits if right}
    swaps = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    substitutions = {left + c + right[1:] for left, right in splits if right for c in letters}
    insertions = {left + c + right for left, right in splits for c in letters}
    return (deletions | swaps | substitutions | insertions) - {word}
