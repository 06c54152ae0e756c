"""A Whoosh codec that keeps each term's postings as plain arrays, which numpy reads at once.

Whoosh's own format pickles and compresses blocks of 128 postings, and its searches walk
them a posting at a time in Python: decoding alone costs ~0.5 µs a posting, and a common
word of a large index has hundreds of thousands. Here a term's postings are its document
numbers (uint32) followed, unless every weight is 1, by their weights (float32), so a search
reads a posting list with one read and scores it with array arithmetic. Everything else
(the term dictionary, stored fields, columns, segments and the table of contents) is
Whoosh's own, read and written by Whoosh's code.
"""

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


class TermsWriter:
    """A segment's term dictionary and postings, written a field at a time."""

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
        lengths: np.ndarray | None,
    ) -> None:
        """terms in ascending order; term i's postings are [bounds[i], bounds[i + 1]) of
        docnums (ascending within a term) and weights; lengths are the field's length in
        each posting's document, for Whoosh's statistics, or None when it keeps none."""
        field_prefix = pack_ushort(self._fields.setdefault(fieldname, len(self._fields)))
        if not terms:
            return
        starts = bounds[:-1]
        totals = np.add.reduceat(weights.astype(np.float64), starts)
        heaviest = np.maximum.reduceat(weights, starts)
        all_ones = np.minimum.reduceat(weights == 1.0, starts)
        if lengths is None:
            shortest = longest = np.zeros(len(terms), np.int64)
        else:
            shortest = np.minimum.reduceat(lengths, starts)
            longest = np.maximum.reduceat(lengths, starts)
        docnums = docnums.astype(DOCNUMS, copy=False)
        weights = weights.astype(WEIGHTS, copy=False)
        for number, term in enumerate(terms):
            start, end = int(bounds[number]), int(bounds[number + 1])
            offset = self._postings.tell()
            self._postings.write(docnums[start:end].tobytes())
            if not all_ones[number]:
                self._postings.write(weights[start:end].tobytes())
            info = W3TermInfo(
                weight=float(totals[number]),
                df=end - start,
                minlength=int(shortest[number]),
                maxlength=int(longest[number]),
                maxweight=float(heaviest[number]),
                minid=int(docnums[start]),
                maxid=int(docnums[end - 1]),
            )
            info.set_extent(offset, self._postings.tell() - offset)
            self._dictionary.add(field_prefix + term, info.to_bytes())

    def close(self) -> None:
        self._dictionary.close()
        self._postings.close()
