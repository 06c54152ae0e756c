"""Reading published knowledge items."""

from sqlmodel import Session, select

from community.models import ContentItem, ItemKind, ItemStatus, Source


def latest_items(
    *, session: Session, kinds: tuple[str, ...] = (ItemKind.POST, ItemKind.EPISODE), limit: int = 8
) -> list[tuple[ContentItem, Source]]:
    """Newest published posts and episodes first, each with the source it came from."""
    statement = (
        select(ContentItem, Source)
        .join(Source, ContentItem.source_id == Source.id)
        .where(ContentItem.status == ItemStatus.PUBLISHED, ContentItem.kind.in_(kinds))
        .order_by(ContentItem.published_at.desc().nulls_last(), ContentItem.id.desc())
        .limit(limit)
    )
    return list(session.exec(statement))
