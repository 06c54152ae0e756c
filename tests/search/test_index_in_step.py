"""Every committed change to items and events reaches the search index without a manual step."""

from datetime import timedelta

from sqlmodel import Session

from community.db import get_engine
from community.events.services import EventInput, create_event
from community.knowledge.items import ItemData, get_or_create_source, upsert_item
from community.models import ContentItem, EventStatus, ItemStatus, SourceKind
from community.models.types import utcnow
from search_index import SearchQuery


def _search(app, text, **filters):
    results = app.extensions["search_index"].search(SearchQuery(text=text, **filters))
    return [hit.title for hit in results.hits]


def _add_item(app, title, body, status=ItemStatus.PUBLISHED):
    with Session(get_engine(app)) as session:
        source = get_or_create_source(session=session, kind=SourceKind.FAQ, name="FAQ")
        data = ItemData(kind="faq", external_id=title, title=title, body_text=body)
        item, _ = upsert_item(session=session, source=source, data=data, status=status)
        session.commit()
        return item.id


def test_a_committed_item_is_found_and_an_edit_replaces_it(app):
    item_id = _add_item(app, "Rotating GPU nodes", "Drain the node before the upgrade.")
    assert _search(app, "drain node upgrade") == ["Rotating GPU nodes"]

    with Session(get_engine(app)) as session:
        item = session.get(ContentItem, item_id)
        item.title = "Rotating GPU nodes safely"
        session.commit()

    assert _search(app, "drain node upgrade") == ["Rotating GPU nodes safely"]


def test_rolled_back_and_pending_items_are_not_searchable(app):
    with Session(get_engine(app)) as session:
        source = get_or_create_source(session=session, kind=SourceKind.FAQ, name="FAQ")
        data = ItemData(kind="faq", external_id="x", title="Quantisation", body_text="int8 weights")
        upsert_item(session=session, source=source, data=data)
        session.rollback()
    _add_item(app, "Awaiting review", "pruning sparse weights", status=ItemStatus.PENDING)

    assert _search(app, "int8 weights quantisation") == []
    assert _search(app, "pruning sparse weights") == []


def test_deleting_or_hiding_an_item_removes_it_from_search(app):
    hidden_id = _add_item(app, "Blue green deployments", "two environments switch traffic")
    deleted_id = _add_item(app, "Model registry basics", "register versions with stages")

    with Session(get_engine(app)) as session:
        session.get(ContentItem, hidden_id).status = ItemStatus.DELETED
        session.delete(session.get(ContentItem, deleted_id))
        session.commit()

    assert _search(app, "environments switch traffic") == []
    assert _search(app, "register versions stages") == []


def test_published_events_are_searchable_by_kind(app):
    start = utcnow() + timedelta(days=3)
    with Session(get_engine(app)) as session:
        create_event(
            session=session,
            data=EventInput(
                title="Feature store workshop",
                description="Hands-on with offline and online stores.",
                kind="workshop",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                timezone="Europe/London",
                status=EventStatus.PUBLISHED,
            ),
        )
        session.commit()

    assert _search(app, "workshops on feature stores", kinds=["event"]) == [
        "Feature store workshop"
    ]


def test_reindex_rebuilds_the_index_from_the_database(app, runner):
    _add_item(app, "Observability for pipelines", "trace every stage of the pipeline")
    app.extensions["search_index"].live().rebuild([])
    assert _search(app, "trace pipeline stage") == []

    result = runner.invoke(args=["kb", "reindex"])

    assert result.exit_code == 0, result.output
    assert "Indexed 1 document." in result.output
    assert _search(app, "trace pipeline stage") == ["Observability for pipelines"]
