"""One change to an index directory: deletions marked, segments written, then one new table
of contents naming them, so that searches see all of a change or none of it.

Callers hold the directory's writer lock (search_index.locking) for the whole change.
"""

from whoosh.codec.whoosh3 import W3Segment
from whoosh.index import TOC, FileIndex, clean_files
from whoosh.reading import SegmentReader
from whoosh.util import fib

from search_index.building import build_segments, merge_segments
from search_index.codec import field_terms, postings
from search_index.documents import SearchDocument

PART = "@"  # "item:4@754" is a part of "item:4": a passage of an episode, at 754 s


class Commit:
    def __init__(self, index: FileIndex):
        self.storage, self.indexname = index.storage, index.indexname
        toc = TOC.read(self.storage, self.indexname)
        self.schema = toc.schema
        self.generation = toc.generation + 1
        self.segments: list[W3Segment] = list(toc.segments)
        self.added: list[W3Segment] = []
        self.replacing = False
        self._readers: dict[str, SegmentReader] = {}

    def delete(self, doc_id: str, with_parts: bool) -> int:
        """Mark the document deleted, and with_parts its parts; how many had this doc_id."""
        deleted = 0
        for segment in self.segments:
            reader = self._reader(segment)
            for docnum in postings(reader, "doc_id", doc_id.encode())[0].tolist():
                deleted += not segment.is_deleted(docnum)
                segment.delete_document(docnum)
            if with_parts:
                for part in list(field_terms(reader, "doc_id", (doc_id + PART).encode())):
                    for docnum in postings(reader, "doc_id", part)[0].tolist():
                        segment.delete_document(docnum)
        return deleted

    def add(self, documents: list[SearchDocument], vectors: list[bytes | None]) -> None:
        pairs = zip(documents, vectors, strict=True)
        self.add_segments(build_segments(self.storage, self.schema, self.indexname, pairs))

    def add_segments(self, segments: list[W3Segment]) -> None:
        self.added += segments

    def replace_everything(self) -> None:
        """The table of contents names only the segments this commit adds."""
        self.replacing = True

    def write(self) -> None:
        if self.replacing:
            segments = self.added
        else:
            segments = self._merged([s for s in self.segments if s.doc_count()] + self.added)
        TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
        self._close_readers()
        clean_files(self.storage, self.indexname, self.generation, segments)

    def cancel(self) -> None:
        self._close_readers()
        for segment in self.added:
            for name in segment.list_files(self.storage):
                self.storage.delete_file(name)

    def _merged(self, segments: list[W3Segment]) -> list[W3Segment]:
        """The segments, the smallest merged into one as Whoosh's MERGE_SMALL policy does."""
        merging = _small_segments(segments)
        if len(merging) < 2:
            return segments
        merged = merge_segments(
            self.storage,
            self.schema,
            self.indexname,
            [self._reader(segment) for segment in merging],
        )
        kept = [segment for segment in segments if segment not in merging]
        return kept + ([merged] if merged is not None else [])

    def _reader(self, segment: W3Segment) -> SegmentReader:
        key = segment.segment_id()
        if key not in self._readers:
            self._readers[key] = SegmentReader(self.storage, self.schema, segment)
        return self._readers[key]

    def _close_readers(self) -> None:
        for reader in self._readers.values():
            reader.close()
        self._readers.clear()


def _small_segments(segments: list[W3Segment]) -> list[W3Segment]:
    """The smallest segments, when at least five of them are small next to the Fibonacci
    number of their count: few, large segments keep searches fast and merges rare."""
    by_size = sorted(segments, key=lambda segment: segment.doc_count_all())
    total = 0
    for number, segment in enumerate(by_size):
        total += segment.doc_count_all()
        if number > 3 and total < fib(number + 5):
            return by_size[: number + 1]
    return []
