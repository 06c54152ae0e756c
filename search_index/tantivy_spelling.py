"""'Did you mean' for the tantivy index, from a list of the words it has seen.

Suggestions need to know which words exist, not which documents hold them, so instead of a
field with a posting per word and document (half of the Whoosh index's postings), writers
append each word the first time they see it to a file beside the index. A word stays known
after its documents are deleted, as in a Whoosh segment until it is merged. Close words are
found as Whoosh's engine finds them (search_index.spelling); the most common is the one
whose stem the most documents hold.
"""

import threading
from collections.abc import Callable
from pathlib import Path

from search_index.analysis import WORD, fold
from search_index.spelling import MAX_WORD_LENGTH, MAX_WORDS_CHECKED, MIN_WORD_LENGTH, one_edit_away

WORDS_FILE = "words.txt"


class WordList:
    """The words of one directory, read incrementally: the file only grows."""

    def __init__(self, directory: Path):
        self._path = directory / WORDS_FILE
        self._lock = threading.Lock()
        self._words: set[str] = set()
        self._read_up_to = 0

    def known(self) -> set[str]:
        """Every word written so far; never changed afterwards, a new set replaces it."""
        with self._lock:
            self._read_new()
            return self._words

    def add(self, written: set[str]) -> None:
        """Record the words not yet listed; the caller holds the directory's writer lock."""
        with self._lock:
            self._read_new()
            new = set(map(fold, written)) - self._words
            if not new:
                return
            with open(self._path, "a", encoding="utf-8") as file:
                file.write("".join(f"{word}\n" for word in sorted(new)))
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
            self._words = self._words | set(tail[:complete].decode().split())
            self._read_up_to += complete


def suggestion(text: str, known: set[str], frequency: Callable[[str], int]) -> str | None:
    """The text with its unknown words replaced by the most frequent known word one edit away,
    or None when no word needed it."""
    pieces, written_up_to = [], 0
    for match in list(WORD.finditer(text))[:MAX_WORDS_CHECKED]:
        replacement = _correction(match.group(), known, frequency)
        if replacement:
            pieces += [text[written_up_to : match.start()], replacement]
            written_up_to = match.end()
    return "".join(pieces) + text[written_up_to:] if pieces else None


def _correction(written: str, known: set[str], frequency: Callable[[str], int]) -> str | None:
    word = fold(written)
    if not MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH or not word.isalpha():
        return None
    if word in known:
        return None
    candidates = one_edit_away(word) & known
    return max(candidates, key=lambda c: (frequency(c), c)) if candidates else None
