from flask import Blueprint, redirect, render_template, url_for
from sqlmodel import Session, select

from community.db import get_session
from community.events.queries import upcoming_events
from community.home.navigation import SITE_NAVIGATION
from community.models import ContentItem, ItemKind, ItemStatus, Source

blueprint = Blueprint("home", __name__, template_folder="templates")
LATEST = 8


@blueprint.app_context_processor
def site_layout_context():
    return {"site_navigation": SITE_NAVIGATION}


@blueprint.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page links; the icon is an SVG."""
    response = redirect(url_for("static", filename="favicon.svg"))
    response.cache_control.max_age = 86400
    return response


@blueprint.get("/")
def index():
    session = get_session()
    return render_template(
        "home/index.html",
        items=newest_items(session),
        events=upcoming_events(session=session),
    )


def newest_items(session: Session, limit: int = LATEST) -> list[tuple[ContentItem, Source]]:
    """Newest published posts and episodes first, undated ones last, each with its source.

    Read as two queries in the order of the (status, published_at, id) index: PostgreSQL
    cannot read one `published_at DESC NULLS LAST` ordering from it, and would sort every
    published item instead.
    """
    shown = select(ContentItem, Source).join(Source, ContentItem.source_id == Source.id)
    shown = shown.where(
        ContentItem.status == ItemStatus.PUBLISHED,
        ContentItem.kind.in_((ItemKind.POST, ItemKind.EPISODE)),
    )
    dated = shown.where(ContentItem.published_at.is_not(None)).order_by(
        ContentItem.published_at.desc(), ContentItem.id.desc()
    )
    items = list(session.exec(dated.limit(limit)))
    if len(items) < limit:
        undated = shown.where(ContentItem.published_at.is_(None))
        items += session.exec(undated.order_by(ContentItem.id.desc()).limit(limit - len(items)))
    return items
