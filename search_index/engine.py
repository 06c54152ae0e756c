"""The search index: plain documents in, plain hits out."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from whoosh.searching import Searcher

from search_index.analysis import FUNCTION_TERMS, WORD, terms_of
from search_index.building import embedded
from search_index.commits import PART, Commit
from search_index.coverage import coverage_of_terms, question_weights
from search_index.documents import SearchDocument, SearchHit, SearchQuery, SearchResults
from search_index.locking import exclusive_writer_lock
from search_index.matching import (
    DocumentFilter,
    Leaf,
    Statistics,
    question_terms,
    scored_matches,
    words_query,
)
from search_index.neighbours import Meanings
from search_index.ranking import (
    BODY_WEIGHT,
    RERANK_DEPTH,
    SECTION_WEIGHT,
    TITLE_WEIGHT,
    fuse_rankings,
    rerank_by_phrases,
)
from search_index.rebuilding import build_all
from search_index.searchers import SearcherPool
from search_index.segments import SegmentCache
from search_index.semantic import SemanticModel
from search_index.snippets import snippet
from search_index.spelling import KnownWords, suggest_correction
from search_index.storage import ensure_index, open_index

__all__ = ["PART", "PROGRESS_EVERY", "SEMANTIC_DEPTH", "SEMANTIC_FLOOR", "SORTS", "SearchIndex"]

SORTS = ("relevance", "date")
PROGRESS_EVERY = 1000
# Documents this close in meaning match a question that shares none of their words; on the
# FAQ sets, looser neighbours only push right answers down.
SEMANTIC_FLOOR = 0.4
SEMANTIC_DEPTH = 20


class SearchIndex:
    """The index in one directory; threads and processes may share it for reading and writing."""

    def __init__(self, directory: Path | str, semantic: SemanticModel | None = None):
        """With a `semantic` model, documents are also matched and ranked by meaning."""
        self.directory = Path(directory)
        self.semantic = semantic
        ensure_index(self.directory)
        self._index = open_index(self.directory)
        self._searchers = SearcherPool(self._index)
        self._segments = SegmentCache()
        self._known_words = KnownWords()

    def upsert(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents by doc_id; the last of repeated doc_ids wins.

        A document's parts ("item:4@754", a passage of "item:4") are replaced with it: the
        parts not given again are removed.
        """
        latest = list({document.doc_id: document for document in documents}.values())
        if latest:
            vectors = embedded(self.semantic, latest)  # before the lock: writers wait less
            with self._commit() as commit:
                for document in latest:
                    commit.delete(document.doc_id, with_parts=PART not in document.doc_id)
                commit.add(latest, vectors)
        return len(latest)

    def delete(self, doc_ids: Iterable[str]) -> int:
        """Remove documents, with their parts; returns how many documents existed."""
        unique_ids = set(doc_ids)
        if not unique_ids:
            return 0
        with self._commit() as commit:
            return sum(commit.delete(doc_id, with_parts=True) for doc_id in unique_ids)

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Replace every document in one commit; searches see the old index until then.

        Large rebuilds run in a worker process per core. progress, if given, receives how
        many documents were indexed since its last call (every 1000, then the rest), as a
        progress bar's update() expects.
        """
        counter = _ProgressCounter(progress)
        with self._commit() as commit:
            commit.replace_everything()
            commit.add_segments(build_all(self._index, documents, self.semantic, counter.add))
        counter.finish()
        return counter.total

    def search(self, query: SearchQuery) -> SearchResults:
        if query.sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}, not {query.sort!r}")
        terms = question_terms(query.text)
        if not terms:
            return SearchResults.empty()
        with self._searchers.borrow() as searcher:
            search = _Search(searcher, query, terms, self._segments, self._known_words)
            if self.semantic is not None and query.sort == "relevance":
                # Only the words: punctuation such as `title:` must mean nothing here either.
                words = " ".join(WORD.findall(query.text))
                search.add_neighbours(self.semantic.embed_one(words))
            return search.results()

    def doc_count(self) -> int:
        with self._searchers.borrow() as searcher:
            return searcher.doc_count()

    def close(self) -> None:
        self._searchers.close()

    @contextmanager
    def _commit(self) -> Iterator[Commit]:
        with exclusive_writer_lock(self.directory):
            commit = Commit(self._index)
            try:
                yield commit
            except BaseException:
                commit.cancel()
                raise
            commit.write()


class _ProgressCounter:
    """Counts documents handed to the writers; reports every PROGRESS_EVERY, then the rest."""

    def __init__(self, progress: Callable[[int], None] | None):
        self.progress = progress
        self.total = 0

    def add(self, count: int) -> None:
        before, self.total = self.total, self.total + count
        if self.progress:
            for _ in range(self.total // PROGRESS_EVERY - before // PROGRESS_EVERY):
                self.progress(PROGRESS_EVERY)

    def finish(self) -> None:
        if self.progress and self.total % PROGRESS_EVERY:
            self.progress(self.total % PROGRESS_EVERY)


class _Document:
    """A candidate's stored fields, and its text's terms, analysed once per search."""

    def __init__(self, stored: dict):
        self.stored = stored
        self.title_terms = terms_of(stored["title"])
        self.section_terms = terms_of(stored.get("section") or "")
        self.body_terms = terms_of(stored.get("body") or "")

    def weighted_terms(self) -> list[tuple[list[str], float]]:
        return [
            (self.title_terms, TITLE_WEIGHT),
            (self.section_terms, SECTION_WEIGHT),
            (self.body_terms, BODY_WEIGHT),
        ]

    def terms(self, with_section: bool) -> set[str]:
        section = self.section_terms if with_section else []
        return {*self.title_terms, *section, *self.body_terms}


class _Search:
    """One search: the words' matches, optionally joined by the nearest in meaning."""

    def __init__(
        self,
        searcher: Searcher,
        query: SearchQuery,
        terms: list[str],
        segments: SegmentCache,
        known_words: KnownWords,
    ):
        reader = searcher.reader()
        self.reader, self.query, self.terms, self.segments = reader, query, terms, segments
        # An empty index has one reader of no segment.
        leaf_readers = [(leaf, at) for leaf, at in reader.leaf_readers() if leaf.segment()]
        segments.notice(
            reader.generation(), [leaf.segment().segment_id() for leaf, _ in leaf_readers]
        )
        self.leaves = [Leaf(leaf, offset, segments.data(leaf)) for leaf, offset in leaf_readers]
        self.statistics = Statistics(reader, self.leaves)
        self.suggestion = suggest_correction(query.text, reader, known_words)
        document_filter = DocumentFilter.of(query)
        self.allowed = [document_filter.allowed(leaf, segments) for leaf in self.leaves]
        self.matching = words_query(terms, self.statistics)
        self.limit = max(query.limit, 0)  # 0 asks only for the total and the counts
        self.lexical: list[tuple[int, float]] = []
        self.counts: dict[str, int] = {}
        self.collection_counts: dict[str, int] = {}
        self.meanings: Meanings | None = None
        self.neighbours: list[int] = []
        self._matched: list[np.ndarray] = [np.zeros(0, np.intp) for _ in self.leaves]
        self._documents: dict[int, _Document] = {}
        if self.matching is not None:
            self._match_words()

    def _match_words(self) -> None:
        docnums, scores = self._matches()
        if not self.limit:
            return  # only the counts were asked for
        if self.query.sort == "date":
            self.lexical = self._newest(docnums, scores)
        else:
            self.lexical = self._best_by_words(docnums, scores)

    def _matches(self) -> tuple[np.ndarray, np.ndarray]:
        """Every match's docnum and BM25 score; counts them by kind and by collection."""
        found_docnums, found_scores = [], []
        for number, leaf in enumerate(self.leaves):
            docnums, scores = scored_matches(
                self.matching, self.statistics, number, self.allowed[number]
            )
            self._matched[number] = docnums
            _add_counts(self.counts, leaf.data.kinds.counts(docnums))
            _add_counts(self.collection_counts, leaf.data.collections.counts(docnums))
            found_docnums.append(docnums + leaf.offset)
            found_scores.append(scores)
        return np.concatenate(found_docnums), np.concatenate(found_scores)

    def _newest(self, docnums: np.ndarray, scores: np.ndarray) -> list[tuple[int, float]]:
        """The newest matches, and the later document first at the same moment, as Whoosh
        sorts; each with its BM25 score."""
        matched = zip(self.leaves, self._matched, strict=True)
        recency = np.concatenate([leaf.data.recency[local] for leaf, local in matched])
        recency = recency.astype(np.float64)  # exact: microseconds since 1970 are below 2**53
        order = _best(recency, docnums, self.limit, later_first=True)
        return [(int(docnums[i]), float(scores[i])) for i in order]

    def _best_by_words(self, docnums: np.ndarray, scores: np.ndarray) -> list[tuple[int, float]]:
        """The best matches by BM25, the first RERANK_DEPTH raised by the question's phrases."""
        order = _best(scores, docnums, max(self.limit, RERANK_DEPTH))
        candidates = [(int(docnums[i]), float(scores[i])) for i in order]
        return rerank_by_phrases(
            [(d, score, self._document(d).weighted_terms()) for d, score in candidates],
            self.terms,
            self.statistics,
        )

    def add_neighbours(self, question_vector: np.ndarray) -> None:
        """Rank by meaning as well; neighbours the words missed count as matches too."""
        self.meanings = Meanings(self.leaves, self.segments, question_vector)
        near = self.meanings.nearest(self.allowed, depth=SEMANTIC_DEPTH, floor=SEMANTIC_FLOOR)
        self.neighbours = [docnum for docnum, _ in near]
        for docnum in self.neighbours:
            number, local = self._locate(docnum)
            matched = self._matched[number]
            position = np.searchsorted(matched, local)
            if position < len(matched) and matched[position] == local:
                continue  # the words found it: counted already
            leaf = self.leaves[number]
            _add_counts(self.counts, {leaf.data.kinds.name_of(local): 1})
            if collection := leaf.data.collections.name_of(local):
                _add_counts(self.collection_counts, {collection: 1})

    def results(self) -> SearchResults:
        if self.matching is None and not self.neighbours:
            return SearchResults(hits=[], total=0, counts_by_kind={}, suggestion=self.suggestion)
        weights = question_weights(self.terms, self.statistics)
        order = self._order(weights) if self.limit else []
        words = set(self.matching.terms) if self.matching else set()
        words = words - FUNCTION_TERMS or words  # marking every "is" and "how" helps no reader
        return SearchResults(
            hits=[
                self._hit(docnum, score, words, weights) for docnum, score in order[: self.limit]
            ],
            total=sum(self.counts.values()),
            counts_by_kind=self.counts,
            counts_by_collection=self.collection_counts,
            suggestion=self.suggestion,
        )

    def _order(self, weights: dict[str, float]) -> list[tuple[int, float]]:
        """(docnum, score) best first: BM25 and phrases, fused with the neighbours if any.

        A document that matched only the question's form ("can", "my") is no rival for one
        that means the question: it joins the fusion only after every other.
        """
        if not self.neighbours:
            return self.lexical
        on_subject, form_only = [], []
        for docnum, _ in self.lexical:
            present = self._document(docnum).terms(with_section=True)
            (on_subject if coverage_of_terms(weights, present) > 0 else form_only).append(docnum)
        fused = fuse_rankings(on_subject, self.neighbours)
        ranked = {docnum for docnum, _ in fused}
        return fused + [(docnum, 0.0) for docnum in form_only if docnum not in ranked]

    def _hit(self, docnum: int, score: float, words: set[str], weights) -> SearchHit:
        document = self._document(docnum)
        stored = document.stored
        return SearchHit(
            coverage=coverage_of_terms(weights, document.terms(with_section=False)),
            similarity=self.meanings.similarity(docnum) if self.meanings else None,
            doc_id=stored["doc_id"],
            kind=stored["kind"],
            title=stored["title"],
            score=score,
            external_id=stored.get("external_id"),
            url=stored.get("url"),
            source=stored.get("source"),
            collection=stored.get("collection"),
            section=stored.get("section"),
            tags=list(stored.get("tags") or []),
            published=_aware(stored.get("published")),
            snippet=snippet(stored["body"] or stored["title"], words),
            body=stored["body"],
        )

    def _document(self, docnum: int) -> _Document:
        if docnum not in self._documents:
            self._documents[docnum] = _Document(self.reader.stored_fields(docnum))
        return self._documents[docnum]

    def _locate(self, docnum: int) -> tuple[int, int]:
        """The leaf holding a global document number, and the number within it."""
        for number, leaf in enumerate(self.leaves):
            if leaf.offset <= docnum < leaf.offset + leaf.count:
                return number, docnum - leaf.offset
        raise IndexError(docnum)


def _best(
    values: np.ndarray, docnums: np.ndarray, depth: int, later_first: bool = False
) -> np.ndarray:
    """Positions of the `depth` highest values, highest first; ties in document order, or
    the later document first."""
    if len(values) > depth:
        # Everything at least the depth-th highest, so that ties at the cut stay whole.
        threshold = np.partition(values, len(values) - depth)[len(values) - depth]
        candidates = np.flatnonzero(values >= threshold)
    else:
        candidates = np.arange(len(values))
    ties = -docnums[candidates] if later_first else docnums[candidates]
    order = np.lexsort((ties, -values[candidates]))
    return candidates[order][:depth]


def _add_counts(counts: dict[str, int], more: dict) -> None:
    for name, count in more.items():
        counts[name] = counts.get(name, 0) + count


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment else None
