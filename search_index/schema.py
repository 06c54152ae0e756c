"""What the index stores for each document."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from whoosh.columns import FixedBytesColumn, NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, FieldType, Schema
from whoosh.formats import Existence, Frequency
from whoosh.system import pack_uint

from search_index.analysis import terms_of, words_of
from search_index.semantic import VECTOR_BYTES

UNDATED = -(2**63)


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
        frequencies: Counter[str] = Counter()
        weights: defaultdict[str, float] = defaultdict(float)
        for text, weight in value:
            for term in terms_of(text):
                frequencies[term] += 1
                weights[term] += weight
        for term, frequency in frequencies.items():
            # The writer adds `frequency` to the document's length; the posting keeps the weight.
            yield term.encode(), frequency, weights[term], pack_uint(frequency)


class Vocabulary(FieldType):
    """Which documents use each word as written; only for spelling suggestions."""

    def __init__(self):
        self.format = Existence()
        # Scorable only so that Whoosh keeps a length column: without one, its segment writer
        # looks on disk for that column once per posting, which halves indexing speed.
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None

    def index(self, value: str, **kwargs) -> Iterator[tuple]:
        for word in set(words_of(value)):
            yield word.encode(), 1, 1.0, b""


def build_schema() -> Schema:
    return Schema(
        doc_id=ID(stored=True, unique=True),
        external_id=ID(stored=True),
        kind=ID(stored=True, sortable=True),
        collection=ID(stored=True, sortable=True),  # sortable: a column to count by
        tags=KEYWORD(stored=True, lowercase=True, commas=True),
        content=WeightedText(),
        vocabulary=Vocabulary(),
        title=STORED(),
        body=STORED(),
        section=STORED(),
        url=STORED(),
        source=STORED(),
        published=DATETIME(stored=True),
        # Whoosh sorts documents without a date first when sorting newest first; this column
        # holds microseconds since 1970 and the oldest possible value for undated documents.
        recency=COLUMN(NumericColumn("q", default=UNDATED)),
        # The document's meaning as a float16 vector (search_index.semantic); zeros when
        # the index was written without a model.
        vector=COLUMN(FixedBytesColumn(VECTOR_BYTES, default=bytes(VECTOR_BYTES))),
    )
