"""What the index stores for each document."""

from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain

from whoosh.columns import FixedBytesColumn, NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, FieldType, Schema
from whoosh.formats import Frequency
from whoosh.system import pack_uint

from search_index.analysis import terms_of
from search_index.semantic import VECTOR_BYTES

UNDATED = -(2**63)
CONTENT = "content"


class WeightedText(FieldType):
    """One ranked field built from weighted parts, as FTS5 ranks the weighted columns of a row.

    Its value is an iterable of (text, weight). A term's weight in a document is the sum of the
    weights of its occurrences, while the document's length stays its number of words.
    """

    def __init__(self):
        self.format = Frequency()
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None

    def index(self, value: Iterable[tuple[str, float]], **kwargs) -> Iterator[tuple]:
        for term, (frequency, weight) in weighted_terms(value).items():
            # The writer adds `frequency` to the document's length; the posting keeps the weight.
            yield term.encode(), frequency, weight, pack_uint(frequency)


def weighted_terms(parts: Iterable[tuple[str, float]]) -> dict[str, tuple[int, float]]:
    """Each term of the weighted parts with its frequency and summed weight."""
    frequencies, weights = frequencies_and_weights(parts)
    return {term: (frequency, weights[term]) for term, frequency in frequencies.items()}


def frequencies_and_weights(
    parts: Iterable[tuple[str, float]],
) -> tuple[Counter[str], Counter[str]]:
    """How often each term of the weighted parts occurs, and its summed weight."""
    return term_frequencies_and_weights([(terms_of(text), weight) for text, weight in parts])


def term_frequencies_and_weights(
    terms: list[tuple[list[str], float]],
) -> tuple[Counter[str], Counter[str]]:
    """frequencies_and_weights() of parts already analysed into terms."""
    frequencies = Counter(chain.from_iterable(part for part, _ in terms))
    weights = Counter(frequencies)  # as if every weight were 1, then corrected
    for part, weight in terms:
        if weight != 1.0:
            for term, count in Counter(part).items():
                weights[term] += (weight - 1.0) * count
    return frequencies, weights


def build_schema() -> Schema:
    return Schema(
        doc_id=ID(stored=True, unique=True),
        external_id=STORED(),
        # Filters and counts read these two from their postings, a list of documents per value.
        kind=ID(stored=True),
        collection=ID(stored=True),
        tags=KEYWORD(stored=True, lowercase=True, commas=True),
        content=WeightedText(),
        title=STORED(),
        body=STORED(),
        section=STORED(),
        url=STORED(),
        source=STORED(),
        published=STORED(),
        # Microseconds since 1970, and the oldest possible value for undated documents: what
        # sorting by date and date ranges read.
        recency=COLUMN(NumericColumn("q", default=UNDATED)),
        # The document's meaning as a float16 vector (search_index.semantic); zeros when
        # the index was written without a model.
        vector=COLUMN(FixedBytesColumn(VECTOR_BYTES, default=bytes(VECTOR_BYTES))),
    )
