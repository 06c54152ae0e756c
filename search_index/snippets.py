"""Highlighted excerpts as safe HTML."""

from collections import Counter
from html import escape

from search_index.analysis import terms_with_spans

SNIPPET_CHARS = 240
LEAD_CHARS = 60  # context shown before the first highlighted word
SCAN_CHARS = 20_000  # look for matches no further into very long texts


def snippet(text: str, terms: set[str]) -> str:
    """The stretch of text with the most different question words, those words in <mark>.

    Everything else is escaped, so stored text can never inject HTML.
    """
    matches = [span for span in terms_with_spans(text[:SCAN_CHARS]) if span[0] in terms]
    if not matches:
        return _render(text, 0, _cut_point(text, SNIPPET_CHARS), [])
    first = _richest_window_start(matches)
    start = _word_start(text, max(0, matches[first][1] - LEAD_CHARS))
    end = _cut_point(text, start + SNIPPET_CHARS)
    return _render(text, start, end, [(s, e) for _, s, e in matches if start <= s and e <= end])


def _richest_window_start(matches: list[tuple[str, int, int]]) -> int:
    """Index of the match that opens the window holding the most distinct terms."""
    reach = SNIPPET_CHARS - LEAD_CHARS
    in_window: Counter[str] = Counter()
    best, best_count, after_window = 0, 0, 0
    for first, (term, start, _) in enumerate(matches):
        while after_window < len(matches) and (
            after_window == first or matches[after_window][2] - start <= reach
        ):
            in_window[matches[after_window][0]] += 1
            after_window += 1
        if len(in_window) > best_count:
            best, best_count = first, len(in_window)
        in_window[term] -= 1
        if not in_window[term]:
            del in_window[term]
    return best


def _render(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> str:
    pieces = ["… " if start > 0 else ""]
    position = start
    for mark_start, mark_end in marks:
        pieces.append(escape(text[position:mark_start], quote=False))
        pieces.append(f"<mark>{escape(text[mark_start:mark_end], quote=False)}</mark>")
        position = mark_end
    pieces.append(escape(text[position:end], quote=False))
    pieces.append(" …" if end < len(text) else "")
    return "".join(pieces).strip()


def _word_start(text: str, position: int) -> int:
    """Move forward to the start of a word, so a snippet never opens mid-word."""
    if position == 0:
        return 0
    space = text.find(" ", position, position + 20)
    return space + 1 if space >= 0 else position


def _cut_point(text: str, position: int) -> int:
    """Move back to the end of a word, so a snippet never ends mid-word."""
    if position >= len(text):
        return len(text)
    space = text.rfind(" ", position - 40, position)
    return space if space > 0 else position
