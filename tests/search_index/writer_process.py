"""Run in its own process by the concurrency tests: add marked documents, a commit per batch.

Usage: python -m tests.search_index.writer_process DIRECTORY MARKER COUNT BATCH
"""

import sys

from search_index import SearchDocument, SearchIndex


def marked_documents(marker: str, numbers: range) -> list[SearchDocument]:
    return [
        SearchDocument(
            doc_id=f"{marker}:{number}",
            kind="post",
            title=f"Written by {marker} number {number}",
            body=f"{marker} wrote this while others searched and wrote. item{marker}{number}",
        )
        for number in numbers
    ]


def main(directory: str, marker: str, count: int, batch: int) -> None:
    index = SearchIndex(directory)
    for start in range(0, count, batch):
        index.upsert(marked_documents(marker, range(start, min(start + batch, count))))
    index.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
