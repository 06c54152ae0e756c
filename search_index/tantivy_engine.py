"""The search index on tantivy: the same documents in and hits out as search_index.SearchIndex.

tantivy (Rust) matches, filters, counts and finds the candidates; Python analyses the text
(search_index.analysis, so both engines see the same terms), scores the candidates exactly
as the Whoosh engine does, fuses them with the nearest in meaning and writes the snippets.
The vectors and the spelling vocabulary live in files beside the index (tantivy_vectors,
tantivy_spelling). Threads and processes may share a directory: writers take the directory's
lock, and searchers reopen the index when its meta.json changes.
"""

import json
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import tantivy

from search_index.analysis import WORD
from search_index.coverage import coverage_of_terms, question_weights
from search_index.documents import SearchDocument, SearchHit, SearchQuery, SearchResults
from search_index.engine import PART, PROGRESS_EVERY, SEMANTIC_DEPTH, SEMANTIC_FLOOR, SORTS
from search_index.locking import exclusive_writer_lock
from search_index.matching import question_terms, words_query
from search_index.ranking import RERANK_DEPTH, fuse_rankings
from search_index.rebuilding import unique_batches
from search_index.semantic import EMBED_BATCH, SemanticModel, document_text
from search_index.snippets import snippet
from search_index.spelling import suggest_correction
from search_index.tantivy_queries import (
    Statistics,
    filter_query,
    highlighted,
    rows_query,
    tantivy_query,
    within,
)
from search_index.tantivy_ranking import (
    CANDIDATE_FACTOR,
    Candidate,
    best_first,
    candidates,
    documents_at,
    nearest,
    raised_by_phrases,
    rows_found,
    score_exactly,
)
from search_index.tantivy_schema import (
    SCHEMA,
    SCHEMA_VERSION,
    Analysed,
    analyse,
    hit_of,
    tantivy_document,
)
from search_index.tantivy_spelling import WORDS_FILE, Vocabulary, WordCounts
from search_index.tantivy_vectors import ROWS_FILE, VECTORS_FILE, VectorRows

META_FILE = "meta.json"
VERSION_FILE = "tantivy.version"
UPSERT_HEAP_BYTES = 50_000_000
REBUILD_HEAP_BYTES = 400_000_000  # fewer, larger segments: faster searches afterwards
REBUILD_THREADS = 2
# A commit removes the files of merged segments; a searcher opening meanwhile tries again.
OPEN_TIMEOUT_SECONDS = 60
KINDS_COUNTED = 1_000
COLLECTIONS_COUNTED = 100_000


class TantivyIndex:
    """The index in one directory; threads and processes may share it for reading and writing."""

    def __init__(self, directory: Path | str, semantic: SemanticModel | None = None):
        """With a `semantic` model, documents are also matched and ranked by meaning."""
        self.directory = Path(directory)
        self.semantic = semantic
        self.directory.mkdir(parents=True, exist_ok=True)
        self._index = _open_index(self.directory)
        self._vectors = VectorRows(self.directory)
        self._words = WordCounts(self.directory)
        self._view: _View | None = None
        self._view_lock = threading.Lock()

    def upsert(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents by doc_id; the last of repeated doc_ids wins.

        A document's parts ("item:4@754", a passage of "item:4") are replaced with it: the
        parts not given again are removed.
        """
        latest = list({document.doc_id: document for document in documents}.values())
        if latest:
            analysed = [analyse(document) for document in latest]
            vectors = self._embed(latest)  # before the lock: writers wait less
            with self._writer(UPSERT_HEAP_BYTES, 1) as writer:
                for document in latest:
                    _delete_with_parts(writer, document.doc_id)
                self._add(writer, analysed, vectors)
                self._words.add(_word_counts(analysed))
        return len(latest)

    def delete(self, doc_ids: Iterable[str]) -> int:
        """Remove documents, with their parts; returns how many documents existed."""
        unique_ids = sorted(set(doc_ids))
        if not unique_ids:
            return 0
        with self._writer(UPSERT_HEAP_BYTES, 1) as writer:
            existing = tantivy.Query.term_set_query(SCHEMA, "doc_id", unique_ids)
            existed = self._current_view().searcher.search(existing, 1).count
            for doc_id in unique_ids:
                _delete_with_parts(writer, doc_id)
        return existed

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Replace every document in one commit; searches see the old index until then.

        progress, if given, receives how many documents were indexed since its last call
        (every 1000, then the rest), as a progress bar's update() expects.
        """
        indexed = reported = 0
        words: Counter[str] = Counter()
        with self._writer(REBUILD_HEAP_BYTES, REBUILD_THREADS) as writer:
            writer.delete_all_documents()
            for batch in unique_batches(documents, EMBED_BATCH):
                analysed = [analyse(document) for document in batch]
                self._add(writer, analysed, self._embed(batch))
                words.update(_word_counts(analysed))
                indexed += len(batch)
                while progress and indexed - reported >= PROGRESS_EVERY:
                    progress(PROGRESS_EVERY)
                    reported += PROGRESS_EVERY
            self._words.add(words)
        if progress and indexed > reported:
            progress(indexed - reported)
        return indexed

    def search(self, query: SearchQuery) -> SearchResults:
        if query.sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}, not {query.sort!r}")
        terms = question_terms(query.text)
        if not terms:
            return SearchResults.empty()
        view = self._current_view()
        ranking = _Ranking(view, query, terms)
        if self.semantic is not None and query.sort == "relevance":
            # Only the words: punctuation such as `title:` must mean nothing here either.
            words = " ".join(WORD.findall(query.text))
            ranking.add_neighbours(view.vectors, self.semantic.embed_one(words))
        return ranking.results()

    def doc_count(self) -> int:
        return self._current_view().searcher.num_docs

    def close(self) -> None:
        self._view = None

    def _embed(self, documents: list[SearchDocument]) -> np.ndarray | None:
        if self.semantic is None:
            return None
        return self.semantic.embed([document_text(d.title, d.section, d.body) for d in documents])

    def _add(self, writer, analysed: list[Analysed], vectors: np.ndarray | None) -> None:
        first_row = self._vectors.append(len(analysed), vectors)
        for offset, document in enumerate(analysed):
            writer.add_document(tantivy_document(document, first_row + offset))

    @contextmanager
    def _writer(self, heap_bytes: int, threads: int) -> Iterator[tantivy.IndexWriter]:
        with exclusive_writer_lock(self.directory):
            writer = self._index.writer(heap_size=heap_bytes, num_threads=threads)
            try:
                yield writer
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()  # also releases tantivy's own writer lock

    def _current_view(self) -> "_View":
        stamp = _commit_stamp(self.directory)
        view = self._view
        if view is not None and view.stamp == stamp:
            return view
        with self._view_lock:
            if self._view is None or self._view.stamp != stamp:
                self._view = self._open_view(stamp)
            return self._view

    def _open_view(self, stamp: tuple) -> "_View":
        deadline = time.monotonic() + OPEN_TIMEOUT_SECONDS
        pause = 0.001
        while True:
            try:
                self._index.reload()
                searcher = self._index.searcher()
                break
            except ValueError:  # a file of the commit being read was merged away meanwhile
                if time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        return _View(
            stamp=stamp,
            searcher=searcher,
            average_length=_average_length(searcher),
            vocabulary=self._words.vocabulary(),
            vectors=self._vectors.matrix() if self.semantic is not None else None,
        )


@dataclass(frozen=True)
class _View:
    """One commit of the index, as every search until the next commit sees it."""

    stamp: tuple
    searcher: tantivy.Searcher
    average_length: float
    vocabulary: Vocabulary
    vectors: np.ndarray | None


class _Ranking:
    """One search: the words' matches, optionally joined by the nearest in meaning."""

    def __init__(self, view: _View, query: SearchQuery, terms: list[str]):
        self.searcher, self.query, self.terms = view.searcher, query, terms
        self.statistics = Statistics(view.searcher, view.average_length)
        self.suggestion = suggest_correction(query.text, None, view.vocabulary)
        self.filter = filter_query(query)
        words = words_query(terms, self.statistics)
        self.words = words.terms if words else []
        self.matching = tantivy_query(words, self.statistics)
        self.limit = max(query.limit, 0)  # 0 asks only for the total and the counts
        self.lexical: list[Candidate] = []
        self.neighbours: list[tuple[int, tantivy.DocAddress]] = []
        self.similarity: dict[int, float] = {}
        self.counts: dict[str, int] = {}
        self.collection_counts: dict[str, int] = {}
        if self.matching is not None:
            self._match_words()

    def _match_words(self) -> None:
        matches = within(self.matching, self.filter)
        self._count(matches)
        if not self.limit:
            return
        if self.query.sort == "date":
            self.lexical = candidates(self.searcher, matches, self.limit, by_date=True)
            score_exactly(self.lexical, self.words, self.statistics)
            return
        depth = max(self.limit, RERANK_DEPTH)
        found = candidates(self.searcher, matches, int(depth * CANDIDATE_FACTOR))
        score_exactly(found, self.words, self.statistics)
        self.lexical = raised_by_phrases(best_first(found)[:depth], self.terms, self.statistics)

    def _count(self, query: tantivy.Query) -> None:
        """Add the documents matching the query to the counts per kind and per collection."""
        aggregations = {
            "kind": {"terms": {"field": "kind", "size": KINDS_COUNTED}},
            "collection": {"terms": {"field": "collection", "size": COLLECTIONS_COUNTED}},
        }
        counted = self.searcher.aggregate(query, aggregations)
        for name, counts in (("kind", self.counts), ("collection", self.collection_counts)):
            for bucket in counted[name]["buckets"]:
                counts[bucket["key"]] = counts.get(bucket["key"], 0) + bucket["doc_count"]

    def add_neighbours(self, vectors: np.ndarray, question_vector: np.ndarray) -> None:
        """Rank by meaning as well; neighbours the words missed count as matches too."""
        # einsum, not BLAS: as search_index.neighbours finds, BLAS threads contend on two cores
        # (and one BLAS thread is slower than einsum).
        similarities = np.einsum("ij,j->i", vectors, question_vector)
        self.neighbours = nearest(
            self.searcher,
            similarities,
            filter=self.filter,
            depth=SEMANTIC_DEPTH,
            floor=SEMANTIC_FLOOR,
        )
        rows = [candidate.row for candidate in self.lexical] + [row for row, _ in self.neighbours]
        self.similarity = {
            row: float(similarities[row]) if row < len(similarities) else 0.0 for row in rows
        }
        unmatched = self._missed_by_words([row for row, _ in self.neighbours])
        if unmatched:
            self._count(rows_query(unmatched))

    def _missed_by_words(self, rows: list[int]) -> list[int]:
        if not rows or self.matching is None:
            return rows
        found = self.searcher.search(within(self.matching, rows_query(rows)), len(rows))
        matched = rows_found(self.searcher, found)
        return [row for row in rows if row not in matched]

    def results(self) -> SearchResults:
        if self.matching is None and not self.neighbours:
            return SearchResults(hits=[], total=0, counts_by_kind={}, suggestion=self.suggestion)
        weights = question_weights(self.terms, self.statistics)
        order = self._order(weights)[: self.limit]
        found = self._documents([row for row, _ in order])
        words = highlighted(self.words)
        return SearchResults(
            hits=[self._hit(found[row], score, words, weights) for row, score in order],
            total=sum(self.counts.values()),
            counts_by_kind=self.counts,
            counts_by_collection=self.collection_counts,
            suggestion=self.suggestion,
        )

    def _order(self, weights: dict[str, float]) -> list[tuple[int, float]]:
        """(row, score) best first: BM25 and phrases, fused with the neighbours if any.

        A document that matched only the question's form ("can", "my") is no rival for one
        that means the question: it joins the fusion only after every other.
        """
        if not self.neighbours:
            return [(candidate.row, candidate.score) for candidate in self.lexical]
        on_subject, form_only = [], []
        for candidate in self.lexical:
            present = candidate.terms(with_section=True)
            (on_subject if coverage_of_terms(weights, present) else form_only).append(candidate.row)
        fused = fuse_rankings(on_subject, [row for row, _ in self.neighbours])
        ranked = {row for row, _ in fused}
        return fused + [(row, 0.0) for row in form_only if row not in ranked]

    def _documents(self, rows: list[int]) -> dict[int, Candidate]:
        """The documents of the rows, read from the index for neighbours only."""
        known = {candidate.row: candidate for candidate in self.lexical}
        addresses = dict(self.neighbours)
        missing = [addresses[row] for row in rows if row not in known]
        return known | {found.row: found for found in documents_at(self.searcher, missing)}

    def _hit(self, found: Candidate, score: float, words: set[str], weights) -> SearchHit:
        stored = found.stored
        return hit_of(
            stored,
            score=score,
            coverage=coverage_of_terms(weights, found.terms(with_section=False)),
            similarity=self.similarity.get(found.row),
            snippet=snippet(stored["body"] or stored["title"], words),
        )


def _word_counts(analysed: list[Analysed]) -> Counter[str]:
    """How many of the documents use each word."""
    counts: Counter[str] = Counter()
    for document in analysed:
        counts.update(document.words)
    return counts


def _delete_with_parts(writer: tantivy.IndexWriter, doc_id: str) -> None:
    """Delete the document; a whole document ("item:4") takes its parts ("item:4@754")."""
    if PART in doc_id:
        writer.delete_documents_by_term("doc_id", doc_id)
    else:
        writer.delete_documents_by_term("family", doc_id)


def _average_length(searcher: tantivy.Searcher) -> float:
    if not searcher.num_docs:
        return 1.0
    average = {"length": {"avg": {"field": "length"}}}
    return searcher.aggregate(tantivy.Query.all_query(), average)["length"]["value"] or 1.0


def _commit_stamp(directory: Path) -> tuple:
    """Changes with every commit: tantivy replaces meta.json by renaming a new file onto it."""
    status = os.stat(directory / META_FILE)
    return status.st_ino, status.st_mtime_ns, status.st_size


def _open_index(directory: Path) -> tantivy.Index:
    """Open the directory's index, first creating it empty unless a current one exists."""
    with exclusive_writer_lock(directory):
        if not _has_current_index(directory):
            # The index is derived data: one of another version is replaced by an empty
            # one, which `kb reindex` fills from the database.
            _remove_index_files(directory)
            tantivy.Index(SCHEMA, path=str(directory), reuse=False)
            (directory / VERSION_FILE).write_text(SCHEMA_VERSION)
        index = tantivy.Index(SCHEMA, path=str(directory), reuse=True)
    index.config_reader(reload_policy="manual")
    return index


def _has_current_index(directory: Path) -> bool:
    try:
        version = (directory / VERSION_FILE).read_text()
    except FileNotFoundError:
        return False
    return version == SCHEMA_VERSION and tantivy.Index.exists(str(directory))


def _remove_index_files(directory: Path) -> None:
    """tantivy's files (those it lists as its own) and ours; nothing else in the directory."""
    try:
        managed = json.loads((directory / ".managed.json").read_text())
    except (FileNotFoundError, ValueError):
        managed = []
    ours = [META_FILE, ".managed.json", VERSION_FILE, VECTORS_FILE, ROWS_FILE, WORDS_FILE]
    for name in [*managed, *ours]:
        (directory / name).unlink(missing_ok=True)
