"""How well search finds the entry that answers a question: hit rate and MRR at k."""

import csv
import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from search_index.analysis import WORD
from search_index.documents import SearchDocument, SearchQuery
from search_index.engine import SearchIndex


@dataclass
class EvalReport:
    hit_rate: float  # share of questions with a right answer in the top k
    mrr: float  # mean of 1/rank of the first right answer, 0 when none is there
    p50_ms: float
    p95_ms: float
    n: int


@dataclass
class FaqDataset:
    documents: list[SearchDocument]
    questions: list[tuple[str, str, str]]  # question, collection, right external_ids (a|b)


def evaluate(index: SearchIndex, rows: Iterable[tuple[str, str, str]], k: int = 5) -> EvalReport:
    """Search each (question, collection, expected external_id) within its collection."""

    def top_ids(question: str, collection: str) -> list[str | None]:
        results = index.search(SearchQuery(text=question, collection=collection, limit=k))
        return [hit.external_id for hit in results.hits]

    return _measure(top_ids, rows)


def evaluate_fts5(
    documents: Iterable[SearchDocument], rows: Iterable[tuple[str, str, str]], k: int = 5
) -> EvalReport:
    """The same evaluation with SQLite FTS5 (porter stemming, any of the words, bm25()).

    The reference figures are FTS5's; measuring it on the same data and machine keeps the
    comparison like for like.
    """
    database = sqlite3.connect(":memory:")
    database.execute(
        "CREATE VIRTUAL TABLE entry USING fts5(external_id UNINDEXED, collection UNINDEXED,"
        " title, section, body, tokenize='porter unicode61')"
    )
    database.executemany(
        "INSERT INTO entry VALUES (?, ?, ?, ?, ?)",
        ((d.external_id, d.collection, d.title, d.section or "", d.body) for d in documents),
    )

    def top_ids(question: str, collection: str) -> list[str | None]:
        words = " OR ".join(f'"{word}"' for word in WORD.findall(question))
        if not words:
            return []
        found = database.execute(
            "SELECT external_id FROM entry WHERE entry MATCH ? AND collection = ?"
            " ORDER BY bm25(entry) LIMIT ?",
            (words, collection, k),
        )
        return [external_id for (external_id,) in found]

    try:
        return _measure(top_ids, rows)
    finally:
        database.close()


def _measure(
    top_ids: Callable[[str, str], list], rows: Iterable[tuple[str, str, str]]
) -> EvalReport:
    reciprocal_ranks: list[float] = []
    durations_ms: list[float] = []
    for question, collection, expected in rows:
        started = time.perf_counter()
        found = top_ids(question, collection)
        durations_ms.append((time.perf_counter() - started) * 1000)
        reciprocal_ranks.append(reciprocal_rank(found, right_answers(expected)))
    n = len(reciprocal_ranks)
    return EvalReport(
        hit_rate=sum(1 for rank in reciprocal_ranks if rank) / n if n else 0.0,
        mrr=sum(reciprocal_ranks) / n if n else 0.0,
        p50_ms=percentile(durations_ms, 50),
        p95_ms=percentile(durations_ms, 95),
        n=n,
    )


def right_answers(document: str) -> set[str]:
    """The `document` column may name several right answers, separated by `|`."""
    return {part.strip() for part in document.split("|") if part.strip()}


def reciprocal_rank(found: list, right: set[str]) -> float:
    """1/rank of the first right answer among the results; 0 when none is there."""
    for rank, external_id in enumerate(found, 1):
        if external_id in right:
            return 1 / rank
    return 0.0


def percentile(values: list[float], percent: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * percent // 100))  # ceiling without floats drifting
    return ordered[int(rank) - 1]


def load_faq_dataset(directory: Path | str) -> FaqDataset:
    """Read documents.json (id, question, text, section, course) and questions.csv."""
    directory = Path(directory)
    entries = json.loads((directory / "documents.json").read_text(encoding="utf-8"))
    with open(directory / "questions.csv", newline="", encoding="utf-8") as questions_file:
        questions = [
            (row["question"], row["course"], row["document"])
            for row in csv.DictReader(questions_file)
        ]
    return FaqDataset(documents=[faq_document(entry) for entry in entries], questions=questions)


def faq_document(entry: dict) -> SearchDocument:
    return SearchDocument(
        doc_id=f"faq:{entry['id']}",
        kind="faq",
        external_id=entry["id"],
        title=entry["question"],
        body=entry["text"],
        section=entry.get("section"),
        collection=entry.get("course"),
    )
