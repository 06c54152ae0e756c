"""What the tantivy index holds for each document, analysed in Python as Whoosh's is.

tantivy cannot call Python tokenizers, so the text is analysed here (search_index.analysis)
and indexed as its terms separated by spaces; tantivy's whitespace tokenizer only splits
them again, and questions look terms up literally. Positions are not indexed: phrases are
counted in the stored text of the best candidates, as for Whoosh (search_index.ranking).
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import tantivy

from search_index.analysis import WORD, term_of
from search_index.documents import SearchDocument, SearchHit
from search_index.engine import PART
from search_index.schema import UNDATED
from search_index.tantivy_spelling import document_words

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Bumped whenever the fields change: an index of another version is replaced by an empty one.
SCHEMA_VERSION = "1"
EVERY_DOCUMENT = "1"


def build_tantivy_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("doc_id", tokenizer_name="raw", index_option="basic")
    # One term in every document: its frequency counts the deleted ones too until they are
    # merged away, as every other term's frequency does, which keeps idf() positive.
    builder.add_text_field("document", tokenizer_name="raw", index_option="basic")
    # A document and its parts ("item:4" and "item:4@754") share a family, deleted together.
    builder.add_text_field("family", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("kind", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("collection", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("tags", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("content", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("title", tokenizer_name="whitespace", index_option="freq")
    # Microseconds since 1970, UNDATED without a date: filters by date and sorts newest first.
    builder.add_integer_field("recency", indexed=True, fast=True)
    # Numbers each document once for all time in this directory: its row of vectors.
    builder.add_unsigned_field("row", indexed=True, fast=True)
    builder.add_unsigned_field("length", fast=True)  # terms in title, section and body
    builder.add_bytes_field("stored", stored=True)  # the fields a hit shows, as JSON
    return builder.build()


@dataclass
class Analysed:
    """A document as the index sees it: its terms, its words as written, its fields."""

    document: SearchDocument
    content: list[str]
    title: list[str]
    words: set[str]  # folded, as the spelling vocabulary keeps them


def analyse(document: SearchDocument) -> Analysed:
    title, title_words = _terms_and_words(document.title)
    section, section_words = _terms_and_words(document.section or "")
    body, body_words = _terms_and_words(document.body)
    written = set(title_words)
    written.update(section_words, body_words)
    words = document_words(written)
    return Analysed(document=document, content=title + section + body, title=title, words=words)


def _terms_and_words(text: str) -> tuple[list[str], list[str]]:
    """The text's terms, as analysis.terms_of() gives them, and its words as written."""
    words = WORD.findall(text)
    return list(map(term_of, words)), words


def tantivy_document(analysed: Analysed, row: int) -> tantivy.Document:
    document = analysed.document
    fields = {
        "doc_id": document.doc_id,
        "document": EVERY_DOCUMENT,
        "family": document.doc_id.split(PART, 1)[0],
        "kind": document.kind,
        "tags": [term for term in map(tag_term, document.tags) if term],
        "content": " ".join(analysed.content),
        "title": " ".join(analysed.title),
        "recency": microseconds(document.published),
        "row": row,
        "length": len(analysed.content),
        "stored": json.dumps(_stored(document), ensure_ascii=False).encode(),
    }
    if document.collection:
        fields["collection"] = document.collection
    return tantivy.Document.from_dict(fields, SCHEMA)


def _stored(document: SearchDocument) -> dict:
    return {
        "doc_id": document.doc_id,
        "kind": document.kind,
        "title": document.title,
        "body": document.body,
        "section": document.section,
        "external_id": document.external_id,
        "collection": document.collection,
        "tags": [_clean_tag(tag) for tag in document.tags],
        "url": document.url,
        "source": document.source,
        "published": microseconds(document.published),
    }


def stored_fields(document: tantivy.Document) -> dict:
    return json.loads(document.get_first("stored"))


def hit_of(stored: dict, **ranking) -> SearchHit:
    """The hit for a stored document; `ranking` holds score, snippet, coverage, similarity."""
    return SearchHit(
        doc_id=stored["doc_id"],
        kind=stored["kind"],
        title=stored["title"],
        external_id=stored["external_id"],
        url=stored["url"],
        source=stored["source"],
        collection=stored["collection"],
        section=stored["section"],
        tags=stored["tags"],
        published=moment(stored["published"]),
        body=stored["body"],
        **ranking,
    )


def tag_term(tag: str) -> str:
    """A tag as filters look it up: as Whoosh's comma-separated keywords, lower-cased."""
    return _clean_tag(tag).lower()


def _clean_tag(tag: str) -> str:
    return tag.replace(",", " ").strip()


def microseconds(when: datetime | None) -> int:
    if when is None:
        return UNDATED
    if when.tzinfo is None:  # a naive moment is taken to be UTC already, as for Whoosh
        when = when.replace(tzinfo=UTC)
    return (when - EPOCH) // timedelta(microseconds=1)


def moment(stored: int) -> datetime | None:
    return None if stored == UNDATED else EPOCH + timedelta(microseconds=stored)


SCHEMA = build_tantivy_schema()
