"""Writing segments: documents, or the live documents of other segments, into one new segment.

Whoosh's own writer passes every posting through a pickled, sorted pool, then writes it
alone, at ~25 µs a posting: a 100,000-item index has ~10 million. Here a segment's postings
are gathered in arrays and sorted by term at once with numpy, and each term's list is
written in one piece (search_index.codec); stored fields and columns are written by
Whoosh's own per-document writer.
"""

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import chain

import numpy as np
from whoosh.codec.whoosh3 import W3Segment
from whoosh.fields import ID, Schema
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length

from search_index.analysis import WORD, folded, term_of, words_of
from search_index.codec import ArrayCodec, TermsWriter, field_items, postings_of
from search_index.documents import SearchDocument
from search_index.ranking import weighted_parts
from search_index.schema import CONTENT, UNDATED, term_frequencies_and_weights
from search_index.segments import fixed_width_column
from search_index.semantic import SemanticModel, document_text
from search_index.spelling import write_segment_words

EPOCH = datetime(1970, 1, 1)
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.int64)
# A segment's postings are sorted in memory, ~12 bytes each: this bounds a writer's memory.
SEGMENT_DOCUMENTS = 200_000


def document_fields(document: SearchDocument, vector: bytes | None = None) -> dict:
    tags = [tag.replace(",", " ").strip() for tag in document.tags]
    vector_field = {"vector": vector} if vector is not None else {}
    return vector_field | {
        "doc_id": document.doc_id,
        "kind": document.kind,
        "external_id": document.external_id,
        "collection": document.collection,
        "tags": ",".join(tags),
        "_stored_tags": tags,
        CONTENT: weighted_parts(document.title, document.section, document.body),
        "title": document.title,
        "body": document.body,
        "section": document.section,
        "url": document.url,
        "source": document.source,
        "published": naive_utc(document.published),
        "recency": microseconds(document.published),
    }


def _words_of_stored(stored: dict) -> set[str]:
    """The words as written that spelling suggestions may offer."""
    parts = [stored.get("title") or "", stored.get("section") or "", stored.get("body") or ""]
    return set(words_of(" ".join(parts)))


def naive_utc(moment: datetime | None) -> datetime | None:
    """Whoosh stores naive datetimes; a naive input is taken to be UTC already."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def microseconds(moment: datetime | None) -> int:
    if moment is None:
        return UNDATED
    return (naive_utc(moment) - EPOCH) // timedelta(microseconds=1)


@dataclass
class _FieldPostings:
    """One field's postings as they arrive, document after document."""

    term_numbers: dict[str, int] = field(default_factory=dict)
    terms: array = field(default_factory=lambda: array("I"))
    docnums: array = field(default_factory=lambda: array("I"))
    weights: array = field(default_factory=lambda: array("f"))

    def add_document(self, docnum: int, terms: Iterable[str], weights: Iterable[float]) -> None:
        numbers = self.term_numbers
        # len() is taken before setdefault() adds a new term: it numbers terms 0, 1, 2…
        found = [numbers.setdefault(term, len(numbers)) for term in terms]
        self.terms.extend(found)
        self.docnums.extend([docnum] * len(found))
        self.weights.extend(weights)

    def extend(self, term: str, docnums: np.ndarray, weights: np.ndarray) -> None:
        number = self.term_numbers.setdefault(term, len(self.term_numbers))
        self.terms.frombytes(np.full(len(docnums), number, np.uint32).tobytes())
        self.docnums.frombytes(docnums.astype(np.uint32).tobytes())
        self.weights.frombytes(weights.astype(np.float32).tobytes())

    def sorted_by_term(self):
        """(terms ascending, bounds, docnums, weights): each term's postings together."""
        terms = list(self.term_numbers)
        order = sorted(range(len(terms)), key=terms.__getitem__)  # as their UTF-8 sorts
        rank = np.empty(len(terms), np.uint32)
        rank[order] = np.arange(len(terms), dtype=np.uint32)
        keys = rank[np.frombuffer(self.terms, np.uint32)]
        # Documents arrive in order, so a stable sort keeps each term's docnums ascending.
        permutation = np.argsort(keys, kind="stable")
        bounds = np.zeros(len(terms) + 1, np.int64)
        np.cumsum(np.bincount(keys, minlength=len(terms)), out=bounds[1:])
        docnums = np.frombuffer(self.docnums, np.uint32)[permutation]
        weights = np.frombuffer(self.weights, np.float32)[permutation]
        return [terms[number].encode() for number in order], bounds, docnums, weights


class SegmentBuilder:
    """Documents, or other segments' live documents, in; one new segment out. Nothing is
    visible to searches until a commit names the segment."""

    def __init__(self, storage, schema: Schema, indexname: str):
        self.storage, self.schema = storage, schema
        self.segment: W3Segment = ArrayCodec().new_segment(storage, indexname)
        self._perdoc = self.segment.codec().per_document_writer(storage, self.segment)
        self._postings: dict[str, _FieldPostings] = {}
        self._lengths = array("I")  # the content field's length per document
        self._words: Counter[str] = Counter()
        self.count = 0

    def add(self, document: SearchDocument, vector: bytes | None = None) -> None:
        fields = document_fields(document, vector)
        # Each part's words are found once, for its terms and for the spelling words.
        words = [(WORD.findall(text), weight) for text, weight in fields[CONTENT]]
        fields[CONTENT] = [(list(map(term_of, found)), weight) for found, weight in words]
        self._add_fields(fields)
        self._words.update(set(map(folded, chain.from_iterable(found for found, _ in words))))

    def _add_fields(self, fields: dict) -> None:
        """As Whoosh's SegmentWriter.add_document(), with postings kept in arrays."""
        docnum, perdoc, schema = self.count, self._perdoc, self.schema
        perdoc.start_doc(docnum)
        content_length = 0
        for name in sorted(fields):
            value = fields[name]
            if name.startswith("_") or value is None:
                continue
            field_type = schema[name]
            length = self._index_field(name, field_type, value, docnum)
            content_length += length if name == CONTENT else 0
            stored = fields.get(f"_stored_{name}", value)
            perdoc.add_field(name, field_type, stored if field_type.stored else None, length)
            if field_type.column_type is not None and stored is not None:
                perdoc.add_column_value(
                    name, field_type.column_type, field_type.to_column_value(stored)
                )
        perdoc.finish_doc()
        self._lengths.append(content_length)
        self.count += 1

    def _index_field(self, name: str, field_type, value, docnum: int) -> int:
        """Add the field's postings; its length in the document when it is scored."""
        if not field_type.indexed:
            return 0
        postings = self._postings.setdefault(name, _FieldPostings())
        if name == CONTENT:  # analysed already: [(terms, weight)] for each part
            frequencies, weights = term_frequencies_and_weights(value)
            postings.add_document(docnum, frequencies, [weights[term] for term in frequencies])
            return sum(frequencies.values())
        if type(field_type) is ID:  # the whole value is the term, weighing 1
            postings.add_document(docnum, [value], [1.0])
            return 0
        found = [(term.decode(), weight) for term, _, weight, _ in field_type.index(value)]
        postings.add_document(docnum, [term for term, _ in found], [w for _, w in found])
        return 0

    def copy_documents(self, leaf: SegmentReader) -> None:
        """Append a segment's live documents, with their postings and words."""
        live = np.ones(leaf.doc_count_all(), bool)
        live[list(leaf.segment().deleted_docs())] = False
        new_numbers = np.full(len(live), -1, np.int64)
        new_numbers[live] = self.count + np.arange(int(live.sum()))
        self._copy_stored(leaf, live)
        for name in leaf.indexed_field_names():
            if name in self.schema:
                self._copy_postings(leaf, name, new_numbers)

    def _copy_stored(self, leaf: SegmentReader, live: np.ndarray) -> None:
        count = len(live)
        length_bytes = fixed_width_column(leaf, f"_{CONTENT}_len", np.uint8, count, 0)
        columns = {
            name: (self.schema[name].column_type, _column_values(leaf, name, count))
            for name in ("recency", "vector")
        }
        perdoc, schema = self._perdoc, self.schema
        for docnum in np.flatnonzero(live).tolist():
            perdoc.start_doc(self.count)
            stored = leaf.stored_fields(docnum)
            for name, value in stored.items():
                perdoc.add_field(name, schema[name], value, 0)
            # Counted again from the text, so that words of deleted documents go.
            self._words.update(_words_of_stored(stored))
            length = int(LENGTH_OF_BYTE[length_bytes[docnum]]) if length_bytes[docnum] else 0
            perdoc.add_field(CONTENT, schema[CONTENT], None, length)
            self._lengths.append(length)
            for name, (column_type, values) in columns.items():
                if values is not None:
                    perdoc.add_column_value(name, column_type, values[docnum])
            perdoc.finish_doc()
            self.count += 1

    def _copy_postings(self, leaf: SegmentReader, name: str, new_numbers: np.ndarray) -> None:
        postings = self._postings.setdefault(name, _FieldPostings())
        for term, info in field_items(leaf, name):
            docnums, weights = postings_of(leaf, info)
            renumbered = new_numbers[docnums]
            kept = renumbered >= 0
            if kept.any():
                postings.extend(term.decode(), renumbered[kept], weights[kept])

    def finish(self) -> W3Segment | None:
        """The written segment, or None (and nothing written) when it holds no document."""
        if not self.count:
            self.cancel()
            return None
        terms_writer = TermsWriter(self.storage, self.segment)
        lengths = np.frombuffer(self._lengths, np.uint32).astype(np.int64)
        for name in sorted(self._postings):
            terms, bounds, docnums, weights = self._postings.pop(name).sorted_by_term()
            field_lengths = _length_bytes(lengths[docnums]) if name == CONTENT else None
            terms_writer.add_field(name, terms, bounds, docnums, weights, field_lengths)
        terms_writer.close()
        self._perdoc.close()
        self.segment.set_doc_count(self.count)
        write_segment_words(self.storage, self.segment, self._words)
        # One file, which a reader opens whole at once: a file it opened later could be gone,
        # removed by another process's commit that merged the segment away meanwhile.
        self.segment.create_compound_file(self.storage)
        return self.segment

    def cancel(self) -> None:
        if not self._perdoc.is_closed:
            self._perdoc.close()
        for name in self.segment.list_files(self.storage):
            self.storage.delete_file(name)


def _length_bytes(lengths: np.ndarray) -> np.ndarray:
    """Lengths as Whoosh keeps them, one byte each, for its min and max statistics."""
    return np.minimum(np.searchsorted(LENGTH_OF_BYTE, lengths, side="left"), 255).astype(np.uint8)


def _column_values(leaf: SegmentReader, name: str, count: int) -> list | None:
    if not leaf.has_column(name):
        return None
    column = leaf.column_reader(name, translate=False)
    return [column[docnum] for docnum in range(count)]


def build_segments(
    storage,
    schema: Schema,
    indexname: str,
    documents: Iterable[tuple[SearchDocument, bytes | None]],
) -> list[W3Segment]:
    """Segments of at most SEGMENT_DOCUMENTS documents each, from (document, vector) pairs."""
    segments, builder = [], None
    for document, vector in documents:
        builder = builder or SegmentBuilder(storage, schema, indexname)
        builder.add(document, vector)
        if builder.count >= SEGMENT_DOCUMENTS:
            segments.append(builder.finish())
            builder = None
    if builder is not None:
        segments.append(builder.finish())
    return [segment for segment in segments if segment is not None]


def embedded_batches(
    batches: Iterable[list[SearchDocument]], semantic: SemanticModel | None
) -> Iterator[tuple[SearchDocument, bytes | None]]:
    """Each document with its vector, embedded a batch at a time."""
    for batch in batches:
        yield from zip(batch, embedded(semantic, batch), strict=True)


def embedded(semantic: SemanticModel | None, documents: list[SearchDocument]) -> list:
    """Each document's vector as the index stores it, or None each without a model."""
    if semantic is None:
        return [None] * len(documents)
    texts = [document_text(d.title, d.section, d.body) for d in documents]
    return [row.tobytes() for row in semantic.embed(texts).astype(np.float16)]


def merge_segments(
    storage, schema: Schema, indexname: str, leaves: list[SegmentReader]
) -> W3Segment | None:
    builder = SegmentBuilder(storage, schema, indexname)
    for leaf in leaves:
        builder.copy_documents(leaf)
    return builder.finish()
