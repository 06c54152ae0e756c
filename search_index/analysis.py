"""How text becomes index terms: the same steps for documents, questions and snippets.

Letters and digits make words, so "log_param", "e.g." and "v1.2" split the way SQLite FTS5's
unicode61 tokenizer splits them; a question rarely spells them alike. Words are lower-cased,
accents folded and Porter-stemmed. There is no stop list: ranking weighs common words down
by itself, and a fixed list would drop words that matter in some community ("will", "it").
"""

import re
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import STOP_WORDS
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

WORD = re.compile(r"[^\W_]+")
# Words that carry a question's form rather than its subject. Ranking needs no such list
# (idf weighs them down); coverage, highlighting and passage picking, which see one text
# or weigh a word the index lacks the most, do.
_QUESTION_FORM = (
    "what which who whom whose how why where when do does did i my me should could any some there"
)


def fold(word: str) -> str:
    return word.lower().translate(accent_map)


# Cached because a few words make most of any text.
folded = lru_cache(maxsize=200_000)(fold)


@lru_cache(maxsize=200_000)
def term_of(word: str) -> str:
    """The index term for one written word."""
    return stem(fold(word))


def terms_of(text: str) -> list[str]:
    return list(map(term_of, WORD.findall(text)))


def terms_with_spans(text: str) -> Iterator[tuple[str, int, int]]:
    for match in WORD.finditer(text):
        yield term_of(match.group()), match.start(), match.end()


def words_of(text: str) -> list[str]:
    """Words as written, lower-cased and folded: the vocabulary for spelling suggestions."""
    return list(map(folded, WORD.findall(text)))


def adjacent_pairs(terms: list[str]) -> list[tuple[str, str]]:
    return list(zip(terms, terms[1:], strict=False))


FUNCTION_TERMS = frozenset(terms_of(" ".join(STOP_WORDS) + " " + _QUESTION_FORM))
