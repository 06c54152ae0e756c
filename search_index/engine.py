"""The search index: plain documents in, plain hits out."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from whoosh.query import Prefix
from whoosh.searching import Hit, Searcher
from whoosh.sorting import Count, FieldFacet
from whoosh.writing import CLEAR, SegmentWriter

from search_index.analysis import FUNCTION_TERMS, WORD
from search_index.coverage import coverage, question_weights
from search_index.documents import SearchDocument, SearchHit, SearchQuery, SearchResults
from search_index.locking import exclusive_writer_lock
from search_index.matching import filter_query, naive_utc, question_terms, words_query
from search_index.neighbours import VectorCache, nearest
from search_index.ranking import RERANK_DEPTH, fuse_rankings, rerank_by_phrases, weighted_parts
from search_index.schema import UNDATED
from search_index.searchers import SearcherPool
from search_index.semantic import EMBED_BATCH, SemanticModel, document_text, to_bytes
from search_index.snippets import snippet
from search_index.spelling import KnownWords, suggest_correction
from search_index.storage import ensure_index, open_index

SORTS = ("relevance", "date")
PART = "@"  # "item:4@754" is a part of "item:4": a passage of an episode, at 754 s
EPOCH = datetime(1970, 1, 1)
PROGRESS_EVERY = 1000
# Our own lock already serialises writers; Whoosh's lock can only be held by a stray
# writer that does not take ours, so wait for it a while before giving up.
WHOOSH_LOCK_TIMEOUT = 60.0
_COUNTS = {
    "kind": FieldFacet("kind", maptype=Count),
    "collection": FieldFacet("collection", maptype=Count),
}
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
        self._known_words = KnownWords()
        self._vectors = VectorCache()

    def upsert(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents by doc_id; the last of repeated doc_ids wins.

        A document's parts ("item:4@754", a passage of "item:4") are replaced with it: the
        parts not given again are removed.
        """
        latest = list({document.doc_id: document for document in documents}.values())
        if latest:
            fields = self._fields(latest)  # embedded before the lock: writers wait less
            with self._writer() as writer:
                for document in latest:
                    if PART not in document.doc_id:
                        writer.delete_by_query(Prefix("doc_id", document.doc_id + PART))
                for document_fields in fields:
                    writer.update_document(**document_fields)
        return len(latest)

    def delete(self, doc_ids: Iterable[str]) -> int:
        """Remove documents, with their parts; returns how many documents existed."""
        unique_ids = set(doc_ids)
        if not unique_ids:
            return 0
        with self._writer() as writer:
            for doc_id in unique_ids:
                writer.delete_by_query(Prefix("doc_id", doc_id + PART))
            return sum(writer.delete_by_term("doc_id", doc_id) for doc_id in unique_ids)

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Replace every document in one commit; searches see the old index until then.

        progress, if given, receives how many documents were indexed since its last call
        (every 1000, then the rest), as a progress bar's update() expects.
        """
        with self._writer(replace_all=True) as writer:
            indexed = self._add_new(writer, documents, progress)
        if progress and indexed % PROGRESS_EVERY:
            progress(indexed % PROGRESS_EVERY)
        return indexed

    def search(self, query: SearchQuery) -> SearchResults:
        if query.sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}, not {query.sort!r}")
        terms = question_terms(query.text)
        if not terms:
            return SearchResults.empty()
        with self._searchers.borrow() as searcher:
            ranking = _Ranking(searcher, query, terms, self._known_words)
            if self.semantic is not None and query.sort == "relevance":
                vectors = self._vectors.vectors(searcher)
                # Only the words: punctuation such as `title:` must mean nothing here either.
                words = " ".join(WORD.findall(query.text))
                ranking.add_neighbours(vectors, self.semantic.embed_one(words))
            return ranking.results()

    def doc_count(self) -> int:
        with self._searchers.borrow() as searcher:
            return searcher.doc_count()

    def close(self) -> None:
        self._searchers.close()

    def _fields(self, documents: list[SearchDocument]) -> list[dict]:
        if self.semantic is None:
            return [index_fields(document) for document in documents]
        texts = [document_text(d.title, d.section, d.body) for d in documents]
        vectors = self.semantic.embed(texts)
        return [index_fields(d, to_bytes(v)) for d, v in zip(documents, vectors, strict=True)]

    def _add_new(self, writer, documents: Iterable[SearchDocument], progress) -> int:
        added = 0
        for batch in _unique_batches(documents):
            for document_fields in self._fields(batch):
                writer.add_document(**document_fields)
                added += 1
                if progress and added % PROGRESS_EVERY == 0:
                    progress(PROGRESS_EVERY)
        return added

    @contextmanager
    def _writer(self, replace_all: bool = False) -> Iterator[SegmentWriter]:
        with exclusive_writer_lock(self.directory):
            writer = self._index.writer(timeout=WHOOSH_LOCK_TIMEOUT)
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=CLEAR if replace_all else None)


def index_fields(document: SearchDocument, vector: bytes | None = None) -> dict:
    tags = [tag.replace(",", " ").strip() for tag in document.tags]
    vector_field = {"vector": vector} if vector is not None else {}
    return vector_field | {
        "doc_id": document.doc_id,
        "kind": document.kind,
        "external_id": document.external_id,
        "collection": document.collection,
        "tags": ",".join(tags),
        "_stored_tags": tags,
        "content": weighted_parts(document.title, document.section, document.body),
        "vocabulary": " ".join([document.title, document.section or "", document.body]),
        "title": document.title,
        "body": document.body,
        "section": document.section,
        "url": document.url,
        "source": document.source,
        "published": naive_utc(document.published),
        "recency": _microseconds(document.published),
    }


def _unique_batches(documents: Iterable[SearchDocument]) -> Iterator[list[SearchDocument]]:
    """The documents in batches to embed together, each doc_id once (the first wins)."""
    seen: set[str] = set()
    batch: list[SearchDocument] = []
    for document in documents:
        if document.doc_id not in seen:
            seen.add(document.doc_id)
            batch.append(document)
        if len(batch) == EMBED_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _Ranking:
    """One search: the words' matches, optionally joined by the nearest in meaning."""

    def __init__(self, searcher: Searcher, query: SearchQuery, terms: list[str], known_words):
        self.searcher, self.query, self.terms = searcher, query, terms
        self.suggestion = suggest_correction(query.text, searcher, known_words)
        self.filter = filter_query(query)
        self.matching = words_query(terms, searcher)
        self.limit = max(query.limit, 0)  # 0 asks only for the total and the counts
        self.lexical: list[tuple[Hit, float]] = []
        self.counts: dict[str, int] = {}
        self.collection_counts: dict[str, int] = {}
        self.similarity: dict[int, float] = {}
        self.neighbours: list[int] = []
        self._matched_docnums = None
        if self.matching is not None:
            self._match_words()

    def _match_words(self) -> None:
        by_date = self.query.sort == "date"
        depth = max(self.limit, 1) if by_date else max(self.limit, RERANK_DEPTH)
        results = self.searcher.search(
            self.matching,
            filter=self.filter,
            limit=depth,
            sortedby="recency" if by_date else None,
            reverse=by_date,
            groupedby=_COUNTS,
        )
        # Grouping makes Whoosh keep every match in order, so cut to the candidates ourselves.
        candidates = list(results[:depth])
        if by_date:
            self.lexical = [(hit, hit.score or 0.0) for hit in candidates]
        else:
            self.lexical = rerank_by_phrases(candidates, self.terms, self.searcher)
        self.counts = dict(results.groups("kind"))
        self.collection_counts = _named_groups(results.groups("collection"))
        self._results = results

    def add_neighbours(self, vectors, question_vector) -> None:
        """Rank by meaning as well; neighbours the words missed count as matches too."""
        similarities = vectors.similarities(question_vector)
        near = nearest(
            self.searcher,
            vectors,
            question_vector,
            within=self.filter,
            depth=SEMANTIC_DEPTH,
            floor=SEMANTIC_FLOOR,
        )
        self.neighbours = [docnum for docnum, _ in near]
        self.similarity = {docnum: float(similarities[docnum]) for docnum in self._docnums()}
        matched = self._results.docs() if self.matching is not None else set()
        for docnum in self.neighbours:
            if docnum not in matched:
                stored = self.searcher.stored_fields(docnum)
                self.counts[stored["kind"]] = self.counts.get(stored["kind"], 0) + 1
                if collection := stored.get("collection"):
                    self.collection_counts[collection] = (
                        self.collection_counts.get(collection, 0) + 1
                    )

    def _docnums(self) -> set[int]:
        return {hit.docnum for hit, _ in self.lexical} | set(self.neighbours)

    def results(self) -> SearchResults:
        if self.matching is None and not self.neighbours:
            return SearchResults(hits=[], total=0, counts_by_kind={}, suggestion=self.suggestion)
        weights = question_weights(self.terms, self.searcher)
        order = self._order(weights)
        words = {term.text for term in self.matching.leaves()} if self.matching else set()
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
            return [(hit.docnum, score) for hit, score in self.lexical]
        on_subject, form_only = [], []
        for hit, _ in self.lexical:
            text = f"{hit['title']} {hit.get('section') or ''} {hit.get('body') or ''}"
            (on_subject if coverage(weights, text) > 0 else form_only).append(hit.docnum)
        fused = fuse_rankings(on_subject, self.neighbours)
        ranked = {docnum for docnum, _ in fused}
        return fused + [(docnum, 0.0) for docnum in form_only if docnum not in ranked]

    def _hit(self, docnum: int, score: float, words: set[str], weights) -> SearchHit:
        stored = self.searcher.stored_fields(docnum)
        return SearchHit(
            coverage=coverage(weights, f"{stored['title']} {stored['body'] or ''}"),
            similarity=self.similarity.get(docnum),
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


def _named_groups(groups: dict) -> dict[str, int]:
    """Counts per value, without documents that have none (Whoosh groups those under None)."""
    return {name: count for name, count in groups.items() if name}


def _microseconds(moment: datetime | None) -> int:
    if moment is None:
        return UNDATED
    return (naive_utc(moment) - EPOCH) // timedelta(microseconds=1)


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment else None
