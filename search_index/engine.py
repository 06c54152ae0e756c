"""The search index: plain documents in, plain hits out."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from whoosh.searching import Hit, Searcher
from whoosh.sorting import Count, FieldFacet
from whoosh.writing import CLEAR, SegmentWriter

from search_index.analysis import FUNCTION_TERMS
from search_index.coverage import coverage, question_weights
from search_index.documents import SearchDocument, SearchHit, SearchQuery, SearchResults
from search_index.locking import exclusive_writer_lock
from search_index.matching import filter_query, naive_utc, question_terms, words_query
from search_index.ranking import RERANK_DEPTH, rerank_by_phrases, weighted_parts
from search_index.schema import UNDATED
from search_index.searchers import SearcherPool
from search_index.snippets import snippet
from search_index.spelling import KnownWords, suggest_correction
from search_index.storage import ensure_index, open_index

SORTS = ("relevance", "date")
EPOCH = datetime(1970, 1, 1)
PROGRESS_EVERY = 1000
# Our own lock already serialises writers; Whoosh's lock can only be held by a stray
# writer that does not take ours, so wait for it a while before giving up.
WHOOSH_LOCK_TIMEOUT = 60.0
_KIND_COUNTS = FieldFacet("kind", maptype=Count)


class SearchIndex:
    """The index in one directory; threads and processes may share it for reading and writing."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        ensure_index(self.directory)
        self._index = open_index(self.directory)
        self._searchers = SearcherPool(self._index)
        self._known_words = KnownWords()

    def upsert(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents by doc_id; the last of repeated doc_ids wins."""
        latest = {document.doc_id: document for document in documents}
        if latest:
            with self._writer() as writer:
                for document in latest.values():
                    writer.update_document(**index_fields(document))
        return len(latest)

    def delete(self, doc_ids: Iterable[str]) -> int:
        """Remove documents; returns how many existed."""
        unique_ids = set(doc_ids)
        if not unique_ids:
            return 0
        with self._writer() as writer:
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
            indexed = _add_new(writer, documents, progress)
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
            return _search(searcher, query, terms, self._known_words)

    def doc_count(self) -> int:
        with self._searchers.borrow() as searcher:
            return searcher.doc_count()

    def close(self) -> None:
        self._searchers.close()

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


def index_fields(document: SearchDocument) -> dict:
    tags = [tag.replace(",", " ").strip() for tag in document.tags]
    return {
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


def _add_new(writer, documents: Iterable[SearchDocument], progress) -> int:
    seen: set[str] = set()
    for document in documents:
        if document.doc_id in seen:
            continue
        seen.add(document.doc_id)
        writer.add_document(**index_fields(document))
        if progress and len(seen) % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
    return len(seen)


def _search(
    searcher: Searcher, query: SearchQuery, terms: list[str], known_words: KnownWords
) -> SearchResults:
    suggestion = suggest_correction(query.text, searcher, known_words)
    matching = words_query(terms, searcher)
    if matching is None:
        return SearchResults(hits=[], total=0, counts_by_kind={}, suggestion=suggestion)
    limit = max(query.limit, 0)  # 0 asks only for the total and the counts
    by_date = query.sort == "date"
    depth = max(limit, 1) if by_date else max(limit, RERANK_DEPTH)
    results = searcher.search(
        matching,
        filter=filter_query(query),
        limit=depth,
        sortedby="recency" if by_date else None,
        reverse=by_date,
        groupedby=_KIND_COUNTS,
    )
    # Grouping makes Whoosh keep every match in order, so cut to the candidates ourselves.
    candidates = list(results[:depth])
    if by_date:
        ranked = [(hit, hit.score or 0.0) for hit in candidates]
    else:
        ranked = rerank_by_phrases(candidates, terms, searcher)
    words = {term.text for term in matching.leaves()}
    words = words - FUNCTION_TERMS or words  # marking every "is" and "how" helps no reader
    counts = dict(results.groups("kind"))
    weights = question_weights(terms, searcher)
    return SearchResults(
        hits=[_hit(hit, score, words, weights) for hit, score in ranked[:limit]],
        total=sum(counts.values()),
        counts_by_kind=counts,
        suggestion=suggestion,
    )


def _hit(hit: Hit, score: float, words: set[str], weights: dict[str, float]) -> SearchHit:
    stored = hit.fields()
    return SearchHit(
        coverage=coverage(weights, f"{stored['title']} {stored['body'] or ''}"),
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


def _microseconds(moment: datetime | None) -> int:
    if moment is None:
        return UNDATED
    return (naive_utc(moment) - EPOCH) // timedelta(microseconds=1)


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment else None
