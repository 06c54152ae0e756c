"""Closing a content gap: an unanswered question becomes an FAQ entry the bot can cite."""

from community.knowledge.items import ItemData, get_or_create_source, upsert_item
from community.models import ContentItem, ItemKind, SourceKind, UnansweredQuestion
from community.models.types import utcnow

ORGANISERS_FAQ = "Organisers' answers"


def answer_as_faq(
    session, question: UnansweredQuestion, *, title: str, answer: str, collection: str | None
) -> ContentItem:
    """Publishes the entry (indexed when the request commits) and closes the question."""
    source = get_or_create_source(session=session, kind=SourceKind.FAQ, name=ORGANISERS_FAQ)
    data = ItemData(
        kind=ItemKind.FAQ,
        external_id=f"question-{question.id}",
        title=title.strip(),
        body_text=answer.strip(),
        summary=answer.strip()[:300],
        collection=collection or None,
    )
    item, _ = upsert_item(session=session, source=source, data=data)
    question.resolved_at = utcnow()
    return item
