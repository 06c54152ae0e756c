"""What a search document holds."""

from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

SCHEMA_VERSION = 1


def build_schema() -> Schema:
    text = StemmingAnalyzer()
    return Schema(
        doc_id=ID(stored=True, unique=True),  # "item:42" or "event:7"
        external_id=ID(stored=True),
        kind=ID(stored=True),
        collection=ID(stored=True),
        title=TEXT(analyzer=text, stored=True, field_boost=2.0),
        body=TEXT(analyzer=text, stored=True),
        section=TEXT(analyzer=text, stored=True),
        tags=KEYWORD(stored=True, lowercase=True, commas=True, scorable=True),
        url=STORED(),
        source=STORED(),
        published=DATETIME(stored=True, sortable=True),
    )
