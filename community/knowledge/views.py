"""Organiser pages for feeds and the curation queue."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.accounts.sessions import organisers_only
from community.config import settings
from community.db import get_session
from community.fetch_policy import fetch_policy
from community.forms import ConfirmForm
from community.knowledge import curation
from community.knowledge.feed_sources import (
    FeedError,
    add_feed,
    get_feed,
    item_counts,
    list_feeds,
    remove_feed,
    set_feed_active,
)
from community.knowledge.forms import EditPendingForm, FeedForm, ProposePostForm
from community.knowledge.item_views import register_item_views
from community.models import ContentItem, ItemStatus
from community.pagination import requested_page
from community.plurals import counted

blueprint = Blueprint("knowledge", __name__, url_prefix="/admin", template_folder="templates")
organisers_only(blueprint)
register_item_views(blueprint)


@blueprint.get("/feeds")
def feeds():
    return _feeds_page(FeedForm())


def _feeds_page(form: FeedForm, status: int = 200):
    session = get_session()
    feeds = list_feeds(session=session)
    return render_template(
        "knowledge/feeds.html",
        feeds=feeds,
        counts=item_counts(session=session, feed_ids=[feed.id for feed in feeds]),
        form=form,
        confirm=ConfirmForm(),
    ), status


@blueprint.post("/feeds")
def add_feed_view():
    form = FeedForm()
    if not form.validate_on_submit():
        return _feeds_page(form, 400)
    try:
        source = add_feed(session=get_session(), url=form.url.data, collection=form.collection.data)
    except FeedError as error:
        form.url.errors.append(str(error))
        return _feeds_page(form, 400)
    flash(f"Added {source.url}. It will be fetched within a few minutes.", "info")
    return redirect(url_for(".feeds"))


@blueprint.post("/feeds/<int:feed_id>/<any(pause, resume):action>")
def change_feed(feed_id: int, action: str):
    if ConfirmForm().validate_on_submit():
        try:
            feed = set_feed_active(
                session=get_session(), feed_id=feed_id, active=action == "resume"
            )
        except FeedError as error:
            flash(f"{str(error).capitalize()}.", "error")
        else:
            flash(f"“{feed.name}” {action}d.", "info")
    return redirect(url_for(".feeds"))


@blueprint.get("/feeds/<int:feed_id>/remove")
def confirm_remove_feed(feed_id: int):
    """What removing the feed does to its items, before anything is deleted."""
    session = get_session()
    try:
        feed = get_feed(session=session, feed_id=feed_id)
    except FeedError:
        abort(404)
    counts = item_counts(session=session, feed_ids=[feed.id])[feed.id]
    return render_template(
        "knowledge/feed_remove.html", feed=feed, counts=counts, confirm=ConfirmForm()
    )


@blueprint.post("/feeds/<int:feed_id>/remove")
def remove_feed_view(feed_id: int):
    if not ConfirmForm().validate_on_submit():
        flash("The form had expired; nothing was removed. Try again.", "error")
        return redirect(url_for(".confirm_remove_feed", feed_id=feed_id))
    try:
        removed = remove_feed(session=get_session(), feed_id=feed_id)
    except FeedError as error:
        flash(f"{str(error).capitalize()}; it may have been removed already.", "error")
    else:
        items = counted(removed.items, "item")
        flash(f"“{removed.name}” removed with its {items}.", "info")
    return redirect(url_for(".feeds"))


@blueprint.get("/curation")
def curation_queue():
    return _curation_page(ProposePostForm())


def _curation_page(form: ProposePostForm, status: int = 200):
    """The queue's page from `?page=`, or the page holding the item `?item=` names."""
    session = get_session()
    item_id = request.args.get("item", type=int)
    if item_id is None:
        number = requested_page()
    else:
        number = curation.page_holding(session=session, item_id=item_id)
    page = curation.pending_page(session=session, number=number)
    return render_template(
        "knowledge/curation.html", posts=page.rows, page=page, form=form, confirm=ConfirmForm()
    ), status


@blueprint.post("/curation")
def propose_post():
    form = ProposePostForm()
    if not form.validate_on_submit():
        return _curation_page(form, 400)
    policy = fetch_policy(settings())
    try:
        item = curation.propose_post(
            session=get_session(), url=form.url.data, submitted_by=current_user.email, policy=policy
        )
    except curation.CurationError as error:
        form.url.errors.append(str(error))
        return _curation_page(form, 400)
    flash(f"“{item.title}” is in the queue.", "info")
    return redirect(url_for(".curation_queue"))


@blueprint.route("/curation/<int:item_id>/edit", methods=["GET", "POST"])
def edit_pending_item(item_id: int):
    session = get_session()
    item = session.get(ContentItem, item_id)
    if item is None or item.status != ItemStatus.PENDING:
        abort(404)
    form = EditPendingForm()
    if not form.is_submitted():
        form.title.data, form.body.data = item.title, item.body_text or item.summary
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("knowledge/curation_edit.html", form=form, item=item), status
    curation.edit_pending(
        session=session, item_id=item_id, title=form.title.data, body_markdown=form.body.data
    )
    flash(f"“{form.title.data.strip()}” saved; it still waits for approval.", "info")
    return redirect(url_for(".curation_queue", item=item_id) + f"#item-{item_id}")


@blueprint.post("/curation/<int:item_id>/<any(approve, reject):decision>")
def decide_post(item_id: int, decision: str):
    if ConfirmForm().validate_on_submit():
        try:
            item = curation.decide(
                session=get_session(), item_id=item_id, approve=decision == "approve"
            )
            flash(f"“{item.title}” {decision}d.", "info")
        except curation.CurationError as error:
            flash(str(error), "error")
    return redirect(url_for(".curation_queue"))
