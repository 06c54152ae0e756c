"""A Whoosh codec that keeps each term's postings as plain arrays, which numpy reads at once.

Whoosh's own format pickles and compresses blocks of 128 postings, and its searches walk
them a posting at a time in Python: decoding alone costs ~0.5 µs a posting, and a common
word of a large index has hundreds of thousands. Here a term's postings are its document
numbers (uint32) followed, unless every weight is 1, by their weights (float32), so a search
reads a posting list with one read and scores it with array arithmetic. Everything else
(the term dictionary, stored fields, columns, segments and the table of contents) is
Whoosh's own, read and written by Whoosh's code.
"""

import struct
from collections.abc import Iterator

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3Segment, W3TermInfo, W3TermsReader
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.matching import ListMatcher
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.system import pack_ushort

DOCNUMS = np.dtype("<u4")
WEIGHTS = np.dtype("<f4")


class ArrayCodec(W3Codec):
    """Whoosh's third codec with array postings; segments are written by `TermsWriter`."""

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        """A Whoosh matcher, for Whoosh's own queries; searches here read `postings()`."""
        docnums, weights = read_postings(dbfile, terminfo)
        return ListMatcher(
            docnums.tolist(),
            weights.tolist(),
            format=format_,
            scorer=scorer,
            term=term,
            terminfo=terminfo,
        )

    def postings_writer(self, dbfile, byteids=False):
        raise NotImplementedError("array postings are written a whole field at a time")

    def new_segment(self, storage, indexname):
        return W3Segment(self, indexname)


def postings(leaf: SegmentReader, fieldname: str, term: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A term's document numbers in one segment, ascending, and their weights."""
    terms = _terms_reader(leaf)
    try:
        info = terms.term_info(fieldname, term)
    except TermNotFound:
        return np.zeros(0, DOCNUMS), np.zeros(0, WEIGHTS)
    return read_postings(terms._postfile, info)


def term_info(leaf: SegmentReader, fieldname: str, term: bytes) -> W3TermInfo | None:
    try:
        return _terms_reader(leaf).term_info(fieldname, term)
    except TermNotFound:
        return None


def postings_of(leaf: SegmentReader, info: W3TermInfo) -> tuple[np.ndarray, np.ndarray]:
    """The postings a term_info() of the same segment describes."""
    return read_postings(_terms_reader(leaf)._postfile, info)


def field_terms(leaf: SegmentReader, fieldname: str, prefix: bytes = b"") -> Iterator[bytes]:
    """The segment's terms of one field that start with prefix, in order."""
    for name, term in _terms_reader(leaf).terms_from(fieldname, prefix):
        if name != fieldname or not term.startswith(prefix):
            return
        yield term


def field_items(leaf: SegmentReader, fieldname: str) -> Iterator[tuple[bytes, W3TermInfo]]:
    for (name, term), info in _terms_reader(leaf).items_from(fieldname, b""):
        if name != fieldname:
            return
        yield term, info


def read_postings(dbfile, info: W3TermInfo) -> tuple[np.ndarray, np.ndarray]:
    count = info.doc_frequency()
    offset, length = info.extent()
    if isinstance(length, tuple):  # Whoosh-Reloaded 2.7.5 unpacks the length as a 1-tuple
        length = length[0]
    raw = dbfile.get(offset, length)
    docnums = np.frombuffer(raw, DOCNUMS, count=count)
    if length == count * DOCNUMS.itemsize:
        return docnums, np.ones(count, WEIGHTS)
    return docnums, np.frombuffer(raw, WEIGHTS, count=count, offset=count * DOCNUMS.itemsize)


def _terms_reader(leaf: SegmentReader) -> W3TermsReader:
    return leaf._terms  # Whoosh keeps a segment's term dictionary reader there


# W3TermInfo.to_bytes() of a term whose postings are not inlined: its flags, total weight,
# document frequency, shortest and longest length (as bytes), largest weight, first and
# last document, then where its postings start and how many bytes they take.
TERM_INFO = np.dtype(
    [
        ("inlined", "u1"),
        ("weight", ">f4"),
        ("documents", ">u4"),
        ("shortest", "u1"),
        ("longest", "u1"),
        ("heaviest", ">f4"),
        ("first", ">u4"),
        ("last", ">u4"),
        ("offset", ">i8"),
        ("length", ">i4"),
    ]
)
ENTRY_LENGTHS = struct.Struct("!ii")  # each dictionary entry's key and value lengths


class TermsWriter:
    """A segment's term dictionary and postings, written a field at a time.

    Each field's postings are laid out with numpy and written at once, and its dictionary
    entries are appended to Whoosh's ordered hash file as its own add() would: a segment
    has a term for each document's id, and the per-term calls cost seconds a segment.
    """

    def __init__(self, storage, segment: W3Segment):
        self._dictionary = OrderedHashWriter(segment.create_file(storage, W3Codec.TERMS_EXT))
        self._fields = self._dictionary.extras["fieldmap"] = {}
        self._postings = segment.create_file(storage, W3Codec.POSTS_EXT)

    def add_field(
        self,
        fieldname: str,
        terms: list[bytes],
        bounds: np.ndarray,
        docnums: np.ndarray,
        weights: np.ndarray,
        length_bytes: np.ndarray | None,
    ) -> None:
        """terms in ascending order; term i's postings are [bounds[i], bounds[i + 1]) of
        docnums (ascending within a term) and weights; length_bytes are the field's length
        in each posting's document as Whoosh keeps it, or None when it keeps none."""
        field_prefix = pack_ushort(self._fields.setdefault(fieldname, len(self._fields)))
        if not terms:
            return
        starts, counts = bounds[:-1], np.diff(bounds)
        info = np.zeros(len(terms), TERM_INFO)
        info["weight"] = np.add.reduceat(weights.astype(np.float64), starts)
        info["documents"] = counts
        if length_bytes is not None:
            info["shortest"] = np.minimum.reduceat(length_bytes, starts)
            info["longest"] = np.maximum.reduceat(length_bytes, starts)
        info["heaviest"] = np.maximum.reduceat(weights, starts)
        info["first"] = docnums[starts]
        info["last"] = docnums[bounds[1:] - 1]
        weighted = ~np.minimum.reduceat(weights == 1.0, starts)  # else only docnums are kept
        info["length"] = counts * DOCNUMS.itemsize * (1 + weighted)
        info["offset"] = self._write_postings(bounds, counts, weighted, docnums, weights)
        keys = [field_prefix + term for term in terms]
        self._add_entries(keys, info.tobytes(), TERM_INFO.itemsize)

    def _write_postings(self, bounds, counts, weighted, docnums, weights) -> np.ndarray:
        """Each term's docnums, then its weights unless all are 1: one write for the field."""
        words = counts * (1 + weighted)  # 4-byte words each term takes
        term_starts = np.zeros(len(counts), np.int64)
        np.cumsum(words[:-1], out=term_starts[1:])
        term_of_posting = np.repeat(np.arange(len(counts)), counts)
        within = np.arange(len(docnums)) - bounds[:-1][term_of_posting]
        out = np.zeros(int(words.sum()), DOCNUMS)
        out[term_starts[term_of_posting] + within] = docnums
        has_weights = weighted[term_of_posting]
        weight_positions = (term_starts + counts)[term_of_posting] + within
        out[weight_positions[has_weights]] = weights[has_weights].astype(WEIGHTS).view(DOCNUMS)
        base = self._postings.tell()
        self._postings.write(out.tobytes())
        return base + term_starts * DOCNUMS.itemsize

    def _add_entries(self, keys: list[bytes], values: bytes, size: int) -> None:
        """What OrderedHashWriter.add() does for each (key, value), for many at once."""
        dictionary = self._dictionary
        if keys[0] <= dictionary.lastkey:
            raise ValueError(f"terms must increase: {dictionary.lastkey!r}..{keys[0]!r}")
        records = [
            ENTRY_LENGTHS.pack(len(key), size) + key + values[number * size : (number + 1) * size]
            for number, key in enumerate(keys)
        ]
        position = dictionary.dbfile.tell()
        dictionary.dbfile.write(b"".join(records))
        positions = []
        for key, record in zip(keys, records, strict=True):
            hashed = dictionary.hashfn(key)
            dictionary.buckets[hashed & 255].append((hashed, position))
            positions.append(position)
            position += len(record)
        dictionary.index.extend(positions)
        dictionary.lastkey = keys[-1]

    def close(self) -> None:
        self._dictionary.close()
        self._postings.close()
