"""Organiser pages for knowledge items: the list with its filters, edit, hide, delete."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from community.db import get_session
from community.forms import ConfirmForm
from community.knowledge import item_admin
from community.knowledge.forms import EditItemForm
from community.models import ItemKind
from community.pagination import requested_page


def register_item_views(blueprint: Blueprint) -> None:
    """The item pages, on the organisers' knowledge blueprint."""
    blueprint.get("/items")(items)
    blueprint.route("/items/<int:item_id>/edit", methods=["GET", "POST"])(edit_item)
    blueprint.post("/items/<int:item_id>/<any(hide, show):action>")(hide_or_show_item)
    blueprint.get("/items/<int:item_id>/delete")(confirm_delete_item)
    blueprint.post("/items/<int:item_id>/delete")(delete_item)


def items():
    session = get_session()
    filters, errors = item_admin.read_filter(request.args)
    page = item_admin.items_page(
        session=session,
        index=current_app.extensions["search_index"],
        filters=filters,
        number=requested_page(),
    )
    return render_template(
        "knowledge/items.html",
        page=page,
        filters=filters,
        errors=errors,
        kinds=list(ItemKind),
        statuses=item_admin.LISTED_STATUSES,
        collections=item_admin.collection_names(session=session),
        sources=item_admin.item_sources(session=session),
        back=_list_address(),
        per_page=item_admin.ITEMS_PER_PAGE,
        confirm=ConfirmForm(),
    ), 400 if errors else 200


def edit_item(item_id: int):
    session = get_session()
    item = _listed_or_404(item_id)
    form = EditItemForm()
    if not form.is_submitted():
        form.title.data = item.title
        form.tags.data = ", ".join(item.tags or [])
        form.collection.data = item.collection or ""
    if form.validate_on_submit():
        try:
            tags = item_admin.parse_tags(form.tags.data or "")
            item_admin.edit_item(
                session=session,
                item_id=item_id,
                title=form.title.data,
                tags=tags,
                collection=form.collection.data,
            )
        except item_admin.ItemAdminError as error:
            form.form_errors.append(_sentence(error))
        else:
            flash(f"“{item.title}” saved.", "info")
            return redirect(_back())
    status = 400 if form.is_submitted() else 200
    return render_template(
        "knowledge/item_edit.html",
        form=form,
        item=item,
        collections=item_admin.collection_names(session=session),
        back=_back(),
        confirm=ConfirmForm(),
    ), status


def hide_or_show_item(item_id: int, action: str):
    if ConfirmForm().validate_on_submit():
        try:
            item = item_admin.set_hidden(
                session=get_session(), item_id=item_id, hidden=action == "hide"
            )
        except item_admin.ItemAdminError as error:
            flash(_sentence(error), "error")
        else:
            done = "hidden: it is out of search and its page until you show it again"
            flash(f"“{item.title}” {done if action == 'hide' else 'is shown again'}.", "info")
    return redirect(_back())


def confirm_delete_item(item_id: int):
    return render_template(
        "knowledge/item_delete.html",
        item=_listed_or_404(item_id),
        back=_back(),
        confirm=ConfirmForm(),
    )


def delete_item(item_id: int):
    if not ConfirmForm().validate_on_submit():
        flash("The form had expired; nothing was deleted. Try again.", "error")
        return redirect(url_for(".confirm_delete_item", item_id=item_id, back=_back()))
    try:
        item = item_admin.delete_item(session=get_session(), item_id=item_id)
    except item_admin.ItemAdminError as error:
        flash(_sentence(error), "error")
    else:
        flash(f"“{item.title}” deleted. Its feed or file will not bring it back.", "info")
    return redirect(_back())


def _listed_or_404(item_id: int):
    try:
        return item_admin.listed_item(session=get_session(), item_id=item_id)
    except item_admin.ItemAdminError:
        abort(404)


def _list_address() -> str:
    """This list page's address with its filters, for the pages it leads to to return to."""
    query = request.query_string.decode()
    return url_for(".items") + (f"?{query}" if query else "")


def _back() -> str:
    """Where to go when done: the list page the organiser came from, never another site."""
    back = request.values.get("back") or ""
    items_address = url_for(".items")
    if back == items_address or back.startswith(items_address + "?"):
        return back
    return items_address


def _sentence(error: Exception) -> str:
    text = str(error)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
