"""The change log keeps every node's index in step, and a reindex blocks nobody."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from community.db import get_engine
from community.knowledge.items import ItemData, get_or_create_source, upsert_item
from community.models import (
    ContentItem,
    ItemStatus,
    SearchChangeLogPruning,
    SearchIndexChange,
    SearchIndexNode,
    SourceKind,
)
from community.models.types import utcnow
from community.search import changelog
from search_index import IndexUnavailable, SearchQuery
from tests.helpers import record_heartbeat

FOLLOW_DEADLINE_SECONDS = 2.0


def _titles(app, text):
    results = app.extensions["search_index"].search(SearchQuery(text=text))
    return [hit.title for hit in results.hits]


def _add_item(session, title, body, status=ItemStatus.PUBLISHED):
    source = get_or_create_source(session=session, kind=SourceKind.FAQ, name="FAQ")
    data = ItemData(kind="faq", external_id=title, title=title, body_text=body)
    item, _ = upsert_item(session=session, source=source, data=data, status=status)
    return item


def _commit_item(app, title, body):
    with Session(get_engine(app)) as session:
        item = _add_item(session, title, body)
        session.commit()
        return item.id


def _log_rows(app):
    with Session(get_engine(app)) as session:
        rows = session.exec(select(SearchIndexChange.kind, SearchIndexChange.row_id)).all()
        return [tuple(row) for row in rows]


def _found_within(app, text, title, seconds) -> bool:
    def found():
        try:
            return title in _titles(app, text)
        except IndexUnavailable:
            return False

    return _eventually(found, seconds)


def test_a_change_is_logged_in_its_own_transaction_and_a_rollback_logs_nothing(app):
    item_id = _commit_item(app, "Canary releases", "shift a little traffic first")
    with Session(get_engine(app)) as session:
        _add_item(session, "Never committed", "rolled back")
        session.flush()
        session.rollback()

    assert _log_rows(app) == [("item", item_id)]


def test_a_second_node_applies_what_the_first_committed(make_app, tmp_path):
    first = make_app(SEARCH_INDEX_DIR=tmp_path / "first")
    second = make_app(SEARCH_INDEX_DIR=tmp_path / "second", SEARCH_FOLLOW_SECONDS=0.2)
    second.extensions["search_follower"].start()

    _commit_item(first, "Shadow deployments", "mirror production traffic to the new model")

    assert _found_within(second, "mirror production traffic", "Shadow deployments", 2.0)
    assert _eventually(lambda: _applied_through(second) == 1)


def _applied_through(app) -> int | None:
    with Session(get_engine(app)) as session:
        node = session.get(SearchIndexNode, app.extensions["search_follower"].node_name)
        return node.applied_through if node else None


def _eventually(condition, seconds=5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_healthz_says_how_far_behind_the_local_index_is(make_app, tmp_path):
    first = make_app(SEARCH_INDEX_DIR=tmp_path / "first")
    lagging = make_app(SEARCH_INDEX_DIR=tmp_path / "lagging")  # its follow thread is off
    record_heartbeat(first)
    _commit_item(first, "Batch inference", "score the table every night")
    _commit_item(first, "Online inference", "answer within fifty milliseconds")

    lag = lagging.test_client().get("/healthz").get_json()["checks"]["index_lag"]
    assert lag["changes_behind"] == 2
    assert lag["oldest_unapplied_seconds"] is not None

    lagging.extensions["search_follower"].catch_up()
    lag = lagging.test_client().get("/healthz").get_json()["checks"]["index_lag"]
    assert lag["changes_behind"] == 0
    assert _titles(lagging, "score the table every night") == ["Batch inference"]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_change_committed_after_a_later_numbered_one_is_not_missed(app):
    engine = get_engine(app)
    with Session(engine) as slow:
        _add_item(slow, "Slow transaction", "feature drift alarms")
        slow.flush()  # takes the lower log number, commits last
        _commit_item(app, "Quick transaction", "label drift alarms")
        assert _titles(app, "label drift alarms") == ["Quick transaction"]
        slow.commit()

    assert "Slow transaction" in _titles(app, "feature drift alarms")


def test_a_reindex_blocks_no_commit_search_or_new_process(make_app):
    app = make_app(SEARCH_SEMANTIC=False)
    with Session(get_engine(app)) as session:
        source = get_or_create_source(session=session, kind=SourceKind.FAQ, name="FAQ")
        session.add_all(
            ContentItem(
                source_id=source.id,
                kind="faq",
                external_id=f"q{number}",
                title=f"Question {number}",
                body_text=f"answer number {number} about pipelines",
                status=ItemStatus.PUBLISHED,
            )
            for number in range(1100)
        )
        session.commit()
    follower = app.extensions["search_follower"]
    old_generation = app.extensions["search_index"].live_generation()
    midway, resume = threading.Event(), threading.Event()

    def pause_at_first_progress(_count):
        midway.set()
        assert resume.wait(60)

    rebuild = threading.Thread(target=follower.rebuild, args=(pause_at_first_progress,))
    rebuild.start()
    try:
        assert midway.wait(60)
        edited_id = _commit_item(app, "Committed mid-rebuild", "vector databases compared")
        assert _titles(app, "vector databases compared") == ["Committed mid-rebuild"]
        starter = threading.Thread(target=make_app, kwargs={"SEARCH_SEMANTIC": False})
        starter.start()
        starter.join(30)
        assert not starter.is_alive(), "a new process waited for the rebuild"
    finally:
        resume.set()
        rebuild.join(120)

    index = app.extensions["search_index"]
    assert index.live_generation() != old_generation
    assert _titles(app, "vector databases compared") == ["Committed mid-rebuild"]
    assert index.doc_count() == 1101
    assert ("item", edited_id) in _log_rows(app)


def test_a_node_whose_changes_were_pruned_rebuilds_and_keeps_answering(make_app, tmp_path):
    first = make_app(SEARCH_INDEX_DIR=tmp_path / "first")
    away = make_app(SEARCH_INDEX_DIR=tmp_path / "away")
    _commit_item(first, "Feature stores", "offline and online stores")
    away.extensions["search_follower"].catch_up()
    _commit_item(first, "Model cards", "document intended use")
    with Session(get_engine(first)) as session:
        pruned = changelog.prune(session, keep_for=timedelta(0))  # older than nothing: all
        session.commit()
    assert pruned == 2

    lag = away.extensions["search_follower"].lag()
    assert "pruned" in lag.needs_rebuild
    assert _titles(away, "offline online stores") == ["Feature stores"]  # still answers

    away.extensions["search_follower"].rebuild()
    assert _titles(away, "document intended use") == ["Model cards"]
    assert away.extensions["search_follower"].lag().needs_rebuild is None


def test_pruning_keeps_what_a_live_node_still_needs(make_app, tmp_path):
    first = make_app(SEARCH_INDEX_DIR=tmp_path / "first")
    slow = make_app(SEARCH_INDEX_DIR=tmp_path / "slow")
    _commit_item(first, "A", "one")
    # Applied change 1 and reported it; on PostgreSQL the position settles a call later.
    assert _eventually(
        lambda: slow.extensions["search_follower"].catch_up() == 0 and (_applied_through(slow) == 1)
    )
    _commit_item(first, "B", "two")
    with Session(get_engine(first)) as session:
        changelog.report_node(session, "first-node", 2)
        session.commit()
        changelog.prune(session, keep_for=timedelta(days=7))
        session.commit()
        kept = session.exec(select(func.count()).select_from(SearchIndexChange)).one()
        assert kept == 1  # the slow node has not applied change 2 yet
        assert session.get(SearchChangeLogPruning, 1).pruned_through == 1


def test_the_follow_thread_rebuilds_an_index_that_was_removed(make_app, tmp_path):
    import shutil

    app = make_app(SEARCH_FOLLOW_SECONDS=0.2)
    _commit_item(app, "Drift detection", "compare feature distributions")
    shutil.rmtree(app.extensions["settings"].SEARCH_INDEX_DIR)
    app.extensions["search_follower"].start()

    assert _found_within(app, "compare feature distributions", "Drift detection", 30)


def test_an_index_of_content_older_than_the_log_is_rebuilt_not_replayed(make_app, tmp_path):
    first = make_app(SEARCH_INDEX_DIR=tmp_path / "first")
    _commit_item(first, "Older than the log", "made before the upgrade")
    with Session(get_engine(first)) as session:
        session.exec(SearchIndexChange.__table__.delete())
        session.add(SearchChangeLogPruning(id=1, pruned_through=0, pruned_at=utcnow()))
        session.commit()

    new_node = make_app(SEARCH_INDEX_DIR=tmp_path / "new")
    assert new_node.extensions["search_follower"].lag().needs_rebuild == (
        "this index was never built"
    )
    new_node.extensions["search_follower"].rebuild()
    assert _titles(new_node, "made before the upgrade") == ["Older than the log"]


def test_the_hourly_job_prunes_changes_older_than_the_setting(make_app):
    from community.search.jobs import prune_change_log

    app = make_app(SEARCH_CHANGE_LOG_DAYS=1)
    make_app(SEARCH_INDEX_DIR=app.extensions["settings"].SEARCH_INDEX_DIR.with_name("other"))
    with Session(get_engine(app)) as session:
        changelog.report_node(session, "a node that applied nothing yet", 0)
        session.commit()
    _commit_item(app, "Old change", "two days ago")
    with Session(get_engine(app)) as session:
        for change in session.exec(select(SearchIndexChange)):
            change.recorded_at = utcnow() - timedelta(days=2)
        session.commit()
    _commit_item(app, "New change", "just now")

    with app.app_context():
        prune_change_log()

    assert list(_log_titles(app)) == ["New change"]


def _log_titles(app):
    with Session(get_engine(app)) as session:
        return session.exec(
            select(ContentItem.title).join(
                SearchIndexChange, SearchIndexChange.row_id == ContentItem.id
            )
        ).all()


def test_switching_the_engine_rebuilds_while_the_old_engine_answers(make_app, tmp_path):
    first = make_app(SEARCH_INDEX_DIR=tmp_path / "index")
    _commit_item(first, "Prompt caching", "reuse the prefix of a long prompt")
    switched = make_app(SEARCH_INDEX_DIR=tmp_path / "index", SEARCH_ENGINE="tantivy")
    follower = switched.extensions["search_follower"]

    assert follower.lag().needs_rebuild == "SEARCH_ENGINE is now tantivy"
    assert _titles(switched, "long prompt prefix") == ["Prompt caching"]  # still Whoosh's

    follower.rebuild()
    index = switched.extensions["search_index"]
    assert index.generation_engine(index.live_generation()) == "tantivy"
    assert _titles(switched, "long prompt prefix") == ["Prompt caching"]
    _commit_item(switched, "Speculative decoding", "a small model drafts tokens")
    assert _titles(switched, "small model drafts tokens") == ["Speculative decoding"]
