"""A public page for every published knowledge item: posts, episodes and FAQ entries.

Slack answers, search results, the APIs and the newsletter link here, so an FAQ entry,
which has no page of its own anywhere else, can be read in full and shared.
"""

from flask import Blueprint, abort, current_app, render_template
from sqlmodel import select

from community.config import settings
from community.db import get_session
from community.knowledge.items import web_url
from community.links import page_url_for
from community.models import KNOWLEDGE_KINDS, ContentItem, ItemStatus, Source
from community.rich_text import sanitise_html
from community.search.documents import item_doc_id
from integrations.feeds.transcripts import clock
from search_index import SearchQuery

blueprint = Blueprint("item_pages", __name__, template_folder="templates")
RELATED = 4


@blueprint.get("/items/<int:item_id>")
def item_page(item_id: int):
    session = get_session()
    found = session.exec(
        select(ContentItem, Source)
        .join(Source, ContentItem.source_id == Source.id)
        .where(ContentItem.id == item_id, ContentItem.status == ItemStatus.PUBLISHED)
    ).first()
    if found is None:
        abort(404)
    item, source = found
    return render_template(
        "knowledge/item.html",
        item=item,
        source=source,
        body_html=sanitise_html(item.body_html) if item.body_html else None,
        original_url=web_url(item.url),
        related=_related(item),
        clock=clock,
    )


def _related(item: ContentItem) -> list[dict]:
    """Other items that cover this one's title as well as a cited answer must."""
    index = current_app.extensions["search_index"]
    hits = index.search(SearchQuery(text=item.title, kinds=KNOWLEDGE_KINDS, limit=RELATED + 1)).hits
    own = item_doc_id(item.id)
    return [
        {"title": hit.title, "kind": hit.kind, "page_url": page_url_for(hit.doc_id)}
        for hit in hits
        if hit.doc_id.partition("@")[0] != own  # nor a passage of its own transcript
        and hit.coverage >= settings().ANSWER_MIN_COVERAGE
    ][:RELATED]
