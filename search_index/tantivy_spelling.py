"""The words the tantivy index has seen, for 'Did you mean' (search_index.spelling).

Suggestions need to know which words exist and how many documents use each, not which
documents: instead of a field with a posting per word and document, writers append each
word with its count of documents to a file beside the index, the first time they see it.
A rebuild counts every word; later commits only add the words that are new, so counts stay
as they were at the rebuild (and words of deleted documents stay known, as in a Whoosh
segment until it is merged).
"""

import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from search_index.analysis import fold

WORDS_FILE = "words.txt"
folded = lru_cache(maxsize=200_000)(fold)  # a few words make most of any text


class WordCounts:
    """The words of one directory with their counts of documents, read as the file grows."""

    def __init__(self, directory: Path):
        self._path = directory / WORDS_FILE
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._read_up_to = 0

    def counts(self) -> dict[str, int]:
        """Every word written so far; never changed afterwards, a new dict replaces it."""
        with self._lock:
            self._read_new()
            return self._counts

    def vocabulary(self) -> "Vocabulary":
        return Vocabulary(self.counts())

    def add(self, counts: Counter[str]) -> None:
        """Record the words not yet listed; the caller holds the directory's writer lock."""
        with self._lock:
            self._read_new()
            new = sorted(word for word in counts if word not in self._counts)
            if not new:
                return
            with open(self._path, "a", encoding="utf-8") as file:
                file.write("".join(f"{word} {counts[word]}\n" for word in new))
            self._read_new()  # only this writer appends meanwhile: what it wrote, in one read

    def _read_new(self) -> None:
        try:
            with open(self._path, "rb") as file:
                file.seek(self._read_up_to)
                tail = file.read()
        except FileNotFoundError:
            return
        complete = tail.rfind(b"\n") + 1  # a line still being written is read next time
        if complete:
            lines = tail[:complete].decode().splitlines()
            added = {word: int(count) for word, count in (line.rsplit(" ", 1) for line in lines)}
            self._counts = self._counts | added
            self._read_up_to += complete


@dataclass(frozen=True)
class Vocabulary:
    """The words as the searches of one commit see them."""

    counts: dict[str, int]

    def counts_for(self, reader=None) -> list[dict[str, int]]:
        """As spelling.KnownWords.counts_for(), which spelling.suggest_correction() reads."""
        return [self.counts]


def document_words(written: set[str]) -> set[str]:
    """A document's words as written, folded as the spelling vocabulary keeps them."""
    return set(map(folded, written))
